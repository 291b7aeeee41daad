// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// LeastConnectionsServer: open counts come from the workers' reports (and are bumped locally on
// every hand-over, so a burst does not all go to the worker whose report is oldest).
#include "ports/policies/leastconnectionsserver.h"

#include "runtime/worker_p.h"

namespace LibCluster::Internal {

WorkerPrivate *LeastConnectionsServer::pick(const Connection &)
{
    // Start from the worker in turn so ties rotate instead of always favouring the first.
    WorkerPrivate *first = nextFreeInTurn();
    if (!first)
        return nullptr;
    WorkerPrivate *best = first;
    for (WorkerPrivate *worker : std::as_const(m_workers))
        if (isFree(worker) && worker->openConnections < best->openConnections)
            best = worker;
    return best;
}

} // namespace LibCluster::Internal
