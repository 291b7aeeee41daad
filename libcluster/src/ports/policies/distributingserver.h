// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The policies where the primary accepts: each connection is handed to one worker, which
// acknowledges it; a worker holds a bounded number of unacknowledged connections (one, Node's
// round-robin "smarts", unless the policy grants a window), so a busy worker stops getting work,
// and a connection whose worker dies or closes before taking it goes to another worker instead
// of being lost. What one pass deals to a worker travels in one frame, its descriptors together,
// and the worker answers for all of them at once.
#pragma once

#include "ports/sharedserver.h"

#include "channel/frame.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QVarLengthArray>

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
    void acknowledge(
        WorkerPrivate *worker, qint64 firstConnection, int count, Answer answer) override;
    void hasRoom(WorkerPrivate *worker) override;
    // Accepted and not taken by a worker yet: queued, or handed and not acknowledged.
    qint64 waitingConnections() const override;

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
    // How many unacknowledged connections a worker that keeps up may hold: 1 is Node's rule. A
    // worker starts at 1 and doubles its window, up to this, each time it answers within
    // busyAfter(); a worker passed over as busy, or idle for a while, starts at 1 again.
    virtual int maxWindow() const { return 1; }
    // How long a worker may leave a connection unacknowledged before it counts as busy and gets
    // no more until it answers (it still gets none while its window is full).
    virtual std::chrono::nanoseconds busyAfter() const { return std::chrono::hours(1); }

    // Has room in its window for one more connection, has not left one unacknowledged for
    // busyAfter(), is not resting after running out of descriptors and is not at its server's
    // maxConnections.
    bool isFree(WorkerPrivate *worker) const;
    // Refused a connection at its server's maxConnections and has not said it has room since.
    bool isAtLimit(WorkerPrivate *worker) const { return m_atLimit.contains(worker); }
    // The free worker after the one picked last, in turn. A worker in turn that has held its
    // unacknowledged connection for less than `waitForTurn` is waited for instead: null, and
    // distribute() runs again once that wait is over.
    WorkerPrivate *nextFreeInTurn(std::chrono::nanoseconds waitForTurn = {});
    // A worker that was out of descriptors is passed over until its rest is over.
    bool isResting(WorkerPrivate *worker) const;
    // Queues a connection the primary accepted; distribute() hands it over when a worker is free.
    // The accept loop distributes once per pass, so that a burst is dealt out at once, in turn,
    // and each worker's share goes in one frame.
    void accepted(int fd);
    void distribute();

private:
    struct Handed
    {
        qint64 id; // 0 while dealt in this pass and not yet sent
        Connection connection;
        std::chrono::steady_clock::time_point handedAt;
    };
    // What one worker holds: the connections it has not acknowledged, oldest first.
    struct Holder
    {
        std::deque<Handed> handed;
        int window = 1;
        std::chrono::steady_clock::time_point lastAnswer;
        bool dealtThisPass = false; // has connections with id 0 to send
    };

    // How long the worker has held its oldest unacknowledged connection (zero when it holds
    // none).
    std::chrono::nanoseconds heldFor(WorkerPrivate *worker) const;
    int heldCount(WorkerPrivate *worker) const;
    // The worker was passed over as busy: it earns its window again once it answers.
    void passedOver(WorkerPrivate *worker);
    // A worker could not take `connection` for lack of descriptors: true if another one is to get
    // it, false once too many have refused it (it is closed then).
    bool refused(WorkerPrivate *worker, Connection &connection);
    // Closes a connection no worker can take, so that its client learns it at once.
    void closeUntaken(const Connection &connection);
    // Distributes again after `delay` even if nothing else happens.
    void retryIn(std::chrono::nanoseconds delay);
    // Adds `connection` to what `worker` holds, to be sent by sendDealt().
    void deal(WorkerPrivate *worker, const Connection &connection);
    // Sends each worker what was dealt to it in this pass, one frame per worker (at most
    // MaxFrameDescriptors connections each). A worker whose channel refuses it leaves the server
    // and its share goes back to the head of the queue: false then, to deal again.
    bool sendDealt();
    bool send(WorkerPrivate *worker, Holder &holder, qsizetype from, qsizetype count);
    using Connections = QVarLengthArray<Connection, MaxFrameDescriptors>;
    // Puts `connections` back at the head of the queue, in their order.
    void requeue(const Connections &connections);

    Acceptor *m_acceptor = nullptr;
    QTimer *m_retry = nullptr;
    std::deque<Connection> m_queue;
    QHash<WorkerPrivate *, Holder> m_holders;
    QList<WorkerPrivate *> m_dealtTo; // workers dealt to in this pass, in order
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
