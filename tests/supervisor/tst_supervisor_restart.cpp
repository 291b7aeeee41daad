// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Supervisor, replacing serving workers: a rolling restart of hello-http workers under continuous
// HTTP traffic, a connection per request or keep-alive, loses no request; a replacement that dies
// stops the restart and leaves the old workers serving; the request limit replaces a worker that
// served its share.
#include "keepaliveload.h"
#include "primarydebuglog.h"
#include "supervisorharness.h"

#include <libcluster/supervisor.h>

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace LibCluster;
using namespace SupervisorTest;

namespace {

// The primary's own order of events during a restart, from what libcluster.primary says at debug
// level: a worker's listening reaching the primary (said before Worker::listening() is emitted,
// so before any slot acts on it), and the primary asking a worker to disconnect (said as
// Worker::disconnectFromCluster() runs).
class RestartTimeline
{
public:
    // "listening ID" and "disconnect ID", in order.
    QStringList events() const
    {
        static const QRegularExpression listening(QStringLiteral("^worker (\\d+) listening on "));
        static const QRegularExpression asking(
            QStringLiteral("^asking worker (\\d+) to disconnect"));
        QStringList found;
        for (const QString &line : m_log.lines()) {
            if (const QRegularExpressionMatch match = listening.match(line); match.hasMatch())
                found.append(QStringLiteral("listening ") + match.captured(1));
            else if (const QRegularExpressionMatch match = asking.match(line); match.hasMatch())
                found.append(QStringLiteral("disconnect ") + match.captured(1));
        }
        return found;
    }
    qsizetype indexOf(const QString &what, int id) const
    {
        return events().indexOf(what + QLatin1Char(' ') + QString::number(id));
    }
    // The fewest workers listening, and not asked to disconnect, right after any disconnect.
    int leastListening(const QSet<int> &listeningBefore) const
    {
        QSet<int> serving = listeningBefore;
        int least = int(serving.size());
        for (const QString &event : events()) {
            const int id = event.section(QLatin1Char(' '), 1).toInt();
            if (event.startsWith(QLatin1String("listening"))) {
                serving.insert(id);
            } else {
                serving.remove(id);
                least = qMin(least, int(serving.size()));
            }
        }
        return least;
    }
    QString text() const { return events().join(QStringLiteral(", ")); }

private:
    PrimaryDebugLog m_log;
};

} // namespace

class tst_SupervisorRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rollingRestartUnderTraffic_data();
    void rollingRestartUnderTraffic();
    void rollingRestartStopsWhenReplacementDies_data();
    void rollingRestartStopsWhenReplacementDies();
    void rollingRestartStopsWhenReplacementNeverReady();
    void requestLimit();

private:
    // Restarts `workers` hello-http workers under `concurrency` clients of a LoadType.
    template <typename LoadType> void rollingRestartUnder(int workers, int concurrency);
};

void tst_SupervisorRestart::initTestCase()
{
#ifndef HELLO_HTTP_PATH
    QSKIP("needs the hello-http example (LIBCLUSTER_BUILD_EXAMPLES)");
#endif
}

// Old workers are replaced one by one while clients keep requests in flight: 8 at a time, each on
// a new connection; or 16 keep-alive connections with one request after another on each, a new
// connection whenever the server ends one (as wrk does). Every request gets its full answer,
// every old worker exits gracefully, and as many new workers serve afterwards. With keep-alive,
// an old worker must end its connections at their next answer: held through its drain, they
// were dropped as it exited.
void tst_SupervisorRestart::rollingRestartUnderTraffic_data()
{
    QTest::addColumn<int>("workers");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1 worker, a connection per request") << 1 << false;
    QTest::newRow("1 worker, keep-alive") << 1 << true;
    QTest::newRow("2 workers, a connection per request") << 2 << false;
    QTest::newRow("2 workers, keep-alive") << 2 << true;
    QTest::newRow("4 workers, a connection per request") << 4 << false;
    QTest::newRow("4 workers, keep-alive") << 4 << true;
}

