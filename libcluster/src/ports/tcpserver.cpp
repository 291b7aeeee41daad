// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TcpServer: QTcpServer with the listening socket obtained from the primary.
#include <libcluster/tcpserver.h>

#include "ports/adoptableserver.h"
#include "ports/serverattachment.h"

#include <QTcpSocket>

namespace LibCluster {

using namespace Internal;

class TcpServerPrivate
{
public:
    explicit TcpServerPrivate(TcpServer *q)
        : attachment(new ServerAttachment(q, [q] { q->close(); }))
    { }

    // A child of the server, as its connections are: it outlives none of them.
    ServerAttachment *attachment;
};

TcpServer::TcpServer(QObject *parent)
    : QTcpServer(parent)
    , d_cluster(new TcpServerPrivate(this))
{ }

TcpServer::~TcpServer()
{
    d_cluster->attachment->close();
}

void *TcpServer::operator new(std::size_t size)
{
    return ::operator new(size);
}

void TcpServer::operator delete(void *pointer) noexcept
{
    deleteAdoptableServer(pointer, "TcpServer");
}

bool TcpServer::listen(const QHostAddress &address, quint16 port)
{
    d_cluster->attachment->clearError();
    if (!ServerLink::inWorker())
        return QTcpServer::listen(address, port);
    if (isListening()) {
        qWarning("QTcpServer::listen() called when already listening");
        return false;
    }
    return d_cluster->attachment->listen(address, port);
}

void TcpServer::close()
{
    d_cluster->attachment->close();
    QTcpServer::close();
}

QTcpSocket *TcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    d_cluster->attachment->connectionGiven(socket);
    return socket;
}

QAbstractSocket::SocketError TcpServer::serverError() const
{
    const ServerAttachment *attachment = d_cluster->attachment;
    return attachment->errorString().isEmpty() ? QTcpServer::serverError() : attachment->error();
}

QString TcpServer::errorString() const
{
    const QString own = d_cluster->attachment->errorString();
    return own.isEmpty() ? QTcpServer::errorString() : own;
}

qint64 TcpServer::connectionsAccepted() const
{
    return d_cluster->attachment->accepted();
}

int TcpServer::openConnections() const
{
    return d_cluster->attachment->openConnections();
}

bool TcpServer::isClosing() const
{
    return d_cluster->attachment->isClosing();
}

int TcpServer::closingIdleTimeout() const
{
    return d_cluster->attachment->closingIdleTimeout();
}

void TcpServer::setClosingIdleTimeout(int msecs)
{
    d_cluster->attachment->setClosingIdleTimeout(msecs, "TcpServer");
}

void TcpServer::setMaxConnections(int max)
{
    d_cluster->attachment->setMaxConnections(max, "TcpServer");
}

int TcpServer::maxConnections() const
{
    return d_cluster->attachment->maxConnections();
}

void TcpServer::setDropMaxConnection(bool drop)
{
    d_cluster->attachment->setDropAtLimit(drop);
}

bool TcpServer::dropMaxConnection() const
{
    return d_cluster->attachment->dropsAtLimit();
}

void TcpServer::incomingConnection(qintptr handle)
{
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    if (d_cluster->attachment->dropAtLimit(handle, &peerAddress, &peerPort)) {
        Q_EMIT connectionDropped(peerAddress, peerPort);
        return;
    }
    // Counted by the attachment, as any socket the server makes as its child.
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    addPendingConnection(socket);
}

} // namespace LibCluster
