// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// DistributingServer: accept, queue, deal out in turn, hand over with the connections'
// descriptors, wait for the acknowledgements.
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
// A worker that has answered nothing for this long starts at a window of 1 again: it may have
// become busy meanwhile with nothing to show it, and a burst would find it with a full window.
constexpr std::chrono::seconds WindowIdleReset(1);
} // namespace

DistributingServer::~DistributingServer()
{
    delete m_acceptor;
    delete m_retry;
    for (const Connection &connection : m_queue)
        ::close(connection.fd);
    for (const Holder &holder : std::as_const(m_holders))
        for (const Handed &handed : holder.handed)
            ::close(handed.connection.fd);
}

bool DistributingServer::open(SocketError *error)
{
    m_fd = SocketFactory::listen(m_request, false, error, &m_socketFile);
    if (m_fd < 0)
        return false;
    m_address = SocketFactory::localAddress(m_fd, m_request);
    m_acceptor = new Acceptor(m_fd, [this](int fd) { accepted(fd); });
    m_acceptor->setBatchHandler([this] { distribute(); });
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
    const auto it = m_holders.find(worker);
    if (it != m_holders.end()) {
        // The worker never took them: someone else will.
        Connections back;
        for (const Handed &handed : it->handed)
            back.append(handed.connection);
        if (!back.isEmpty())
            qCDebug(lcPrimary).nospace()
                << "worker " << worker->id << " left " << m_address.toString() << " with "
                << back.size() << " connection(s) it had not taken; they go to other workers";
        m_holders.erase(it);
        m_dealtTo.removeAll(worker);
        requeue(back);
    }
    distribute();
}

void DistributingServer::acknowledge(
    WorkerPrivate *worker, qint64 firstConnection, int count, Answer answer)
{
    const auto it = m_holders.find(worker);
    if (it == m_holders.end() || count <= 0)
        return;
    Holder &holder = *it;
    // Answers come in the order the frames went, so these are the oldest it holds.
    Connections answered;
    auto oldest = std::chrono::steady_clock::time_point::max();
    for (auto h = holder.handed.begin(); h != holder.handed.end() && answered.size() < count;) {
        if (h->id < firstConnection || h->id >= firstConnection + count) {
            ++h;
            continue;
        }
        oldest = qMin(oldest, h->handedAt);
        answered.append(h->connection);
        h = holder.handed.erase(h);
    }
    if (answered.isEmpty())
        return;
    const auto now = std::chrono::steady_clock::now();
    holder.lastAnswer = now;
    // Kept up: it may hold more at once, so that a burst goes out to it in fewer frames.
    if (now - oldest < busyAfter())
        holder.window = qMin(maxWindow(), holder.window * 2);
    switch (answer) {
    case Answer::Taken:
        // The worker has its own copies now; ours must go, or the connections never end.
        for (const Connection &connection : std::as_const(answered))
            ::close(connection.fd);
        worker->connectionsAccepted += answered.size();
        worker->openConnections += int(answered.size());
        Q_EMIT worker->q_ptr->connectionCountsChanged();
        break;
    case Answer::Closed:
        requeue(answered);
        SharedServer::removeWorker(worker);
        forget(worker);
        m_atLimit.remove(worker);
        break;
    case Answer::Full: {
        Connections again;
        for (Connection &connection : answered)
            if (refused(worker, connection))
                again.append(connection);
        requeue(again);
        break;
    }
    case Answer::AtLimit:
        // Node's default since v22: another worker gets it. When every worker is at its limit,
        // it waits here for the first one with room, as it would for busy workers.
        m_atLimit.insert(worker);
        requeue(answered);
        break;
    }
    distribute();
}

qint64 DistributingServer::waitingConnections() const
{
    qint64 count = qint64(m_queue.size());
    for (const Holder &holder : m_holders)
        count += qint64(holder.handed.size());
    return count;
}

void DistributingServer::hasRoom(WorkerPrivate *worker)
{
    if (m_atLimit.remove(worker))
        distribute();
}

bool DistributingServer::refused(WorkerPrivate *worker, Connection &connection)
{
    const auto now = std::chrono::steady_clock::now();
    m_restingUntil.insert(worker, now + RestWhenFull);
    if (++connection.refusals < maxRefusals())
        return true;
    closeUntaken(connection);
    return false;
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

bool DistributingServer::isFree(WorkerPrivate *worker) const
{
    if (isResting(worker) || isAtLimit(worker))
        return false;
    const auto it = m_holders.constFind(worker);
    if (it == m_holders.constEnd() || it->handed.empty())
        return true;
    if (qsizetype(it->handed.size()) >= it->window)
        return false;
    return std::chrono::steady_clock::now() - it->handed.front().handedAt < busyAfter();
}

void DistributingServer::accepted(int fd)
{
    m_queue.push_back(
        Connection { fd, needsPeerAddress() ? Acceptor::peerAddress(fd) : QString() });
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
        if (waitForTurn.count() > 0 && heldCount(worker) > 0 && !isResting(worker)
            && !isAtLimit(worker)) {
            // Still within its wait: nobody else gets the connection meanwhile.
            const std::chrono::nanoseconds held = heldFor(worker);
            if (held < waitForTurn) {
                retryIn(waitForTurn - held);
                return nullptr;
            }
            busy.append(worker);
            passedOver(worker);
        }
    }
    return nullptr;
}

