// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SharedSocketServer: every worker gets a duplicate of the one listening (or bound UDP) socket.
#include "ports/policies/sharedsocketserver.h"

namespace LibCluster::Internal {

bool SharedSocketServer::open(SocketError *error)
{
    m_fd = m_request.kind == QLatin1String("udp")
        ? SocketFactory::bindUdp(m_request, error)
        : SocketFactory::listen(m_request, false, error, &m_socketFile);
    if (m_fd < 0)
        return false;
    m_address = SocketFactory::localAddress(m_fd, m_request);
    return true;
}

bool SharedSocketServer::addWorker(
    WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *)
{
    m_workers.append(worker);
    *mode = ServerLink::Mode::Accept;
    *handle = Handle::fromDescriptor(m_fd);
    return true;
}

} // namespace LibCluster::Internal
