// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TcpServer::setMaxConnections() and LocalServer's, Node's server.maxConnections in a worker:
// under every policy a worker takes exactly as many connections as its limit allows; where the
// primary accepts, one at its limit is passed over (or drops them when asked to) and gets work
// again once it has room. Outside a cluster, a LocalServer keeps its limit too.
#include "portharness.h"

#include <libcluster/localserver.h>

#include <QEventLoop>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
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
    void localOutsideCluster();
    void localLimitBounds();
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

// A LocalServer on `path`, as limitedListen() (`max` -1 for no limit).
QCborMap localListen(const QString &path, int max, bool drop)
{
    QCborMap command = listenCommand(QStringLiteral("local"), QString(), 0, QStringLiteral("keep"));
    command.insert(QStringLiteral("name"), path);
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
void addLimitRows(const QList<int> &limits, bool everyPolicy, bool alsoLocal)
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("local"); // a LocalServer on a Unix socket path, not a TcpServer
    for (const bool local : { false, true })
        for (const auto &[name, policy] : namedPolicies())
            if ((everyPolicy || primaryAccepts(policy)) && (alsoLocal || !local))
                for (int max : limits)
                    QTest::addRow("%s%s, max %d", local ? "local, " : "", name, max)
                        << policy << max << local;
}

int servedBy(const QList<Probe *> &probes, int id)
{
    return int(std::count_if(
        probes.cbegin(), probes.cend(), [id](Probe *p) { return p->answer() == id; }));
}

} // namespace

void tst_MaxConnections::workerTakesItsLimit_data()
{
    addLimitRows({ 0, 1, 9 }, true, true);
}

// One worker, 10 connections kept open (to a TcpServer or a LocalServer): it serves exactly `max`,
// the others are closed at once (where the primary accepts, because the server asks for that with
// dropMaxConnection; where the worker accepts itself, as Node does).
void tst_MaxConnections::workerTakesItsLimit()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(int, max);
    QFETCH(bool, local);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("limited.sock"));
    QObject scope;
    QList<Worker *> workers;
    QVERIFY(startWorkers(&scope, policy, 1, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers,
        local ? localListen(path, max, primaryAccepts(policy))
              : limitedListen(max, primaryAccepts(policy)),
        &port));

    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < 10; ++i) {
        probes.append(local ? Probe::local(path, &clients) : Probe::tcp(port, &clients));
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
    addLimitRows({ 0, 1 }, false, true);
}

// Worker A (limited) listens first and is sent the first connection; worker B (no limit) joins.
// Every connection A cannot take goes to B, none is lost; one that came while A was the only
// worker waits for B. Once one of A's connections closes, A gets the next one again.
void tst_MaxConnections::workerAtLimitPassedOver()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(int, max);
    QFETCH(bool, local);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shared.sock"));
    const auto listen = [&](int limit) {
        return local ? localListen(path, limit, false) : limitedListen(limit, false);
    };
    QObject scope;
    QList<Worker *> workers;
    Cluster *cluster = startWorkers(&scope, policy, 2, &workers);
    QVERIFY(cluster);
    Worker *a = workers.at(0);
    Worker *b = workers.at(1);
    quint16 port = 0;
    QVERIFY(listenAll({ a }, listen(max), &port));

    QObject clients;
    const auto probe
        = [&] { return local ? Probe::local(path, &clients) : Probe::tcp(port, &clients); };
    QList<Probe *> probes;
    probes.append(probe());
    if (max > 0) {
        QVERIFY(waitAnswered(probes, cluster));
        QCOMPARE(probes.first()->answer(), a->id());
    }
    quint16 samePort = 0;
    QVERIFY(listenAll({ b }, listen(-1), &samePort));
    QCOMPARE(samePort, port);
    for (int i = 1; i < 10; ++i) {
        probes.append(probe());
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
    Probe *next = probe();
    QVERIFY(waitAnswered({ next }, cluster));
    QCOMPARE(next->answer(), a->id());
}

// Outside a cluster a LocalServer is a QLocalServer with Node's limit: the connection past it is
// closed at once (connectionDropped(), no newConnection()); once one closes, the next is taken.
void tst_MaxConnections::localOutsideCluster()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("plain.sock"));
    LocalServer server;
    server.setMaxConnections(1);
    QCOMPARE(server.maxConnections(), 1);
    QVERIFY2(server.listen(path), qPrintable(server.errorString()));
    QSignalSpy dropped(&server, &LocalServer::connectionDropped);

    QLocalSocket first;
    first.connectToServer(path);
    QVERIFY(server.waitForNewConnection(10000));
    QLocalSocket *taken = server.nextPendingConnection();
    QVERIFY(taken);
    QVERIFY(!server.hasPendingConnections());
    QCOMPARE(server.openConnections(), 1);

    QLocalSocket second;
    QSignalSpy secondGone(&second, &QLocalSocket::disconnected);
    second.connectToServer(path);
    QVERIFY(dropped.wait(10000));
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(secondGone.count() > 0 || secondGone.wait(10000));

    // Room again once the first connection has gone.
    taken->disconnectFromServer();
    QTRY_COMPARE(server.openConnections(), 0);
    QLocalSocket third;
    third.connectToServer(path);
    QVERIFY(server.waitForNewConnection(10000));
    QVERIFY(server.nextPendingConnection());
    QCOMPARE(dropped.count(), 1);

    // Pending connections go with the server when it closes, as QLocalServer's do.
    QLocalSocket fourth;
    QSignalSpy fourthGone(&fourth, &QLocalSocket::disconnected);
    server.setMaxConnections(-1);
    fourth.connectToServer(path);
    QVERIFY(server.waitForNewConnection(10000));
    QVERIFY(server.hasPendingConnections());
    server.close();
    QVERIFY(!server.hasPendingConnections());
    QVERIFY(fourthGone.count() > 0 || fourthGone.wait(10000));
}

// Every value outside -1..MaxConnectionsLimit is refused with a warning, and the limit stays.
void tst_MaxConnections::localLimitBounds()
{
    LocalServer server;
    server.setMaxConnections(5);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("LocalServer::setMaxConnections\\(-2\\) ignored")));
    server.setMaxConnections(-2);
    QCOMPARE(server.maxConnections(), 5);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("LocalServer::setMaxConnections\\(%1\\) ignored")
                               .arg(LocalServer::MaxConnectionsLimit + 1)));
    server.setMaxConnections(LocalServer::MaxConnectionsLimit + 1);
    QCOMPARE(server.maxConnections(), 5);
    server.setMaxConnections(-1);
    QCOMPARE(server.maxConnections(), -1);
}

QTEST_MAIN(tst_MaxConnections)
#include "tst_maxconnections.moc"