std::chrono::nanoseconds DistributingServer::heldFor(WorkerPrivate *worker) const
{
    const auto it = m_holders.constFind(worker);
    if (it == m_holders.constEnd() || it->handed.empty())
        return std::chrono::nanoseconds::zero();
    return std::chrono::steady_clock::now() - it->handed.front().handedAt;
}

int DistributingServer::heldCount(WorkerPrivate *worker) const
{
    const auto it = m_holders.constFind(worker);
    return it == m_holders.constEnd() ? 0 : int(it->handed.size());
}

void DistributingServer::passedOver(WorkerPrivate *worker)
{
    const auto it = m_holders.find(worker);
    if (it != m_holders.end())
        it->window = 1;
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
    // A hand-over may fail and remove a worker, which distributes again: one pass at a time.
    if (m_distributing)
        return;
    m_distributing = true;
    // A rest that is over is forgotten, so that isFree() stops reading the clock for that worker.
    const auto now = std::chrono::steady_clock::now();
    for (auto it = m_restingUntil.begin(); it != m_restingUntil.end();)
        it = *it <= now ? m_restingUntil.erase(it) : std::next(it);
    do {
        int scanned = 0;
        for (auto it = m_queue.begin(); it != m_queue.end() && scanned < ScanLimit;) {
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
            deal(worker, *it);
            it = m_queue.erase(it);
        }
    } while (!sendDealt());
    m_distributing = false;
}

void DistributingServer::deal(WorkerPrivate *worker, const Connection &connection)
{
    Holder &holder = m_holders[worker];
    const auto now = std::chrono::steady_clock::now();
    if (holder.handed.empty() && now - holder.lastAnswer > WindowIdleReset)
        holder.window = 1;
    holder.handed.push_back(Handed { 0, connection, now });
    if (!holder.dealtThisPass) {
        holder.dealtThisPass = true;
        m_dealtTo.append(worker);
    }
}

bool DistributingServer::sendDealt()
{
    bool allSent = true;
    for (qsizetype i = 0; i < m_dealtTo.size(); ++i) {
        WorkerPrivate *worker = m_dealtTo.at(i);
        const auto it = m_holders.find(worker);
        if (it == m_holders.end())
            continue;
        Holder &holder = *it;
        holder.dealtThisPass = false;
        // What was dealt in this pass is at the back, not numbered yet.
        qsizetype from = qsizetype(holder.handed.size());
        while (from > 0 && holder.handed[size_t(from - 1)].id == 0)
            --from;
        const qsizetype end = qsizetype(holder.handed.size());
        bool sent = true;
        for (qsizetype at = from; at < end && sent; at += MaxFrameDescriptors)
            sent = send(worker, holder, at, qMin<qsizetype>(MaxFrameDescriptors, end - at));
        if (sent)
            continue;
        // Its channel is closing (the worker is leaving): what did not go out goes to another.
        Connections back;
        auto unsent = holder.handed.end();
        while (unsent != holder.handed.begin() && std::prev(unsent)->id == 0)
            --unsent;
        for (auto h = unsent; h != holder.handed.end(); ++h)
            back.append(h->connection);
        holder.handed.erase(unsent, holder.handed.end());
        requeue(back);
        SharedServer::removeWorker(worker);
        forget(worker);
        allSent = false;
    }
    m_dealtTo.clear();
    return allSent;
}

bool DistributingServer::send(
    WorkerPrivate *worker, Holder &holder, qsizetype from, qsizetype count)
{
    const qint64 first = m_nextConnectionId + 1;
    QList<int> descriptors;
    descriptors.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        descriptors.append(holder.handed[size_t(from + i)].connection.fd);
    QCborMap message;
    message.insert(QStringLiteral("key"), m_key);
    message.insert(QStringLiteral("conn"), first);
    if (count > 1)
        message.insert(QStringLiteral("n"), count);
    if (!worker->channel
        || !worker->channel->write(FrameKind::Runtime,
            RuntimeProtocol::encode(RuntimeProtocol::newConnection(), message), descriptors))
        return false;
    m_nextConnectionId += count;
    for (qsizetype i = 0; i < count; ++i)
        holder.handed[size_t(from + i)].id = first + i;
    qCDebug(lcPrimary).nospace() << "handed " << count << " connection(s) to worker " << worker->id
                                 << " in one frame";
    return true;
}

void DistributingServer::requeue(const Connections &connections)
{
    m_queue.insert(m_queue.begin(), connections.cbegin(), connections.cend());
}

} // namespace LibCluster::Internal
