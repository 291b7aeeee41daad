// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy ReusePort: each worker listens on a socket of its own, all bound with SO_REUSEPORT to
// one port; the kernel balances. The primary holds the port with a bound, never-listening socket.
//
// The kernel resets the connections that wait in a listening socket when it closes (unless the
// host sets net.ipv4.tcp_migrate_req), and until it closes it keeps routing new ones there. So
// the primary keeps its own copy of each worker's socket, which it never accepts on while the
// worker serves it. Once the worker closes that server or leaves the cluster, the socket stays
// open: a steering program on the port's group sends new connections only to the sockets still
// served, the primary accepts what still reaches the leaving socket and hands it to the other
// workers as RoundRobin does, and closes it only when its worker's process has ended (the last
// close, not the primary's, is the one that resets) and the handshakes under way have had time
// to finish.
#pragma once

#include "ports/policies/distributingserver.h"

#include <QHash>

namespace LibCluster::Internal {

class ReusePortServer : public DistributingServer
{
public:
    ReusePortServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    { }
    ~ReusePortServer() override;

    bool open(SocketError *error) override;
    bool addWorker(
        WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *error) override;
    void removeWorker(WorkerPrivate *worker) override;

protected:
    WorkerPrivate *pick(const Connection &) override;

private:
    struct Leaving
    {
        Acceptor *acceptor = nullptr; // the primary serves the socket until it closes
        bool processEnded = false; // nobody else holds the socket any more
        bool graceOver = false; // handshakes begun before it was steered around are done
    };

    // `fd`'s worker no longer serves it; `worker` is set while its process may still hold it.
    void leave(int fd, WorkerPrivate *worker);
    void closeIfDone(int fd);
    // Accepts what waits on a socket no worker serves any more, for the others, and closes it.
    void drainAndClose(int fd);
    // Attaches to the port's group the program that keeps new connections off leaving sockets
    // (or detaches it when none is leaving).
    void steer();

    // The primary's copy of each worker's own listening socket: one descriptor per worker.
    QHash<WorkerPrivate *, int> m_sockets;
    // Sockets no worker serves any more, by descriptor; each one moved here from m_sockets.
    QHash<int, Leaving> m_leaving;
    // Every listening socket of the group in the kernel's order (it appends one that starts
    // listening; one that closes is replaced by the last), for the steering program's indices.
    QList<int> m_group;
    bool m_steering = false; // a program is attached
    bool m_steeringFailed = false; // reported once
};

} // namespace LibCluster::Internal
