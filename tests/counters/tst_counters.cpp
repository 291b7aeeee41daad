// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Worker counters at scale: many additions arrive exactly and in batches; the limit on distinct
// names, in the worker and in the primary (the stats of many names: tst_controlserver).
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;

namespace {

// Silent: the worker's warnings come to the test as its output.
Cluster *silentCluster(QObject *parent)
{
    Settings settings;
    settings.setSilent(true);
    settings.setArgs({}); // not this test's own arguments
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    auto *cluster = new Cluster(parent);
    cluster->setupPrimary(settings);
    return cluster;
}

Worker *forkOnline(Cluster *cluster)
{
    Worker *worker = cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    return online.wait(10000) ? worker : nullptr;
}

// Sends a command to the testworker and waits for its reply.
QCborMap ask(Worker *worker, const QCborMap &command)
{
    QSignalSpy replied(worker, &Worker::messageReceived);
    if (!worker->send(command) || !replied.wait(20000))
        return {};
    return replied.first().first().value<QCborValue>().toMap();
}

QCborMap countCommand(const QString &what, qint64 names, const QString &prefix)
{
    QCborMap command;
    command.insert(QStringLiteral("do"), what);
    command.insert(QStringLiteral("names"), names);
    command.insert(QStringLiteral("prefix"), prefix);
    return command;
}

} // namespace

class tst_Counters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void additionsArriveInBatches();
    void workerRefusesNamesPastTheLimit();
    void primaryDropsNamesPastTheLimit();
};

// 100,000 additions in a worker, ten per event-loop pass over thousands of passes: the primary's
// total is exact, and it heard of them a few times a second (the worker sends what was added
// every 250 ms), never once per call or per pass.
void tst_Counters::additionsArriveInBatches()
{
    constexpr qint64 Additions = 100000;
    constexpr qint64 FlushInterval = 250; // WorkerPrivate::CounterFlushInterval
    QObject scope;
    Cluster *cluster = silentCluster(&scope);
    Worker *worker = forkOnline(cluster);
    QVERIFY(worker);
    QSignalSpy changes(worker, &Worker::countersChanged);
    QSignalSpy clusterChanges(cluster, &Cluster::workerCountersChanged);
    QElapsedTimer clock;
    clock.start();
    QCborMap command;
    command.insert(QStringLiteral("do"), QStringLiteral("countmany"));
    command.insert(QStringLiteral("name"), QStringLiteral("requests"));
    command.insert(QStringLiteral("total"), Additions);
    command.insert(QStringLiteral("perPass"), 10);
    const QCborMap reply = ask(worker, command);
    QCOMPARE(reply.value(QStringLiteral("done")).toBool(), true);
    QCOMPARE(reply.value(QStringLiteral("passes")).toInteger(), Additions / 10);
    QTRY_COMPARE(worker->counter(QStringLiteral("requests")), Additions);
    const qint64 elapsed = clock.elapsed();

    // One batch per interval at most, and one for the interval the last additions fell in.
    const qint64 bound = elapsed / FlushInterval + 2;
    QVERIFY2(changes.size() >= 1 && changes.size() <= bound,
        qPrintable(QStringLiteral("%1 countersChanged() in %2 ms, at most %3 expected")
                       .arg(changes.size())
                       .arg(elapsed)
                       .arg(bound)));
    QCOMPARE(clusterChanges.size(), changes.size());
    QCOMPARE(worker->counters().size(), 1);
    // Nothing more comes after it: the total stays exact.
    QCborMap ping;
    ping.insert(QStringLiteral("ping"), 1);
    QCOMPARE(ask(worker, ping), ping);
    QCOMPARE(worker->counter(QStringLiteral("requests")), Additions);
}

// 100,000 distinct names in a worker: the first MaxCounterNames count, the rest are refused,
// with one warning and one errorOccurred(), and the primary holds no more than the limit.
void tst_Counters::workerRefusesNamesPastTheLimit()
{
    QObject scope;
    Cluster *cluster = silentCluster(&scope);
    QByteArray stderrText;
    connect(cluster, &Cluster::workerOutputReceived, &scope,
        [&stderrText](Worker *, Worker::OutputChannel channel, const QByteArray &data) {
            if (channel == Worker::StandardError)
                stderrText += data;
        });
    Worker *worker = forkOnline(cluster);
    QVERIFY(worker);

    QCborMap reply
        = ask(worker, countCommand(QStringLiteral("count"), 100000, QStringLiteral("n")));
    QCOMPARE(reply.value(QStringLiteral("accepted")).toInteger(), Worker::MaxCounterNames);
    QCOMPARE(reply.value(QStringLiteral("errors")).toInteger(), 1);
    const QString error = reply.value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QLatin1String("at most 1000 counter names")), qPrintable(error));
    QTRY_COMPARE(worker->counters().size(), qsizetype(Worker::MaxCounterNames));
    QTRY_VERIFY(stderrText.contains("refused"));

    // Names it has go on counting; new ones stay refused, without another warning or signal.
    reply = ask(worker, countCommand(QStringLiteral("count"), 10, QStringLiteral("n")));
    QCOMPARE(reply.value(QStringLiteral("accepted")).toInteger(), 10);
    reply = ask(worker, countCommand(QStringLiteral("count"), 10, QStringLiteral("new")));
    QCOMPARE(reply.value(QStringLiteral("accepted")).toInteger(), 0);
    QCOMPARE(reply.value(QStringLiteral("errors")).toInteger(), 1);
    QTRY_COMPARE(worker->counter(QStringLiteral("n9")), 2);
    QCOMPARE(worker->counters().size(), qsizetype(Worker::MaxCounterNames));
    QCOMPARE(stderrText.count("refused"), 1);
    QCOMPARE(worker->error(), Worker::NoError); // in the primary, nothing went wrong
}

// A worker that sends more names than the limit anyway (another build, another library): the
// primary keeps the limit, reports a worker error once, and the worker stays connected.
void tst_Counters::primaryDropsNamesPastTheLimit()
{
    QObject scope;
    Cluster *cluster = silentCluster(&scope);
    Worker *worker = forkOnline(cluster);
    QVERIFY(worker);
    QSignalSpy errors(cluster, &Cluster::workerErrorOccurred);

    QVERIFY(worker->send(countCommand(QStringLiteral("rawcounters"), 3000, QStringLiteral("r"))));
    QVERIFY(errors.wait(20000));
    QCOMPARE(errors.first().at(1).value<Worker::Error>(), Worker::CounterLimitReached);
    const QString text = errors.first().at(2).toString();
    QVERIFY2(
        text.contains(QLatin1String("2000 counter names beyond its limits")), qPrintable(text));
    QCOMPARE(worker->counters().size(), qsizetype(Worker::MaxCounterNames));
    QCOMPARE(worker->error(), Worker::CounterLimitReached);

    // Still connected and answering; the names it has keep counting; no second report.
    QVERIFY(worker->send(countCommand(QStringLiteral("rawcounters"), 3000, QStringLiteral("r"))));
    QCborMap ping;
    ping.insert(QStringLiteral("ping"), 1);
    QCOMPARE(ask(worker, ping), ping);
    QVERIFY(worker->isConnected());
    QCOMPARE(worker->counters().size(), qsizetype(Worker::MaxCounterNames));
    const qint64 kept = worker->counters().begin().value();
    QCOMPARE(kept, 2);
    QCOMPARE(errors.size(), 1);
}

QTEST_MAIN(tst_Counters)
#include "tst_counters.moc"
