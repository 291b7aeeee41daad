// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A disconnecting worker ends its keep-alive connections instead of sitting out its 10-second
// drain: a busy connection's next answer says `Connection: close`, a request sent the moment
// the disconnect begins is still answered, idle connections close after TcpServer's grace.
// hello-http, a QHttpServer bound to a TcpServer (portworker "http"), and a plain TcpServer.
#include "keepaliveclient.h"
#include "portharness.h"

#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace LibCluster;
using namespace PortTest;

namespace {

// How long a disconnect may take here: the 1-second grace for idle connections, and room for a
// busy machine; far below the 10-second drain a disconnect took when nothing ended connections.
constexpr int DisconnectBound = 3000;

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::Any, 0))
        return 0;
    return probe.serverPort();
}

// One worker serving HTTP on a port of its own: hello-http, or portworker's QHttpServer.
Worker *startHttpWorker(QObject *scope, const QString &server, quint16 *port)
{
    if (server == QLatin1String("QHttpServer")) {
        Cluster *cluster = newCluster(scope, SchedulingPolicy::RoundRobin);
        QList<Worker *> workers;
        if (!forkWorkers(cluster, 1, &workers)
            || !listenAll(workers,
                listenCommand(QStringLiteral("http"), QStringLiteral("127.0.0.1"), 0), port))
            return nullptr;
        return workers.first();
    }
#ifdef HELLO_HTTP_PATH
    *port = freePort();
    auto *cluster = new Cluster(scope);
    Settings settings;
    settings.setExec(QStringLiteral(HELLO_HTTP_PATH));
    settings.setArgs({ QStringLiteral("--port"), QString::number(*port) });
    settings.setSchedulingPolicy(SchedulingPolicy::RoundRobin);
    settings.setSilent(true);
    cluster->setupPrimary(settings);
    Worker *worker = cluster->fork();
    QSignalSpy listening(worker, &Worker::listening);
    if (!listening.wait(10000))
        return nullptr;
    return worker;
#else
    return nullptr;
#endif
}

} // namespace

class tst_Drain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void httpConnectionsEnd_data();
    void httpConnectionsEnd();
    void quietTcpConnectionCloses();
    void closingIdleTimeout();
    void drainIsBounded();
};

// Three keep-alive connections to a worker that is asked to disconnect: one busy with request
// after request, one idle that sends a request just after the disconnect began, one idle that
// never sends again. Every request is answered; the last answer on each connection carries
// `Connection: close`; every connection ends; the worker disconnects and exits with 0, all
// within DisconnectBound.
void tst_Drain::httpConnectionsEnd_data()
{
    QTest::addColumn<QString>("server");
    QTest::newRow("hello-http") << QStringLiteral("hello-http");
    QTest::newRow("QHttpServer") << QStringLiteral("QHttpServer");
}

void tst_Drain::httpConnectionsEnd()
{
    QFETCH(QString, server);
#ifndef HELLO_HTTP_PATH
    if (server == QLatin1String("hello-http"))
        QSKIP("needs the hello-http example (LIBCLUSTER_BUILD_EXAMPLES)");
#endif
    QObject scope;
    quint16 port = 0;
    Worker *worker = startHttpWorker(&scope, server, &port);
    QVERIFY(worker);
    QVERIFY(port);

    KeepAliveClient busy(port), late(port), idle(port);
    for (KeepAliveClient *client : { &busy, &late, &idle }) {
        client->open();
        QVERIFY(client->sendRequest());
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        busy.answers() == 1 && late.answers() == 1 && idle.answers() == 1, 10000);
    busy.setContinuous(true);
    QTRY_VERIFY_WITH_TIMEOUT(busy.answers() >= 5, 10000);

    QSignalSpy disconnected(worker, &Worker::disconnected);
    QSignalSpy exited(worker, &Worker::exited);
    QElapsedTimer clock;
    clock.start();
    worker->disconnectFromCluster();
    const auto remaining = [&clock] { return qMax<qint64>(0, DisconnectBound - clock.elapsed()); };

    // The busy connection learns that its answer is the last one.
    QTRY_VERIFY_WITH_TIMEOUT(busy.closingAnswers() == 1 || busy.hasEnded(), remaining());
    QVERIFY2(busy.failure().isEmpty(), qPrintable(busy.failure()));
    QCOMPARE(busy.closingAnswers(), 1);
    // A client that sends its next request now, on a connection that was idle, is answered.
    QVERIFY(late.sendRequest());
    QTRY_VERIFY_WITH_TIMEOUT(late.answers() == 2 || late.hasEnded(), remaining());
    QVERIFY2(late.failure().isEmpty(), qPrintable(late.failure()));
    QCOMPARE(late.closingAnswers(), 1);

    // Every connection ends: hello-http closes the busy and late ones after their last answer,
    // TcpServer closes what stays quiet (QHttpServer leaves connections open after
    // `Connection: close`); the idle one goes without a request lost.
    QTRY_VERIFY_WITH_TIMEOUT(busy.hasEnded() && late.hasEnded() && idle.hasEnded(), remaining());
    for (KeepAliveClient *client : { &busy, &late, &idle })
        QVERIFY2(client->failure().isEmpty(), qPrintable(client->failure()));
    QCOMPARE(idle.answers(), 1);

    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty() && !exited.isEmpty(), remaining());
    QCOMPARE(exited.first().at(0).toInt(), 0);
    QCOMPARE(exited.first().at(1).toInt(), 0);
}

