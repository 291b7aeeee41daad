// The policies where the primary accepts: each connection is handed to one worker, which
// acknowledges it before it gets another (Node's round-robin "smarts"). A busy worker therefore
// stops getting work, and a connection whose worker dies or closes before taking it goes to
// another worker instead of being lost.
#pragma once

#include "sharedserver.h"

#include <QHash>

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
    void acknowledge(WorkerPrivate *worker, qint64 connection, bool accepted) override;

protected:
    struct Connection
    {
        int fd = -1;
        QString peer; // client address, for policies that look at it
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

    bool isFree(WorkerPrivate *worker) const { return !m_inFlight.contains(worker); }
    // The free worker after the one picked last, in turn. A worker in turn that has held its
    // unacknowledged connection for less than `waitForTurn` is waited for instead: null, and
    // distribute() runs again once that wait is over.
    WorkerPrivate *nextFreeInTurn(std::chrono::nanoseconds waitForTurn = {});

private:
    struct InFlight
    {
        qint64 id;
        Connection connection;
        std::chrono::steady_clock::time_point handedAt;
    };

    // How long the worker has held its unacknowledged connection (zero when it holds none).
    std::chrono::nanoseconds heldFor(WorkerPrivate *worker) const;
    // Distributes again after `delay` even if nothing else happens.
    void retryIn(std::chrono::nanoseconds delay);
    void accepted(int fd);
    void distribute();
    bool handOver(WorkerPrivate *worker, const Connection &connection);

    Acceptor *m_acceptor = nullptr;
    QTimer *m_retry = nullptr;
    std::deque<Connection> m_queue;
    QHash<WorkerPrivate *, InFlight> m_inFlight;
    qint64 m_nextConnectionId = 0;
    int m_turn = 0; // index in m_workers of the worker whose turn is next
    bool m_distributing = false;
};

} // namespace LibCluster::Internal
