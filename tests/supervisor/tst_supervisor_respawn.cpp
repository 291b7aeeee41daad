// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Supervisor, keeping N alive: respawn with exponential backoff, its reset after a stable uptime,
// the give-up state and resume(), asked exits not respawned, scaleTo() up and down, and the
// per-worker disconnect timeout.
#include "supervisorharness.h"

#include <libcluster/supervisor.h>

#include <QCborMap>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace LibCluster;
using namespace SupervisorTest;

namespace {
QCborMap command(const QString &what, const QString &key = QString(), qint64 value = 0)
{
    QCborMap map;
    map.insert(QStringLiteral("do"), what);
    if (!key.isEmpty())
        map.insert(key, value);
    return map;
}

// How long a supervised fork may take beyond its scheduled delay on a busy machine.
constexpr int LateTolerance = 400;
constexpr int EarlyTolerance = 20;
} // namespace

class tst_SupervisorRespawn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void backoff();
    void giveUpAndResume();
    void resumeWithoutTarget();
    void crashesOutsideTheWindow();
    void respawnOnlyUnasked_data();
    void respawnOnlyUnasked();
    void withoutRespawnTheCountFollows();
    void maximumWorkerCount();
    void scalingUpSpreadsTheForks();
    void crashLoopIsPerSlot();
    void replacementsDyingBeforeReady();
    void scaleUpAndDown();
    void disconnectTimeoutWhenScalingDown_data();
    void disconnectTimeoutWhenScalingDown();
};

void tst_SupervisorRespawn::defaults()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    QCOMPARE(supervisor.cluster(), cluster);
    QVERIFY(!supervisor.respawn());
    QVERIFY(!supervisor.hasGivenUp());
    QVERIFY(!supervisor.isRestarting());
    QVERIFY(!supervisor.isShuttingDown());
    QCOMPARE(supervisor.heartbeatInterval(), 0);
    QCOMPARE(supervisor.memoryLimit(), qint64(0));
    QCOMPARE(supervisor.requestLimit(), qint64(0));
    QCOMPARE(supervisor.disconnectTimeout(), 10000);
    QCOMPARE(supervisor.stableUptime(), 10000);
    QCOMPARE(supervisor.workerCount(), 0);
    supervisor.setStableUptime(-1);
    QCOMPARE(supervisor.stableUptime(), 0);
    supervisor.setStableUptime(10000);

    // Off by default: a worker that crashes stays dead, as in Node.
    QSignalSpy respawns(&supervisor, &Supervisor::respawnScheduled);
    ExitLog log(cluster);
    Worker *worker = cluster->fork();
    const int id = worker->id();
    QSignalSpy online(worker, &Worker::online);
    QVERIFY(online.wait(10000));
    worker->send(command(QStringLiteral("exit"), QStringLiteral("code"), 1));
    QVERIFY(log.waitFor(id));
    QSignalSpy forked(cluster, &Cluster::workerForked);
    QVERIFY(!forked.wait(500));
    QCOMPARE(respawns.count(), 0);
}

