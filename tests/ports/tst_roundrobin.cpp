// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The round-robin policy: even distribution, busy workers skipped, and no descriptor left behind
// in the primary (no connection lost when a worker closes its server or dies: tst_portpolicies,
// for every policy).
#include "portharness.h"
#include "primarydebuglog.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace LibCluster;
using namespace PortTest;

class tst_RoundRobin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void evenDistribution_data();
    void evenDistribution();
    void burstSplitInTurn();
    void busyWorkerSkipped();
    void burstInFramesServedOnce();
    void killedWorkerWindowRedistributed();
    void primaryDescriptorsReturn();
};

namespace {

// Each worker's share of `answers`, by id.
QMap<int, int> shares(const QList<int> &answers)
{
    QMap<int, int> count;
    for (int id : answers)
        ++count[id];
    return count;
}

// The primary's "passed over" lines (libcluster.primary, debug): each is one connection a busy
// worker did not get in its turn, the one explanation an uneven split may have.
class BusySkips
{
public:
    QStringList lines() const
    {
        return m_log.linesStartingWith(QStringLiteral("round-robin: worker"));
    }
    qsizetype count() const { return lines().size(); }
    QStringList all() const { return m_log.lines(); }
    QString text() const { return lines().join(QLatin1Char('\n')); }

private:
    PrimaryDebugLog m_log;
};

// How many connections the primary handed to each worker in each frame, from its "handed N
// connection(s) to worker W in one frame" lines, as (worker, N) pairs in order.
QList<QPair<int, int>> framesHanded(const BusySkips &log)
{
    static const QRegularExpression line(
        QStringLiteral("^handed (\\d+) connection\\(s\\) to worker (\\d+) in one frame$"));
    QList<QPair<int, int>> frames;
    for (const QString &text : log.all()) {
        const QRegularExpressionMatch match = line.match(text);
        if (match.hasMatch())
            frames.append({ match.captured(2).toInt(), match.captured(1).toInt() });
    }
    return frames;
}

// A socketpair whose other end blocks `worker`'s event loop until this end is written to or
// closed; false if the worker did not say it is blocked.
struct Blocker
{
    int fd = -1;
    ~Blocker()
    {
        if (fd >= 0)
            ::close(fd);
    }
    bool block(Worker *worker)
    {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
            return false;
        fd = pair[0];
        QCborMap block;
        block.insert(QStringLiteral("do"), QStringLiteral("block"));
        if (!worker->send(block, Handle::adopt(pair[1])))
            return false;
        // The worker writes a byte once its event loop is stuck; the primary's keeps running.
        QSocketNotifier blocked(fd, QSocketNotifier::Read);
        QSignalSpy blockedSpy(&blocked, &QSocketNotifier::activated);
        if (!blockedSpy.wait(10000))
            return false;
        blocked.setEnabled(false);
        char byte = 0;
        return ::read(fd, &byte, 1) == 1;
    }
};

int answeredCount(const QList<Probe *> &probes)
{
    return int(
        std::count_if(probes.cbegin(), probes.cend(), [](Probe *p) { return p->isAnswered(); }));
}

QString describe(const QMap<int, int> &count, const BusySkips &skips)
{
    QStringList text;
    for (auto it = count.cbegin(); it != count.cend(); ++it)
        text << QStringLiteral("worker %1: %2").arg(it.key()).arg(it.value());
    return text.join(QStringLiteral(", ")) + QStringLiteral("; busy skips: %1\n").arg(skips.count())
        + skips.text();
}

// A round-robin cluster of `count` workers listening on one port of 127.0.0.1.
struct Fixture
{
    QObject scope;
    Cluster *cluster = nullptr;
    QList<Worker *> workers;
    quint16 port = 0;

    bool start(int count, const QString &mode = QStringLiteral("answer"))
    {
        cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
        return forkWorkers(cluster, count, &workers)
            && listenAll(workers, tcpOnLoopback(0, mode), &port);
    }
};

} // namespace

void tst_RoundRobin::evenDistribution_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("write, close") << QStringLiteral("answer");
    // The answer leaves before the connection handler returns, as with any handler that
    // writes synchronously or takes its time.
    QTest::newRow("write, flush, close") << QStringLiteral("flush");
}

void tst_RoundRobin::evenDistribution()
{
    // One connection after another: strict turns, so equal shares within one, unless a worker
    // was passed over as busy (not scheduled for 10 ms on a loaded machine), which the primary
    // logs; each such skip may move one connection.
    QFETCH(QString, mode);
    Fixture f;
    QVERIFY(f.start(4, mode));
    BusySkips skips;
    ClientLoop loop(f.port, 402);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
    const QMap<int, int> count = shares(loop.answers());
    QCOMPARE(count.keys(), QList<int>({ 1, 2, 3, 4 }));
    const auto [min, max] = std::minmax_element(count.cbegin(), count.cend());
    // 402 = 4 × 100 + 2; each skip moves one connection from one worker to another.
    QVERIFY2(*max - *min <= 1 + 2 * skips.count(), qPrintable(describe(count, skips)));
}

