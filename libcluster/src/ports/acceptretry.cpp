// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// AcceptRetry: resume accepting after a shortage of descriptors.
#include "ports/acceptretry.h"

#include "util/logging.h"

#include <QTcpServer>
#include <QTimer>

namespace LibCluster::Internal {

AcceptRetry::AcceptRetry(QTcpServer *server, std::function<bool()> mayAccept)
    : QObject(server)
    , m_server(server)
    , m_mayAccept(std::move(mayAccept))
{
    connect(server, &QTcpServer::acceptError, this, &AcceptRetry::onAcceptError);
    connect(server, &QTcpServer::newConnection, this, [this] { m_retrying = false; });
}

void AcceptRetry::onAcceptError(QAbstractSocket::SocketError error)
{
    if (error != QAbstractSocket::SocketResourceError || !m_mayAccept())
        return;
    if (!m_retrying)
        qCWarning(lcWorker).nospace()
            << "cannot accept connections: " << m_server->errorString() << "; retrying every "
            << RetryInterval
            << " ms (raise RLIMIT_NOFILE: LimitNOFILE= in a systemd unit, ulimit -n in a shell)";
    m_retrying = true;
    QTimer::singleShot(RetryInterval, this, [this] {
        if (m_server->isListening() && m_mayAccept())
            m_server->resumeAccepting();
    });
}

} // namespace LibCluster::Internal
