// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What happens to a cluster's workers, as signals.
#pragma once

#include "workerstatus.h"

#include <libcluster/address.h>
#include <libcluster/worker.h>

#include <QByteArray>
#include <QCborValue>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Monitor {

// The events of a cluster's workers, told in values (ids, WorkerStatus) that stay valid after
// the worker has gone and can cross threads. ClusterSource tells them to the window and the
// models; ClusterHost tells them from the thread the monitor's own cluster runs in.
class WorkerEvents : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

Q_SIGNALS:
    void setupApplied(const QString &program, const QStringList &arguments, bool outputCaptured,
        const QString &policy);
    void workerForked(int workerId);
    void workerOnline(int workerId, qint64 pid);
    void workerListening(int workerId, const LibCluster::Address &address);
    void workerDisconnected(int workerId);
    // The worker has not listened on a shared server `msecs` after it came online, or exited
    // (with code 0) before then without having listened.
    void workerListenOverdue(int workerId, int msecs, bool exited);
    void workerExited(int workerId, int exitCode, int signal, bool exitedAfterDisconnect);
    void workerErrorOccurred(int workerId, const QString &errorString);
    void messageReceived(int workerId, const QCborValue &message);
    void outputReceived(
        int workerId, LibCluster::Worker::OutputChannel channel, const QByteArray &data);
    // Something about a worker changed: its state, connections, requests, CPU or memory.
    void workerChanged(const Monitor::WorkerStatus &status);
    // What became of the control endpoint: opened, attached, lost, back.
    void endpointEventOccurred(const QString &text, bool alert);
    // Something the operator asked for, in words for the event log.
    void commandIssued(int workerId, const QString &description);
    void commandFailed(int workerId, const QString &error);
    // The window fell behind the workers: this many messages and pieces of output came while
    // too many were waiting for it already, and were not passed on.
    void eventsDropped(qint64 messages, qint64 outputChunks);
};

} // namespace Monitor