// setBackoff(100, 400): successive unasked exits are respawned after 100, 200, 400, 400 ms, each
// measured from the exit to the replacement's fork; a worker that stayed up for the stable
// uptime resets the delay to 100, and it doubles again from there.
void tst_SupervisorRespawn::backoff()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(100, 400);
    QCOMPARE(supervisor.initialBackoff(), 100);
    QCOMPARE(supervisor.maxBackoff(), 400);
    constexpr int StableUptime = 1000;
    supervisor.setStableUptime(StableUptime);
    supervisor.setCrashLimit(100, 60000);

    QList<int> delays;
    QList<qint64> exitToFork;
    QList<int> replacedIds;
    QList<Supervisor::ReplaceReason> reasons;
    QElapsedTimer sinceExit;
    int onlineCount = 0;
    connect(&supervisor, &Supervisor::respawnScheduled, &scope,
        [&](int delay) { delays.append(delay); });
    connect(&supervisor, &Supervisor::workerReplaced, &scope,
        [&](int oldId, Worker *, Supervisor::ReplaceReason reason) {
            replacedIds.append(oldId);
            reasons.append(reason);
        });
    connect(cluster, &Cluster::workerExited, &scope, [&] { sinceExit.start(); });
    connect(cluster, &Cluster::workerForked, &scope, [&] {
        if (sinceExit.isValid())
            exitToFork.append(sinceExit.elapsed());
        sinceExit.invalidate();
    });
    // Workers 1-4 exit as soon as they are online; worker 5 stays up past the stable uptime
    // first; worker 6 exits at once again; worker 7 is left alone.
    connect(cluster, &Cluster::workerOnline, &scope, [&](Worker *worker) {
        ++onlineCount;
        if (onlineCount == 5)
            worker->send(
                command(QStringLiteral("block"), QStringLiteral("ms"), StableUptime + 200));
        if (onlineCount <= 6)
            worker->send(command(QStringLiteral("exit"), QStringLiteral("code"), 1));
    });

    supervisor.scaleTo(1);
    QCOMPARE(supervisor.workerCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(onlineCount, 7, 30000);
    QVERIFY(waitForRunning(cluster, 1));
    QCOMPARE(runningWorkers(cluster).first()->id(), 7);

    QCOMPARE(delays, QList<int>({ 100, 200, 400, 400, 100, 200 }));
    QCOMPARE(replacedIds, QList<int>({ 1, 2, 3, 4, 5, 6 }));
    QCOMPARE(reasons, QList<Supervisor::ReplaceReason>(6, Supervisor::Crashed));
    QCOMPARE(exitToFork.size(), delays.size());
    for (int i = 0; i < delays.size(); ++i) {
        QVERIFY2(exitToFork.at(i) >= delays.at(i) - EarlyTolerance
                && exitToFork.at(i) < delays.at(i) + LateTolerance,
            qPrintable(QStringLiteral("respawn %1: scheduled in %2 ms, forked after %3 ms")
                           .arg(i + 1)
                           .arg(delays.at(i))
                           .arg(exitToFork.at(i))));
    }
    QVERIFY(!supervisor.hasGivenUp());
}

// setCrashLimit(3, 10000) and a worker that always exits at start: the fourth exit is a crash
// loop, gaveUp() follows, nothing is forked any more; resume() starts a worker again.
void tst_SupervisorRespawn::giveUpAndResume()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH),
        { QStringLiteral("--exit-before-online"), QStringLiteral("1") });
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(50, 200);
    supervisor.setCrashLimit(3, 10000);
    QSignalSpy gaveUp(&supervisor, &Supervisor::gaveUp);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    ExitLog log(cluster);

    supervisor.scaleTo(1);
    QVERIFY(gaveUp.wait(15000));
    QVERIFY(supervisor.hasGivenUp());
    QVERIFY(!gaveUp.first().first().toString().isEmpty());
    // The first worker and three respawns; the fourth exit gave up.
    QCOMPARE(forked.count(), 4);
    QTRY_COMPARE_WITH_TIMEOUT(log.exits().size(), 4, 5000);
    for (const ExitLog::Exit &exit : log.exits()) {
        QCOMPARE(exit.code, 1);
        QVERIFY(!exit.exitedAfterDisconnect);
    }

    // Given up: no fork, however long one waits (well past the backoff).
    QSignalSpy respawns(&supervisor, &Supervisor::respawnScheduled);
    QVERIFY(!forked.wait(1500));
    QCOMPARE(forked.count(), 4);
    QCOMPARE(respawns.count(), 0);
    QVERIFY(runningWorkers(cluster).isEmpty());

    // A fixed program, then resume(): one worker again, and it stays.
    Settings fixed;
    fixed.setArgs({});
    cluster->setupPrimary(fixed);
    QSignalSpy resumed(&supervisor, &Supervisor::resumed);
    supervisor.resume();
    QCOMPARE(resumed.count(), 1);
    QVERIFY(!supervisor.hasGivenUp());
    QVERIFY(waitForRunning(cluster, 1));
    QCOMPARE(forked.count(), 5);
    QCOMPARE(gaveUp.count(), 1);
}

// The same without scaleTo(): the supervisor keeps the workers the cluster had. After giving up,
// resume() still owes the one it gave up on.
void tst_SupervisorRespawn::resumeWithoutTarget()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH),
        { QStringLiteral("--exit-before-online"), QStringLiteral("1") });
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(50, 200);
    supervisor.setCrashLimit(3, 10000);
    QSignalSpy gaveUp(&supervisor, &Supervisor::gaveUp);
    QSignalSpy forked(cluster, &Cluster::workerForked);

    cluster->fork();
    QVERIFY(gaveUp.wait(15000));
    QCOMPARE(forked.count(), 4);
    QVERIFY(!forked.wait(1000));

    Settings fixed;
    fixed.setArgs({});
    cluster->setupPrimary(fixed);
    supervisor.resume();
    QVERIFY2(forked.wait(3000), "resume() forked nothing: the worker given up on is not restarted");
    QVERIFY(waitForRunning(cluster, 1));
}

