// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy RoundRobin (Node's default): each connection to the next worker in turn.
#pragma once

#include "ports/policies/distributingserver.h"

namespace LibCluster::Internal {

class RoundRobinServer : public DistributingServer
{
public:
    RoundRobinServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    { }

protected:
    WorkerPrivate *pick(const Connection &) override;
    int maxWindow() const override;
    std::chrono::nanoseconds busyAfter() const override;
};

} // namespace LibCluster::Internal
