// A QTcpServer whose port is shared by every worker of a cluster: Node's net.Server in a worker.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QTcpServer>

namespace LibCluster {

class TcpServerPrivate;

// Use it where you used QTcpServer. In a worker, listen() asks the primary for the shared port
// and the cluster's scheduling policy decides which worker gets each connection; newConnection(),
// hasPendingConnections(), nextPendingConnection(), isListening(), serverAddress() and
// serverPort() behave as in Qt, and it can be given to QHttpServer::bind(). Outside a cluster
// it is a plain QTcpServer.
//
// listen(), close(), serverError() and errorString() hide QTcpServer's non-virtual functions of
// the same name: call them on a TcpServer, not through a QTcpServer pointer.
class LIBCLUSTER_EXPORT TcpServer : public QTcpServer
{
    Q_OBJECT

public:
    explicit TcpServer(QObject *parent = nullptr);
    ~TcpServer() override;

    // In a worker: every worker that listens on the same address and port shares one port;
    // port 0 picks a port once for all of them (a second listen(0) in one worker gets another).
    // Errors are those a QTcpServer would report (the primary binds the port).
    bool listen(const QHostAddress &address = QHostAddress::Any, quint16 port = 0);
    // Stops taking connections; the primary gives new ones to the other workers.
    void close();
    QAbstractSocket::SocketError serverError() const;
    QString errorString() const;

    // Connections this server accepted or was handed, and how many of them are still open.
    qint64 connectionsAccepted() const;
    int openConnections() const;

    // Node's server.maxConnections: at most `max` connections of this server open at once
    // (0 takes none); -1, the default, for no limit. Values outside -1..MaxConnectionsLimit are
    // refused with a warning. Under RoundRobin, LeastConnections and Sticky, a worker at its
    // limit refuses the connection and the primary gives it to another worker (it waits for
    // room when every worker is at its limit); under None and ReusePort, and outside a cluster,
    // connections beyond the limit are closed as soon as they are accepted (QTcpServer still
    // emits newConnection() for each, with no pending connection).
    static constexpr int MaxConnectionsLimit = 1 << 20;
    void setMaxConnections(int max);
    int maxConnections() const;
    // Node's server.dropMaxConnection: when true, a worker at its limit takes a connection the
    // primary hands it and closes it, instead of refusing it. Default false.
    void setDropMaxConnection(bool drop);
    bool dropMaxConnection() const;

    // As QTcpServer's. A subclass that overrides it must call this one: where the primary
    // accepts, this server's copy of the socket has to stay paused.
    QTcpSocket *nextPendingConnection() override;

Q_SIGNALS:
    // A connection was closed at once because the server is at maxConnections() (Node's 'drop').
    void connectionDropped(const QHostAddress &peerAddress, quint16 peerPort);

protected:
    // Creates the QTcpSocket for a connection; override as with QTcpServer. At maxConnections()
    // it closes the connection instead; an override that does not call it has no limit.
    void incomingConnection(qintptr handle) override;

private:
    friend class TcpServerPrivate;
    QScopedPointer<TcpServerPrivate> d_cluster;
};

} // namespace LibCluster
