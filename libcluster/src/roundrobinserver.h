// Policy RoundRobin (Node's default): each connection to the next free worker in turn.
#pragma once

#include "distributingserver.h"

namespace LibCluster::Internal {

class RoundRobinServer : public DistributingServer
{
public:
    RoundRobinServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    {
    }

protected:
    WorkerPrivate *pick(const Connection &) override { return nextFreeInTurn(); }
};

} // namespace LibCluster::Internal
