// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// DistributingServer: accept, queue, hand over with the connection's descriptor, wait for the ack.
#include "ports/policies/distributingserver.h"

#include "ports/acceptor.h"
#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "util/logging.h"

#include <QTimer>
#include <QVarLengthArray>

#include <unistd.h>

namespace LibCluster::Internal {

namespace {
// How far down the queue one pass looks for a connection some free worker may take.
constexpr int ScanLimit = 64;
// How long a worker that could not receive a connection's descriptor is passed over. Its
// descriptors come back as its clients leave; until then every hand-over would be refused.
constexpr std::chrono::milliseconds RestWhenFull(100);
// At most one warning about connections no worker could take per this interval.
constexpr std::chrono::seconds ClosedWarningInterval(10);
} // namespace

DistributingServer::~DistributingServer()
{
    delete m_acceptor;
    delete m_retry;
    for (const Connection &connection : m_queue)
        ::close(connection.fd);
    for (const InFlight &inFlight : std::as_const(m_inFlight))
        ::close(inFlight.connection.fd);
}

bool DistributingServer::open(SocketError *error)
{
    m_fd = SocketFactory::listen(m_request, false, error, &m_socketFile);
    if (m_fd < 0)
        return false;
    m_address = SocketFactory::localAddress(m_fd, m_request);
    m_acceptor = new Acceptor(m_fd, [this](int fd) { accepted(fd); });
    return true;
}

bool DistributingServer::addWorker(
    WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *)
{
    m_workers.append(worker);
    *mode = ServerLink::Mode::Handed;
    // The worker gets the listening socket too, paused, so that its QTcpServer reports the real
    // address, port and listening state; it never accepts on it.
    *handle = Handle::fromDescriptor(m_fd);
    distribute();
    return true;
}

void DistributingServer::removeWorker(WorkerPrivate *worker)
{
    SharedServer::removeWorker(worker);
    forget(worker);
    m_restingUntil.remove(worker);
    m_atLimit.remove(worker);
    const auto it = m_inFlight.constFind(worker);
    if (it != m_inFlight.constEnd()) {
        // The worker never took it: someone else will.
        m_queue.push_front(it->connection);
        m_inFlight.erase(it);
    }
    distribute();
}

void DistributingServer::acknowledge(WorkerPrivate *worker, qint64 connection, Answer answer)
{
    const auto it = m_inFlight.find(worker);
    if (it == m_inFlight.end() || it->id != connection)
        return;
    const Connection handed = it->connection;
    m_inFlight.erase(it);
    switch (answer) {
    case Answer::Taken:
        // The worker has its own copy now; ours must go, or the connection never ends.
        ::close(handed.fd);
        ++worker->connectionsAccepted;
        ++worker->openConnections;
        Q_EMIT worker->q_ptr->connectionCountsChanged();
        break;
    case Answer::Closed:
        m_queue.push_front(handed);
        SharedServer::removeWorker(worker);
        forget(worker);
        m_atLimit.remove(worker);
        break;
    case Answer::Full:
        refused(worker, handed);
        break;
    case Answer::AtLimit:
        // Node's default since v22: another worker gets it. When every worker is at its limit,
        // it waits here for the first one with room, as it would for busy workers.
        m_atLimit.insert(worker);
        m_queue.push_front(handed);
        break;
    }
    distribute();
}

void DistributingServer::hasRoom(WorkerPrivate *worker)
{
    if (m_atLimit.remove(worker))
        distribute();
}

void DistributingServer::refused(WorkerPrivate *worker, Connection connection)
{
    const auto now = std::chrono::steady_clock::now();
    m_restingUntil.insert(worker, now + RestWhenFull);
    if (++connection.refusals < maxRefusals())
        m_queue.push_front(connection);
    else
        closeUntaken(connection);
}

void DistributingServer::closeUntaken(const Connection &connection)
{
    // Every worker that could have served it is out of descriptors: the client is told at once
    // (the connection closes) rather than left waiting in a queue that keeps growing.
    ::close(connection.fd);
    ++m_closedForLack;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastClosedWarning < ClosedWarningInterval)
        return;
    qCWarning(lcPrimary).nospace()
        << "closed " << m_closedForLack << " connection(s) to " << m_address.toString()
        << ": the workers are out of file descriptors (raise RLIMIT_NOFILE)";
    m_closedForLack = 0;
    m_lastClosedWarning = now;
}

bool DistributingServer::isStranded(const Connection &) const
{
    if (m_workers.isEmpty())
        return false; // workers may still come; until then connections wait as they always do
    for (WorkerPrivate *worker : m_workers)
        if (!isResting(worker))
            return false;
    return true;
}

