// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Workers and a primary at their open-file limit: a connection a worker cannot receive goes to
// another worker or is closed, and nobody's other connections suffer for it.
#include "portharness.h"

#include <QDeadlineTimer>
#include <QSignalSpy>
#include <QTest>

#include <sys/resource.h>

using namespace LibCluster;
using namespace PortTest;

class tst_DescriptorLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workersRaiseTheirSoftLimit();
    void fullWorkerPassesConnectionsOn_data();
    void fullWorkerPassesConnectionsOn();
    void everyWorkerFullClosesTheConnection_data();
    void everyWorkerFullClosesTheConnection();
    void stickyClientStaysWithItsWorker();
    void acceptingWorkerResumes();
};

namespace {

// A cluster of `count` workers listening on one port of 127.0.0.1, each keeping every
// connection open after its answer, and watching for what must not happen: a worker that exits
// or reports an error.
struct Fixture
{
    QObject scope;
    Cluster *cluster = nullptr;
    QList<Worker *> workers;
    quint16 port = 0;
    std::unique_ptr<QSignalSpy> exits;
    std::unique_ptr<QSignalSpy> errors;

    bool start(SchedulingPolicy policy, int count)
    {
        cluster = newCluster(&scope, policy);
        exits = std::make_unique<QSignalSpy>(cluster, &Cluster::workerExited);
        errors = std::make_unique<QSignalSpy>(cluster, &Cluster::workerErrorOccurred);
        return forkWorkers(cluster, count, &workers)
            && listenAll(workers, tcpOnLoopback(0, QStringLiteral("keep")), &port);
    }

    // Leaves `worker` room for `spare` more descriptors; the number it could still receive.
    int limit(Worker *worker, int spare)
    {
        QCborMap command;
        command.insert(QStringLiteral("do"), QStringLiteral("limitfiles"));
        command.insert(QStringLiteral("spare"), spare);
        const QCborMap reply = call(worker, command);
        return reply.value(QStringLiteral("ok")).toBool()
            ? int(reply.value(QStringLiteral("free")).toInteger())
            : -1;
    }

    QList<Probe *> connect(int count)
    {
        QList<Probe *> probes;
        for (int i = 0; i < count; ++i)
            probes.append(Probe::tcp(port, &scope));
        return probes;
    }

    QString trouble() const
    {
        QStringList what;
        for (const QList<QVariant> &exit : std::as_const(*exits))
            what << QStringLiteral("a worker exited (code %1, signal %2)")
                        .arg(exit.at(1).toInt())
                        .arg(exit.at(2).toInt());
        for (const QList<QVariant> &error : std::as_const(*errors))
            what << QStringLiteral("error: %1").arg(error.at(2).toString());
        return what.join(QStringLiteral("; "));
    }
};

QMap<int, int> shares(const QList<Probe *> &probes)
{
    QMap<int, int> count;
    for (Probe *probe : probes)
        if (probe->isAnswered())
            ++count[probe->answer()];
    return count;
}

bool settled(const QList<Probe *> &probes)
{
    return std::all_of(probes.cbegin(), probes.cend(),
        [](Probe *p) { return p->isAnswered() || p->isDisconnected(); });
}

} // namespace

void tst_DescriptorLimits::workersRaiseTheirSoftLimit()
{
    // A primary started with systemd's soft limit of 1024 gives its workers that limit too;
    // both raise it to the hard one, as Node does.
    rlimit saved {};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    if (saved.rlim_max <= 256)
        QSKIP("the hard descriptor limit is 256 or less: raise it (ulimit -Hn, as root)");
    rlimit lowered = saved;
    lowered.rlim_cur = 256;
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    Fixture f;
    f.cluster = newCluster(&f.scope, SchedulingPolicy::RoundRobin);
    rlimit primary {};
    ::getrlimit(RLIMIT_NOFILE, &primary);
    ::setrlimit(RLIMIT_NOFILE, &saved);
    QCOMPARE(primary.rlim_cur, saved.rlim_max);

    QVERIFY(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    const bool forked = forkWorkers(f.cluster, 1, &f.workers);
    ::setrlimit(RLIMIT_NOFILE, &saved);
    QVERIFY(forked);
    QCborMap command;
    command.insert(QStringLiteral("do"), QStringLiteral("info"));
    const QCborMap info = call(f.workers.first(), command);
    QCOMPARE(info.value(QStringLiteral("nofileHard")).toInteger(), qint64(saved.rlim_max));
    QCOMPARE(info.value(QStringLiteral("nofileSoft")).toInteger(), qint64(saved.rlim_max));
}

void tst_DescriptorLimits::fullWorkerPassesConnectionsOn_data()
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::newRow("rr") << SchedulingPolicy::RoundRobin;
    QTest::newRow("leastconn") << SchedulingPolicy::LeastConnections;
}

