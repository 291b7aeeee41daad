// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ServerAttachment: the cluster's listen for a QTcpServer, and the count of its connections taken
// from the sockets the server makes as its children, whatever its incomingConnection() does.
#include "ports/serverattachment.h"

#include "ports/acceptretry.h"
#include "runtime/worker_p.h"
#include "runtime/workerruntime.h"
#include "util/logging.h"

#include <libcluster/tcpserver.h>
#include <libcluster/worker.h>

#include <QChildEvent>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace LibCluster::Internal {

namespace {
constexpr int DefaultClosingIdleTimeout = 1000;

// QTcpServer::incomingConnection() is protected; naming it through a subclass gives a pointer to
// the base's virtual function, so the call still reaches the server's own override.
struct IncomingConnection : QTcpServer
{
    using QTcpServer::incomingConnection;
};
} // namespace

ServerAttachment *ServerAttachment::of(QTcpServer *server)
{
    if (auto *existing
        = server->findChild<ServerAttachment *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new ServerAttachment(
        server, [server] { server->close(); }, false);
}

ServerAttachment::ServerAttachment(QTcpServer *server, std::function<void()> closeServer)
    : ServerAttachment(server, std::move(closeServer), true)
{ }

ServerAttachment::ServerAttachment(
    QTcpServer *server, std::function<void()> closeServer, bool ownServer)
    : QObject(server)
    , m_server(server)
    , m_closeServer(std::move(closeServer))
    , m_ownServer(ownServer)
    , m_link(
          ServerLink::Kind::Tcp, [server] { return server->isListening(); },
          [this](qintptr fd) { take(fd); },
          [this] {
              if (m_ownServer)
                  startClosing();
              else
                  m_closeServer();
          })
    , m_closingIdleTimeout(DefaultClosingIdleTimeout)
{
    new AcceptRetry(server, [this] { return !m_handed; });
    server->installEventFilter(this);
    // After the server's incomingConnection(), before the application's slots where the server
    // is libcluster's own (this is made in its constructor).
    connect(server, &QTcpServer::newConnection, this, &ServerAttachment::countNewSockets);
    // The worker closes the servers it knows of before it says so; this one may have been
    // closed by the application already, and its connections must end all the same.
    if (Worker *worker = WorkerRuntime::self(); worker && m_ownServer)
        connect(worker, &Worker::disconnectStarted, this, [this] { startClosing(); });
}

bool ServerAttachment::listen(const QHostAddress &address, quint16 port)
{
    m_errorString.clear();
    if (m_server->isListening()) {
        m_error = QAbstractSocket::OperationError;
        m_errorString = QStringLiteral("the server is already listening");
        return false;
    }
    m_link.close(); // a listen before a QTcpServer::close() the primary has not heard of
    // The dual-stack "any" address travels as an empty string; every other one as text.
    const QString text = address == QHostAddress::Any ? QString() : address.toString();
    ServerLink::Result result = m_link.open(text, port, QString());
    if (!result.ok) {
        m_error = result.error;
        m_errorString = result.errorString;
        return false;
    }
    if (!m_server->setSocketDescriptor(result.handle.takeDescriptor())) {
        m_error = m_server->serverError();
        m_errorString = m_server->errorString();
        m_link.close();
        return false;
    }
    m_handed = result.mode == ServerLink::Mode::Handed;
    if (m_handed) {
        // The primary accepts; this copy of the socket is only for what QTcpServer reports.
        m_server->pauseAccepting();
        // QTcpServer turns accepting back on in nextPendingConnection(). libcluster's servers
        // pause again there; another one has no room for a pending connection instead, so that
        // it never accepts one and the primary's policy holds.
        if (!m_ownServer)
            m_server->setMaxPendingConnections(0);
    }
    // The dual-stack socket behind QHostAddress::Any is "::", as Node reports it.
    const QHostAddress bound = address == QHostAddress::Any ? QHostAddress(QHostAddress::AnyIPv6)
                                                            : m_server->serverAddress();
    m_link.announceListening(Address(bound.toString(), m_server->serverPort(),
        bound.protocol() == QAbstractSocket::IPv4Protocol ? Address::IPv4 : Address::IPv6));
    m_served = true;
    return true;
}

void ServerAttachment::close()
{
    m_link.close();
    m_handed = false;
    m_served = false;
}

void ServerAttachment::connectionGiven(QTcpSocket *socket)
{
    if (m_handed)
        m_server->pauseAccepting();
    if (!socket)
        return;
    // Made without the server as its parent: counted from now on.
    count(socket);
    // A connection served in another thread cannot be watched from this one.
    if (!WorkerRuntime::self() || socket->thread() != thread() || m_given.contains(socket))
        return;
    m_given.insert(socket);
    connect(socket, &QObject::destroyed, this, [this, socket] {
        m_given.remove(socket);
        m_lastActive.remove(socket);
    });
    if (m_closing)
        watch(socket);
}

bool ServerAttachment::dropAtLimit(qintptr descriptor, QHostAddress *peerAddress, quint16 *peerPort)
{
    if (!m_link.isAtLimit())
        return false;
    // As Node does: accepted (by this server or the primary), then closed at once.
    QTcpSocket peer;
    peer.setSocketDescriptor(descriptor);
    *peerAddress = peer.peerAddress();
    *peerPort = peer.peerPort();
    peer.abort();
    m_link.dropped();
    return true;
}

void ServerAttachment::setMaxConnections(int max, const char *owner)
{
    m_link.setMaxConnections(max, owner);
}

void ServerAttachment::setClosingIdleTimeout(int msecs, const char *owner)
{
    const int bounded = qBound(0, msecs, WorkerPrivate::MaxClosingIdleTimeout);
    if (bounded != msecs)
        qWarning("%s::setClosingIdleTimeout: %d ms is outside 0 to %d ms; using %d ms", owner,
            msecs, WorkerPrivate::MaxClosingIdleTimeout, bounded);
    m_closingIdleTimeout = bounded;
    // A shorter wait applies to the connections already waiting.
    if (m_quietTimer)
        closeQuietConnections();
}

bool ServerAttachment::eventFilter(QObject *watched, QEvent *event)
{
    // Sent while the child is still being constructed: what it is can only be seen later. Only
    // while listening, so that the list stays as short as the connections made in between.
    if (watched == m_server && event->type() == QEvent::ChildAdded && m_server->isListening())
        m_newChildren.append(static_cast<QChildEvent *>(event)->child());
    // A plain QTcpServer's close() is not virtual and tells nobody, but it deletes its socket
    // engine, a child, after closing the socket: the primary hears of it then, as from
    // TcpServer::close(). Under ReusePort it holds a copy of this socket, which the kernel keeps
    // sending connections to until the primary knows to pass them on.
    if (watched == m_server && event->type() == QEvent::ChildRemoved && !m_ownServer && m_served
        && !m_server->isListening())
        close();
    return false;
}

void ServerAttachment::take(qintptr fd)
{
    QPointer<QTcpServer> guard(m_server);
    const bool dropping = m_link.isAtLimit() && m_ownServer;
    (m_server->*(&IncomingConnection::incomingConnection))(fd);
    if (!guard)
        return;
    countNewSockets();
    if (!dropping)
        Q_EMIT m_server->newConnection();
}

void ServerAttachment::countNewSockets()
{
    const auto children = std::exchange(m_newChildren, {});
    for (const QPointer<QObject> &child : children)
        if (auto *socket = qobject_cast<QAbstractSocket *>(child.data()))
            count(socket);
}

void ServerAttachment::count(QAbstractSocket *socket)
{
    if (m_counted.contains(socket))
        return;
    m_counted.insert(socket);
    connect(socket, &QObject::destroyed, this, [this, socket] { m_counted.remove(socket); });
    m_link.track(socket);
}

void ServerAttachment::startClosing()
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeServer();
    qCDebug(lcWorker) << "server closing;" << m_given.size() << "connections to end";
    m_clock.start();
    m_quietTimer = new QTimer(this);
    m_quietTimer->setSingleShot(true);
    connect(m_quietTimer, &QTimer::timeout, this, [this] { closeQuietConnections(); });
    for (QTcpSocket *socket : std::as_const(m_given))
        watch(socket);
    closeQuietConnections();
}

