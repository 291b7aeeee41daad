// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SharedServer: the choice of policy class, and what all of them share.
#include "ports/sharedserver.h"

#include "ports/policies/leastconnectionsserver.h"
#include "ports/policies/reuseportserver.h"
#include "ports/policies/roundrobinserver.h"
#include "ports/policies/sharedsocketserver.h"
#include "ports/policies/stickyserver.h"

#include <unistd.h>

namespace LibCluster::Internal {

std::unique_ptr<SharedServer> SharedServer::create(
    SchedulingPolicy policy, const ListenRequest &request, int key)
{
    const bool udp = request.kind == QLatin1String("udp");
    const bool local = request.kind == QLatin1String("local");
    if (udp)
        return std::make_unique<SharedSocketServer>(request, key);
    switch (policy) {
    case SchedulingPolicy::None:
        return std::make_unique<SharedSocketServer>(request, key);
    case SchedulingPolicy::ReusePort:
        if (local)
            return std::make_unique<SharedSocketServer>(request, key);
        return std::make_unique<ReusePortServer>(request, key);
    case SchedulingPolicy::LeastConnections:
        return std::make_unique<LeastConnectionsServer>(request, key);
    case SchedulingPolicy::Sticky:
        return std::make_unique<StickyServer>(request, key);
    case SchedulingPolicy::RoundRobin:
        break;
    }
    return std::make_unique<RoundRobinServer>(request, key);
}

SharedServer::SharedServer(const ListenRequest &request, int key)
    : m_request(request)
    , m_key(key)
{ }

SharedServer::~SharedServer()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_socketFile.remove();
}

void SharedServer::removeWorker(WorkerPrivate *worker)
{
    m_workers.removeAll(worker);
}

void SharedServer::acknowledge(WorkerPrivate *, qint64, int, Answer) { }

void SharedServer::hasRoom(WorkerPrivate *) { }

} // namespace LibCluster::Internal
