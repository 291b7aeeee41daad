// ReusePortServer: the reservation decides the port (listen(0) included); every worker's own
// listening socket joins the SO_REUSEPORT group on that port, and outlives the worker in the
// primary just long enough to pass on the connections that were waiting in it.
#include "reuseportserver.h"

#include "acceptor.h"
#include "logging.h"
#include "worker_p.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {
// At most this many connections are taken from a socket no worker serves any more: what its
// backlog held, and what the kernel routed there meanwhile. Bounded so that a port under a flood
// cannot hold the primary's event loop.
constexpr int MaxDrained = 4 * SocketFactory::Backlog;
} // namespace

ReusePortServer::~ReusePortServer()
{
    // Nobody is left to take what waits there (the last worker has gone).
    for (const int fd : std::as_const(m_sockets))
        ::close(fd);
    for (Acceptor *orphan : std::as_const(m_orphans)) {
        const int fd = orphan->descriptor();
        delete orphan;
        ::close(fd);
    }
}

bool ReusePortServer::open(SocketError *error)
{
    m_fd = SocketFactory::reservePort(m_request, error);
    if (m_fd < 0)
        return false;
    m_address = SocketFactory::localAddress(m_fd, m_request);
    return true;
}

bool ReusePortServer::addWorker(WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle,
                                SocketError *error)
{
    ListenRequest own = m_request;
    own.port = m_address.port();
    const int fd = SocketFactory::listen(own, true, error);
    if (fd < 0)
        return false;
    const Handle sent = Handle::fromDescriptor(fd);
    if (!sent.isValid()) {
        const int reason = errno;
        ::close(fd);
        error->error = QAbstractSocket::SocketResourceError;
        error->errorString
            = QStringLiteral("the primary cannot keep a copy of the listening socket: %1 "
                             "(raise RLIMIT_NOFILE)")
                  .arg(QString::fromLocal8Bit(std::strerror(reason)));
        return false;
    }
    // A worker that listens again without the primary having heard of its close.
    if (m_sockets.contains(worker))
        drainAndClose(m_sockets.take(worker));
    m_sockets.insert(worker, fd);
    m_workers.append(worker);
    *mode = ServerLink::Mode::Accept;
    *handle = sent;
    // Connections passed on from another worker's socket may be waiting for one.
    distribute();
    return true;
}

void ReusePortServer::removeWorker(WorkerPrivate *worker)
{
    // First out of the turn, so that nothing waiting in its socket goes back to it.
    DistributingServer::removeWorker(worker);
    const auto it = m_sockets.constFind(worker);
    if (it == m_sockets.constEnd())
        return;
    const int fd = *it;
    m_sockets.erase(it);
    // Closed by the worker before it told the primary, or its process has ended: this copy is
    // the last one.
    if (!worker->disconnectedDone || worker->exitedDone) {
        drainAndClose(fd);
        return;
    }
    // Gone from the cluster (its channel closed), but its process may not have ended yet and
    // hold the socket still: its last close would reset what waits there. The primary serves
    // the socket until the process has ended.
    auto *orphan = new Acceptor(fd, [this](int connection) { accepted(connection); });
    m_orphans.insert(worker, orphan);
    QObject::connect(
        worker->q_ptr, &Worker::exited, orphan, [this, worker] { releaseOrphan(worker); });
    QObject::connect(
        worker->q_ptr, &QObject::destroyed, orphan, [this, worker] { releaseOrphan(worker); });
}

void ReusePortServer::releaseOrphan(WorkerPrivate *worker)
{
    Acceptor *orphan = m_orphans.take(worker);
    if (!orphan)
        return;
    const int fd = orphan->descriptor();
    delete orphan;
    drainAndClose(fd);
}

WorkerPrivate *ReusePortServer::pick(const Connection &)
{
    return nextFreeInTurn();
}

void ReusePortServer::drainAndClose(int fd)
{
    // Its worker (dead, or closed that server) set it non-blocking, but the flag belongs to the
    // socket's file description and must not be relied on: the primary's loop never blocks.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    int drained = 0;
    int error = 0;
    while (drained < MaxDrained) {
        const int connection = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (connection >= 0) {
            ++drained;
            accepted(connection);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            error = errno;
        break;
    }
    // The socket leaves the port's group only now. A client whose handshake completes between
    // the last accept4() above and this close() (a few microseconds), or is still half-done
    // then, is reset by the kernel: only net.ipv4.tcp_migrate_req=1 moves those.
    const auto lastAccept = std::chrono::steady_clock::now();
    ::close(fd);
    const auto closed = std::chrono::steady_clock::now();
    if (error != 0 || drained == MaxDrained)
        qCWarning(lcPrimary).nospace()
            << "closed a listening socket of " << m_address.toString() << " with connections "
            << "still waiting in it (" << (error ? std::strerror(error) : "too many") << ")";
    qCDebug(lcPrimary).nospace()
        << "passed on " << drained << " connection(s) from a socket of " << m_address.toString()
        << " no worker serves any more; closed "
        << std::chrono::duration_cast<std::chrono::nanoseconds>(closed - lastAccept).count()
        << " ns after the last accept";
}

} // namespace LibCluster::Internal