// Crashes further apart than the window are no crash loop: with at most one crash in any 300 ms
// (a 400 ms backoff), setCrashLimit(1, 300) never gives up.
void tst_SupervisorRespawn::crashesOutsideTheWindow()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH),
        { QStringLiteral("--exit-before-online"), QStringLiteral("1") });
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(400, 400);
    supervisor.setCrashLimit(1, 300);
    QSignalSpy gaveUp(&supervisor, &Supervisor::gaveUp);
    ExitLog log(cluster);

    supervisor.scaleTo(1);
    QTRY_VERIFY_WITH_TIMEOUT(log.exits().size() >= 4, 15000);
    QCOMPARE(gaveUp.count(), 0);
    QVERIFY(!supervisor.hasGivenUp());
}

// With respawn on, the count is the truth. An exit the primary asked for (kill(),
// disconnectFromCluster()) is made good at once, as "Removed", and is no crash; any other exit,
// the worker's own included, is a crash: respawned after the backoff. Cluster::disconnectAll() is
// Node's cluster.disconnect(): nobody is replaced.
void tst_SupervisorRespawn::respawnOnlyUnasked_data()
{
    QTest::addColumn<QString>("how");
    QTest::addColumn<QString>("outcome");
    // Node 15+: only a disconnect, from either side, sets it; a kill from the primary does not.
    QTest::addColumn<bool>("exitedAfterDisconnect");
    QTest::newRow("primary kill()") << QStringLiteral("kill") << QStringLiteral("removed") << false;
    QTest::newRow("primary kill(SIGKILL)")
        << QStringLiteral("kill9") << QStringLiteral("removed") << false;
    QTest::newRow("primary disconnectFromCluster()")
        << QStringLiteral("disconnect") << QStringLiteral("removed") << true;
    QTest::newRow("Cluster::disconnectAll()")
        << QStringLiteral("disconnect-all") << QStringLiteral("none") << true;
    QTest::newRow("worker disconnectFromCluster()")
        << QStringLiteral("worker-disconnect") << QStringLiteral("crashed") << true;
    QTest::newRow("worker kill()")
        << QStringLiteral("worker-kill") << QStringLiteral("crashed") << true;
    QTest::newRow("exit code 0") << QStringLiteral("exit0") << QStringLiteral("crashed") << false;
    QTest::newRow("abort()") << QStringLiteral("crash") << QStringLiteral("crashed") << false;
    QTest::newRow("SIGKILL from outside")
        << QStringLiteral("outside-kill") << QStringLiteral("crashed") << false;
}

void tst_SupervisorRespawn::respawnOnlyUnasked()
{
    QFETCH(QString, how);
    QFETCH(QString, outcome);
    QFETCH(bool, exitedAfterDisconnect);

    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(50, 50);
    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2));
    Worker *victim = runningWorkers(cluster).last();
    const int victimId = victim->id();
    const qint64 victimPid = victim->processId();
    ExitLog log(cluster);
    QSignalSpy respawns(&supervisor, &Supervisor::respawnScheduled);
    QSignalSpy replaced(&supervisor, &Supervisor::workerReplaced);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    QSignalSpy countChanged(&supervisor, &Supervisor::workerCountChanged);

    if (how == QLatin1String("kill"))
        victim->kill();
    else if (how == QLatin1String("kill9"))
        victim->kill(SIGKILL);
    else if (how == QLatin1String("disconnect"))
        victim->disconnectFromCluster();
    else if (how == QLatin1String("disconnect-all"))
        cluster->disconnectAll();
    else if (how == QLatin1String("worker-disconnect"))
        victim->send(command(QStringLiteral("disconnect")));
    else if (how == QLatin1String("worker-kill"))
        victim->send(command(QStringLiteral("kill")));
    else if (how == QLatin1String("exit0"))
        victim->send(command(QStringLiteral("exit"), QStringLiteral("code"), 0));
    else if (how == QLatin1String("crash"))
        victim->send(command(QStringLiteral("crash")));
    else if (how == QLatin1String("outside-kill"))
        ::kill(pid_t(victimPid), SIGKILL);

    QVERIFY(log.waitFor(victimId));
    QCOMPARE(log.exitOf(victimId).exitedAfterDisconnect, exitedAfterDisconnect);
    QCOMPARE(supervisor.workerCount(), 2);
    if (outcome == QLatin1String("none")) {
        // Well past the 50 ms backoff: nothing comes, and the count given stays.
        QVERIFY(!forked.wait(800));
        QCOMPARE(respawns.count(), 0);
        QCOMPARE(replaced.count(), 0);
        QVERIFY(waitForRunning(cluster, 0));
        QCOMPARE(countChanged.count(), 0);
        return;
    }
    QTRY_COMPARE_WITH_TIMEOUT(forked.count(), 1, 5000);
    QCOMPARE(replaced.count(), 1);
    QCOMPARE(replaced.first().at(0).toInt(), victimId);
    if (outcome == QLatin1String("removed")) {
        QCOMPARE(respawns.count(), 0);
        QCOMPARE(replaced.first().at(2).value<Supervisor::ReplaceReason>(), Supervisor::Removed);
    } else {
        QCOMPARE(respawns.count(), 1);
        QCOMPARE(respawns.first().first().toInt(), 50);
        QCOMPARE(replaced.first().at(2).value<Supervisor::ReplaceReason>(), Supervisor::Crashed);
    }
    QVERIFY(waitForRunning(cluster, 2));
    QCOMPARE(supervisor.workerCount(), 2);
    QCOMPARE(countChanged.count(), 0);
}

