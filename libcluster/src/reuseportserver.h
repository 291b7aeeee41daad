// Policy ReusePort: each worker listens on a socket of its own, all bound with SO_REUSEPORT to
// one port; the kernel balances. The primary holds the port with a bound, never-listening socket.
#pragma once

#include "sharedserver.h"

namespace LibCluster::Internal {

class ReusePortServer : public SharedServer
{
public:
    ReusePortServer(const ListenRequest &request, int key)
        : SharedServer(request, key)
    {
    }

    bool open(SocketError *error) override;
    bool addWorker(WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle,
                   SocketError *error) override;
};

} // namespace LibCluster::Internal
