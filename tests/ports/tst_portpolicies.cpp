// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The scheduling policies: each serves a shared port and loses nothing when a worker is killed
// or closes its server; how the policy is chosen (settings, LIBCLUSTER_SCHED_POLICY) and
// frozen; connection counts; sticky and least-connections choices.
#include "portharness.h"

#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace LibCluster;
using namespace PortTest;

Q_DECLARE_METATYPE(std::optional<LibCluster::SchedulingPolicy>)

class tst_PortPolicies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyPolicyServes_data();
    void everyPolicyServes();
    void killedWorkerLosesNothing_data();
    void killedWorkerLosesNothing();
    void closedServerLosesNothing_data();
    void closedServerLosesNothing();
    void policyFromEnvironment_data();
    void policyFromEnvironment();
    void policyFrozenAtFirstFork();
    void settingsShowPolicy();
    void connectionCounts_data();
    void connectionCounts();
    void stickyKeepsClientOnWorker();
    void stickyClientsMoveOnceTheirWorkerDies();
    void leastConnectionsPicksIdlest();
};

namespace {

const char policyVariable[] = "LIBCLUSTER_SCHED_POLICY";

// Sets LIBCLUSTER_SCHED_POLICY (unset for a null value) and puts the old value back when it
// goes out of scope.
class PolicyEnvironment
{
public:
    explicit PolicyEnvironment(const QByteArray &value)
        : m_wasSet(qEnvironmentVariableIsSet(policyVariable))
        , m_old(qgetenv(policyVariable))
    {
        set(value);
    }
    ~PolicyEnvironment()
    {
        if (m_wasSet)
            qputenv(policyVariable, m_old);
        else
            qunsetenv(policyVariable);
    }
    void set(const QByteArray &value)
    {
        if (value.isNull())
            qunsetenv(policyVariable);
        else
            qputenv(policyVariable, value);
    }

private:
    bool m_wasSet;
    QByteArray m_old;
};

int sumOpen(const QList<Worker *> &workers)
{
    int sum = 0;
    for (Worker *worker : workers)
        sum += worker->openConnections();
    return sum;
}

qint64 sumAccepted(const QList<Worker *> &workers)
{
    qint64 sum = 0;
    for (Worker *worker : workers)
        sum += worker->connectionsAccepted();
    return sum;
}

// Four workers under one policy, all serving tcpOnLoopback() on one port.
struct Serving
{
    QObject scope;
    QList<Worker *> workers;
    quint16 port = 0;

    [[nodiscard]] bool start(SchedulingPolicy policy)
    {
        return startWorkers(&scope, policy, 4, &workers)
            && listenAll(workers, tcpOnLoopback(), &port);
    }
};

} // namespace

void tst_PortPolicies::everyPolicyServes_data()
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::addColumn<int>("workerCount");
    for (const auto &[name, policy] : namedPolicies())
        for (int count : { 2, 4 })
            QTest::addRow("%s, %d workers", name, count) << policy << count;
}

void tst_PortPolicies::everyPolicyServes()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(int, workerCount);
    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, workerCount, &workers));
    QCOMPARE(cluster->schedulingPolicy(), policy);
    quint16 port = 0;
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port, &replies));
    QVERIFY(port != 0);
    // Only ReusePort gives each worker a socket of its own in the SO_REUSEPORT group.
    for (const QCborMap &reply : std::as_const(replies))
        QCOMPARE(reply.value(QStringLiteral("reusePort")).toBool(),
            policy == SchedulingPolicy::ReusePort);

    ClientLoop loop(port, 40);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
    for (int id : loop.answers())
        QVERIFY2(id >= 1 && id <= workerCount, qPrintable(QString::number(id)));
    // Round-robin gives every worker its turn (how evenly: tst_roundrobin).
    if (policy == SchedulingPolicy::RoundRobin) {
        for (int id = 1; id <= workerCount; ++id)
            QVERIFY2(loop.answers().contains(id), qPrintable(QString::number(id)));
    }
}

void tst_PortPolicies::killedWorkerLosesNothing_data()
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::addColumn<bool>("throughApi");
    for (const auto &[name, policy] : namedPolicies()) {
        QTest::addRow("%s, Worker::kill(SIGKILL)", name) << policy << true;
        QTest::addRow("%s, SIGKILL behind the primary's back", name) << policy << false;
    }
}

