// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// StickyServer: a client's worker is remembered until that worker leaves the port; while it is
// busy, that client's connection waits for it rather than going elsewhere.
#include "ports/policies/stickyserver.h"

#include "runtime/worker_p.h"

namespace LibCluster::Internal {

WorkerPrivate *StickyServer::pick(const Connection &connection)
{
    const auto owner = m_owners.constFind(connection.peer);
    // A client's worker at its maxConnections: this connection goes to another one, but the
    // client stays with its worker, whose sessions it has.
    const bool ownerAtLimit = owner != m_owners.constEnd() && isAtLimit(*owner);
    if (owner != m_owners.constEnd() && !ownerAtLimit)
        return isFree(*owner) ? *owner : nullptr;
    WorkerPrivate *best = nextFreeInTurn();
    if (!best)
        return nullptr;
    for (WorkerPrivate *worker : std::as_const(m_workers))
        if (isFree(worker) && worker->openConnections < best->openConnections)
            best = worker;
    if (!connection.peer.isEmpty() && !ownerAtLimit)
        m_owners.insert(connection.peer, best);
    return best;
}

bool StickyServer::isStranded(const Connection &connection) const
{
    const auto owner = m_owners.constFind(connection.peer);
    if (owner != m_owners.constEnd())
        return isResting(*owner);
    return DistributingServer::isStranded(connection);
}

void StickyServer::forget(WorkerPrivate *worker)
{
    for (auto it = m_owners.begin(); it != m_owners.end();)
        it = it.value() == worker ? m_owners.erase(it) : std::next(it);
}

} // namespace LibCluster::Internal