// Without respawn nothing is replaced, and the count kept follows what runs: a worker killed,
// crashed or disconnected leaves one fewer to keep.
void tst_SupervisorRespawn::withoutRespawnTheCountFollows()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.scaleTo(3);
    QVERIFY(waitForRunning(cluster, 3));
    QSignalSpy countChanged(&supervisor, &Supervisor::workerCountChanged);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    ExitLog log(cluster);

    cluster->workerById(3)->kill();
    QVERIFY(log.waitFor(3));
    QCOMPARE(supervisor.workerCount(), 2);
    ::kill(pid_t(cluster->workerById(2)->processId()), SIGKILL);
    QVERIFY(log.waitFor(2));
    QCOMPARE(supervisor.workerCount(), 1);
    QCOMPARE(countChanged.count(), 2);
    QCOMPARE(countChanged.last().first().toInt(), 1);
    QVERIFY(!forked.wait(300));
    QVERIFY(waitForRunning(cluster, 1));
}

// One maximum, checked by the library: scaleTo() refuses a count above maxWorkers() (or below
// 0), says why, and forks nothing.
void tst_SupervisorRespawn::maximumWorkerCount()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    QCOMPARE(supervisor.maxWorkers(), Supervisor::DefaultMaxWorkers);
    QCOMPARE(Supervisor::DefaultMaxWorkers, 1024);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    QSignalSpy countChanged(&supervisor, &Supervisor::workerCountChanged);

    for (int count : { Supervisor::DefaultMaxWorkers + 1, 1000000000, -1 }) {
        QVERIFY(!supervisor.scaleTo(count));
        QCOMPARE(supervisor.errorString(),
            QStringLiteral("cannot scale to %1: the number of workers must be a whole number "
                           "between 0 and 1024")
                .arg(count));
    }
    supervisor.setMaxWorkers(2);
    QCOMPARE(supervisor.maxWorkers(), 2);
    QVERIFY(!supervisor.scaleTo(3));
    QVERIFY(supervisor.errorString().endsWith(QLatin1String("between 0 and 2")));
    QCOMPARE(supervisor.workerCount(), 0);
    QCOMPARE(countChanged.count(), 0);
    QVERIFY(!forked.wait(100));

    QVERIFY(supervisor.scaleTo(2));
    QVERIFY(supervisor.errorString().isEmpty());
    QVERIFY(waitForRunning(cluster, 2));

    // What the apps use to read a count typed by an operator.
    QCOMPARE(Supervisor::parseWorkerCount(QStringLiteral("1024")), 1024);
    QCOMPARE(Supervisor::parseWorkerCount(QStringLiteral("0")), 0);
    for (const char *text : { "1025", "-1", "+1", " 1", "1.0", "0x10", "", "99999999999" })
        QCOMPARE(Supervisor::parseWorkerCount(QString::fromLatin1(text)), -1);
    QCOMPARE(Supervisor::parseWorkerCount(QStringLiteral("3"), 2), -1);
}