void tst_RoundRobin::burstSplitInTurn()
{
    // wrk's opening burst: 50 keep-alive connections at once (as a browser, a proxy's pool). Each
    // worker gets its turn, even one a little slower to take them than the other, because the
    // split made now is the one that lasts as long as the connections do: 25/25, or as many off
    // as the primary logged busy skips (a worker not even scheduled for 10 ms). Handing each
    // connection to whichever worker is free leaves the slow one a few.
    Fixture f;
    f.cluster = newCluster(&f.scope, SchedulingPolicy::RoundRobin);
    QVERIFY(forkWorkers(f.cluster, 2, &f.workers));
    const QCborMap fast = call(f.workers.at(0), tcpOnLoopback(0, QStringLiteral("keep")));
    QVERIFY2(fast.value(QStringLiteral("ok")).toBool(),
        qPrintable(fast.value(QStringLiteral("errorString")).toString()));
    f.port = quint16(fast.value(QStringLiteral("port")).toInteger());
    // Port 0 again: the same listen, so the same port.
    const QCborMap slow = call(f.workers.at(1), tcpOnLoopback(0, QStringLiteral("slowkeep")));
    QVERIFY(slow.value(QStringLiteral("ok")).toBool());
    QCOMPARE(slow.value(QStringLiteral("port")).toInteger(), f.port);

    BusySkips skips;
    const int total = 50;
    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < total; ++i)
        probes.append(Probe::tcp(f.port, &clients));
    QVERIFY(waitAnswered(probes, f.cluster));
    QList<int> answers;
    for (Probe *probe : std::as_const(probes))
        answers.append(probe->answer());
    const QMap<int, int> count = shares(answers);
    QCOMPARE(count.value(1) + count.value(2), total);
    // Each skip moves one connection from one worker to the other.
    QVERIFY2(qAbs(count.value(1) - count.value(2)) <= 2 * skips.count(),
        qPrintable(describe(count, skips)));
}

void tst_RoundRobin::busyWorkerSkipped()
{
    Fixture f;
    QVERIFY(f.start(4));
    Worker *busy = f.cluster->workerById(2);

    // Worker 2 blocks its event loop until the test writes to the other end of this pair.
    int pair[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair), 0);
    const auto closeOurEnd = qScopeGuard([&pair] { ::close(pair[0]); });
    QCborMap block;
    block.insert(QStringLiteral("do"), QStringLiteral("block"));
    QSignalSpy blockAnswer(busy, &Worker::messageReceived);
    const bool sent = busy->send(block, Handle::adopt(pair[1]));
    QVERIFY(sent);
    // The worker writes a byte once its event loop is stuck; the primary's must keep running
    // meanwhile (it has the command to send).
    QSocketNotifier blocked(pair[0], QSocketNotifier::Read);
    QSignalSpy blockedSpy(&blocked, &QSocketNotifier::activated);
    QVERIFY(blockedSpy.wait(10000));
    blocked.setEnabled(false);
    char byte = 0;
    QCOMPARE(::read(pair[0], &byte, 1), ssize_t(1));

    BusySkips skips;
    const int total = 30;
    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < total; ++i)
        probes.append(Probe::tcp(f.port, &clients));
    // The busy worker may have been handed one connection before anyone knew it was busy; every
    // other one must be served by the other workers.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::count_if(probes.cbegin(), probes.cend(), [](Probe *p) { return p->isAnswered(); })
            >= total - 1,
        10000);
    int waiting = 0;
    for (Probe *probe : std::as_const(probes)) {
        QVERIFY(probe->answer() != 2);
        waiting += probe->isAnswered() ? 0 : 1;
    }
    QVERIFY(waiting <= 1);
    // The primary said why it passed it over (on a loaded machine, perhaps others too).
    const QStringList skipped = skips.lines();
    QVERIFY2(std::any_of(skipped.cbegin(), skipped.cend(),
                 [](const QString &line) {
                     return line.startsWith(QLatin1String("round-robin: worker 2 busy"));
                 }),
        qPrintable(skips.text()));

    QCOMPARE(::write(pair[0], "go", 2), ssize_t(2));
    QVERIFY(waitAnswered(probes, f.cluster));
    QVERIFY(!blockAnswer.isEmpty() || blockAnswer.wait());

    // Free again, it gets its turn again.
    ClientLoop loop(f.port, 20);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
    QVERIFY(loop.answers().contains(2));
}