void tst_DescriptorLimits::fullWorkerPassesConnectionsOn()
{
    QFETCH(SchedulingPolicy, policy);
    Fixture f;
    QVERIFY(f.start(policy, 2));
    const int room = f.limit(f.workers.at(0), 4);
    QVERIFY2(room >= 4, qPrintable(QString::number(room)));

    const QList<Probe *> probes = f.connect(30);
    QVERIFY2(waitAnswered(probes, f.cluster), qPrintable(f.trouble()));
    // Worker 1 took what it could and was passed over after that; worker 2 took the rest.
    const QMap<int, int> count = shares(probes);
    QVERIFY2(
        count.value(1) >= 1 && count.value(1) <= room, qPrintable(QString::number(count.value(1))));
    QCOMPARE(count.value(1) + count.value(2), 30);
    QVERIFY2(f.exits->isEmpty() && f.errors->isEmpty(), qPrintable(f.trouble()));
    for (Probe *probe : probes)
        QVERIFY(!probe->isDisconnected());

    // Worker 1 serves again once its clients leave.
    for (Probe *probe : probes)
        if (probe->answer() == 1)
            probe->close();
    QTRY_COMPARE(f.workers.at(0)->openConnections(), 0);
    // Worker 1's turn comes again once its short rest after running out is over.
    bool servedByFirst = false;
    for (QDeadlineTimer deadline(10000); !servedByFirst && !deadline.hasExpired();) {
        Probe *probe = Probe::tcp(f.port, &f.scope);
        QVERIFY2(waitAnswered({ probe }, f.cluster), qPrintable(probe->failure()));
        servedByFirst = probe->answer() == 1;
    }
    QVERIFY(servedByFirst);
    QVERIFY2(f.exits->isEmpty() && f.errors->isEmpty(), qPrintable(f.trouble()));
}

void tst_DescriptorLimits::everyWorkerFullClosesTheConnection_data()
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::newRow("rr") << SchedulingPolicy::RoundRobin;
    QTest::newRow("leastconn") << SchedulingPolicy::LeastConnections;
    QTest::newRow("sticky") << SchedulingPolicy::Sticky;
}

void tst_DescriptorLimits::everyWorkerFullClosesTheConnection()
{
    QFETCH(SchedulingPolicy, policy);
    Fixture f;
    QVERIFY(f.start(policy, 2));
    const int before = openDescriptorCount();
    const int room = f.limit(f.workers.at(0), 3) + f.limit(f.workers.at(1), 3);

    // More than both can hold: every connection is answered or closed, none left hanging.
    const QList<Probe *> probes = f.connect(room + 20);
    QTRY_VERIFY_WITH_TIMEOUT(settled(probes), 10000);
    const QMap<int, int> count = shares(probes);
    int answered = 0;
    for (int n : count)
        answered += n;
    QVERIFY2(answered >= 1 && answered <= room, qPrintable(QString::number(answered)));
    QVERIFY2(f.exits->isEmpty() && f.errors->isEmpty(), qPrintable(f.trouble()));
    // What was answered stays open.
    for (Probe *probe : probes)
        if (probe->isAnswered())
            QVERIFY(!probe->isDisconnected());

    // Nothing is left behind in the primary once the clients are gone.
    for (Probe *probe : probes) {
        probe->close();
        delete probe;
    }
    QTRY_COMPARE(openDescriptorCount(), before);
}

void tst_DescriptorLimits::stickyClientStaysWithItsWorker()
{
    Fixture f;
    QVERIFY(f.start(SchedulingPolicy::Sticky, 2));
    for (Worker *worker : std::as_const(f.workers))
        QVERIFY(f.limit(worker, 3) >= 3);
    // Every connection comes from 127.0.0.1: one worker's clients. What it cannot take is closed,
    // not moved to the other worker.
    const QList<Probe *> probes = f.connect(20);
    QTRY_VERIFY_WITH_TIMEOUT(settled(probes), 10000);
    const QMap<int, int> count = shares(probes);
    QCOMPARE(count.size(), 1);
    QVERIFY(count.first() >= 1);
    QVERIFY2(f.exits->isEmpty() && f.errors->isEmpty(), qPrintable(f.trouble()));
}

void tst_DescriptorLimits::acceptingWorkerResumes()
{
    // Where workers accept themselves, a worker out of descriptors waits for them to come back
    // instead of stopping for good.
    Fixture f;
    QVERIFY(f.start(SchedulingPolicy::None, 1));
    QVERIFY(f.limit(f.workers.first(), 3) >= 3);
    const QList<Probe *> probes = f.connect(12);
    // Each client leaves once answered, which gives the worker room for the next one.
    for (Probe *probe : probes)
        QObject::connect(probe, &Probe::answered, probe, [probe] { probe->close(); });
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(probes.cbegin(), probes.cend(), [](Probe *p) { return p->isAnswered(); }),
        10000);
    QVERIFY2(f.exits->isEmpty() && f.errors->isEmpty(), qPrintable(f.trouble()));
}

QTEST_GUILESS_MAIN(tst_DescriptorLimits)
#include "tst_descriptorlimits.moc"