// A scale to many forks a few workers per pass of the event loop: events queued meanwhile are
// handled between the forks, not after the last one.
void tst_SupervisorRespawn::scalingUpSpreadsTheForks()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    constexpr int Count = 16;

    QVERIFY(supervisor.scaleTo(Count));
    const int forkedAtOnce = int(cluster->workers().size());
    QVERIFY2(forkedAtOnce > 0 && forkedAtOnce < Count, qPrintable(QString::number(forkedAtOnce)));
    int forkedBeforeTimer = -1;
    QTimer::singleShot(0, &scope, [&] { forkedBeforeTimer = int(cluster->workers().size()); });
    QTRY_VERIFY(forkedBeforeTimer >= 0);
    QVERIFY2(forkedBeforeTimer < Count, qPrintable(QString::number(forkedBeforeTimer)));
    QCOMPARE(supervisor.workerCount(), Count);
    QVERIFY(waitForRunning(cluster, Count, Worker::Online, 60000));
    QCOMPARE(forked.count(), Count);

    // Scaling down while forks are still to come cancels them.
    QVERIFY(supervisor.scaleTo(0));
    QVERIFY(supervisor.scaleTo(Count + 8));
    QVERIFY(supervisor.scaleTo(1));
    QVERIFY(waitForRunning(cluster, 1, Worker::Online, 30000));
    QTRY_COMPARE_WITH_TIMEOUT(int(cluster->workers().size()), 1, 15000);
}

// The crash-loop rule, per slot: one worker that keeps crashing (its respawns take over its
// slot) is a crash loop even while every other worker is fine; six unrelated workers killed at
// once are not, whatever the limit says of one slot.
void tst_SupervisorRespawn::crashLoopIsPerSlot()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(20, 40);
    supervisor.setCrashLimit(2, 30000);
    QCOMPARE(supervisor.crashLimit(), 2);
    QCOMPARE(supervisor.crashWindow(), 30000);
    QSignalSpy gaveUp(&supervisor, &Supervisor::gaveUp);
    QVERIFY(supervisor.scaleTo(8));
    QVERIFY(waitForRunning(cluster, 8));

    // An incident: six killed from outside at once, more than twice the limit of a slot.
    QSet<int> victims;
    const auto running = runningWorkers(cluster);
    for (int i = 0; i < 6; ++i) {
        victims.insert(running.at(i)->id());
        ::kill(pid_t(running.at(i)->processId()), SIGKILL);
    }
    QSignalSpy replaced(&supervisor, &Supervisor::workerReplaced);
    QTRY_COMPARE_WITH_TIMEOUT(replaced.count(), 6, 10000);
    QVERIFY(waitForRunning(cluster, 8));
    QCOMPARE(gaveUp.count(), 0);

    // A loop: the slot of worker 8 crashes again and again; its replacements take it over.
    QSet<int> loop { 8 };
    connect(&supervisor, &Supervisor::workerReplaced, &scope, [&](int oldId, Worker *replacement) {
        if (loop.contains(oldId))
            loop.insert(replacement->id());
    });
    connect(cluster, &Cluster::workerOnline, &scope, [&](Worker *worker) {
        if (loop.contains(worker->id()))
            worker->send(command(QStringLiteral("exit"), QStringLiteral("code"), 3));
    });
    cluster->workerById(8)->send(command(QStringLiteral("exit"), QStringLiteral("code"), 3));
    QVERIFY(gaveUp.wait(15000));
    QVERIFY2(gaveUp.first().first().toString().contains(QLatin1String("same worker slot")),
        qPrintable(gaveUp.first().first().toString()));
    // Worker 8 and its two respawns: the third exit of the slot was one too many.
    QCOMPARE(loop.size(), 3);
    QVERIFY(waitForRunning(cluster, 7));
}

// The other half of the rule: every replacement dying before it is ready is a crash loop, told
// apart within about one round of the workers (more than max(limit, workers) such exits in a
// row), not after limit exits of each slot.
void tst_SupervisorRespawn::replacementsDyingBeforeReady()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(20, 20);
    supervisor.setCrashLimit(3, 30000);
    QSignalSpy gaveUp(&supervisor, &Supervisor::gaveUp);
    QVERIFY(supervisor.scaleTo(4));
    QVERIFY(waitForRunning(cluster, 4));

    // A broken program from now on, and the running workers go.
    Settings broken;
    broken.setArgs({ QStringLiteral("--exit-before-online"), QStringLiteral("1") });
    cluster->setupPrimary(broken);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    for (Worker *worker : runningWorkers(cluster))
        worker->send(command(QStringLiteral("exit"), QStringLiteral("code"), 1));
    QVERIFY(gaveUp.wait(15000));
    QVERIFY2(gaveUp.first().first().toString().contains(QLatin1String("before they were ready")),
        qPrintable(gaveUp.first().first().toString()));
    // Five replacements died before they were ready, one more than the four workers; a few
    // more may have been on their way. Far fewer than the 4 x 3 that the rule per slot needs.
    QVERIFY2(
        forked.count() >= 5 && forked.count() <= 8, qPrintable(QString::number(forked.count())));
    QVERIFY(!forked.wait(300));
    QTRY_VERIFY_WITH_TIMEOUT(runningWorkers(cluster).isEmpty(), 5000);
}

