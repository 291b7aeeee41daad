// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy LeastConnections: the free worker with the fewest open connections gets the next one.
#pragma once

#include "ports/policies/distributingserver.h"

namespace LibCluster::Internal {

class LeastConnectionsServer : public DistributingServer
{
public:
    LeastConnectionsServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    { }

protected:
    WorkerPrivate *pick(const Connection &) override;
};

} // namespace LibCluster::Internal