void ServerAttachment::watch(QTcpSocket *socket)
{
    if (m_lastActive.contains(socket) || socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_lastActive.insert(socket, m_clock.elapsed());
    const auto active = [this, socket] {
        if (const auto it = m_lastActive.find(socket); it != m_lastActive.end())
            *it = m_clock.elapsed();
    };
    connect(socket, &QIODevice::readyRead, this, active);
    connect(socket, &QIODevice::bytesWritten, this, active);
}

void ServerAttachment::closeQuietConnections()
{
    const qint64 now = m_clock.elapsed();
    qint64 nextDue = -1;
    QList<QPointer<QTcpSocket>> quiet;
    for (auto it = m_lastActive.begin(); it != m_lastActive.end();) {
        QTcpSocket *socket = it.key();
        // Closing already (the application's doing): it ends without our help.
        if (socket->state() != QAbstractSocket::ConnectedState) {
            it = m_lastActive.erase(it);
            continue;
        }
        if (socket->bytesToWrite() > 0 || socket->bytesAvailable() > 0)
            *it = now;
        const qint64 due = *it + m_closingIdleTimeout;
        if (due <= now) {
            quiet.append(socket);
            it = m_lastActive.erase(it);
            continue;
        }
        nextDue = nextDue < 0 ? due : qMin(nextDue, due);
        ++it;
    }
    if (nextDue >= 0)
        m_quietTimer->start(int(nextDue - now));
    if (!quiet.isEmpty())
        qCDebug(lcWorker) << "closing" << quiet.size() << "connections idle for"
                          << m_closingIdleTimeout << "ms";
    // After the loop: a handler of disconnected() may delete the socket, or others.
    for (const QPointer<QTcpSocket> &socket : std::as_const(quiet))
        if (socket)
            socket->disconnectFromHost();
}

} // namespace LibCluster::Internal