// scaleTo(N) forks up to N; scaling down disconnects the newest gracefully (exit code 0,
// exitedAfterDisconnect) and keeps the oldest.
void tst_SupervisorRespawn::scaleUpAndDown()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    QSignalSpy countChanged(&supervisor, &Supervisor::workerCountChanged);
    ExitLog log(cluster);

    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 1, 2 }));

    supervisor.scaleTo(5);
    QCOMPARE(supervisor.workerCount(), 5);
    QVERIFY(waitForRunning(cluster, 5));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 1, 2, 3, 4, 5 }));

    supervisor.scaleTo(2);
    QCOMPARE(supervisor.workerCount(), 2);
    QVERIFY(log.waitFor(3) && log.waitFor(4) && log.waitFor(5));
    for (int id : { 3, 4, 5 }) {
        const ExitLog::Exit exit = log.exitOf(id);
        QCOMPARE(exit.code, 0);
        QCOMPARE(exit.signal, 0);
        QVERIFY(exit.exitedAfterDisconnect);
    }
    QVERIFY(waitForRunning(cluster, 2));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 1, 2 }));
    QCOMPARE(log.exits().size(), 3);

    // Retired workers are not respawned, and scaling up again forks new ones.
    supervisor.scaleTo(3);
    QVERIFY(waitForRunning(cluster, 3));
    QCOMPARE(ids(runningWorkers(cluster)), QSet<int>({ 1, 2, 6 }));

    supervisor.scaleTo(0);
    QVERIFY(waitForRunning(cluster, 0));
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().isEmpty(), 5000);
    QCOMPARE(log.exits().size(), 6);
    for (const ExitLog::Exit &exit : log.exits())
        QVERIFY(exit.exitedAfterDisconnect && exit.code == 0 && exit.signal == 0);
    QCOMPARE(countChanged.count(), 5);
    QCOMPARE(countChanged.last().first().toInt(), 0);
}

// A worker that does not disconnect when scaled down is killed after the disconnect timeout.
void tst_SupervisorRespawn::disconnectTimeoutWhenScalingDown_data()
{
    QTest::addColumn<int>("timeout");
    QTest::newRow("500 ms") << 500;
    QTest::newRow("2000 ms") << 2000;
}

void tst_SupervisorRespawn::disconnectTimeoutWhenScalingDown()
{
    QFETCH(int, timeout);
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    const int Timeout = timeout;
    supervisor.setDisconnectTimeout(Timeout);
    QCOMPARE(supervisor.disconnectTimeout(), Timeout);
    ExitLog log(cluster);

    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2));
    Worker *stuck = cluster->workerById(2);
    QVERIFY(stuck);
    // Blocked, its event loop never reads the disconnect request.
    QVERIFY(stuck->send(command(QStringLiteral("block"), QStringLiteral("ms"), 20000)));

    const qint64 scaledAt = log.elapsed();
    supervisor.scaleTo(1);
    QVERIFY(log.waitFor(2, 10000));
    const ExitLog::Exit exit = log.exitOf(2);
    QCOMPARE(exit.signal, SIGKILL);
    QVERIFY(exit.exitedAfterDisconnect);
    // Not before the timeout: the worker gets all the time it was promised.
    const qint64 took = exit.at - scaledAt;
    QVERIFY2(took >= Timeout - EarlyTolerance && took < Timeout + 5000,
        qPrintable(QStringLiteral("killed %1 ms after scaleTo(1), with a disconnect timeout of "
                                  "%2 ms")
                       .arg(took)
                       .arg(Timeout)));
    QVERIFY(waitForRunning(cluster, 1));
    QCOMPARE(runningWorkers(cluster).first()->id(), 1);
    QVERIFY(!log.contains(1));
}

QTEST_MAIN(tst_SupervisorRespawn)
#include "tst_supervisor_respawn.moc"
