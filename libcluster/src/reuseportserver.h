// Policy ReusePort: each worker listens on a socket of its own, all bound with SO_REUSEPORT to
// one port; the kernel balances. The primary holds the port with a bound, never-listening socket.
//
// The kernel resets the connections that wait in a listening socket when it closes (unless the
// host sets net.ipv4.tcp_migrate_req), and until it closes it keeps routing new ones there. So
// the primary keeps its own copy of each worker's socket, which it never accepts on while the
// worker serves it: once the worker dies or closes that server, the socket stays open, the
// primary accepts what waits there and hands it to the other workers as RoundRobin does, and
// only then closes it.
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

    // The primary's copy of each worker's own listening socket: one descriptor per worker.
    QHash<WorkerPrivate *, int> m_sockets;
};

} // namespace LibCluster::Internal
