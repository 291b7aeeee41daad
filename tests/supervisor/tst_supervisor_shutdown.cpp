// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Supervisor, graceful shutdown: every worker disconnects and exits with 0, a straggler is
// killed after the timeout, shutdownFinished() follows; a separate primary does the same on
// SIGTERM or SIGINT and exits with 0.
#include "supervisorharness.h"

#include <libcluster/supervisor.h>

#include <QCborMap>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace LibCluster;
using namespace SupervisorTest;

class tst_SupervisorShutdown : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shutdownKillsStraggler_data();
    void shutdownKillsStraggler();
    void shutdownWithoutWorkers();
    void shutdownStopsRespawn();
    void shutdownDuringRollingRestart();
    void terminationSignal_data();
    void terminationSignal();
};

// Two testworkers disconnect and exit with 0; the third never answers the disconnect (a program
// that is no libcluster worker at all, or a testworker that ignores SIGTERM with its event loop
// blocked) and is SIGKILLed once the timeout has passed.
void tst_SupervisorShutdown::shutdownKillsStraggler_data()
{
    QTest::addColumn<QString>("exec");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("comesOnline");
    QTest::newRow("not a worker (sleep 60)")
        << QStringLiteral("/bin/sleep") << QStringList { QStringLiteral("60") } << false;
    QTest::newRow("blocked worker ignoring SIGTERM")
        << QStringLiteral(TESTWORKER_PATH) << QStringList { QStringLiteral("--ignore-sigterm") }
        << true;
}

void tst_SupervisorShutdown::shutdownKillsStraggler()
{
    QFETCH(QString, exec);
    QFETCH(QStringList, args);
    QFETCH(bool, comesOnline);

    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    cluster->fork();
    cluster->fork();
    QVERIFY(waitForRunning(cluster, 2));
    Settings straggling;
    straggling.setExec(exec);
    straggling.setArgs(args);
    cluster->setupPrimary(straggling);
    Worker *straggler = cluster->fork();
    const qint64 stragglerPid = straggler->processId();
    QVERIFY(stragglerPid > 0);
    if (comesOnline) {
        QVERIFY(waitForRunning(cluster, 3));
        QCborMap block;
        block.insert(QStringLiteral("do"), QStringLiteral("block"));
        block.insert(QStringLiteral("ms"), 60000);
        QVERIFY(straggler->send(block));
    }
    ExitLog log(cluster);
    QSignalSpy finished(&supervisor, &Supervisor::shutdownFinished);
    QSignalSpy respawns(&supervisor, &Supervisor::respawnScheduled);

    constexpr int Timeout = 1500;
    const qint64 shutdownAt = log.elapsed();
    supervisor.shutdown(Timeout);
    QVERIFY(supervisor.isShuttingDown());
    QVERIFY(finished.wait(Timeout + 10000));
    const qint64 finishedAt = log.elapsed();
    QCOMPARE(finished.count(), 1);

    QCOMPARE(log.exits().size(), 3);
    for (int id : { 1, 2 }) {
        const ExitLog::Exit exit = log.exitOf(id);
        QCOMPARE(exit.code, 0);
        QCOMPARE(exit.signal, 0);
        QVERIFY(exit.exitedAfterDisconnect);
        QVERIFY2(exit.at - shutdownAt < Timeout, qPrintable(QString::number(exit.at - shutdownAt)));
    }
    const ExitLog::Exit killed = log.exitOf(3);
    QCOMPARE(killed.signal, SIGKILL);
    // Not before the timeout: the straggler gets all the time it was promised.
    const qint64 killedAfter = killed.at - shutdownAt;
    QVERIFY2(killedAfter >= Timeout - 20 && killedAfter < Timeout + 5000,
        qPrintable(
            QStringLiteral("killed %1 ms after shutdown(%2)").arg(killedAfter).arg(Timeout)));
    QVERIFY(finishedAt >= killed.at);
    QVERIFY(!processRuns(stragglerPid));
    // Shutting down is no crash: nothing is respawned.
    QCOMPARE(respawns.count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().isEmpty(), 5000);
}

// Nothing to wait for: shutdownFinished() all the same, from the event loop.
void tst_SupervisorShutdown::shutdownWithoutWorkers()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    QSignalSpy finished(&supervisor, &Supervisor::shutdownFinished);
    supervisor.shutdown(1000);
    QCOMPARE(finished.count(), 0);
    QVERIFY(finished.wait(2000));
    QVERIFY(!finished.wait(300));
}

// During a shutdown the supervisor keeps nobody alive: a worker that crashes while the others
// disconnect is not respawned, and scaleTo() forks nothing.
void tst_SupervisorShutdown::shutdownStopsRespawn()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.setRespawn(true);
    supervisor.setBackoff(10, 10);
    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2));
    QCborMap blockThenExit;
    blockThenExit.insert(QStringLiteral("do"), QStringLiteral("block"));
    blockThenExit.insert(QStringLiteral("ms"), 300);
    QCborMap exit;
    exit.insert(QStringLiteral("do"), QStringLiteral("exit"));
    exit.insert(QStringLiteral("code"), 7);
    // Worker 2 exits with 7 before it reads the disconnect request.
    Worker *crasher = cluster->workerById(2);
    QVERIFY(crasher->send(blockThenExit));
    QVERIFY(crasher->send(exit));
    ExitLog log(cluster);
    QSignalSpy finished(&supervisor, &Supervisor::shutdownFinished);
    QSignalSpy forked(cluster, &Cluster::workerForked);

    supervisor.shutdown(5000);
    QVERIFY(finished.wait(10000));
    QCOMPARE(log.exitOf(2).code, 7);
    QCOMPARE(log.exitOf(1).code, 0);
    supervisor.scaleTo(3);
    QVERIFY(!forked.wait(500));
    QCOMPARE(forked.count(), 0);
}

