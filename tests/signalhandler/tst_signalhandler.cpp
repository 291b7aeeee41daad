// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SignalHandler: real signals delivered to this process reach every watcher through the event
// loop; watches are counted, so one part of a program that stops watching leaves the others
// (and a Supervisor) their signals, and the last one restores the disposition from before.
#include <libcluster/cluster.h>
#include <libcluster/signalhandler.h>
#include <libcluster/supervisor.h>

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace LibCluster;

namespace {
// The disposition the process has for `signal` now.
sighandler_t disposition(int signal)
{
    struct sigaction current
    {
    };
    ::sigaction(signal, nullptr, &current);
    return current.sa_handler;
}
} // namespace

class tst_SignalHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void delivers_data();
    void delivers();
    void refusesUncatchable_data();
    void refusesUncatchable();
    void countsWatches();
    void supervisorKeepsSignalsOfOthers();
};

void tst_SignalHandler::delivers_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
    QTest::newRow("SIGHUP") << SIGHUP;
}

// kill(2) on this process, as a shell's `kill -TERM`, a terminal's Ctrl-C or hang-up would.
void tst_SignalHandler::delivers()
{
    QFETCH(int, signal);
    SignalHandler *handler = SignalHandler::instance();
    QCOMPARE(SignalHandler::instance(), handler);
    QVERIFY(handler->watchSignal(signal));
    QVERIFY(handler->isWatching(signal));
    QSignalSpy spy(handler, &SignalHandler::signalReceived);
    QCOMPARE(::kill(::getpid(), signal), 0);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toInt(), signal);
    // Two deliveries, each read from the pipe and reported.
    QCOMPARE(::kill(::getpid(), signal), 0);
    QTRY_COMPARE(spy.size(), 2);
    handler->unwatchSignal(signal);
    QVERIFY(!handler->isWatching(signal));
}

void tst_SignalHandler::refusesUncatchable_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGKILL") << SIGKILL;
    QTest::newRow("SIGSTOP") << SIGSTOP;
    QTest::newRow("SIGCHLD (QProcess's)") << SIGCHLD;
    QTest::newRow("0") << 0;
    QTest::newRow("negative") << -1;
    QTest::newRow("past the last signal") << NSIG;
}

void tst_SignalHandler::refusesUncatchable()
{
    QFETCH(int, signal);
    const sighandler_t before = signal > 0 && signal < NSIG ? disposition(signal) : SIG_DFL;
    QVERIFY(!SignalHandler::instance()->watchSignal(signal));
    QVERIFY(!SignalHandler::instance()->isWatching(signal));
    if (signal > 0 && signal < NSIG)
        QVERIFY(disposition(signal) == before);
}

// Two parts of a program watch SIGHUP; the first that stops watching leaves the signal caught
// for the other; the last restores what the process had before (here: ignored).
void tst_SignalHandler::countsWatches()
{
    SignalHandler *handler = SignalHandler::instance();
    ::signal(SIGHUP, SIG_IGN);
    QVERIFY(handler->watchSignal(SIGHUP));
    QVERIFY(handler->watchSignal(SIGHUP));
    QVERIFY(disposition(SIGHUP) != SIG_IGN);
    handler->unwatchSignal(SIGHUP);
    QVERIFY(handler->isWatching(SIGHUP));
    QSignalSpy spy(handler, &SignalHandler::signalReceived);
    QCOMPARE(::kill(::getpid(), SIGHUP), 0);
    QVERIFY(spy.wait(5000));
    QCOMPARE(spy.at(0).at(0).toInt(), int(SIGHUP));
    handler->unwatchSignal(SIGHUP);
    QVERIFY(!handler->isWatching(SIGHUP));
    QVERIFY(disposition(SIGHUP) == SIG_IGN);
    // A surplus unwatch changes nothing.
    handler->unwatchSignal(SIGHUP);
    QVERIFY(disposition(SIGHUP) == SIG_IGN);
    ::signal(SIGHUP, SIG_DFL);
}

// Last: a supervisor's signal shutdown quits the application, after which no event loop of this
// test runs again.
// A supervisor that stops handling termination signals (or is destroyed) must not take SIGTERM
// away from another supervisor, or from the program's own watch: SIGTERM would then end the
// process at once, with no graceful shutdown.
void tst_SignalHandler::supervisorKeepsSignalsOfOthers()
{
    // Whatever the test framework installed.
    const sighandler_t before = disposition(SIGTERM);
    Cluster cluster;
    auto *first = new Supervisor(&cluster);
    Supervisor second(&cluster);
    first->setHandleTerminationSignals(true, 1000);
    second.setHandleTerminationSignals(true, 1000);
    SignalHandler::instance()->watchSignal(SIGTERM);
    delete first;
    QVERIFY(SignalHandler::instance()->isWatching(SIGTERM));

    QSignalSpy own(SignalHandler::instance(), &SignalHandler::signalReceived);
    QSignalSpy finished(&second, &Supervisor::shutdownFinished);
    QCOMPARE(::kill(::getpid(), SIGTERM), 0);
    QVERIFY(finished.wait(5000));
    QVERIFY(second.isShuttingDown());
    QCOMPARE(own.size(), 1);
    QCOMPARE(own.at(0).at(0).toInt(), int(SIGTERM));

    second.setHandleTerminationSignals(false);
    SignalHandler::instance()->unwatchSignal(SIGTERM);
    QVERIFY(!SignalHandler::instance()->isWatching(SIGTERM));
    QVERIFY(disposition(SIGTERM) == before);
}

QTEST_GUILESS_MAIN(tst_SignalHandler)
#include "tst_signalhandler.moc"
