// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What the port suites share: clusters of portworker processes driven by commands, and clients
// that connect for real (a blocking loop in a thread of its own, or one socket on the event loop).
#pragma once

#include <libcluster/cluster.h>

#include <QCborMap>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

class QIODevice;

namespace PortTest {

// A cluster that forks portworker; `policy` unset leaves the choice to the environment.
LibCluster::Cluster *newCluster(
    QObject *parent, std::optional<LibCluster::SchedulingPolicy> policy);
// Forks `count` workers and waits until every one is online.
[[nodiscard]] bool forkWorkers(
    LibCluster::Cluster *cluster, int count, QList<LibCluster::Worker *> *workers);

// A cluster under `policy` with `count` workers, all online; null when they did not all come
// online in time.
LibCluster::Cluster *startWorkers(QObject *parent, LibCluster::SchedulingPolicy policy, int count,
    QList<LibCluster::Worker *> *workers);

// Sends a command ({do: ...}) and waits for the worker's answer to it; empty on timeout.
QCborMap call(LibCluster::Worker *worker, QCborMap command,
    const LibCluster::Handle &handle = LibCluster::Handle(), int timeout = 10000);

QCborMap listenCommand(const QString &kind, const QString &address, quint16 port,
    const QString &mode = QStringLiteral("answer"));
// TcpServer on 127.0.0.1.
QCborMap tcpOnLoopback(quint16 port = 0, const QString &mode = QStringLiteral("answer"));
// Closes the worker's `server`-th server.
QCborMap closeCommand(int server);
// Every policy with its short name (as LIBCLUSTER_SCHED_POLICY spells it).
QList<QPair<const char *, LibCluster::SchedulingPolicy>> namedPolicies();
// A "policy" column (LibCluster::SchedulingPolicy) with one row per policy.
void addPolicyRows();
// Every worker runs `command`; true when each succeeded, all on one port (stored in `port`).
[[nodiscard]] bool listenAll(const QList<LibCluster::Worker *> &workers, const QCborMap &command,
    quint16 *port, QList<QCborMap> *replies = nullptr);

// Entries of /proc/self/fd, without the one used to read it.
int openDescriptorCount();

// For its lifetime, this thread binds ports as a normal user does: CAP_NET_BIND_SERVICE is
// lowered from its effective capabilities (a root test process could bind any port otherwise).
class WithoutBindPrivilege
{
public:
    WithoutBindPrivilege();
    ~WithoutBindPrivilege();
    WithoutBindPrivilege(const WithoutBindPrivilege &) = delete;
    WithoutBindPrivilege &operator=(const WithoutBindPrivilege &) = delete;

private:
    bool m_lowered = false;
};

// Connects `count` times in a row from a thread of its own with blocking sockets; each time it
// reads what the server writes until the server closes, and keeps the worker id of the first
// line. The primary's event loop stays free: wait for finished() with a QSignalSpy.
class ClientLoop : public QObject
{
    Q_OBJECT

public:
    ClientLoop(quint16 port, int count, QObject *parent = nullptr);
    ~ClientLoop() override;

    // Source addresses, used in turn; by default the kernel picks.
    void setSources(const QList<QHostAddress> &sources) { m_sources = sources; }
    // Stop before connection number `index` (from 0) until resume(); paused() says so.
    void setPauseBefore(int index) { m_pauseBefore = index; }

    void start();
    void resume();
    // Starts and waits for the end; false on timeout.
    [[nodiscard]] bool run(int timeout = 30000);

    // Once finished: the worker id each connection got, 0 where it got none.
    QList<int> answers() const { return m_answers; }
    int failureCount() const;
    // The first few failures, for messages.
    QString failureSummary() const;

Q_SIGNALS:
    void paused();
    void finished();

private:
    void work();

    QHostAddress m_host = QHostAddress(QHostAddress::LocalHost);
    quint16 m_port;
    int m_count;
    QList<QHostAddress> m_sources;
    int m_pauseBefore = -1;
    QList<int> m_answers;
    QStringList m_failures;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_resumed;
    bool m_resume = false;
    std::atomic<bool> m_stop = false; // the test is over: no more connections
};

// Two clients connecting one connection after another, for a test that changes the cluster
// (kills a worker, closes a server) between two connections of one client while the other's are
// in flight: `paced` (220 connections) stops before its 21st until finish(), `steady` (300)
// keeps connecting throughout.
class PacedLoad
{
public:
    explicit PacedLoad(quint16 port);
    // Starts both clients; true once `paced` has stopped.
    [[nodiscard]] bool startAndPause();
    // Lets `paced` go on; true once both have finished.
    [[nodiscard]] bool finish();

    ClientLoop paced;
    ClientLoop steady;
};

// One connection on the event loop (TCP or a Unix socket): what the server writes, and whether
// the connection has ended.
class Probe : public QObject
{
    Q_OBJECT

public:
    static Probe *tcp(quint16 port, QObject *parent,
        const QHostAddress &host = QHostAddress(QHostAddress::LocalHost));
    static Probe *local(const QString &path, QObject *parent);

    // The worker id of the first complete line; 0 until one came.
    int answer() const;
    bool isAnswered() const { return answer() > 0; }
    // Everything the server wrote so far.
    QByteArray received() const { return m_data; }
    bool isDisconnected() const { return m_disconnected; }
    // The connection failed or ended without an answer; why.
    QString failure() const { return m_failure; }
    void close();

Q_SIGNALS:
    void answered();
    void disconnected();
    void failed();

private:
    explicit Probe(QIODevice *device, QObject *parent);
    void readAvailable();
    void ended(const QString &why);

    QPointer<QIODevice> m_device;
    QByteArray m_data;
    bool m_disconnected = false;
    QString m_failure;
};

// Waits until every probe has answered; gives up early when one fails or a worker of `watch`
// exits.
[[nodiscard]] bool waitAnswered(
    const QList<Probe *> &probes, LibCluster::Cluster *watch = nullptr, int timeout = 10000);

} // namespace PortTest