// A worker killed while two clients connect one connection after another: every connection
// made after the kill is served, by the others. One client pauses so that the kill falls
// between two of its connections; the other keeps connecting throughout, so the kill also
// meets connections in flight: it may lose the one connection the victim had already taken.
// ReusePort too: the kernel resets what waits in a listening socket that closes, so the primary
// keeps a copy of each worker's socket and hands what waits there to the others.
void tst_PortPolicies::killedWorkerLosesNothing()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(bool, throughApi);
    Serving serving;
    QVERIFY(serving.start(policy));
    const QList<Worker *> &workers = serving.workers;

    PacedLoad load(serving.port);
    QVERIFY(load.startAndPause());
    // The busiest worker so far: under Sticky, the one both clients (one address) are on.
    QTRY_VERIFY_WITH_TIMEOUT(sumAccepted(workers) >= 20, 10000);
    Worker *victim = *std::max_element(workers.cbegin(), workers.cend(),
        [](Worker *a, Worker *b) { return a->connectionsAccepted() < b->connectionsAccepted(); });
    const int victimId = victim->id();
    QSignalSpy exited(victim, &Worker::exited);
    if (throughApi)
        victim->kill(SIGKILL);
    else
        QCOMPARE(::kill(pid_t(victim->processId()), SIGKILL), 0);
    QVERIFY(load.finish());

    QVERIFY2(load.paced.failureCount() == 0, qPrintable(load.paced.failureSummary()));
    QVERIFY2(load.steady.failureCount() <= 1, qPrintable(load.steady.failureSummary()));
    QVERIFY(!load.paced.answers().mid(20).contains(victimId));
    QVERIFY(!exited.isEmpty() || exited.wait());
    QCOMPARE(exited.first().at(1).toInt(), SIGKILL);
}

void tst_PortPolicies::closedServerLosesNothing_data()
{
    addPolicyRows();
}

// A worker that closes its server (and lives on) while clients connect: nothing is lost, and it
// gets no connection once its close is answered. Under ReusePort the closed socket is the
// worker's own, with the connections the kernel routed to it waiting there.
void tst_PortPolicies::closedServerLosesNothing()
{
    QFETCH(SchedulingPolicy, policy);
    Serving serving;
    QVERIFY(serving.start(policy));
    Worker *closing = serving.workers.at(2);
    const int descriptors = openDescriptorCount();

    PacedLoad load(serving.port);
    QVERIFY(load.startAndPause());
    const QCborMap closed = call(closing, closeCommand(0));
    QCOMPARE(closed.value(QStringLiteral("listening")).toBool(), false);
    QVERIFY(load.finish());

    QVERIFY2(load.paced.failureCount() == 0, qPrintable(load.paced.failureSummary()));
    QVERIFY2(load.steady.failureCount() == 0, qPrintable(load.steady.failureSummary()));
    // The close reached the primary (or closed the worker's own socket) before the answer came.
    QVERIFY(!load.paced.answers().mid(20).contains(closing->id()));
    QVERIFY(closing->isConnected());
    // ReusePort: the primary closes its copy of that worker's socket after a short grace. The
    // others have no descriptor per worker.
    const int kept = policy == SchedulingPolicy::ReusePort ? descriptors - 1 : descriptors;
    QTRY_COMPARE_WITH_TIMEOUT(openDescriptorCount(), kept, 5000);
}

void tst_PortPolicies::policyFromEnvironment_data()
{
    QTest::addColumn<QByteArray>("environment");
    QTest::addColumn<std::optional<SchedulingPolicy>>("configured");
    QTest::addColumn<SchedulingPolicy>("expected");
    const std::optional<SchedulingPolicy> unset;
    QTest::newRow("rr") << QByteArray("rr") << unset << SchedulingPolicy::RoundRobin;
    QTest::newRow("none") << QByteArray("none") << unset << SchedulingPolicy::None;
    QTest::newRow("reuseport") << QByteArray("reuseport") << unset << SchedulingPolicy::ReusePort;
    QTest::newRow("leastconn") << QByteArray("leastconn") << unset
                               << SchedulingPolicy::LeastConnections;
    QTest::newRow("sticky") << QByteArray("sticky") << unset << SchedulingPolicy::Sticky;
    QTest::newRow("unset") << QByteArray() << unset << SchedulingPolicy::RoundRobin;
    QTest::newRow("unknown name") << QByteArray("fastest") << unset << SchedulingPolicy::RoundRobin;
    QTest::newRow("settings win over none")
        << QByteArray("none") << std::optional(SchedulingPolicy::RoundRobin)
        << SchedulingPolicy::RoundRobin;
    QTest::newRow("settings win over rr")
        << QByteArray("rr") << std::optional(SchedulingPolicy::ReusePort)
        << SchedulingPolicy::ReusePort;
}

