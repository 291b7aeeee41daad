// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SslServer: QSslServer with the listening socket obtained from the primary.
#include <libcluster/sslserver.h>

#include "ports/adoptableserver.h"
#include "ports/serverattachment.h"
#include "util/logging.h"

namespace LibCluster {

using namespace Internal;

class SslServerPrivate
{
public:
    explicit SslServerPrivate(SslServer *q)
        : attachment(new ServerAttachment(q, [q] { q->close(); }))
    { }

    // A child of the server, as its connections are: it outlives none of them.
    ServerAttachment *attachment;
};

SslServer::SslServer(QObject *parent)
    : QSslServer(parent)
    , d_cluster(new SslServerPrivate(this))
{
    // For the operator (QT_LOGGING_RULES="libcluster.worker.debug=true"): the application hears
    // of it through errorOccurred() and the other signals of QSslServer.
    connect(this, &QSslServer::errorOccurred, this, [](QSslSocket *socket) {
        if (!socket->isEncrypted())
            qCDebug(lcWorker).nospace()
                << "TLS handshake with " << socket->peerAddress().toString() << ":"
                << socket->peerPort() << " failed: " << socket->errorString();
    });
}

SslServer::~SslServer()
{
    d_cluster->attachment->close();
}

void *SslServer::operator new(std::size_t size)
{
    return ::operator new(size);
}

void SslServer::operator delete(void *pointer) noexcept
{
    deleteAdoptableServer(pointer, "SslServer");
}

bool SslServer::listen(const QHostAddress &address, quint16 port)
{
    d_cluster->attachment->clearError();
    if (!ServerLink::inWorker())
        return QSslServer::listen(address, port);
    if (isListening()) {
        qWarning("QTcpServer::listen() called when already listening");
        return false;
    }
    return d_cluster->attachment->listen(address, port);
}

void SslServer::close()
{
    d_cluster->attachment->close();
    QSslServer::close();
}

QTcpSocket *SslServer::nextPendingConnection()
{
    QTcpSocket *socket = QSslServer::nextPendingConnection();
    d_cluster->attachment->connectionGiven(socket);
    return socket;
}

QAbstractSocket::SocketError SslServer::serverError() const
{
    const ServerAttachment *attachment = d_cluster->attachment;
    return attachment->errorString().isEmpty() ? QSslServer::serverError() : attachment->error();
}

QString SslServer::errorString() const
{
    const QString own = d_cluster->attachment->errorString();
    return own.isEmpty() ? QSslServer::errorString() : own;
}

qint64 SslServer::connectionsAccepted() const
{
    return d_cluster->attachment->accepted();
}

int SslServer::openConnections() const
{
    return d_cluster->attachment->openConnections();
}

bool SslServer::isClosing() const
{
    return d_cluster->attachment->isClosing();
}

int SslServer::closingIdleTimeout() const
{
    return d_cluster->attachment->closingIdleTimeout();
}

void SslServer::setClosingIdleTimeout(int msecs)
{
    d_cluster->attachment->setClosingIdleTimeout(msecs, "SslServer");
}

void SslServer::setMaxConnections(int max)
{
    d_cluster->attachment->setMaxConnections(max, "SslServer");
}

int SslServer::maxConnections() const
{
    return d_cluster->attachment->maxConnections();
}

void SslServer::setDropMaxConnection(bool drop)
{
    d_cluster->attachment->setDropAtLimit(drop);
}

bool SslServer::dropMaxConnection() const
{
    return d_cluster->attachment->dropsAtLimit();
}

void SslServer::incomingConnection(qintptr handle)
{
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    if (d_cluster->attachment->dropAtLimit(handle, &peerAddress, &peerPort)) {
        Q_EMIT connectionDropped(peerAddress, peerPort);
        return;
    }
    // The QSslSocket is the server's child: the attachment counts it from here, handshake and all.
    QSslServer::incomingConnection(handle);
}

} // namespace LibCluster
