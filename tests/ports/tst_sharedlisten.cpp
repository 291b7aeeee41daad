// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// LibCluster::listen(): a plain QTcpServer (as third-party code holds it) joins the cluster's
// shared port under every policy, its connections are counted, and its QTcpServer::close() hands
// the port's connections to the other workers without losing one.
#include "portharness.h"

#include <QTest>

using namespace LibCluster;
using namespace PortTest;

class tst_SharedListen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainServerJoinsCluster_data();
    void plainServerJoinsCluster();
};

void tst_SharedListen::plainServerJoinsCluster_data()
{
    addPolicyRows();
}

void tst_SharedListen::plainServerJoinsCluster()
{
    QFETCH(SchedulingPolicy, policy);
    QObject scope;
    QList<Worker *> workers;
    QVERIFY(startWorkers(&scope, policy, 2, &workers));
    // One port for both: QTcpServer::listen() would have given each worker a port of its own.
    quint16 port = 0;
    QVERIFY(listenAll(
        workers, listenCommand(QStringLiteral("plain"), QStringLiteral("127.0.0.1"), 0), &port));
    QVERIFY(port != 0);

    ClientLoop loop(port, 20);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
    for (int id : loop.answers())
        QVERIFY2(id == workers.at(0)->id() || id == workers.at(1)->id(),
            qPrintable(QString::number(id)));
    if (policy == SchedulingPolicy::RoundRobin) {
        for (Worker *worker : std::as_const(workers))
            QVERIFY(loop.answers().contains(worker->id()));
    }
    // The sockets the servers made are counted like a TcpServer's.
    QTRY_COMPARE(
        workers.at(0)->connectionsAccepted() + workers.at(1)->connectionsAccepted(), qint64(20));
    QTRY_COMPARE(workers.at(0)->openConnections() + workers.at(1)->openConnections(), 0);

    // QTcpServer::close() in the first worker: every later connection is served by the second.
    const QCborMap closed = call(workers.at(0), closeCommand(0));
    QCOMPARE(closed.value(QStringLiteral("listening")).toBool(), false);
    ClientLoop after(port, 10);
    QVERIFY(after.run());
    QVERIFY2(after.failureCount() == 0, qPrintable(after.failureSummary()));
    for (int id : after.answers())
        QCOMPARE(id, workers.at(1)->id());
}

QTEST_MAIN(tst_SharedListen)
#include "tst_sharedlisten.moc"
