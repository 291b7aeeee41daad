// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// One worker as the monitor sees it, whether its cluster runs here or behind a control endpoint.
#pragma once

#include <libcluster/worker.h>

#include <QMetaType>
#include <QStringList>

namespace Monitor {

// A value, taken when something about the worker changed: the models keep it after the worker
// has gone.
struct WorkerStatus
{
    int id = 0;
    qint64 pid = 0;
    LibCluster::Worker::State state = LibCluster::Worker::None;
    bool connected = false;
    bool dead = false;
    // Disconnect or kill was asked for: not a crash.
    bool exitedAfterDisconnect = false;
    // "0.0.0.0:8000", one per shared server.
    QStringList addresses;
    int openConnections = 0;
    qint64 connectionsAccepted = 0;
    // The worker's "requests" counter.
    qint64 requests = 0;
    // Percent of one core and bytes; -1 before the first sample.
    double cpu = -1;
    qint64 memory = -1;
    // Valid once dead: -1 and the signal when a signal ended it.
    int exitCode = 0;
    int exitSignal = 0;
    // Milliseconds since the epoch; 0 when not known.
    qint64 forkedAt = 0;
    qint64 exitedAt = 0;

    // Runs and has not been asked to go.
    bool isLive() const
    {
        return !dead && !exitedAfterDisconnect
            && (state == LibCluster::Worker::None || state == LibCluster::Worker::Online
                || state == LibCluster::Worker::Listening);
    }
};

} // namespace Monitor

Q_DECLARE_METATYPE(Monitor::WorkerStatus)
