// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Workers never outlive their primary: not when its channel closes unexpectedly, not when the
// primary is SIGKILLed; and a worker whose primary is stopped gets an error, not a hang. The
// primary here is a separate process (orphanprimary) that the test kills or stops.
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <cerrno>
#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

constexpr int Timeout = 10000;

// A worker's fate as this process sees it: orphans are re-parented to this process (a child
// subreaper), which reaps them and so learns how they ended.
struct Orphan
{
    qint64 pid = 0;
    bool gone = false;
    bool reaped = false;
    int status = 0; // waitpid() status, when reaped
};

qint64 parentOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() : 0;
}

bool reap(Orphan &orphan, int options)
{
    int status = 0;
    if (::waitpid(pid_t(orphan.pid), &status, options) != orphan.pid)
        return false;
    orphan.gone = orphan.reaped = true;
    orphan.status = status;
    return true;
}

// Updates every orphan; true when all of them are gone. An orphan comes to this process, which
// reaps it: a zombie is not gone yet, as the zombie leader of a process whose other threads are
// still ending looks just the same.
bool allGone(QList<Orphan> &orphans)
{
    bool all = true;
    for (Orphan &orphan : orphans) {
        if (!orphan.gone && !reap(orphan, WNOHANG) && ::kill(pid_t(orphan.pid), 0) != 0
            && errno == ESRCH)
            orphan.gone = true;
        all = all && orphan.gone;
    }
    return all;
}

} // namespace

class tst_Orphans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void primaryKilled();
    void channelClosedUnexpectedly();
    void primaryKilledDeafWorkers_data();
    void primaryKilledDeafWorkers();
    void listenWhilePrimaryStopped();

private:
    // Starts orphanprimary with `count` testworkers; returns their pids (also kept in m_orphans,
    // which the test then updates) once all are online (and have been sent `message`, if any).
    QList<Orphan> &startPrimary(QProcess &primary, int count, const QStringList &workerArgs,
        const QByteArray &message = {}, const QStringList &primaryArgs = {});

    QList<Orphan> m_orphans; // of the current test, for cleanup()
};

