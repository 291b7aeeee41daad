// TcpServer: QTcpServer with the listening socket obtained from the primary.
#include <libcluster/tcpserver.h>

#include "acceptretry.h"
#include "logging.h"
#include "serverlink.h"
#include "worker_p.h"
#include "workerruntime.h"

#include <libcluster/worker.h>

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

#include <pthread.h>

namespace LibCluster {

using namespace Internal;

namespace {
constexpr int DefaultClosingIdleTimeout = 1000;

// Whether `pointer` lies in this thread's stack: a local variable, never made by new.
bool isOnThisThreadsStack(const void *pointer)
{
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0)
        return false;
    void *lowest = nullptr;
    size_t size = 0;
    const bool known = pthread_attr_getstack(&attributes, &lowest, &size) == 0;
    pthread_attr_destroy(&attributes);
    const auto address = reinterpret_cast<quintptr>(pointer);
    const auto begin = reinterpret_cast<quintptr>(lowest);
    return known && address >= begin && address - begin < size;
}
} // namespace

class TcpServerPrivate
{
public:
    explicit TcpServerPrivate(TcpServer *q)
        : link(
            ServerLink::Kind::Tcp, [q] { return q->isListening(); },
            [this](qintptr fd) { take(fd); }, [this] { startClosing(); })
        , q(q)
    {
        // The worker closes the servers it knows of before it says so; this one may have been
        // closed by the application already, and its connections must end all the same.
        if (Worker *worker = WorkerRuntime::self())
            QObject::connect(worker, &Worker::disconnectStarted, q, [this] { startClosing(); });
    }

    // A connection the primary accepted for us: what QTcpServer does for one it accepts itself.
    void take(qintptr fd)
    {
        QPointer<TcpServer> guard(q);
        const bool dropping = link.isAtLimit();
        q->incomingConnection(fd);
        if (guard && !dropping)
            emit q->newConnection();
    }


    void track(QTcpSocket *socket);
    void startClosing();
    void watch(QTcpSocket *socket);
    void closeQuietConnections();

    ServerLink link;
    TcpServer *q;
    bool handed = false; // the primary accepts; our copy of the socket must never accept
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;

    // In a worker: the connections nextPendingConnection() gave out and that still exist, so
    // that a disconnect can end them.
    QSet<QTcpSocket *> given;
    bool closing = false;
    int closingIdleTimeout = DefaultClosingIdleTimeout;
    // While closing: when each open connection last received or sent something.
    QHash<QTcpSocket *, qint64> lastActive;
    QElapsedTimer clock;
    QTimer *quietTimer = nullptr;
};

void TcpServerPrivate::track(QTcpSocket *socket)
{
    // A connection served in another thread cannot be watched from this one.
    if (!WorkerRuntime::self() || socket->thread() != q->thread() || given.contains(socket))
        return;
    given.insert(socket);
    QObject::connect(socket, &QObject::destroyed, q, [this, socket] {
        given.remove(socket);
        lastActive.remove(socket);
    });
    if (closing)
        watch(socket);
}

void TcpServerPrivate::startClosing()
{
    if (closing)
        return;
    closing = true;
    q->close();
    qCDebug(lcWorker) << "server closing;" << given.size() << "connections to end";
    clock.start();
    quietTimer = new QTimer(q);
    quietTimer->setSingleShot(true);
    QObject::connect(quietTimer, &QTimer::timeout, q, [this] { closeQuietConnections(); });
    for (QTcpSocket *socket : std::as_const(given))
        watch(socket);
    closeQuietConnections();
}

void TcpServerPrivate::watch(QTcpSocket *socket)
{
    if (lastActive.contains(socket) || socket->state() != QAbstractSocket::ConnectedState)
        return;
    lastActive.insert(socket, clock.elapsed());
    const auto active = [this, socket] {
        if (const auto it = lastActive.find(socket); it != lastActive.end())
            *it = clock.elapsed();
    };
    QObject::connect(socket, &QIODevice::readyRead, q, active);
    QObject::connect(socket, &QIODevice::bytesWritten, q, active);
}

void TcpServerPrivate::closeQuietConnections()
{
    const qint64 now = clock.elapsed();
    qint64 nextDue = -1;
    QList<QPointer<QTcpSocket>> quiet;
    for (auto it = lastActive.begin(); it != lastActive.end();) {
        QTcpSocket *socket = it.key();
        // Closing already (the application's doing): it ends without our help.
        if (socket->state() != QAbstractSocket::ConnectedState) {
            it = lastActive.erase(it);
            continue;
        }
        if (socket->bytesToWrite() > 0 || socket->bytesAvailable() > 0)
            *it = now;
        const qint64 due = *it + closingIdleTimeout;
        if (due <= now) {
            quiet.append(socket);
            it = lastActive.erase(it);
            continue;
        }
        nextDue = nextDue < 0 ? due : qMin(nextDue, due);
        ++it;
    }
    if (nextDue >= 0)
        quietTimer->start(int(nextDue - now));
    if (!quiet.isEmpty())
        qCDebug(lcWorker) << "closing" << quiet.size() << "connections idle for"
                          << closingIdleTimeout << "ms";
    // After the loop: a handler of disconnected() may delete the socket, or others.
    for (const QPointer<QTcpSocket> &socket : std::as_const(quiet))
        if (socket)
            socket->disconnectFromHost();
}

TcpServer::TcpServer(QObject *parent)
    : QTcpServer(parent)
    , d_cluster(new TcpServerPrivate(this))
{
    new AcceptRetry(this, [this] { return !d_cluster->handed; });
}

