// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// KeepAliveLoad: continuous KeepAliveClients, each replaced when its connection ends.
#include "keepaliveload.h"

#include "keepaliveclient.h"

namespace SupervisorTest {

KeepAliveLoad::KeepAliveLoad(quint16 port, int connections, QObject *parent)
    : Load(parent)
    , m_port(port)
    , m_connections(connections)
{ }

void KeepAliveLoad::start()
{
    m_running = true;
    m_finished = false;
    while (m_clients.size() < m_connections)
        openConnection();
}

void KeepAliveLoad::stop()
{
    m_running = false;
    for (KeepAliveClient *client : std::as_const(m_clients))
        client->setContinuous(false);
    checkFinished();
}

void KeepAliveLoad::openConnection()
{
    auto *client = new KeepAliveClient(m_port, this);
    m_clients.append(client);
    connect(client, &KeepAliveClient::requestSent, this, [this] { ++m_started; });
    connect(client, &KeepAliveClient::answered, this, [this, client] {
        ++m_succeeded;
        m_answeredBy.append(client->lastWorkerId());
        checkFinished();
    });
    connect(client, &KeepAliveClient::ended, this, [this, client] {
        if (!client->failure().isEmpty())
            m_failures.append(client->failure());
        m_clients.removeOne(client);
        client->deleteLater();
        // A new connection for each that ended; queued, so that endings never nest.
        if (m_running)
            QMetaObject::invokeMethod(
                this,
                [this] {
                    if (m_running && m_clients.size() < m_connections)
                        openConnection();
                },
                Qt::QueuedConnection);
        checkFinished();
    });
    // As wrk and browsers do: an answer with `Connection: close` ends the connection.
    client->setCloseWhenAsked(true);
    client->open();
    client->setContinuous(true);
}

void KeepAliveLoad::checkFinished()
{
    if (m_running || m_finished)
        return;
    for (KeepAliveClient *client : std::as_const(m_clients))
        if (client->isWaiting())
            return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace SupervisorTest
