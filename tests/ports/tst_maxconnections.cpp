// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TcpServer::setMaxConnections(), Node's server.maxConnections in a worker: under every policy a
// worker takes exactly as many connections as its limit allows; where the primary accepts, one
// at its limit is passed over (or drops them when asked to) and gets work again once it has room.
#include "portharness.h"

#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace LibCluster;
using namespace PortTest;

class tst_MaxConnections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerTakesItsLimit_data();
    void workerTakesItsLimit();
    void workerAtLimitPassedOver_data();
    void workerAtLimitPassedOver();
};

namespace {

QCborMap limitedListen(int max, bool drop)
{
    QCborMap command = tcpOnLoopback(0, QStringLiteral("keep"));
    if (max >= 0)
        command.insert(QStringLiteral("max"), max);
    command.insert(QStringLiteral("drop"), drop);
    return command;
}

// Waits until the probe has an answer or has ended without one.
bool settled(Probe *probe)
{
    const auto done = [probe] { return probe->isAnswered() || probe->isDisconnected(); };
    if (done())
        return true;
    QEventLoop loop;
    QObject::connect(probe, &Probe::answered, &loop, &QEventLoop::quit);
    QObject::connect(probe, &Probe::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

bool primaryAccepts(SchedulingPolicy policy)
{
    return policy != SchedulingPolicy::None && policy != SchedulingPolicy::ReusePort;
}

// "policy" and "max" columns: every policy (or only those where the primary accepts) with
// every limit.
void addLimitRows(const QList<int> &limits, bool everyPolicy)
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::addColumn<int>("max");
    for (const auto &[name, policy] : namedPolicies())
        if (everyPolicy || primaryAccepts(policy))
            for (int max : limits)
                QTest::addRow("%s, max %d", name, max) << policy << max;
}

int servedBy(const QList<Probe *> &probes, int id)
{
    return int(std::count_if(
        probes.cbegin(), probes.cend(), [id](Probe *p) { return p->answer() == id; }));
}

} // namespace

void tst_MaxConnections::workerTakesItsLimit_data()
{
    addLimitRows({ 0, 1, 9 }, true);
}

// One worker, 10 connections kept open: it serves exactly `max`, the others are closed at once
// (where the primary accepts, because the server asks for that with dropMaxConnection; where
// the worker accepts itself, as Node does).
void tst_MaxConnections::workerTakesItsLimit()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(int, max);
    QObject scope;
    QList<Worker *> workers;
    QVERIFY(startWorkers(&scope, policy, 1, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, limitedListen(max, primaryAccepts(policy)), &port));

    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < 10; ++i) {
        probes.append(Probe::tcp(port, &clients));
        QVERIFY(settled(probes.last()));
    }
    QCOMPARE(servedBy(probes, workers.first()->id()), max);
    const auto dropped = std::count_if(probes.cbegin(), probes.cend(),
        [](Probe *p) { return !p->isAnswered() && p->isDisconnected(); });
    QCOMPARE(int(dropped), 10 - max);
    QTRY_COMPARE(workers.first()->openConnections(), max);
}

void tst_MaxConnections::workerAtLimitPassedOver_data()
{
    addLimitRows({ 0, 1 }, false);
}

// Worker A (limited) listens first and is sent the first connection; worker B (no limit) joins.
// Every connection A cannot take goes to B, none is lost; one that came while A was the only
// worker waits for B. Once one of A's connections closes, A gets the next one again.
void tst_MaxConnections::workerAtLimitPassedOver()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(int, max);
    QObject scope;
    QList<Worker *> workers;
    Cluster *cluster = startWorkers(&scope, policy, 2, &workers);
    QVERIFY(cluster);
    Worker *a = workers.at(0);
    Worker *b = workers.at(1);
    quint16 port = 0;
    QVERIFY(listenAll({ a }, limitedListen(max, false), &port));

    QObject clients;
    QList<Probe *> probes;
    probes.append(Probe::tcp(port, &clients));
    if (max > 0) {
        QVERIFY(waitAnswered(probes, cluster));
        QCOMPARE(probes.first()->answer(), a->id());
    }
    quint16 samePort = 0;
    QVERIFY(listenAll({ b }, limitedListen(-1, false), &samePort));
    QCOMPARE(samePort, port);
    for (int i = 1; i < 10; ++i) {
        probes.append(Probe::tcp(port, &clients));
        QVERIFY(waitAnswered({ probes.last() }, cluster));
    }
    QVERIFY(waitAnswered(probes, cluster));
    QCOMPARE(servedBy(probes, a->id()), max);
    QCOMPARE(servedBy(probes, b->id()), 10 - max);
    if (max == 0)
        return;

    // A's connection closes: once the primary knows (A's count reaches it after A's word that it
    // has room), A is no longer passed over.
    probes.first()->close();
    QTRY_COMPARE(a->openConnections(), 0);
    Probe *next = Probe::tcp(port, &clients);
    QVERIFY(waitAnswered({ next }, cluster));
    QCOMPARE(next->answer(), a->id());
}

QTEST_MAIN(tst_MaxConnections)
#include "tst_maxconnections.moc"