void tst_SupervisorRestart::rollingRestartUnderTraffic()
{
    QFETCH(int, workers);
    QFETCH(bool, keepAlive);
    if (keepAlive)
        rollingRestartUnder<KeepAliveLoad>(workers, 16);
    else
        rollingRestartUnder<HttpLoad>(workers, 8);
}

template <typename LoadType>
void tst_SupervisorRestart::rollingRestartUnder(int workers, int concurrency)
{
    QObject scope;
    const quint16 port = freePort();
    QVERIFY(port);
    Cluster *cluster = newHttpCluster(&scope, port);
    Supervisor supervisor(cluster);
    supervisor.scaleTo(workers);
    QVERIFY(waitForRunning(cluster, workers, Worker::Listening));
    const QSet<int> oldIds = ids(runningWorkers(cluster));
    ExitLog log(cluster);

    LoadType load(port, concurrency);
    QSignalSpy loadFinished(&load, &Load::finished);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= 50, 10000);

    QSignalSpy finished(&supervisor, &Supervisor::rollingRestartFinished);
    QSignalSpy replaced(&supervisor, &Supervisor::workerReplaced);
    const RestartTimeline timeline;
    supervisor.rollingRestart();
    QVERIFY(supervisor.isRestarting());
    const int beforeRestart = load.started();
    // A bound, not a benchmark (bench/run-restart.sh measures): keep-alive connections that were
    // never ended made it four 10-second drains.
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(finished.first().at(1).toString().isEmpty());
    QVERIFY(!supervisor.isRestarting());
    // Traffic really flowed during the restart, and keeps flowing after it. Restarting one
    // worker is a single fork, over in a few requests' time.
    const int duringRestart = load.started() - beforeRestart;
    QVERIFY2(duringRestart >= (workers > 1 ? 20 : 1), qPrintable(QString::number(duringRestart)));
    const int afterRestart = load.answeredBy().size();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= afterRestart + 100, 10000);
    load.stop();
    QVERIFY(load.isFinished() || loadFinished.wait(15000));
    QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));

    // Each old worker was replaced for the restart and left gracefully.
    QCOMPARE(replaced.count(), workers);
    QSet<int> replacedIds;
    for (const QList<QVariant> &args : std::as_const(replaced)) {
        replacedIds.insert(args.at(0).toInt());
        QCOMPARE(args.at(2).value<Supervisor::ReplaceReason>(), Supervisor::Restart);
    }
    QCOMPARE(replacedIds, oldIds);
    // In the primary's order: each replacement listened before its old worker was asked to
    // disconnect, so as many workers as kept were serving throughout, one alone included.
    for (const QList<QVariant> &args : std::as_const(replaced)) {
        const int oldId = args.at(0).toInt();
        const int newId = args.at(1).value<Worker *>()->id();
        const qsizetype listened = timeline.indexOf(QStringLiteral("listening"), newId);
        const qsizetype disconnected = timeline.indexOf(QStringLiteral("disconnect"), oldId);
        QVERIFY2(listened >= 0 && disconnected >= 0 && listened < disconnected,
            qPrintable(timeline.text()));
    }
    QVERIFY2(timeline.leastListening(oldIds) >= workers, qPrintable(timeline.text()));
    for (int id : oldIds) {
        QVERIFY(log.contains(id));
        QCOMPARE(log.exitOf(id).code, 0);
        QCOMPARE(log.exitOf(id).signal, 0);
        QVERIFY(log.exitOf(id).exitedAfterDisconnect);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int id : oldIds)
                if (cluster->workerById(id))
                    return false;
            return true;
        }(),
        5000);
    QVERIFY(waitForRunning(cluster, workers, Worker::Listening));
    const QSet<int> newIds = ids(runningWorkers(cluster));
    QVERIFY(!newIds.intersects(oldIds));
    // Answers after the restart came from the new workers only.
    const QList<int> answers = load.answeredBy();
    for (qsizetype i = afterRestart; i < answers.size(); ++i)
        QVERIFY2(newIds.contains(answers.at(i)), qPrintable(QString::number(answers.at(i))));
}

