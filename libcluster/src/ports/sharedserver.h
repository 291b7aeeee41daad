// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The primary's side of one shared server (one listen key): the socket it owns and the workers
// that serve it. Subclasses are the scheduling policies.
#pragma once

#include "ports/listenrequest.h"
#include "ports/serverlink.h"
#include "ports/socketfactory.h"

#include <libcluster/address.h>
#include <libcluster/handle.h>
#include <libcluster/schedulingpolicy.h>

#include <QList>

#include <memory>

namespace LibCluster {
class WorkerPrivate;
}

namespace LibCluster::Internal {

class SharedServer
{
public:
    // The server for `request` under `policy` (UDP is always a shared socket; a Unix socket
    // under ReusePort is shared like None).
    static std::unique_ptr<SharedServer> create(
        SchedulingPolicy policy, const ListenRequest &request, int key);
    virtual ~SharedServer();

    int key() const { return m_key; }
    const ListenRequest &request() const { return m_request; }
    Address address() const { return m_address; }

    // Creates the socket; false with `error` set.
    virtual bool open(SocketError *error) = 0;
    // A worker joins: how it serves, and the socket to send it.
    virtual bool addWorker(
        WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *error)
        = 0;
    // The worker closed its server, disconnected or died.
    virtual void removeWorker(WorkerPrivate *worker);
    // A worker's answer to `count` connections the primary handed it in one frame, numbered
    // from `firstConnection` on.
    enum class Answer {
        Taken,
        Closed, // its server is closing: it takes no more
        Full, // it could not receive the descriptor (out of descriptors); it still serves
        AtLimit, // its server is at its maxConnections; it still serves those it has
    };
    virtual void acknowledge(
        WorkerPrivate *worker, qint64 firstConnection, int count, Answer answer);
    // A worker whose server answered AtLimit has room again.
    virtual void hasRoom(WorkerPrivate *worker);

    // For the metrics: connections the primary accepted that no worker has taken yet, and the
    // clients a policy keeps pinned to a worker (-1 where the policy pins none).
    virtual qint64 waitingConnections() const { return 0; }
    virtual qint64 pinnedClients() const { return -1; }

    bool hasWorker(WorkerPrivate *worker) const { return m_workers.contains(worker); }
    bool isEmpty() const { return m_workers.isEmpty(); }

protected:
    SharedServer(const ListenRequest &request, int key);

    ListenRequest m_request;
    int m_key;
    int m_fd = -1; // the primary's own copy of the shared socket
    SocketFile m_socketFile; // a Unix socket's file, removed with the server
    Address m_address;
    QList<WorkerPrivate *> m_workers;
};

} // namespace LibCluster::Internal
