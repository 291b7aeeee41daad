// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// LocalServer: in a worker, connections come from the shared socket (accepted here or handed over
// by the primary) and queue here. QLocalServer is never given the shared socket: it would unlink
// the path on close() or on a lost accept race (EAGAIN), taking it away from every other worker.
// Outside a cluster QLocalServer listens, accepts and queues, as it always does (its pause at
// maxPendingConnections() included); the sockets it makes are counted against maxConnections()
// as they are made.
#include <libcluster/localserver.h>

#include "ports/acceptor.h"
#include "ports/serverlink.h"

#include <QChildEvent>
#include <QDir>
#include <QLocalSocket>
#include <QPointer>
#include <QQueue>

#include <unistd.h>

namespace LibCluster {

using namespace Internal;

class LocalServerPrivate : public QObject
{
public:
    explicit LocalServerPrivate(LocalServer *q)
        : link(
            ServerLink::Kind::Local, [this] { return listening; },
            [q](qintptr fd) { q->incomingConnection(quintptr(fd)); }, [q] { q->close(); })
        , q(q)
    {
        q->installEventFilter(this);
        // Connected first, so it runs before any slot of the application's: the socket
        // QLocalServer just queued is counted before anyone takes it.
        QObject::connect(q, &QLocalServer::newConnection, this, [this] { countMade(); });
    }

    // Outside a cluster: QLocalServer::incomingConnection() makes the socket as the server's
    // child; it is noted as it is made, counted once it is whole.
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == q && expectingSocket && event->type() == QEvent::ChildAdded)
            made = static_cast<QChildEvent *>(event)->child();
        return false;
    }

    void countMade()
    {
        if (QObject *socket = made.data()) {
            made.clear();
            link.track(static_cast<QLocalSocket *>(socket));
        }
    }

    void stop()
    {
        delete acceptor;
        acceptor = nullptr;
        shared = Handle();
        listening = false;
    }

    ServerLink link;
    LocalServer *q;
    bool listening = false;
    QString name;
    QString path;
    Handle shared; // the shared socket, where this worker accepts itself
    Acceptor *acceptor = nullptr;
    QQueue<QPointer<QLocalSocket>> pending;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
    bool expectingSocket = false;
    QPointer<QObject> made;
};

LocalServer::LocalServer(QObject *parent)
    : QLocalServer(parent)
    , d_cluster(new LocalServerPrivate(this))
{ }

LocalServer::~LocalServer()
{
    d_cluster->link.close();
    d_cluster->stop();
}

bool LocalServer::listen(const QString &name)
{
    d_cluster->errorString.clear();
    if (!ServerLink::inWorker())
        return QLocalServer::listen(name);
    if (isListening())
        return false;
    // As QLocalServer does: a bare name lives in the temporary directory (an abstract one is
    // the name itself). Resolved here, in the worker, because the primary binds it and may have
    // another working directory. The socket options (who may connect) travel with the request:
    // the primary creates the socket.
    const QLocalServer::SocketOptions options = socketOptions();
    const QString path = name.startsWith(QLatin1Char('/'))
            || options.testFlag(QLocalServer::AbstractNamespaceOption)
        ? name
        : QDir::tempPath() + QLatin1Char('/') + name;
    ServerLink::Result result = d_cluster->link.open(QString(), 0, path, int(options.toInt()));
    if (!result.ok) {
        d_cluster->error = result.error;
        d_cluster->errorString = result.errorString;
        return false;
    }
    d_cluster->name = name;
    d_cluster->path = path;
    d_cluster->listening = true;
    if (result.mode == ServerLink::Mode::Accept) {
        d_cluster->shared = result.handle;
        d_cluster->acceptor = new Acceptor(int(d_cluster->shared.descriptor()),
            [this](int fd) { incomingConnection(quintptr(fd)); });
    }
    d_cluster->link.announceListening(Address(path, 0, Address::Local));
    return true;
}

void LocalServer::close()
{
    d_cluster->link.close();
    d_cluster->stop();
    if (QLocalServer::isListening())
        QLocalServer::close();
}

bool LocalServer::isListening() const
{
    return d_cluster->listening || QLocalServer::isListening();
}

QString LocalServer::serverName() const
{
    return d_cluster->listening ? d_cluster->name : QLocalServer::serverName();
}

QString LocalServer::fullServerName() const
{
    return d_cluster->listening ? d_cluster->path : QLocalServer::fullServerName();
}

QAbstractSocket::SocketError LocalServer::serverError() const
{
    return d_cluster->errorString.isEmpty() ? QLocalServer::serverError() : d_cluster->error;
}

QString LocalServer::errorString() const
{
    return d_cluster->errorString.isEmpty() ? QLocalServer::errorString() : d_cluster->errorString;
}

bool LocalServer::hasPendingConnections() const
{
    for (const auto &socket : std::as_const(d_cluster->pending))
        if (socket)
            return true;
    // Outside a cluster QLocalServer queues them (and so may a subclass's incomingConnection()).
    return QLocalServer::hasPendingConnections();
}

QLocalSocket *LocalServer::nextPendingConnection()
{
    while (!d_cluster->pending.isEmpty()) {
        if (QLocalSocket *socket = d_cluster->pending.dequeue())
            return socket;
    }
    return QLocalServer::nextPendingConnection();
}

void LocalServer::setMaxConnections(int max)
{
    d_cluster->link.setMaxConnections(max, "LocalServer");
}

int LocalServer::maxConnections() const
{
    return d_cluster->link.maxConnections();
}

void LocalServer::setDropMaxConnection(bool drop)
{
    d_cluster->link.setDropAtLimit(drop);
}

bool LocalServer::dropMaxConnection() const
{
    return d_cluster->link.dropsAtLimit();
}

int LocalServer::openConnections() const
{
    return d_cluster->link.openConnections();
}

void LocalServer::incomingConnection(quintptr socketDescriptor)
{
    if (d_cluster->link.isAtLimit()) {
        // As Node does: accepted (by this server or the primary), then closed at once.
        ::close(int(socketDescriptor));
        d_cluster->link.dropped();
        Q_EMIT connectionDropped();
        return;
    }
    if (!d_cluster->listening) {
        d_cluster->expectingSocket = true;
        QLocalServer::incomingConnection(socketDescriptor);
        d_cluster->expectingSocket = false;
        d_cluster->countMade(); // in case newConnection() was blocked
        return;
    }
    auto *socket = new QLocalSocket(this);
    socket->setSocketDescriptor(qintptr(socketDescriptor));
    d_cluster->link.track(socket);
    d_cluster->pending.enqueue(socket);
    Q_EMIT newConnection();
}

} // namespace LibCluster
