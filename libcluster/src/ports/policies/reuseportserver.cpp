// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ReusePortServer: the reservation decides the port (listen(0) included); every worker's own
// listening socket joins the SO_REUSEPORT group on that port, and outlives the worker in the
// primary just long enough to pass on the connections that were waiting in it.
#include "ports/policies/reuseportserver.h"

#include "ports/acceptor.h"
#include "runtime/worker_p.h"
#include "util/logging.h"

#include <QTimer>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_DETACH_REUSEPORT_BPF
#define SO_DETACH_REUSEPORT_BPF 68
#endif

namespace LibCluster::Internal {

namespace {
// At most this many connections are taken from a socket no worker serves any more: what its
// backlog held, and what the kernel routed there meanwhile. Bounded so that a port under a flood
// cannot hold the primary's event loop.
constexpr int MaxDrained = 4 * SocketFactory::Backlog;
// How long a socket steered around stays open: a handshake the kernel began on it before that
// completes into its queue within a round trip (a lost SYN-ACK is resent after 1 s).
constexpr std::chrono::milliseconds LeavingGrace(1500);
} // namespace

ReusePortServer::~ReusePortServer()
{
    // Nobody is left to take what waits there (the last worker has gone).
    for (const int fd : std::as_const(m_sockets))
        ::close(fd);
    for (auto it = m_leaving.cbegin(); it != m_leaving.cend(); ++it) {
        delete it->acceptor;
        ::close(it.key());
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

bool ReusePortServer::addWorker(
    WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *error)
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
    m_group.append(fd);
    if (!m_leaving.isEmpty())
        steer();
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
    // Unless the worker closed it before it told the primary, or its process has ended, the
    // process may hold the socket still.
    leave(fd, !worker->disconnectedDone || worker->exitedDone ? nullptr : worker);
}

void ReusePortServer::leave(int fd, WorkerPrivate *worker)
{
    auto *acceptor = new Acceptor(fd, [this](int connection) { accepted(connection); });
    acceptor->setBatchHandler([this] { distribute(); });
    m_leaving.insert(fd, Leaving { acceptor, worker == nullptr, false });
    steer();
    const auto processEnded = [this, fd] {
        m_leaving[fd].processEnded = true;
        closeIfDone(fd);
    };
    if (worker) {
        QObject::connect(worker->q_ptr, &Worker::exited, acceptor, processEnded);
        QObject::connect(worker->q_ptr, &QObject::destroyed, acceptor, processEnded);
    }
    QTimer::singleShot(LeavingGrace, acceptor, [this, fd] {
        m_leaving[fd].graceOver = true;
        closeIfDone(fd);
    });
}

void ReusePortServer::closeIfDone(int fd)
{
    const auto it = m_leaving.find(fd);
    if (it == m_leaving.end() || !it->processEnded || !it->graceOver)
        return;
    delete it->acceptor;
    m_leaving.erase(it);
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
    const int error = Acceptor::acceptUpTo(
        fd, MaxDrained, [this](int connection) { accepted(connection); }, &drained);
    // The socket leaves the port's group only now. Steered around since its worker left, it
    // gets no new connection; without the program (a kernel refusing it), a client whose
    // handshake completes between the last accept above and this close() (a few
    // microseconds), or is still half-done then, is reset: only net.ipv4.tcp_migrate_req=1 moves
    // those.
    const auto lastAccept = std::chrono::steady_clock::now();
    ::close(fd);
    const auto closed = std::chrono::steady_clock::now();
    // The kernel fills the hole with the group's last socket; the program follows.
    if (const qsizetype index = m_group.indexOf(fd); index >= 0) {
        m_group.swapItemsAt(index, m_group.size() - 1);
        m_group.removeLast();
    }
    steer();
    if (error != 0 || drained == MaxDrained)
        qCWarning(lcPrimary).nospace()
            << "closed a listening socket of " << m_address.toString() << " with connections "
            << "still waiting in it (" << (error ? std::strerror(error) : "too many") << ")";
    qCDebug(lcPrimary).nospace()
        << "passed on " << drained << " connection(s) from a socket of " << m_address.toString()
        << " no worker serves any more; closed "
        << std::chrono::duration_cast<std::chrono::nanoseconds>(closed - lastAccept).count()
        << " ns after the last accept";
    // Dealt out only now, so that nothing delays the close above.
    if (drained > 0)
        distribute();
}

void ReusePortServer::steer()
{
    QList<quint32> leaving; // indices in the group, ascending
    for (qsizetype i = 0; i < m_group.size(); ++i)
        if (m_leaving.contains(m_group.at(i)))
            leaving.append(quint32(i));
    const quint32 served = quint32(m_group.size() - leaving.size());
    if (leaving.isEmpty() || served == 0) {
        // The kernel's own hash over the whole group again.
        if (m_steering && !m_group.isEmpty())
            ::setsockopt(m_group.first(), SOL_SOCKET, SO_DETACH_REUSEPORT_BPF, nullptr, 0);
        m_steering = false;
        return;
    }
    // A random index among the served sockets, then past each leaving one at or below it.
    QList<sock_filter> code;
    code.append(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, quint32(SKF_AD_OFF + SKF_AD_RANDOM)));
    code.append(BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, served));
    for (const quint32 index : std::as_const(leaving)) {
        code.append(BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, index, 0, 1));
        code.append(BPF_STMT(BPF_ALU | BPF_ADD | BPF_K, 1));
    }
    code.append(BPF_STMT(BPF_RET | BPF_A, 0));
    sock_fprog program { static_cast<unsigned short>(code.size()), code.data() };
    if (::setsockopt(
            m_group.first(), SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &program, sizeof(program))
        == 0) {
        m_steering = true;
        return;
    }
    // Without it the leaving socket still gets new connections, which the primary passes on
    // until it closes; only that instant is exposed.
    if (!m_steeringFailed)
        qCWarning(lcPrimary) << "cannot steer connections off a closing socket of"
                             << m_address.toString() << ":" << std::strerror(errno);
    m_steeringFailed = true;
}

} // namespace LibCluster::Internal