// A replacement that exits before it listens stops the restart with an error; the workers not
// replaced yet keep serving and no request is lost.
void tst_SupervisorRestart::rollingRestartStopsWhenReplacementDies_data()
{
    QTest::addColumn<int>("failingStep");
    QTest::addColumn<QSet<int>>("servingAfter");
    QTest::newRow("first replacement dies") << 0 << QSet<int>({ 1, 2 });
    // Worker 3 replaced worker 1; worker 4, replacing worker 2, dies.
    QTest::newRow("second replacement dies") << 1 << QSet<int>({ 2, 3 });
}

void tst_SupervisorRestart::rollingRestartStopsWhenReplacementDies()
{
    QFETCH(int, failingStep);
    QFETCH(QSet<int>, servingAfter);
    QObject scope;
    const quint16 port = freePort();
    QVERIFY(port);
    Cluster *cluster = newHttpCluster(&scope, port);
    Supervisor supervisor(cluster);
    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2, Worker::Listening));
    ExitLog log(cluster);

    // From the failing step on, workers run a program that exits at start.
    const auto breakTheProgram = [cluster] {
        Settings broken;
        broken.setExec(QStringLiteral(TESTWORKER_PATH));
        broken.setArgs({ QStringLiteral("--exit-before-online"), QStringLiteral("3") });
        cluster->setupPrimary(broken);
    };
    int replacedCount = 0;
    connect(&supervisor, &Supervisor::workerReplaced, &scope, [&] {
        if (++replacedCount == failingStep)
            breakTheProgram();
    });
    if (failingStep == 0)
        breakTheProgram();

    HttpLoad load(port, 4);
    QSignalSpy loadFinished(&load, &HttpLoad::finished);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= 20, 10000);

    QSignalSpy finished(&supervisor, &Supervisor::rollingRestartFinished);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    supervisor.rollingRestart();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(!finished.first().at(1).toString().isEmpty());
    QVERIFY(!supervisor.isRestarting());
    QCOMPARE(replacedCount, failingStep);
    const int failedId = 3 + failingStep;
    QVERIFY(log.waitFor(failedId));
    QCOMPARE(log.exitOf(failedId).code, 3);

    // Nothing else is started or stopped; the remaining workers serve on.
    QVERIFY(!forked.wait(500));
    QCOMPARE(forked.count(), failingStep + 1);
    QVERIFY(waitForRunning(cluster, 2, Worker::Listening));
    QCOMPARE(ids(runningWorkers(cluster)), servingAfter);
    const int afterRestart = load.answeredBy().size();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= afterRestart + 60, 10000);
    load.stop();
    QVERIFY(load.isFinished() || loadFinished.wait(15000));
    QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));
    QSet<int> answeredAfter;
    const QList<int> answers = load.answeredBy();
    for (qsizetype i = afterRestart; i < answers.size(); ++i)
        answeredAfter.insert(answers.at(i));
    QCOMPARE(answeredAfter, servingAfter);
}

