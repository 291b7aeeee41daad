// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A worker that is online but never listens on a shared server leaves the cluster short without
// a word: the primary warns of it (Worker::listenOverdue()), once, within the settings' bound.
#include <libcluster/cluster.h>
#include <libcluster/eventstream.h>

#include <QCborMap>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;

class tst_ListenWarning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void settingIsBounded();
    void warnsOfAWorkerThatDoesNotListen();
    void warnsOfAWorkerThatExitsWithoutListening();
    void noWarningWhenAskedToGoOrTurnedOff();

private:
    // A cluster of testworker processes with `timeout` as its listen warning timeout (unset
    // for a negative one).
    static Cluster *newCluster(QObject *parent, int timeout);
};

Cluster *tst_ListenWarning::newCluster(QObject *parent, int timeout)
{
    auto *cluster = new Cluster(parent);
    Settings settings;
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    settings.setArgs({});
    if (timeout >= 0)
        settings.setListenWarningTimeout(timeout);
    cluster->setupPrimary(settings);
    return cluster;
}

void tst_ListenWarning::settingIsBounded()
{
    Settings settings;
    QCOMPARE(settings.listenWarningTimeout(), Settings::DefaultListenWarningTimeout);
    QVERIFY(!settings.hasListenWarningTimeout());
    settings.setListenWarningTimeout(0);
    QCOMPARE(settings.listenWarningTimeout(), 0);
    QTest::ignoreMessage(QtWarningMsg,
        "Settings::setListenWarningTimeout(-1) refused: use 0 to turn the warning off, or 1 to "
        "3600000 ms; the setting is unchanged");
    settings.setListenWarningTimeout(-1);
    QTest::ignoreMessage(QtWarningMsg,
        "Settings::setListenWarningTimeout(3600001) refused: use 0 to turn the warning off, or 1 "
        "to 3600000 ms; the setting is unchanged");
    settings.setListenWarningTimeout(Settings::MaxListenWarningTimeout + 1);
    QCOMPARE(settings.listenWarningTimeout(), 0);
    settings.setListenWarningTimeout(Settings::MaxListenWarningTimeout);

    // Merged like every other field, and shown filled in by the cluster.
    Cluster cluster;
    QCOMPARE(cluster.settings().listenWarningTimeout(), Settings::DefaultListenWarningTimeout);
    cluster.setupPrimary(settings);
    QCOMPARE(cluster.settings().listenWarningTimeout(), Settings::MaxListenWarningTimeout);
    cluster.setupPrimary(Settings());
    QCOMPARE(cluster.settings().listenWarningTimeout(), Settings::MaxListenWarningTimeout);
}

void tst_ListenWarning::warnsOfAWorkerThatDoesNotListen()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, 300);
    EventStream stream(cluster);
    QSignalSpy events(&stream, &EventStream::eventOccurred);
    QSignalSpy overdue(cluster, &Cluster::workerListenOverdue);
    QSignalSpy listening(cluster, &Cluster::workerListening);

    // One that listens on the cluster's port, one that never does.
    Settings serving;
    serving.setArgs({ QStringLiteral("--serve-tcp") });
    cluster->setupPrimary(serving);
    Worker *server = cluster->fork();
    Settings idling;
    idling.setArgs({});
    cluster->setupPrimary(idling);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral(
            "^worker 2 has been online for \\d+ ms without listening on a shared server: .*"
            "Settings::setListenWarningTimeout\\(0\\)\\.$")));
    Worker *idle = cluster->fork();
    QSignalSpy idleOverdue(idle, &Worker::listenOverdue);
    QVERIFY(overdue.wait(10000));
    QCOMPARE(overdue.first().at(0).value<Worker *>(), idle);
    QVERIFY(overdue.first().at(1).toInt() >= 300);
    QCOMPARE(overdue.first().at(2).toBool(), false);
    QCOMPARE(idleOverdue.size(), 1);
    QCOMPARE(idle->state(), Worker::Online);
    QTRY_COMPARE(listening.size(), 1);
    QCOMPARE(server->state(), Worker::Listening);

    // Once per worker: a later worker's warning comes, and no second one for the first.
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("^worker 3 has been online for \\d+ ms ")));
    Worker *later = cluster->fork();
    QTRY_COMPARE_WITH_TIMEOUT(overdue.size(), 2, 10000);
    QCOMPARE(overdue.at(1).at(0).value<Worker *>(), later);
    QCOMPARE(idleOverdue.size(), 1);

    // In the event stream, as the control protocol has it.
    QList<QJsonObject> warnings;
    for (const QList<QVariant> &arguments : std::as_const(events)) {
        const QJsonObject event = arguments.first().toJsonObject();
        if (event.value(QLatin1String("event")).toString() == QLatin1String("listenOverdue"))
            warnings.append(event);
    }
    QCOMPARE(warnings.size(), 2);
    QCOMPARE(warnings.first().value(QLatin1String("id")).toInt(), idle->id());
    QCOMPARE(warnings.first().value(QLatin1String("pid")).toInteger(), idle->processId());
    QVERIFY(warnings.first().value(QLatin1String("elapsed")).toInt() >= 300);
    QCOMPARE(warnings.first().value(QLatin1String("exited")).toBool(), false);
}