void tst_Orphans::initTestCase()
{
    // Orphaned workers come to this process, so that it can tell how they ended and reap them.
    QVERIFY(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
}

// Whatever a failed test left behind: killed and reaped, so no zombie outlives the suite.
void tst_Orphans::cleanup()
{
    for (Orphan &orphan : m_orphans) {
        if (orphan.gone)
            continue;
        ::kill(pid_t(orphan.pid), SIGKILL);
        reap(orphan, 0);
    }
    m_orphans.clear();
}

QList<Orphan> &tst_Orphans::startPrimary(QProcess &primary, int count,
    const QStringList &workerArgs, const QByteArray &message, const QStringList &primaryArgs)
{
    primary.setProcessChannelMode(QProcess::SeparateChannels);
    primary.setProgram(QStringLiteral(ORPHANPRIMARY_PATH));
    QStringList arguments = primaryArgs;
    if (!message.isEmpty())
        arguments << QStringLiteral("--send") << QString::fromUtf8(message);
    primary.setArguments(arguments
        + QStringList { QStringLiteral(TESTWORKER_PATH), QString::number(count) } + workerArgs);
    primary.start();
    if (!QTest::qWaitFor(
            [&] { return primary.canReadLine() || primary.state() == QProcess::NotRunning; },
            Timeout)
        || !primary.canReadLine()) {
        qWarning() << "orphanprimary:" << primary.readAllStandardError();
        return m_orphans;
    }
    for (const QByteArray &pid : primary.readLine().trimmed().split(' ')) {
        Orphan orphan;
        orphan.pid = pid.toLongLong();
        m_orphans.append(orphan);
    }
    return m_orphans;
}

// Node: test-cluster-primary-kill.js / test-cluster-master-kill.js: a SIGKILLed primary leaves
// no worker alive after one second.
void tst_Orphans::primaryKilled()
{
    QProcess primary;
    QList<Orphan> &orphans = startPrimary(primary, 3, {});
    QCOMPARE(orphans.size(), 3);
    for (const Orphan &orphan : std::as_const(orphans)) {
        QVERIFY(orphan.pid > 0);
        QCOMPARE(parentOf(orphan.pid), primary.processId());
    }
    QVERIFY(!allGone(orphans));

    QSignalSpy finished(&primary, &QProcess::finished);
    QCOMPARE(::kill(pid_t(primary.processId()), SIGKILL), 0);
    QVERIFY(finished.wait(Timeout));
    QCOMPARE(primary.exitStatus(), QProcess::CrashExit);
    QTRY_VERIFY_WITH_TIMEOUT(allGone(orphans), 1000);
}

// A worker whose channel closes without its asking exits with code 0. Its primary is SIGKILLed
// and the worker ignores SIGTERM, so the parent-death signal does not end it: only the closed
// channel can. Node: a worker exits when its IPC channel to the primary goes (test-cluster-
// primary-kill.js checks the same from the other side).
void tst_Orphans::channelClosedUnexpectedly()
{
    QProcess primary;
    QList<Orphan> &orphans = startPrimary(primary, 2, { QStringLiteral("--ignore-sigterm") });
    QCOMPARE(orphans.size(), 2);

    QSignalSpy finished(&primary, &QProcess::finished);
    QCOMPARE(::kill(pid_t(primary.processId()), SIGKILL), 0);
    QVERIFY(finished.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(allGone(orphans), Timeout);
    for (const Orphan &orphan : std::as_const(orphans)) {
        QVERIFY2(orphan.reaped, "the orphan was not re-parented to the test");
        QVERIFY2(WIFEXITED(orphan.status),
            qPrintable(QStringLiteral("ended by signal %1").arg(WTERMSIG(orphan.status))));
        QCOMPARE(WEXITSTATUS(orphan.status), 0);
    }
}

void tst_Orphans::primaryKilledDeafWorkers_data()
{
    QTest::addColumn<QString>("sigterm");
    QTest::addColumn<int>("blockMsecs");
    // Busy for a minute, deaf to SIGTERM meanwhile: the closed channel would only be read after.
    QTest::newRow("ignores SIGTERM") << QStringLiteral("--ignore-sigterm") << 60000;
    // A graceful-shutdown handler that waits for an event loop that never runs again.
    QTest::newRow("event loop blocked for ever")
        << QStringLiteral("--catch-sigterm") << 24 * 3600 * 1000;
}

// Neither the parent-death signal nor the closed channel ends these workers; their runtime does,
// within a second of the primary's death.
void tst_Orphans::primaryKilledDeafWorkers()
{
    QFETCH(QString, sigterm);
    QFETCH(int, blockMsecs);
    QProcess primary;
    QList<Orphan> &orphans = startPrimary(primary, 2, { sigterm },
        QByteArrayLiteral("{\"do\": \"block\", \"ms\": ") + QByteArray::number(blockMsecs) + '}');
    QCOMPARE(orphans.size(), 2);

    QSignalSpy finished(&primary, &QProcess::finished);
    QCOMPARE(::kill(pid_t(primary.processId()), SIGKILL), 0);
    QVERIFY(finished.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(allGone(orphans), 1000);
    for (const Orphan &orphan : std::as_const(orphans)) {
        QVERIFY2(orphan.reaped, "the orphan was not re-parented to the test");
        QVERIFY2(WIFSIGNALED(orphan.status) && WTERMSIG(orphan.status) == SIGKILL,
            qPrintable(QStringLiteral("status %1").arg(orphan.status)));
    }
}

// A worker's listen() while its primary is stopped (SIGSTOP) cannot be answered: it returns
// false within Settings::requestTimeout() (set to 1 s here; 10 s by default), with an error
// that says what happened and what sets the wait. Once the primary runs again, the worker
// listens as before. The worker is asked through SIGUSR1 and answers on the primary's stdout,
// which it shares: a stopped primary passes on no message.
void tst_Orphans::listenWhilePrimaryStopped()
{
    constexpr int RequestTimeout = 1000;
    QProcess primary;
    QList<Orphan> &orphans = startPrimary(primary, 1, { QStringLiteral("--listen-on-sigusr1") }, {},
        { QStringLiteral("--request-timeout"), QString::number(RequestTimeout) });
    QCOMPARE(orphans.size(), 1);
    const pid_t primaryPid = pid_t(primary.processId());
    const pid_t workerPid = pid_t(orphans.first().pid);
    const auto stateOf = [](pid_t pid) {
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            return '?';
        const QByteArray line = stat.readAll();
        return line.mid(line.lastIndexOf(')') + 2, 1).at(0);
    };
    const auto listenReport = [&primary]() -> QByteArray {
        if (!QTest::qWaitFor([&] { return primary.canReadLine(); }, Timeout))
            return {};
        return primary.readLine().trimmed();
    };
    auto resume = qScopeGuard([primaryPid] { ::kill(primaryPid, SIGCONT); });

    QCOMPARE(::kill(primaryPid, SIGSTOP), 0);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(primaryPid), 'T', Timeout);
    QCOMPARE(::kill(workerPid, SIGUSR1), 0);
    const QByteArray stopped = listenReport();
    const QRegularExpression pattern(QStringLiteral("^listen ok=(\\d) ms=(\\d+) error=(.*)$"));
    QRegularExpressionMatch match = pattern.match(QString::fromUtf8(stopped));
    QVERIFY2(match.hasMatch(), stopped.constData());
    QCOMPARE(match.captured(1), QStringLiteral("0"));
    const int msecs = match.captured(2).toInt();
    // The whole wait, and not much more (a loaded machine gets a generous margin).
    QVERIFY2(msecs >= RequestTimeout && msecs < RequestTimeout + 4000, stopped.constData());
    const QString error = match.captured(3);
    QVERIFY2(
        error.contains(QLatin1String("no answer from the primary to \"listen\" within 1000 ms"))
            && error.contains(QLatin1String("Settings::setRequestTimeout()")),
        qPrintable(error));
    QCOMPARE(stateOf(primaryPid), 'T');

    resume.dismiss();
    QCOMPARE(::kill(primaryPid, SIGCONT), 0);
    QCOMPARE(::kill(workerPid, SIGUSR1), 0);
    const QByteArray resumed = listenReport();
    match = pattern.match(QString::fromUtf8(resumed));
    QVERIFY2(match.hasMatch(), resumed.constData());
    QCOMPARE(match.captured(1), QStringLiteral("1"));
    QVERIFY2(primary.state() == QProcess::Running, primary.readAllStandardError().constData());

    QSignalSpy finished(&primary, &QProcess::finished);
    QCOMPARE(::kill(primaryPid, SIGKILL), 0);
    QVERIFY(finished.wait(Timeout));
    QTRY_VERIFY_WITH_TIMEOUT(allGone(orphans), Timeout);
}

QTEST_GUILESS_MAIN(tst_Orphans)
#include "tst_orphans.moc"