// A replacement that comes online but never listens is killed after the readiness timeout; the
// restart fails, the old workers serve on, and the supervisor is not stuck: the next rolling
// restart, with a program that works again, succeeds.
void tst_SupervisorRestart::rollingRestartStopsWhenReplacementNeverReady()
{
    QObject scope;
    const quint16 port = freePort();
    QVERIFY(port);
    Cluster *cluster = newHttpCluster(&scope, port);
    Supervisor supervisor(cluster);
    QCOMPARE(supervisor.readinessTimeout(), 30000);
    constexpr int Timeout = 1000;
    supervisor.setReadinessTimeout(Timeout);
    QCOMPARE(supervisor.readinessTimeout(), Timeout);
    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2, Worker::Listening));
    ExitLog log(cluster);

    // A testworker comes online and never listens.
    const Settings working = cluster->settings();
    Settings neverListens;
    neverListens.setExec(QStringLiteral(TESTWORKER_PATH));
    neverListens.setArgs({});
    cluster->setupPrimary(neverListens);

    HttpLoad load(port, 4);
    QSignalSpy loadFinished(&load, &HttpLoad::finished);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= 20, 10000);

    QSignalSpy finished(&supervisor, &Supervisor::rollingRestartFinished);
    QSignalSpy replaced(&supervisor, &Supervisor::workerReplaced);
    const qint64 restartedAt = log.elapsed();
    supervisor.rollingRestart();
    QVERIFY(finished.wait(Timeout + 10000));
    const qint64 took = log.elapsed() - restartedAt;
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(!finished.first().at(1).toString().isEmpty());
    QVERIFY(!supervisor.isRestarting());
    QCOMPARE(replaced.count(), 0);
    QVERIFY2(took >= Timeout - 20 && took < Timeout + 5000,
        qPrintable(QStringLiteral("the restart failed after %1 ms").arg(took)));
    QVERIFY(log.waitFor(3));
    QCOMPARE(log.exitOf(3).signal, SIGKILL);
    QVERIFY(waitForRunning(cluster, 2, Worker::Listening));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 1, 2 }));

    // Not stuck: with the working program back, a restart goes through.
    cluster->setupPrimary(working);
    supervisor.rollingRestart();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.last().at(0).toBool(), true);
    QVERIFY(waitForRunning(cluster, 2, Worker::Listening));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 4, 5 }));

    const int afterRestart = load.answeredBy().size();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= afterRestart + 40, 10000);
    load.stop();
    QVERIFY(load.isFinished() || loadFinished.wait(15000));
    QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));
}

// setRequestLimit(20, 0) with one hello-http worker and 30 requests: the worker is replaced
// (RequestLimit) once it served 20, gracefully, and no request fails.
void tst_SupervisorRestart::requestLimit()
{
    QObject scope;
    const quint16 port = freePort();
    QVERIFY(port);
    Cluster *cluster = newHttpCluster(&scope, port);
    Supervisor supervisor(cluster);
    supervisor.setRequestLimit(20, 0);
    QCOMPARE(supervisor.requestLimit(), qint64(20));
    supervisor.scaleTo(1);
    QVERIFY(waitForRunning(cluster, 1, Worker::Listening));
    ExitLog log(cluster);
    QSignalSpy replaced(&supervisor, &Supervisor::workerReplaced);

    HttpLoad load(port, 2);
    load.setTotal(30);
    QSignalSpy loadFinished(&load, &HttpLoad::finished);
    load.start();
    QVERIFY(loadFinished.wait(20000));
    QCOMPARE(load.started(), 30);
    QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));

    QVERIFY(!replaced.isEmpty() || replaced.wait(5000));
    QCOMPARE(replaced.first().at(0).toInt(), 1);
    QCOMPARE(replaced.first().at(2).value<Supervisor::ReplaceReason>(), Supervisor::RequestLimit);
    QVERIFY(log.waitFor(1));
    QCOMPARE(log.exitOf(1).code, 0);
    QVERIFY(log.exitOf(1).exitedAfterDisconnect);
    QVERIFY(waitForRunning(cluster, 1, Worker::Listening));
    QCOMPARE(runningWorkers(cluster).first()->id(), 2);
    // The replacement served fewer than 20: it stays.
    QVERIFY(!replaced.wait(700));
    QCOMPARE(replaced.count(), 1);
}

QTEST_MAIN(tst_SupervisorRestart)
#include "tst_supervisor_restart.moc"