void tst_ListenWarning::warnsOfAWorkerThatExitsWithoutListening()
{
    // The default timeout: a worker ends long before it.
    QObject scope;
    Cluster *cluster = newCluster(&scope, -1);
    cluster->setAutoDeleteWorkers(false);
    QList<QString> order;
    connect(cluster, &Cluster::workerListenOverdue, this, [&order](Worker *, int, bool exited) {
        order.append(exited ? QStringLiteral("overdue, exited") : QStringLiteral("overdue"));
    });
    connect(cluster, &Cluster::workerExited, this,
        [&order](Worker *, int code) { order.append(QStringLiteral("exit %1").arg(code)); });
    QSignalSpy online(cluster, &Cluster::workerOnline);
    QSignalSpy exited(cluster, &Cluster::workerExited);
    Worker *worker = cluster->fork();
    QVERIFY(online.wait(10000));
    QVERIFY(worker->send(QCborMap {
        { QStringLiteral("do"), QStringLiteral("quit") }, { QStringLiteral("code"), 0 } }));
    QVERIFY(exited.wait(10000));
    QCOMPARE(
        order, QList<QString>({ QStringLiteral("overdue, exited"), QStringLiteral("exit 0") }));
}

void tst_ListenWarning::noWarningWhenAskedToGoOrTurnedOff()
{
    QObject scope;
    // Asked to go before it listened: disconnected from the primary, or ending itself.
    Cluster *cluster = newCluster(&scope, -1);
    QSignalSpy overdue(cluster, &Cluster::workerListenOverdue);
    QSignalSpy online(cluster, &Cluster::workerOnline);
    QSignalSpy exited(cluster, &Cluster::workerExited);
    Worker *disconnected = cluster->fork();
    Worker *leaving = cluster->fork();
    QTRY_COMPARE_WITH_TIMEOUT(online.size(), 2, 10000);
    disconnected->disconnectFromCluster();
    QVERIFY(leaving->send(QCborMap { { QStringLiteral("do"), QStringLiteral("disconnect") } }));
    QTRY_COMPARE_WITH_TIMEOUT(exited.size(), 2, 10000);
    QCOMPARE(overdue.size(), 0);

    // Turned off: a worker that ends with 0 at once, unasked, is not reported.
    Cluster *off = newCluster(&scope, 0);
    QSignalSpy offOverdue(off, &Cluster::workerListenOverdue);
    QSignalSpy offOnline(off, &Cluster::workerOnline);
    QSignalSpy offExited(off, &Cluster::workerExited);
    Worker *quitting = off->fork();
    QVERIFY(offOnline.wait(10000));
    QVERIFY(quitting->send(QCborMap {
        { QStringLiteral("do"), QStringLiteral("quit") }, { QStringLiteral("code"), 0 } }));
    QVERIFY(offExited.wait(10000));
    QCOMPARE(offExited.first().at(1).toInt(), 0);
    QCOMPARE(offOverdue.size(), 0);
}

QTEST_GUILESS_MAIN(tst_ListenWarning)
#include "tst_listenwarning.moc"
