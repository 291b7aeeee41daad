// Policy ReusePort: each worker listens on a socket of its own, all bound with SO_REUSEPORT to
// one port; the kernel balances. The primary holds the port with a bound, never-listening socket.
//
// The kernel resets the connections that wait in a listening socket when it closes (unless the
// host sets net.ipv4.tcp_migrate_req), and until it closes it keeps routing new ones there. So
// the primary keeps its own copy of each worker's socket, which it never accepts on while the
// worker serves it: once the worker closes that server or its process has ended, the socket
// stays open, the primary accepts what waits there and hands it to the other workers as
// RoundRobin does, and only then closes it. A worker that is gone from the cluster but whose
// process still holds the socket (killed, not yet ended) leaves it orphaned: the primary accepts
// on it until the process has ended, since the last close, not the primary's, is the one that
// resets.
#pragma once

#include "distributingserver.h"

#include <QHash>

namespace LibCluster::Internal {

class ReusePortServer : public DistributingServer
{
public:
    ReusePortServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    {
    }
    ~ReusePortServer() override;

    bool open(SocketError *error) override;
    bool addWorker(WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle,
                   SocketError *error) override;
    void removeWorker(WorkerPrivate *worker) override;

protected:
    WorkerPrivate *pick(const Connection &) override;

private:
    // Accepts what waits on a socket no worker serves any more, for the others, and closes it.
    void drainAndClose(int fd);
    // The process of a worker that left has ended: its orphaned socket can be closed.
    void releaseOrphan(WorkerPrivate *worker);

    // The primary's copy of each worker's own listening socket: one descriptor per worker.
    QHash<WorkerPrivate *, int> m_sockets;
    // Sockets of workers gone from the cluster whose processes may still hold them, with the
    // primary accepting on them meanwhile; each one moved here from m_sockets.
    QHash<WorkerPrivate *, Acceptor *> m_orphans;
};

} // namespace LibCluster::Internal
