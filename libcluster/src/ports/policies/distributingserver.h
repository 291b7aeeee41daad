// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The policies where the primary accepts: each connection is handed to one worker, which
// acknowledges it before it gets another (Node's round-robin "smarts"). A busy worker therefore
// stops getting work, and a connection whose worker dies or closes before taking it goes to
// another worker instead of being lost.
#pragma once

#include "ports/sharedserver.h"

#include <QHash>
#include <QSet>

#include <chrono>
#include <deque>

class QTimer;

namespace LibCluster::Internal {

class Acceptor;

class DistributingServer : public SharedServer
{
public:
    ~DistributingServer() override;

    bool open(SocketError *error) override;
    bool addWorker(
        WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *error) override;
    void removeWorker(WorkerPrivate *worker) override;
    void acknowledge(WorkerPrivate *worker, qint64 connection, Answer answer) override;
    void hasRoom(WorkerPrivate *worker) override;
    qint64 waitingConnections() const override
    {
        return qint64(m_queue.size()) + m_inFlight.size();
    }

protected:
    struct Connection
    {
        int fd = -1;
        QString peer; // client address, for policies that look at it
        int refusals = 0; // workers that were out of descriptors when it was handed to them
    };

    DistributingServer(const ListenRequest &request, int key)
        : SharedServer(request, key)
    { }

    // The worker that gets `connection` now, or null if it must wait for one.
    virtual WorkerPrivate *pick(const Connection &connection) = 0;
    // Whether pick() looks at the connection; if not, the first connection that must wait
    // means they all must.
    virtual bool picksPerConnection() const { return false; }
    virtual bool needsPeerAddress() const { return false; }
    virtual void forget(WorkerPrivate *) { }
    // How many workers out of descriptors may refuse a connection before it is closed: by
    // default every worker gets a chance.
    virtual int maxRefusals() const { return int(m_workers.size()); }
    // Whether `connection`, which no worker takes now, has nobody to wait for: every worker
    // that could take it is resting after running out of descriptors.
    virtual bool isStranded(const Connection &connection) const;

    // Holds no unacknowledged connection, is not resting after running out of descriptors and
    // is not at its server's maxConnections.
    bool isFree(WorkerPrivate *worker) const
    {
        return !m_inFlight.contains(worker) && !isResting(worker) && !isAtLimit(worker);
    }
    // Refused a connection at its server's maxConnections and has not said it has room since.
    bool isAtLimit(WorkerPrivate *worker) const { return m_atLimit.contains(worker); }
    // The free worker after the one picked last, in turn. A worker in turn that has held its
    // unacknowledged connection for less than `waitForTurn` is waited for instead: null, and
    // distribute() runs again once that wait is over.
    WorkerPrivate *nextFreeInTurn(std::chrono::nanoseconds waitForTurn = {});
    // A worker that was out of descriptors is passed over until its rest is over.
    bool isResting(WorkerPrivate *worker) const;
    // Queues a connection the primary accepted and hands it over when a worker is free.
    void accepted(int fd);
    void distribute();

private:
    struct InFlight
    {
        qint64 id;
        Connection connection;
        std::chrono::steady_clock::time_point handedAt;
    };

    // How long the worker has held its unacknowledged connection (zero when it holds none).
    std::chrono::nanoseconds heldFor(WorkerPrivate *worker) const;
    // A worker could not take `connection` for lack of descriptors: another one gets it, or it
    // is closed once too many have refused it.
    void refused(WorkerPrivate *worker, Connection connection);
    // Closes a connection no worker can take, so that its client learns it at once.
    void closeUntaken(const Connection &connection);
    // Distributes again after `delay` even if nothing else happens.
    void retryIn(std::chrono::nanoseconds delay);
    bool handOver(WorkerPrivate *worker, const Connection &connection);

    Acceptor *m_acceptor = nullptr;
    QTimer *m_retry = nullptr;
    std::deque<Connection> m_queue;
    QHash<WorkerPrivate *, InFlight> m_inFlight;
    QHash<WorkerPrivate *, std::chrono::steady_clock::time_point> m_restingUntil;
    // Unlike a worker out of descriptors, one at its limit knows when it has room again and says
    // so: it is passed over until then, with no timer and no retries in between.
    QSet<WorkerPrivate *> m_atLimit;
    qint64 m_closedForLack = 0; // connections closed since the last warning
    std::chrono::steady_clock::time_point m_lastClosedWarning;
    qint64 m_nextConnectionId = 0;
    int m_turn = 0; // index in m_workers of the worker whose turn is next
    bool m_distributing = false;
};

} // namespace LibCluster::Internal