void tst_PortPolicies::policyFromEnvironment()
{
    QFETCH(QByteArray, environment);
    QFETCH(std::optional<SchedulingPolicy>, configured);
    QFETCH(SchedulingPolicy, expected);
    QObject scope;
    QList<Worker *> workers;
    Cluster *cluster = nullptr;
    {
        const PolicyEnvironment env(environment);
        cluster = newCluster(&scope, configured);
        QCOMPARE(cluster->schedulingPolicy(), expected);
        QVERIFY(forkWorkers(cluster, 2, &workers));
    }
    // Read at the first fork, not later.
    QCOMPARE(cluster->schedulingPolicy(), expected);
    quint16 port = 0;
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port, &replies));
    QCOMPARE(replies.first().value(QStringLiteral("reusePort")).toBool(),
        expected == SchedulingPolicy::ReusePort);
    ClientLoop loop(port, 10);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
}

void tst_PortPolicies::policyFrozenAtFirstFork()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::Sticky);
    Settings none;
    none.setSchedulingPolicy(SchedulingPolicy::None);
    cluster->setupPrimary(none);
    // Not frozen before the first fork: the last setting counts.
    QCOMPARE(cluster->schedulingPolicy(), SchedulingPolicy::None);

    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 1, &workers));
    Settings reusePort;
    reusePort.setSchedulingPolicy(SchedulingPolicy::ReusePort);
    cluster->setupPrimary(reusePort);
    QCOMPARE(cluster->schedulingPolicy(), SchedulingPolicy::None);
    {
        const PolicyEnvironment env("reuseport");
        QCOMPARE(cluster->schedulingPolicy(), SchedulingPolicy::None);
        QVERIFY(forkWorkers(cluster, 1, &workers));
    }
    QCOMPARE(cluster->schedulingPolicy(), SchedulingPolicy::None);

    // The servers follow the frozen policy too: one shared socket, no SO_REUSEPORT group.
    quint16 port = 0;
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port, &replies));
    for (const QCborMap &reply : std::as_const(replies))
        QCOMPARE(reply.value(QStringLiteral("reusePort")).toBool(), false);
    ClientLoop loop(port, 10);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
}

void tst_PortPolicies::settingsShowPolicy()
{
    const PolicyEnvironment env(QByteArray {});
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::LeastConnections);
    // settings() is "the settings later forks use": the policy set is part of them.
    QCOMPARE(cluster->settings().schedulingPolicy(), SchedulingPolicy::LeastConnections);
}

void tst_PortPolicies::connectionCounts_data()
{
    addPolicyRows();
}

void tst_PortPolicies::connectionCounts()
{
    QFETCH(SchedulingPolicy, policy);
    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(0, QStringLiteral("keep")), &port));
    QSignalSpy firstChanged(workers.at(0), &Worker::connectionCountsChanged);
    QSignalSpy secondChanged(workers.at(1), &Worker::connectionCountsChanged);
    QCOMPARE(sumOpen(workers), 0);
    QCOMPARE(sumAccepted(workers), 0);

    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < 3; ++i) {
        probes.append(Probe::tcp(port, &clients));
        QVERIFY(waitAnswered({ probes.last() }, cluster));
    }
    QTRY_COMPARE(sumOpen(workers), 3);
    QCOMPARE(sumAccepted(workers), 3);
    QVERIFY(firstChanged.size() + secondChanged.size() > 0);
    for (Worker *worker : std::as_const(workers)) {
        const auto served = std::count_if(probes.cbegin(), probes.cend(),
            [worker](Probe *p) { return p->answer() == worker->id(); });
        QCOMPARE(worker->openConnections(), int(served));
        QCOMPARE(worker->connectionsAccepted(), qint64(served));
    }

    for (Probe *probe : std::as_const(probes))
        probe->close();
    QTRY_COMPARE(sumOpen(workers), 0);
    QCOMPARE(sumAccepted(workers), 3);
}