// A shutdown ends a rolling restart in progress (reported as failed) and still shuts every
// worker down, the replacement included.
void tst_SupervisorShutdown::shutdownDuringRollingRestart()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, QStringLiteral(TESTWORKER_PATH));
    Supervisor supervisor(cluster);
    supervisor.scaleTo(2);
    QVERIFY(waitForRunning(cluster, 2));
    ExitLog log(cluster);
    QSignalSpy restartFinished(&supervisor, &Supervisor::rollingRestartFinished);
    QSignalSpy finished(&supervisor, &Supervisor::shutdownFinished);

    supervisor.rollingRestart();
    QVERIFY(supervisor.isRestarting());
    supervisor.shutdown(5000);
    QCOMPARE(restartFinished.count(), 1);
    QCOMPARE(restartFinished.first().at(0).toBool(), false);
    QVERIFY(!restartFinished.first().at(1).toString().isEmpty());
    QVERIFY(!supervisor.isRestarting());
    QVERIFY(finished.wait(10000));
    // Workers 1 and 2 and the replacement (3) that was starting.
    QCOMPARE(log.exits().size(), 3);
    for (const ExitLog::Exit &exit : log.exits()) {
        QCOMPARE(exit.signal, 0);
        QCOMPARE(exit.code, 0);
    }
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().isEmpty(), 5000);
}

// A separate primary with setHandleTerminationSignals(true, 2000): on SIGTERM or SIGINT it shuts
// its workers down and exits with 0, and none of its workers runs any more. A straggler is
// SIGKILLed after the 2 s and the primary still exits with 0.
void tst_SupervisorShutdown::terminationSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<bool>("straggler");
    QTest::newRow("SIGTERM") << int(SIGTERM) << false;
    QTest::newRow("SIGINT") << int(SIGINT) << false;
    QTest::newRow("SIGTERM, straggler") << int(SIGTERM) << true;
}

void tst_SupervisorShutdown::terminationSignal()
{
    QFETCH(int, signal);
    QFETCH(bool, straggler);

    QProcess primary;
    QStringList args { QStringLiteral(TESTWORKER_PATH) };
    if (straggler)
        args << QStringLiteral("--straggler");
    primary.setProcessChannelMode(QProcess::SeparateChannels);
    primary.start(QStringLiteral(SIGNALPRIMARY_PATH), args);
    QVERIFY(primary.waitForStarted(5000));
    QByteArray output;
    QSignalSpy readable(&primary, &QProcess::readyReadStandardOutput);
    // "ready PID PID [PID]\n", once every worker is online.
    const auto readyLine = [&output] {
        const qsizetype at = output.indexOf("ready ");
        return at >= 0 && output.indexOf('\n', at) > at;
    };
    while (!readyLine()) {
        QVERIFY2(readable.wait(15000), output.constData());
        output += primary.readAllStandardOutput();
    }
    const qsizetype readyAt = output.indexOf("ready ");
    const QList<QByteArray> pidTexts
        = output.mid(readyAt + 6, output.indexOf('\n', readyAt) - readyAt - 6).split(' ');
    QCOMPARE(pidTexts.size(), straggler ? 3 : 2);
    QList<qint64> pids;
    for (const QByteArray &text : pidTexts) {
        pids.append(text.toLongLong());
        QVERIFY(processRuns(pids.last()));
    }

    QElapsedTimer sinceSignal;
    sinceSignal.start();
    ::kill(pid_t(primary.processId()), signal);
    QSignalSpy primaryFinished(&primary, &QProcess::finished);
    QVERIFY(primaryFinished.wait(15000));
    output += primary.readAllStandardOutput();
    const QByteArray errors = primary.readAllStandardError();
    QCOMPARE(primary.exitStatus(), QProcess::NormalExit);
    QVERIFY2(primary.exitCode() == 0, errors.constData());
    QVERIFY2(output.contains("exited 1 0 0\n"), output.constData());
    QVERIFY2(output.contains("exited 2 0 0\n"), output.constData());
    QVERIFY2(output.contains("shutdown finished\n"), output.constData());
    if (straggler) {
        QVERIFY2(output.contains(
                     QByteArray(QByteArray("exited 3 -1 ") + QByteArray::number(SIGKILL) + "\n")),
            output.constData());
        // Not before the 2 s the straggler was promised.
        QVERIFY2(sinceSignal.elapsed() >= 2000 - 20,
            qPrintable(QStringLiteral("the primary quit %1 ms after the signal")
                           .arg(sinceSignal.elapsed())));
    } else {
        QVERIFY2(sinceSignal.elapsed() < 2000, qPrintable(QString::number(sinceSignal.elapsed())));
    }
    for (qint64 pid : std::as_const(pids))
        QTRY_VERIFY_WITH_TIMEOUT(!processRuns(pid), 2000);
}

QTEST_MAIN(tst_SupervisorShutdown)
#include "tst_supervisor_shutdown.moc"
