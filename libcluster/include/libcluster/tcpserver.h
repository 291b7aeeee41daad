// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A QTcpServer whose port is shared by every worker of a cluster: Node's net.Server in a
//! worker.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QTcpServer>

#include <cstddef>

namespace LibCluster {

class TcpServerPrivate;

//! \brief A QTcpServer whose port every worker of a cluster shares: Node's net.Server in a worker.
//!
//! Use it where you used QTcpServer. In a worker, listen() asks the primary for the shared port and
//! the cluster's scheduling policy decides which worker gets each connection; newConnection(),
//! hasPendingConnections(), nextPendingConnection(), isListening(), serverAddress() and
//! serverPort() behave as in Qt, and it can be given to QHttpServer::bind(). Outside a cluster it
//! is a plain QTcpServer.
//!
//! When its worker disconnects (a rolling restart, a scale-down), the server closes and isClosing()
//! turns true: answer the next request on every connection as its last one and close the connection
//! then (HTTP: `Connection: close`); the server itself closes the connections that stay quiet for
//! closingIdleTimeout(). With QHttpServer, which does not close a connection after `Connection:
//! close` itself, add the header while closing and leave the rest to the server and the client:
//!
//! \code
//! http->afterRequest([server](QHttpServerResponse &&response) {
//!     if (server->isClosing())
//!         response.addHeader("Connection", "close");
//!     return std::move(response);
//! });
//! \endcode
//!
//! listen(), close(), serverError() and errorString() hide QTcpServer's non-virtual functions of
//! the same name: call them on a TcpServer, not through a QTcpServer pointer.
//!
//! Ownership with QHttpServer: bind() makes the server a child of the QHttpServer, which deletes
//! it. A worker's event loop ends on every graceful disconnect, so main() returns and destroys its
//! local variables, last declared first. Create the server with new, the QHttpServer its parent:
//!
//! \code
//! QHttpServer http;
//! auto *server = new LibCluster::TcpServer(&http);
//! if (!server->listen(QHostAddress::Any, 8000))
//!     qFatal("%s", qPrintable(server->errorString()));
//! http.bind(server);
//! \endcode
//!
//! or, as a local variable, declare it after the QHttpServer, so that it is destroyed first and
//! leaves its parent then. Declared before it, the QHttpServer deletes a variable that is then
//! destroyed again: deleting a TcpServer that is a local variable stops the program with a message
//! saying so (qFatal), instead of corrupting the heap.
class LIBCLUSTER_EXPORT TcpServer : public QTcpServer
{
    Q_OBJECT

public:
    //! \brief A server that does not listen yet (see the class description for ownership).
    explicit TcpServer(QObject *parent = nullptr);
    //! \brief Closes the server (see close()).
    ~TcpServer() override;

    //! \brief Listens on `address` and `port`, as QTcpServer::listen(); in a worker, on the port
    //! shared by the cluster.
    //!
    //! In a worker: every worker that listens on the same address and port shares one port; port 0
    //! picks a port once for all of them (a second listen(0) in one worker gets another). Errors
    //! are those a QTcpServer would report (the primary binds the port).
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    //! \brief Stops taking connections; the primary gives new ones to the other workers.
    void close();
    //! \brief As QTcpServer's, also for an error the primary met binding the shared port.
    //!@{
    QAbstractSocket::SocketError serverError() const;
    QString errorString() const;
    //!@}

    //! \brief Connections this server accepted or was handed, and how many of them are still open.
    //!@{
    qint64 connectionsAccepted() const;
    int openConnections() const;
    //!@}

    //! \brief True once the worker has begun to disconnect (Worker::disconnectStarted()): the
    //! server no longer listens, and its connections should end so the disconnect can finish.
    //!
    //! Never true outside a cluster.
    bool isClosing() const;
    //! \brief How long, once the server is closing, a connection it gave out may stay quiet
    //! (nothing received, nothing left to send, nothing unread) before the server closes it.
    //!
    //! Closing an idle connection at once would reset a request the client is sending at that
    //! instant; the wait lets it arrive, to be answered as the last one. A request still in the
    //! works when the disconnect began, that writes nothing for this long, is cut: raise the
    //! timeout for slow handlers. Default 1000 ms, from 0 to 10000 (the worker's drain limit).
    //!@{
    int closingIdleTimeout() const;
    void setClosingIdleTimeout(int msecs);
    //!@}

    //! \brief Node's server.maxConnections: at most `max` connections of this server open at once
    //! (0 takes none); -1, the default, for no limit.
    //!
    //! Values outside -1..MaxConnectionsLimit are refused with a warning. Under RoundRobin,
    //! LeastConnections and Sticky, a worker at its limit refuses the connection and the primary
    //! gives it to another worker (it waits for room when every worker is at its limit); under None
    //! and ReusePort, and outside a cluster, connections beyond the limit are closed as soon as
    //! they are accepted (QTcpServer still emits newConnection() for each, with no pending
    //! connection).
    //!@{
    static constexpr int MaxConnectionsLimit = 1 << 20;
    void setMaxConnections(int max);
    int maxConnections() const;
    //!@}
    //! \brief Node's server.dropMaxConnection: when true, a worker at its limit takes a connection
    //! the primary hands it and closes it, instead of refusing it.
    //!
    //! Default false.
    //!@{
    void setDropMaxConnection(bool drop);
    bool dropMaxConnection() const;
    //!@}

    //! \brief As QTcpServer's.
    //!
    //! A subclass that overrides it must call this one: where the primary accepts, this server's
    //! copy of the socket has to stay paused.
    QTcpSocket *nextPendingConnection() override;

    //! \brief Only a TcpServer made with new may be deleted (by delete, deleteLater() or its
    //! parent); deleting one that is a local variable of this thread stops the program with
    //! qFatal().
    //!
    //! The global operator new, and placement new, behave as for any class.
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
    //! \brief Creates the QTcpSocket for a connection; override as with QTcpServer.
    //!
    //! At maxConnections() it closes the connection instead; an override that does not call it has
    //! no limit. The connection counts (here, in the primary, for LeastConnections and the drain)
    //! hold whatever an override does: a socket is counted when it is made as a child of the
    //! server, or else when nextPendingConnection() gives it out. For TLS, use SslServer.
    void incomingConnection(qintptr handle) override;

private:
    friend class TcpServerPrivate;
    QScopedPointer<TcpServerPrivate> d_cluster;
};

} // namespace LibCluster