bool DistributingServer::isResting(WorkerPrivate *worker) const
{
    const auto it = m_restingUntil.constFind(worker);
    return it != m_restingUntil.constEnd() && std::chrono::steady_clock::now() < *it;
}

void DistributingServer::accepted(int fd)
{
    m_queue.push_back(
        Connection { fd, needsPeerAddress() ? Acceptor::peerAddress(fd) : QString() });
    distribute();
}

WorkerPrivate *DistributingServer::nextFreeInTurn(std::chrono::nanoseconds waitForTurn)
{
    const int count = int(m_workers.size());
    QVarLengthArray<WorkerPrivate *, 8> busy; // passed over, for the diagnostics
    for (int i = 0; i < count; ++i) {
        const int index = (m_turn + i) % count;
        WorkerPrivate *worker = m_workers.at(index);
        if (isFree(worker)) {
            m_turn = (index + 1) % count;
            // Why a split is uneven: each line is one connection a busy worker did not get.
            for (WorkerPrivate *passedOver : std::as_const(busy))
                qCDebug(lcPrimary).nospace()
                    << "round-robin: worker " << passedOver->id << " busy (last connection "
                    << "not taken for "
                    << std::chrono::duration_cast<std::chrono::microseconds>(heldFor(passedOver))
                           .count()
                    << " us), passed over for worker " << worker->id;
            return worker;
        }
        if (waitForTurn.count() > 0 && m_inFlight.contains(worker)) {
            // Still within its wait: nobody else gets the connection meanwhile.
            const std::chrono::nanoseconds held = heldFor(worker);
            if (held < waitForTurn) {
                retryIn(waitForTurn - held);
                return nullptr;
            }
            busy.append(worker);
        }
    }
    return nullptr;
}

std::chrono::nanoseconds DistributingServer::heldFor(WorkerPrivate *worker) const
{
    const auto it = m_inFlight.constFind(worker);
    if (it == m_inFlight.constEnd())
        return std::chrono::nanoseconds::zero();
    return std::chrono::steady_clock::now() - it->handedAt;
}

void DistributingServer::retryIn(std::chrono::nanoseconds delay)
{
    if (!m_retry) {
        m_retry = new QTimer;
        m_retry->setSingleShot(true);
        m_retry->setTimerType(Qt::PreciseTimer);
        QObject::connect(m_retry, &QTimer::timeout, m_retry, [this] { distribute(); });
    }
    // Whole milliseconds, rounded up, so that the wait is over when the timer fires.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(delay);
    if (!m_retry->isActive() || m_retry->remainingTimeAsDuration() > ms)
        m_retry->start(ms);
}

void DistributingServer::distribute()
{
    // handOver() may fail and remove a worker, which distributes again: one pass at a time.
    if (m_distributing)
        return;
    m_distributing = true;
    // A rest that is over is forgotten, so that isFree() stops reading the clock for that worker.
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_restingUntil.begin(); it != m_restingUntil.end();)
        it = *it <= now ? m_restingUntil.erase(it) : std::next(it);
    int scanned = 0;
    for (auto it = m_queue.begin(); it != m_queue.end() && scanned < ScanLimit;) {
        if (m_inFlight.size() >= m_workers.size())
            break;
        WorkerPrivate *worker = pick(*it);
        if (!worker && isStranded(*it)) {
            closeUntaken(*it);
            it = m_queue.erase(it);
            continue;
        }
        if (!worker) {
            if (!picksPerConnection())
                break;
            ++it;
            ++scanned;
            continue;
        }
        const Connection connection = *it;
        it = m_queue.erase(it);
        if (!handOver(worker, connection)) {
            m_queue.push_front(connection);
            SharedServer::removeWorker(worker);
            forget(worker);
            it = m_queue.begin();
        }
    }
    m_distributing = false;
}

bool DistributingServer::handOver(WorkerPrivate *worker, const Connection &connection)
{
    const qint64 id = ++m_nextConnectionId;
    QCborMap message;
    message.insert(QStringLiteral("key"), m_key);
    message.insert(QStringLiteral("conn"), id);
    if (!worker->channel
        || !worker->channel->write(FrameKind::Runtime,
            RuntimeProtocol::encode(RuntimeProtocol::newConnection(), message), { connection.fd }))
        return false;
    m_inFlight.insert(worker, InFlight { id, connection, std::chrono::steady_clock::now() });
    return true;
}

} // namespace LibCluster::Internal
