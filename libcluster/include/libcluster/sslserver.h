// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A QSslServer whose port is shared by every worker of a cluster: Node's tls.Server in a
//! worker.
#pragma once

#include <libcluster/libcluster_export.h>
#include <libcluster/tcpserver.h>

#include <QSslServer>

namespace LibCluster {

class SslServerPrivate;

//! \brief A QSslServer whose port every worker of a cluster shares: Node's tls.Server in a worker.
//!
//! Use it where you used QSslServer: set its sslConfiguration() (certificate and private key), then
//! listen(). In a worker, listen() asks the primary for the shared port and the cluster's
//! scheduling policy decides which worker gets each connection, as for a TcpServer; the TLS
//! handshake runs in the worker that got it. A connection becomes pending (the
//! pendingConnectionAvailable() signal, nextPendingConnection()) once its handshake succeeds; one
//! that fails emits errorOccurred(), sslErrors() or handshakeInterruptedOnError() and is deleted,
//! as with QSslServer. Give it to QHttpServer::bind() to serve HTTPS from every worker; bind()
//! makes the QHttpServer its parent, so create it with new (new LibCluster::SslServer(&http)), or
//! declare a local one after the QHttpServer, as for a TcpServer (see tcpserver.h): deleting an
//! SslServer that is a local variable stops the program with a message saying so (qFatal), instead
//! of corrupting the heap. Outside a cluster it is a plain QSslServer.
//!
//! Connections count from the moment they are accepted, handshake included: the primary's
//! per-worker counts, LeastConnections and the worker's drain see them. When the worker
//! disconnects, the server closes and isClosing() turns true, exactly as for a TcpServer (see
//! tcpserver.h, with QHttpServer's afterRequest() hook); a handshake still running then ends within
//! handshakeTimeout().
//!
//! listen(), close(), serverError() and errorString() hide QTcpServer's non-virtual functions of
//! the same name: call them on an SslServer, not through a QTcpServer or QSslServer pointer.
class LIBCLUSTER_EXPORT SslServer : public QSslServer
{
    Q_OBJECT

public:
    //! \brief A server that does not listen yet (see the class description for ownership).
    explicit SslServer(QObject *parent = nullptr);
    //! \brief Closes the server (see close()).
    ~SslServer() override;

    //! \brief As TcpServer::listen(): every worker that listens on the same address and port shares
    //! it.
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    //! \brief As TcpServer::close(): stops taking connections; the primary gives new ones to the
    //! other workers.
    void close();
    //! \brief As QTcpServer's, also for an error the primary met binding the shared port.
    //!@{
    QAbstractSocket::SocketError serverError() const;
    QString errorString() const;
    //!@}

    //! \brief Connections this server accepted or was handed (a failed handshake too), and how many
    //! of them are still open.
    //!@{
    qint64 connectionsAccepted() const;
    int openConnections() const;
    //!@}

    //! \brief As TcpServer's: true once the worker has begun to disconnect; connections given out
    //! by nextPendingConnection() that stay quiet for closingIdleTimeout() are closed then.
    //!@{
    bool isClosing() const;
    int closingIdleTimeout() const;
    void setClosingIdleTimeout(int msecs);
    //!@}

    //! \brief As TcpServer's (Node's server.maxConnections and server.dropMaxConnection).
    //!@{
    static constexpr int MaxConnectionsLimit = TcpServer::MaxConnectionsLimit;
    void setMaxConnections(int max);
    int maxConnections() const;
    void setDropMaxConnection(bool drop);
    bool dropMaxConnection() const;
    //!@}

    //! \brief As QSslServer's: a QSslSocket whose handshake is done.
    //!
    //! A subclass that overrides it must call this one.
    QTcpSocket *nextPendingConnection() override;

    //! \brief As TcpServer's: only an SslServer made with new may be deleted (by delete,
    //! deleteLater() or its parent, such as the QHttpServer it is bound to); deleting one that is a
    //! local variable of this thread stops the program with qFatal().
    //!@{
    static void *operator new(std::size_t size);
    static void *operator new(std::size_t, void *where) noexcept { return where; }
    static void operator delete(void *pointer) noexcept;
    //!@}

Q_SIGNALS:
    //! \brief A connection was closed at once because the server is at maxConnections() (Node's
    //! 'drop').
    void connectionDropped(const QHostAddress &peerAddress, quint16 peerPort);

protected:
    //! \brief Makes the QSslSocket and starts its handshake, as QSslServer's.
    //!
    //! At maxConnections() it closes the connection instead; an override that does not call it has
    //! no limit.
    void incomingConnection(qintptr handle) override;

private:
    friend class SslServerPrivate;
    QScopedPointer<SslServerPrivate> d_cluster;
};

} // namespace LibCluster
