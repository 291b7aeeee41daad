// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The primary's table of shared servers: one per listen key, opened by the first worker that
// asks and closed when the last one leaves.
#pragma once

#include "ports/sharedserver.h"

#include <libcluster/schedulingpolicy.h>

#include <QCborMap>
#include <QList>
#include <QString>

#include <map>
#include <memory>

namespace LibCluster {
class WorkerPrivate;
}

namespace LibCluster::Internal {

// Answers the runtime messages a worker sends about its servers (listen, close, ack, room) and
// forgets a worker that has gone.
class PortRegistry
{
public:
    // A worker's "listen": finds or opens the shared server for its key (a server of `policy`)
    // and replies, with the socket when the worker accepts itself. A failed listen leaves
    // nothing behind, so a later one can try again.
    void listen(WorkerPrivate *worker, const QCborMap &message, SchedulingPolicy policy);
    // A worker's "close": it serves the server `key` no more.
    void close(WorkerPrivate *worker, int key);
    // A worker's "ack": what became of a connection the primary handed it.
    void acknowledge(WorkerPrivate *worker, const QCborMap &message);
    // A worker's "room": its server at its limit takes connections again.
    void room(WorkerPrivate *worker, int key);
    // The worker disconnected or is being deleted: it leaves every server.
    void leaveAll(WorkerPrivate *worker);

    // Every shared server open now, for the figures the metrics show.
    QList<const SharedServer *> servers() const;

private:
    SharedServer *serverByKey(int key) const;
    void dropIfUnused(SharedServer *server);

    // By ListenRequest::key(); a server lives while at least one worker serves it.
    std::map<QString, std::unique_ptr<SharedServer>> m_servers;
    int m_lastKey = 0;
};

} // namespace LibCluster::Internal
