// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A QLocalServer (Unix socket path) shared by every worker of a cluster.
#pragma once

#include <libcluster/libcluster_export.h>
#include <libcluster/tcpserver.h>

#include <QLocalServer>

namespace LibCluster {

class LocalServerPrivate;

//! \brief A QLocalServer on a Unix socket path that every worker of a cluster shares.
//!
//! In a worker, listen() asks the primary for the shared socket; connections are then spread by
//! the cluster's scheduling policy (ReusePort, which needs TCP, shares the socket like None). The
//! primary creates the socket file with the access setSocketOptions() asks for (set it before
//! listen(); the first worker's options hold for the socket all of them share; unlike
//! QLocalServer's, an existing file is never replaced), and removes it once the last worker has
//! closed its server or left, and when the Cluster is deleted. Outside a cluster it is a plain
//! QLocalServer (with the limit of setMaxConnections()). listen(), close(), isListening(),
//! serverName(), fullServerName(), serverError() and errorString() hide QLocalServer's
//! non-virtual functions: call them on a LocalServer.
class LIBCLUSTER_EXPORT LocalServer : public QLocalServer
{
    Q_OBJECT

public:
    //! \brief A server that does not listen yet.
    explicit LocalServer(QObject *parent = nullptr);
    //! \brief Closes the server (see close()).
    ~LocalServer() override;

    //! \brief Listens on `name` (a socket path, or a name in Qt's socket directory), shared with
    //! every worker that listens on the same name; as QLocalServer::listen() outside a cluster.
    bool listen(const QString &name);
    //! \brief Stops listening; the primary gives new connections to the other workers, and
    //! removes the socket file once no worker listens on it.
    void close();
    //! \brief As QLocalServer's, for the shared socket.
    //!@{
    bool isListening() const;
    QString serverName() const;
    QString fullServerName() const;
    QAbstractSocket::SocketError serverError() const;
    QString errorString() const;
    //!@}

    //! \brief As QLocalServer's, for connections the primary handed this worker too.
    //!@{
    bool hasPendingConnections() const override;
    QLocalSocket *nextPendingConnection() override;
    //!@}

    //! \brief Node's server.maxConnections, as TcpServer's: at most `max` connections of this
    //! server open at once (0 takes none); -1, the default, for no limit.
    //!
    //! Values outside -1..MaxConnectionsLimit are refused with a warning. Under RoundRobin,
    //! LeastConnections and Sticky, a worker at its limit refuses the connection and the primary
    //! gives it to another worker (it waits for room when every worker is at its limit); under
    //! None and ReusePort, and outside a cluster, connections beyond the limit are closed as soon
    //! as they are accepted (connectionDropped(), no newConnection()).
    //!@{
    static constexpr int MaxConnectionsLimit = TcpServer::MaxConnectionsLimit;
    void setMaxConnections(int max);
    int maxConnections() const;
    //!@}
    //! \brief Node's server.dropMaxConnection: when true, a worker at its limit takes a
    //! connection the primary hands it and closes it, instead of refusing it. Default false.
    //!@{
    void setDropMaxConnection(bool drop);
    bool dropMaxConnection() const;
    //!@}
    //! \brief The connections this server made that are open now.
    int openConnections() const;

Q_SIGNALS:
    //! \brief A connection was closed at once because the server is at maxConnections() (Node's
    //! 'drop').
    void connectionDropped();

protected:
    //! \brief Makes the QLocalSocket for a connection, as QLocalServer's; override as with
    //! QLocalServer.
    //!
    //! At maxConnections() it closes the connection instead; an override that does not call it
    //! has no limit.
    void incomingConnection(quintptr socketDescriptor) override;

private:
    friend class LocalServerPrivate;
    QScopedPointer<LocalServerPrivate> d_cluster;
};

} // namespace LibCluster