// A plain TcpServer connection that the application keeps open and quiet is closed by the
// server once its worker disconnects, and the disconnect completes within DisconnectBound.
void tst_Drain::quietTcpConnectionCloses()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 1, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(0, QStringLiteral("keep")), &port));
    Probe *probe = Probe::tcp(port, &scope);
    QVERIFY(waitAnswered({ probe }, cluster));

    QSignalSpy disconnected(workers.first(), &Worker::disconnected);
    QSignalSpy exited(workers.first(), &Worker::exited);
    workers.first()->disconnectFromCluster();
    QTRY_VERIFY_WITH_TIMEOUT(probe->isDisconnected(), DisconnectBound);
    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty() && !exited.isEmpty(), DisconnectBound);
    QCOMPARE(exited.first().at(0).toInt(), 0);
}

// The grace is bounded by the worker's drain; outside a cluster a server never closes by itself.
void tst_Drain::closingIdleTimeout()
{
    TcpServer server;
    QCOMPARE(server.closingIdleTimeout(), 1000);
    QVERIFY(!server.isClosing());
    server.setClosingIdleTimeout(250);
    QCOMPARE(server.closingIdleTimeout(), 250);
    QTest::ignoreMessage(QtWarningMsg,
        "TcpServer::setClosingIdleTimeout: -1 ms is outside 0 to 10000 ms; "
        "using 0 ms");
    server.setClosingIdleTimeout(-1);
    QCOMPARE(server.closingIdleTimeout(), 0);
    QTest::ignoreMessage(QtWarningMsg,
        "TcpServer::setClosingIdleTimeout: 60000 ms is outside 0 to 10000 ms; "
        "using 10000 ms");
    server.setClosingIdleTimeout(60000);
    QCOMPARE(server.closingIdleTimeout(), 10000);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    server.close();
    QVERIFY(!server.isClosing());
}

// What does not end by itself holds a disconnecting worker for Settings::drainTimeout() (1 s
// here, 10 s by default) and no longer: a LocalServer connection that its client keeps open and
// quiet (LocalServer, unlike TcpServer, does not close quiet connections). Then the worker
// disconnects anyway, exits with 0, and the connection ends with it.
void tst_Drain::drainIsBounded()
{
    constexpr int Drain = 1000;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    Settings drain;
    drain.setDrainTimeout(Drain);
    cluster->setupPrimary(drain);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 1, &workers));
    QCborMap command = listenCommand(QStringLiteral("local"), QString(), 0, QStringLiteral("keep"));
    command.insert(QStringLiteral("name"), dir.filePath(QStringLiteral("drain.sock")));
    QVERIFY(listenAll(workers, command, nullptr));
    Probe *probe = Probe::local(dir.filePath(QStringLiteral("drain.sock")), &scope);
    QVERIFY(waitAnswered({ probe }, cluster));

    Worker *worker = workers.first();
    QSignalSpy disconnected(worker, &Worker::disconnected);
    QSignalSpy exited(worker, &Worker::exited);
    QElapsedTimer clock;
    clock.start();
    worker->disconnectFromCluster();
    QVERIFY2(disconnected.wait(Drain + DisconnectBound),
        qPrintable(QStringLiteral("no disconnect after %1 ms").arg(clock.elapsed())));
    // It did wait for the connection (a timer may fire a little early: Qt's coarse timers).
    QVERIFY2(clock.elapsed() >= Drain * 9 / 10, qPrintable(QString::number(clock.elapsed())));
    QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), DisconnectBound);
    QCOMPARE(exited.first().at(0).toInt(), 0);
    QCOMPARE(exited.first().at(1).toInt(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(probe->isDisconnected(), DisconnectBound);
}

QTEST_MAIN(tst_Drain)
#include "tst_drain.moc"