TcpServer::~TcpServer()
{
    d_cluster->link.close();
    // QTcpServer's destructor and QObject's delete sockets after d_cluster is gone.
    for (QTcpSocket *socket : std::as_const(d_cluster->given))
        QObject::disconnect(socket, nullptr, this, nullptr);
}

void *TcpServer::operator new(std::size_t size)
{
    return ::operator new(size);
}

void TcpServer::operator delete(void *pointer) noexcept
{
    // The usual way here: `TcpServer server;` declared before the QHttpServer it is bound to.
    // Freeing a stack address aborts anyway (glibc: "free(): invalid pointer"), and the variable
    // would be destroyed a second time after this; say what happened and what to do.
    if (pointer && isOnThisThreadsStack(pointer))
        qFatal("LibCluster::TcpServer: a TcpServer that is a local variable was deleted, most "
               "likely by its parent (QHttpServer::bind() makes the server a child of the "
               "QHttpServer). Create it with new (new TcpServer(&httpServer)), or declare it "
               "after the QHttpServer so that it is destroyed first.");
    ::operator delete(pointer);
}

bool TcpServer::listen(const QHostAddress &address, quint16 port)
{
    d_cluster->errorString.clear();
    if (!ServerLink::inWorker())
        return QTcpServer::listen(address, port);
    if (isListening()) {
        qWarning("QTcpServer::listen() called when already listening");
        return false;
    }
    // The dual-stack "any" address travels as an empty string; every other one as text.
    const QString text = address == QHostAddress::Any ? QString() : address.toString();
    ServerLink::Result result = d_cluster->link.open(text, port, QString());
    if (!result.ok) {
        d_cluster->error = result.error;
        d_cluster->errorString = result.errorString;
        return false;
    }
    if (!QTcpServer::setSocketDescriptor(result.handle.takeDescriptor())) {
        d_cluster->error = QTcpServer::serverError();
        d_cluster->errorString = QTcpServer::errorString();
        d_cluster->link.close();
        return false;
    }
    // The primary accepts; this copy of the socket is only for what QTcpServer reports.
    d_cluster->handed = result.mode == ServerLink::Mode::Handed;
    if (d_cluster->handed)
        pauseAccepting();
    // The dual-stack socket behind QHostAddress::Any is "::", as Node reports it.
    const QHostAddress bound
        = address == QHostAddress::Any ? QHostAddress(QHostAddress::AnyIPv6) : serverAddress();
    d_cluster->link.announceListening(Address(bound.toString(), serverPort(),
        bound.protocol() == QAbstractSocket::IPv4Protocol ? Address::IPv4 : Address::IPv6));
    return true;
}

void TcpServer::close()
{
    d_cluster->link.close();
    d_cluster->handed = false;
    QTcpServer::close();
}

QTcpSocket *TcpServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    // QTcpServer turns accepting back on whenever a connection is taken.
    if (d_cluster->handed)
        pauseAccepting();
    if (socket)
        d_cluster->track(socket);
    return socket;
}

QAbstractSocket::SocketError TcpServer::serverError() const
{
    return d_cluster->errorString.isEmpty() ? QTcpServer::serverError() : d_cluster->error;
}

QString TcpServer::errorString() const
{
    return d_cluster->errorString.isEmpty() ? QTcpServer::errorString() : d_cluster->errorString;
}

qint64 TcpServer::connectionsAccepted() const
{
    return d_cluster->link.accepted();
}

int TcpServer::openConnections() const
{
    return d_cluster->link.openConnections();
}

bool TcpServer::isClosing() const
{
    return d_cluster->closing;
}

int TcpServer::closingIdleTimeout() const
{
    return d_cluster->closingIdleTimeout;
}

void TcpServer::setClosingIdleTimeout(int msecs)
{
    const int bounded = qBound(0, msecs, WorkerPrivate::MaxClosingIdleTimeout);
    if (bounded != msecs)
        qWarning("TcpServer::setClosingIdleTimeout: %d ms is outside 0 to %d ms; using %d ms",
            msecs, WorkerPrivate::MaxClosingIdleTimeout, bounded);
    d_cluster->closingIdleTimeout = bounded;
    // A shorter wait applies to the connections already waiting.
    if (d_cluster->quietTimer)
        d_cluster->closeQuietConnections();
}

void TcpServer::setMaxConnections(int max)
{
    if (max < -1 || max > MaxConnectionsLimit) {
        qCWarning(lcWorker).nospace()
            << "TcpServer::setMaxConnections(" << max << ") ignored: use -1 for no limit, or 0 to "
            << MaxConnectionsLimit;
        return;
    }
    d_cluster->link.setMaxConnections(max);
}

int TcpServer::maxConnections() const
{
    return d_cluster->link.maxConnections();
}

void TcpServer::setDropMaxConnection(bool drop)
{
    d_cluster->link.setDropAtLimit(drop);
}

bool TcpServer::dropMaxConnection() const
{
    return d_cluster->link.dropsAtLimit();
}

void TcpServer::incomingConnection(qintptr handle)
{
    if (d_cluster->link.isAtLimit()) {
        // As Node does: accepted (by this server or the primary), then closed at once.
        QTcpSocket peer;
        peer.setSocketDescriptor(handle);
        const QHostAddress address = peer.peerAddress();
        const quint16 port = peer.peerPort();
        peer.abort();
        d_cluster->link.dropped();
        emit connectionDropped(address, port);
        return;
    }
    auto *socket = new QTcpSocket(this);
    socket->setSocketDescriptor(handle);
    d_cluster->link.track(socket);
    addPendingConnection(socket);
}

} // namespace LibCluster
