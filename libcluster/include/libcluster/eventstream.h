// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A cluster's state and events as JSON: the vocabulary of the control protocol
// (docs/control-protocol.md), also usable in-process, e.g. to log events as JSON lines.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QJsonObject>
#include <QObject>

namespace LibCluster {

class Cluster;
class Supervisor;
class Worker;
class EventStreamPrivate;

class LIBCLUSTER_EXPORT EventStream : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(EventStream)

public:
    // Follows `cluster` and, when given, `supervisor`, from now on. Neither is owned.
    explicit EventStream(
        Cluster *cluster, Supervisor *supervisor = nullptr, QObject *parent = nullptr);
    ~EventStream() override;

    Cluster *cluster() const;
    Supervisor *supervisor() const;

    // Everything a late observer needs: the primary, policy, settings, every worker, the last
    // few workers that exited, and the supervisor's settings and state.
    QJsonObject snapshot() const;
    // Per-worker numbers that change all the time (connections, requests, CPU, memory), with
    // totals; meant to be taken periodically.
    QJsonObject stats() const;
    // One worker as the snapshot shows it.
    QJsonObject workerObject(const LibCluster::Worker *worker) const;

Q_SIGNALS:
    // One object per cluster or supervisor signal: {"event": NAME, "time": ms since the epoch,
    // ...}; the names and fields are listed in docs/control-protocol.md.
    void eventOccurred(const QJsonObject &event);

private:
    QScopedPointer<EventStreamPrivate> d_ptr;
};

} // namespace LibCluster