void tst_RoundRobin::burstInFramesServedOnce()
{
    // Workers that have kept up hold several unacknowledged connections at once, so a burst the
    // primary finds in its backlog all at once (this test process is the primary: every
    // connection below is made before its event loop runs again) is dealt out in strict turns,
    // several connections to a frame, and every one is served exactly once.
    Fixture f;
    QVERIFY(f.start(2));
    ClientLoop warmUp(f.port, 20);
    QVERIFY(warmUp.run());
    QVERIFY2(warmUp.failureCount() == 0, qPrintable(warmUp.failureSummary()));
    QTRY_COMPARE(f.workers.at(0)->connectionsAccepted() + f.workers.at(1)->connectionsAccepted(),
        qint64(20));

    BusySkips skips;
    const int total = 64;
    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < total; ++i)
        probes.append(Probe::tcp(f.port, &clients));
    QVERIFY(waitAnswered(probes, f.cluster));
    // Served once: each worker writes its id and closes, so a connection handed to two workers
    // would read two lines, or one that no worker took would stay open.
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(probes.cbegin(), probes.cend(), [](Probe *p) { return p->isDisconnected(); }),
        10000);
    QList<int> answers;
    for (Probe *probe : std::as_const(probes)) {
        QCOMPARE(probe->received().count('\n'), 1);
        answers.append(probe->answer());
    }
    const QMap<int, int> count = shares(answers);
    QCOMPARE(count.value(1) + count.value(2), total);
    // In turn: each busy skip moves one connection from one worker to the other.
    QVERIFY2(qAbs(count.value(1) - count.value(2)) <= 2 * skips.count(),
        qPrintable(describe(count, skips)));
    // The primary counted each once, from the workers' acknowledgements.
    QTRY_COMPARE(f.workers.at(0)->connectionsAccepted() + f.workers.at(1)->connectionsAccepted(),
        qint64(20 + total));
    // And it sent them in fewer frames than connections.
    const QList<QPair<int, int>> frames = framesHanded(skips);
    int handed = 0;
    int largest = 0;
    for (const auto &frame : frames) {
        handed += frame.second;
        largest = qMax(largest, frame.second);
    }
    QCOMPARE(handed, total);
    QVERIFY2(largest > 1 && frames.size() < total, qPrintable(skips.all().join(QLatin1Char('\n'))));
}

void tst_RoundRobin::killedWorkerWindowRedistributed()
{
    // A worker that blocks after keeping up holds at most its window of connections (8), the
    // ones handed to it before it counts as busy; killed with them unread in its channel, it
    // loses none: the other workers serve them.
    Fixture f;
    QVERIFY(f.start(4));
    ClientLoop warmUp(f.port, 40);
    QVERIFY(warmUp.run());
    QVERIFY2(warmUp.failureCount() == 0, qPrintable(warmUp.failureSummary()));
    Worker *busy = f.cluster->workerById(2);
    Blocker blocker;
    QVERIFY(blocker.block(busy));

    BusySkips log;
    const int total = 40;
    QObject clients;
    QList<Probe *> probes;
    for (int i = 0; i < total; ++i)
        probes.append(Probe::tcp(f.port, &clients));
    // Every connection but those the blocked worker holds is served.
    int held = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            held = 0;
            for (const auto &frame : framesHanded(log))
                held += frame.first == 2 ? frame.second : 0;
            return held > 0 && answeredCount(probes) == total - held;
        }(),
        10000);
    QVERIFY2(held <= 8, qPrintable(log.all().join(QLatin1Char('\n'))));
    QSignalSpy exited(busy, &Worker::exited);
    busy->kill(SIGKILL);
    QVERIFY(exited.wait(10000));
    QVERIFY(waitAnswered(probes));
    for (Probe *probe : std::as_const(probes))
        QVERIFY(probe->answer() != 2);
    const QString left = QStringLiteral("worker 2 left ");
    const QStringList leaving = log.all().filter(left);
    QCOMPARE(leaving.size(), 1);
    QVERIFY2(leaving.first().contains(QStringLiteral(" with %1 connection(s)").arg(held)),
        qPrintable(leaving.first()));
}

void tst_RoundRobin::primaryDescriptorsReturn()
{
    Fixture f;
    QVERIFY(f.start(4));
    ClientLoop warmUp(f.port, 20);
    QVERIFY(warmUp.run());
    const int before = openDescriptorCount();
    QVERIFY(before > 0);

    ClientLoop first(f.port, 5000);
    ClientLoop second(f.port, 5000);
    QSignalSpy firstDone(&first, &ClientLoop::finished);
    QSignalSpy secondDone(&second, &ClientLoop::finished);
    first.start();
    second.start();
    QVERIFY(firstDone.wait(60000));
    QVERIFY(!secondDone.isEmpty() || secondDone.wait(60000));
    QVERIFY2(first.failureCount() == 0, qPrintable(first.failureSummary()));
    QVERIFY2(second.failureCount() == 0, qPrintable(second.failureSummary()));
    QTRY_COMPARE(openDescriptorCount(), before);
}

QTEST_MAIN(tst_RoundRobin)
#include "tst_roundrobin.moc"