void tst_PortPolicies::stickyKeepsClientOnWorker()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::Sticky);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 4, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port));

    ClientLoop same(port, 20);
    same.setSources({ QHostAddress(QStringLiteral("127.0.0.1")) });
    QVERIFY(same.run());
    QVERIFY2(same.failureCount() == 0, qPrintable(same.failureSummary()));
    QCOMPARE(QSet<int>(same.answers().cbegin(), same.answers().cend()).size(), 1);

    // 127.0.0.2 .. 127.0.0.9, three rounds: each address keeps its worker; they spread.
    QList<QHostAddress> sources;
    for (int i = 2; i <= 9; ++i)
        sources.append(QHostAddress(QStringLiteral("127.0.0.%1").arg(i)));
    ClientLoop spread(port, 24);
    spread.setSources(sources);
    QVERIFY(spread.run());
    QVERIFY2(spread.failureCount() == 0, qPrintable(spread.failureSummary()));
    const QList<int> answers = spread.answers();
    QSet<int> used;
    for (int i = 0; i < answers.size(); ++i) {
        QCOMPARE(answers.at(i), answers.at(i % 8));
        used.insert(answers.at(i));
    }
    QVERIFY2(used.size() > 1, qPrintable(QStringLiteral("%1 worker(s) used").arg(used.size())));
}

// "While that worker lives": when a client's worker dies, each of its clients moves to one
// other worker and stays there; clients of the other workers stay where they were.
void tst_PortPolicies::stickyClientsMoveOnceTheirWorkerDies()
{
    QObject scope;
    QList<Worker *> workers;
    Cluster *cluster = startWorkers(&scope, SchedulingPolicy::Sticky, 4, &workers);
    QVERIFY(cluster);
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port));

    // 127.0.0.2 .. 127.0.0.13: each address to its worker, three to each of the four.
    QList<QHostAddress> sources;
    for (int i = 2; i <= 13; ++i)
        sources.append(QHostAddress(QStringLiteral("127.0.0.%1").arg(i)));
    const auto workerPerSource = [&](int rounds, QList<int> *perSource) {
        ClientLoop loop(port, int(sources.size()) * rounds);
        loop.setSources(sources);
        if (!loop.run() || loop.failureCount() != 0) {
            qWarning() << loop.failureSummary();
            return false;
        }
        const QList<int> answers = loop.answers();
        perSource->clear();
        for (int i = 0; i < answers.size(); ++i) {
            // Every round, each address gets the worker it had in the first.
            if (answers.at(i) != answers.at(i % sources.size())) {
                qWarning() << "source" << i % sources.size() << "moved:" << answers;
                return false;
            }
        }
        *perSource = answers.mid(0, sources.size());
        return true;
    };
    QList<int> before;
    QVERIFY(workerPerSource(2, &before));
    const int victimId = before.first();
    const int victimClients = int(before.count(victimId));
    QVERIFY(victimClients > 0);

    Worker *victim = cluster->workerById(victimId);
    QSignalSpy exited(victim, &Worker::exited);
    QCOMPARE(::kill(pid_t(victim->processId()), SIGKILL), 0);
    QVERIFY(exited.wait(10000));

    QList<int> after;
    QVERIFY(workerPerSource(3, &after));
    for (int i = 0; i < sources.size(); ++i) {
        if (before.at(i) == victimId)
            QVERIFY2(after.at(i) != victimId && cluster->workerById(after.at(i)),
                qPrintable(QStringLiteral("source %1: worker %2").arg(i).arg(after.at(i))));
        else
            QCOMPARE(after.at(i), before.at(i));
    }
}

void tst_PortPolicies::leastConnectionsPicksIdlest()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::LeastConnections);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(0, QStringLiteral("keep")), &port));

    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < 4; ++i) {
        probes.append(Probe::tcp(port, &clients));
        QVERIFY(waitAnswered({ probes.last() }, cluster));
    }
    const int a = probes.first()->answer();
    const int b = a == 1 ? 2 : 1;
    const auto servedBy = [&probes](int id) {
        return std::count_if(probes.cbegin(), probes.cend(),
            [id](Probe *p) { return p->answer() == id && !p->isDisconnected(); });
    };
    QCOMPARE(servedBy(a), 2);
    QCOMPARE(servedBy(b), 2);

    // Worker a becomes idle, b still holds two: the next two both go to a (round-robin would
    // alternate).
    for (Probe *probe : std::as_const(probes))
        if (probe->answer() == a)
            probe->close();
    QTRY_COMPARE(cluster->workerById(a)->openConnections(), 0);
    QTRY_COMPARE(cluster->workerById(b)->openConnections(), 2);
    for (int i = 0; i < 2; ++i) {
        Probe *probe = Probe::tcp(port, &clients);
        QVERIFY(waitAnswered({ probe }, cluster));
        QCOMPARE(probe->answer(), a);
    }
}

QTEST_MAIN(tst_PortPolicies)
#include "tst_portpolicies.moc"
