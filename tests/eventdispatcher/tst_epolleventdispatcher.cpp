// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EpollEventDispatcher does what Qt's own dispatcher does, in an application that runs on it
// (installed before the application object, as users install it).
#include <libcluster/epolleventdispatcher.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <fcntl.h>
#include <functional>
#include <memory>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <thread>
#include <unistd.h>

using namespace LibCluster;

class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void installed();
    void singleShotTimer_data();
    void singleShotTimer();
    void timersInOrder();
    void repeatingTimer();
    void zeroTimer();
    void timerStoppedByAnotherTimer();
    void timerIdReusedInOnePass();
    void registeredTimers();
    void postedFromAnotherThread();
    void postedByAnEvent();
    void readAndWriteNotifiers();
    void notifierDeletedByAnother();
    void descriptorNumberReused();
    void closedWhileWatchedStaysQuiet();
    void nestedEventLoop();
    void excludeSocketNotifiers();
    void process();
    void tcpEcho();
};

namespace {

// A connected pair of Unix stream sockets, closed at the end of the scope.
struct SocketPair
{
    int fd[2] = { -1, -1 };
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fd); }
    ~SocketPair()
    {
        for (int f : fd)
            if (f >= 0)
                ::close(f);
    }
};

// Runs the event loop, blocking whenever it has nothing to do, for `msecs`: true once a timer
// of that length has fired through the dispatcher under test.
bool runLoopFor(int msecs)
{
    QTimer timer;
    timer.setSingleShot(true);
    QSignalSpy spy(&timer, &QTimer::timeout);
    timer.start(msecs);
    return spy.wait(5000 + msecs);
}

} // namespace

void tst_EpollEventDispatcher::installed()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher()));
}

void tst_EpollEventDispatcher::singleShotTimer_data()
{
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("precise") << Qt::PreciseTimer;
    QTest::newRow("coarse") << Qt::CoarseTimer;
    QTest::newRow("very coarse") << Qt::VeryCoarseTimer;
}

void tst_EpollEventDispatcher::singleShotTimer()
{
    // From both sides, while the loop blocks in the dispatcher's wait: not before its time (by
    // the same clock), and long before a kernel timer set to 2 s later than it has expired (a
    // timerfd: the kernel's clock, not the dispatcher's; ordering, not speed).
    QFETCH(Qt::TimerType, type);
    const int interval = type == Qt::VeryCoarseTimer ? 1000 : 30;
    const int kernelTimer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    QVERIFY(kernelTimer >= 0);
    const auto closeKernelTimer = qScopeGuard([kernelTimer] { ::close(kernelTimer); });
    itimerspec deadline {};
    deadline.it_value.tv_sec = (interval + 2000) / 1000;
    deadline.it_value.tv_nsec = long((interval + 2000) % 1000) * 1000000;

    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(type);
    QSignalSpy spy(&timer, &QTimer::timeout);
    qint64 firedAfter = -1;
    bool kernelTimerRunning = false;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] {
        firedAfter = clock.elapsed();
        itimerspec left {};
        ::timerfd_gettime(kernelTimer, &left);
        kernelTimerRunning = left.it_value.tv_sec != 0 || left.it_value.tv_nsec != 0;
    });
    QCOMPARE(::timerfd_settime(kernelTimer, 0, &deadline, nullptr), 0);
    clock.start();
    timer.start(interval);
    QVERIFY(spy.wait(interval + 10000));
    QVERIFY2(firedAfter >= interval, qPrintable(QString::number(firedAfter)));
    QVERIFY2(kernelTimerRunning,
        qPrintable(QStringLiteral("a %1 ms timer fired after %2 ms, 2 s late")
                       .arg(interval)
                       .arg(firedAfter)));
    // Once only.
    QVERIFY(runLoopFor(60));
    QCOMPARE(spy.size(), 1);
}

void tst_EpollEventDispatcher::timersInOrder()
{
    // Timers started together fire in the order of their deadlines, each after its own.
    QElapsedTimer clock;
    clock.start();
    QList<int> order;
    QList<qint64> at;
    for (int msecs : { 60, 20, 40, 0 })
        QTimer::singleShot(msecs, Qt::PreciseTimer, this, [&, msecs] {
            order.append(msecs);
            at.append(clock.elapsed());
        });
    QTimer last;
    last.setSingleShot(true);
    QSignalSpy lastSpy(&last, &QTimer::timeout);
    last.start(80);
    QVERIFY(lastSpy.wait(10000));
    QCOMPARE(order, (QList<int> { 0, 20, 40, 60 }));
    for (qsizetype i = 0; i < order.size(); ++i)
        QVERIFY2(at.at(i) >= order.at(i), qPrintable(QString::number(at.at(i))));
}

void tst_EpollEventDispatcher::repeatingTimer()
{
    QTimer timer;
    timer.setInterval(10);
    timer.setTimerType(Qt::PreciseTimer);
    QList<qint64> ticks;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] { ticks.append(clock.elapsed()); });
    QSignalSpy spy(&timer, &QTimer::timeout);
    clock.start();
    timer.start();
    QVERIFY(timer.remainingTime() >= 0 && timer.remainingTime() <= 10);
    while (spy.size() < 5)
        QVERIFY(spy.wait(5000));
    // Never faster than asked: tick k comes k intervals after the start at the earliest.
    for (qsizetype k = 0; k < ticks.size(); ++k)
        QVERIFY2(ticks.at(k) >= (k + 1) * 10, qPrintable(QString::number(ticks.at(k))));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);
}

void tst_EpollEventDispatcher::zeroTimer()
{
    // A zero timer runs on every pass, while other events still get their turn.
    QTimer zero;
    zero.setInterval(0);
    int passes = 0;
    connect(&zero, &QTimer::timeout, this, [&passes] { ++passes; });
    zero.start();
    QVERIFY(runLoopFor(20));
    QVERIFY(passes > 1);
}

void tst_EpollEventDispatcher::timerStoppedByAnotherTimer()
{
    // The first is due first (or in the same pass, then handled first) and stops the second,
    // which must then not fire.
    QTimer first;
    QTimer second;
    first.setSingleShot(true);
    second.setSingleShot(true);
    int secondFired = 0;
    connect(&first, &QTimer::timeout, &second, &QTimer::stop);
    connect(&second, &QTimer::timeout, this, [&secondFired] { ++secondFired; });
    first.start(10);
    second.start(10);
    QTest::qWait(0); // nothing is due yet; just a pass of the loop
    QVERIFY(runLoopFor(60));
    QVERIFY(!first.isActive());
    QVERIFY(!second.isActive());
    QCOMPARE(secondFired, 0);
}

void tst_EpollEventDispatcher::timerIdReusedInOnePass()
{
    // A and B are due in the same pass; A stops B and starts C, which Qt gives B's id. C must
    // wait its own interval, not fire in B's place.
    QTimer a;
    QTimer b;
    QTimer c;
    for (QTimer *t : { &a, &b, &c })
        t->setSingleShot(true);
    QSignalSpy cSpy(&c, &QTimer::timeout);
    int bFired = 0;
    connect(&b, &QTimer::timeout, this, [&bFired] { ++bFired; });
    connect(&a, &QTimer::timeout, this, [&] {
        b.stop();
        c.start(2000);
    });
    a.start(10);
    b.start(10);
    // Busy for longer than both intervals: they are both due when the loop looks next.
    QElapsedTimer busy;
    busy.start();
    while (busy.elapsed() < 30) { }
    QVERIFY(runLoopFor(200));
    QCOMPARE(bFired, 0);
    QCOMPARE(cSpy.size(), 0);
    QVERIFY(c.isActive());
    QVERIFY(c.remainingTime() > 1000);
}

void tst_EpollEventDispatcher::registeredTimers()
{
    QObject owner;
    QAbstractEventDispatcher *dispatcher = QCoreApplication::eventDispatcher();
    const int a = owner.startTimer(250, Qt::PreciseTimer);
    const int b = owner.startTimer(500, Qt::CoarseTimer);
    const QList<QAbstractEventDispatcher::TimerInfo> timers = dispatcher->registeredTimers(&owner);
    QCOMPARE(timers.size(), 2);
    for (const auto &info : timers) {
        QVERIFY(info.timerId == a || info.timerId == b);
        QCOMPARE(info.interval, info.timerId == a ? 250 : 500);
        QCOMPARE(info.timerType, info.timerId == a ? Qt::PreciseTimer : Qt::CoarseTimer);
    }
    const int left = dispatcher->remainingTime(a);
    QVERIFY2(left >= 0 && left <= 250, qPrintable(QString::number(left)));
    owner.killTimer(a);
    QCOMPARE(dispatcher->registeredTimers(&owner).size(), 1);
    QCOMPARE(dispatcher->remainingTime(a), -1);
    QVERIFY(dispatcher->unregisterTimers(&owner));
    QVERIFY(dispatcher->registeredTimers(&owner).isEmpty());
}

void tst_EpollEventDispatcher::postedFromAnotherThread()
{
    // The loop sleeps (no timer, no socket to wake it); only the wake-up can.
    int delivered = 0;
    std::thread poster([this, &delivered] {
        for (int i = 0; i < 100; ++i)
            QMetaObject::invokeMethod(
                this, [&delivered] { ++delivered; }, Qt::QueuedConnection);
    });
    QTRY_COMPARE_WITH_TIMEOUT(delivered, 100, 5000);
    poster.join();
}

void tst_EpollEventDispatcher::postedByAnEvent()
{
    // Each event posts the next (as a deleteLater() in a slot does): the loop, blocking when it
    // has nothing to do, must not fall asleep with one pending; only a timer would wake it then.
    int delivered = 0;
    QEventLoop loop;
    QTimer bound;
    bound.setSingleShot(true);
    connect(&bound, &QTimer::timeout, &loop, &QEventLoop::quit);
    bound.start(5000);
    std::function<void()> next = [this, &delivered, &next, &loop] {
        if (++delivered < 2000)
            QMetaObject::invokeMethod(this, next, Qt::QueuedConnection);
        else
            loop.quit();
    };
    QMetaObject::invokeMethod(this, next, Qt::QueuedConnection);
    loop.exec();
    QCOMPARE(delivered, 2000);
    QVERIFY(bound.isActive());
}

void tst_EpollEventDispatcher::readAndWriteNotifiers()
{
    SocketPair pair;
    QSocketNotifier readable(pair.fd[0], QSocketNotifier::Read);
    QSocketNotifier writable(pair.fd[0], QSocketNotifier::Write);
    QSignalSpy readSpy(&readable, &QSocketNotifier::activated);
    QSignalSpy writeSpy(&writable, &QSocketNotifier::activated);
    // An empty socket with room: writable, not readable.
    QVERIFY(writeSpy.wait(5000));
    QCOMPARE(readSpy.size(), 0);
    writable.setEnabled(false);

    QCOMPARE(::write(pair.fd[1], "x", 1), ssize_t(1));
    QVERIFY(readSpy.wait(5000));
    // Level-triggered, like poll: it fires again while the byte is unread...
    readSpy.clear();
    QVERIFY(readSpy.wait(5000));
    // ...and not once it is read or the notifier is disabled.
    char byte;
    QCOMPARE(::read(pair.fd[0], &byte, 1), ssize_t(1));
    readable.setEnabled(false);
    QCOMPARE(::write(pair.fd[1], "y", 1), ssize_t(1));
    readSpy.clear();
    QVERIFY(!readSpy.wait(100));
    readable.setEnabled(true);
    QVERIFY(readSpy.wait(5000));

    // The peer hangs up: the reader hears of it.
    QCOMPARE(::read(pair.fd[0], &byte, 1), ssize_t(1));
    ::close(pair.fd[1]);
    pair.fd[1] = -1;
    readSpy.clear();
    QVERIFY(readSpy.wait(5000));
    QCOMPARE(::read(pair.fd[0], &byte, 1), ssize_t(0));
}

void tst_EpollEventDispatcher::notifierDeletedByAnother()
{
    // Two descriptors ready in the same pass; the first handler deletes the other's notifier,
    // which must then not be activated.
    SocketPair a;
    SocketPair b;
    auto *first = new QSocketNotifier(a.fd[0], QSocketNotifier::Read, this);
    QPointer<QSocketNotifier> second = new QSocketNotifier(b.fd[0], QSocketNotifier::Read, this);
    int firstFired = 0;
    int secondFired = 0;
    connect(first, &QSocketNotifier::activated, this, [&] {
        ++firstFired;
        delete second;
        first->setEnabled(false);
    });
    connect(second, &QSocketNotifier::activated, this, [&] {
        ++secondFired;
        delete first;
        first = nullptr;
        second->setEnabled(false);
    });
    QCOMPARE(::write(a.fd[1], "x", 1), ssize_t(1));
    QCOMPARE(::write(b.fd[1], "x", 1), ssize_t(1));
    // Both were ready in the same pass; the deleted one would have been activated in it.
    QTRY_COMPARE_WITH_TIMEOUT(firstFired + secondFired, 1, 5000);
    QCoreApplication::processEvents();
    QCOMPARE(firstFired + secondFired, 1);
    delete first;
    delete second;
}

void tst_EpollEventDispatcher::descriptorNumberReused()
{
    // A descriptor closed while its notifier is still enabled, its number then reused: the new
    // socket is watched, not the old one.
    int number = -1;
    {
        SocketPair old;
        auto notifier = std::make_unique<QSocketNotifier>(old.fd[0], QSocketNotifier::Read);
        QTest::qWait(0); // in the epoll set now
        number = old.fd[0];
        ::close(old.fd[0]);
        old.fd[0] = -1;
        // The notifier goes after its descriptor, as careless code does.
    }
    // The number is free now; the new socket takes it for certain (the kernel would usually
    // hand it out again by itself, but not when another thread opened something meanwhile).
    SocketPair fresh;
    if (fresh.fd[0] != number) {
        QVERIFY(::dup3(fresh.fd[0], number, O_CLOEXEC) == number);
        ::close(fresh.fd[0]);
        fresh.fd[0] = number;
    }
    const int reader = fresh.fd[0];
    const int writer = fresh.fd[1];
    QSocketNotifier notifier(reader, QSocketNotifier::Read);
    QSignalSpy spy(&notifier, &QSocketNotifier::activated);
    QCOMPARE(::write(writer, "x", 1), ssize_t(1));
    QVERIFY(spy.wait(5000));
}

void tst_EpollEventDispatcher::closedWhileWatchedStaysQuiet()
{
    // A descriptor closed before its notifier goes, while another descriptor (here a dup; as
    // well a copy sent to a worker) keeps the socket open: the socket becoming readable must not
    // wake an idle loop again and again.
    SocketPair pair;
    const int copy = ::fcntl(pair.fd[0], F_DUPFD_CLOEXEC, 0);
    QVERIFY(copy >= 0);
    const auto closeCopy = qScopeGuard([copy] { ::close(copy); });
    auto notifier = std::make_unique<QSocketNotifier>(pair.fd[0], QSocketNotifier::Read);
    QCoreApplication::processEvents(); // watched now
    ::close(pair.fd[0]);
    pair.fd[0] = -1;
    notifier.reset();
    QCOMPARE(::write(pair.fd[1], "x", 1), ssize_t(1));

    int passes = 0;
    const QMetaObject::Connection counting = connect(QCoreApplication::eventDispatcher(),
        &QAbstractEventDispatcher::awake, this, [&passes] { ++passes; });
    QVERIFY(runLoopFor(200));
    disconnect(counting);
    // A handful of passes (the timer, the spy); a stale registration makes tens of thousands.
    QVERIFY2(passes < 50, qPrintable(QString::number(passes)));
}

void tst_EpollEventDispatcher::nestedEventLoop()
{
    // A slot runs a nested loop (as a modal dialog or a blocking wait does): timers and sockets
    // keep working inside it, and the repeating timer that started it is not re-entered. The
    // nested loop ends only once its reads are done, so reads that waited for the outer loop
    // would show as reads at depth 0 after a 5-second give-up.
    SocketPair pair;
    QSocketNotifier readable(pair.fd[0], QSocketNotifier::Read);
    int depth = 0;
    int nestedReads = 0;
    int outerReads = 0;
    QEventLoop *nested = nullptr;
    connect(&readable, &QSocketNotifier::activated, this, [&] {
        char byte;
        while (::read(pair.fd[0], &byte, 1) == 1)
            ++(depth > 0 ? nestedReads : outerReads);
        if (nested && nestedReads == 3)
            nested->quit();
    });
    QTimer outer;
    outer.setInterval(5);
    int outerFired = 0;
    int maxDepth = 0;
    int nestedTimerFired = 0;
    bool gaveUp = false;
    connect(&outer, &QTimer::timeout, this, [&] {
        ++outerFired;
        maxDepth = qMax(maxDepth, ++depth);
        if (outerFired == 1) {
            QEventLoop loop;
            nested = &loop;
            QTimer::singleShot(5000, &loop, [&] {
                gaveUp = true;
                loop.quit();
            });
            // A timer inside the nested loop, and the write it makes read there.
            QTimer::singleShot(10, this, [&] {
                ++nestedTimerFired;
                (void)::write(pair.fd[1], "abc", 3);
            });
            loop.exec();
            nested = nullptr;
        }
        --depth;
    });
    outer.start();
    QTRY_VERIFY_WITH_TIMEOUT(outerFired >= 3, 10000);
    outer.stop();
    QVERIFY(!gaveUp);
    QCOMPARE(nestedTimerFired, 1);
    QCOMPARE(nestedReads, 3);
    QCOMPARE(outerReads, 0);
    QCOMPARE(maxDepth, 1);
}

void tst_EpollEventDispatcher::excludeSocketNotifiers()
{
    SocketPair pair;
    QSocketNotifier readable(pair.fd[0], QSocketNotifier::Read);
    QSignalSpy spy(&readable, &QSocketNotifier::activated);
    QCOMPARE(::write(pair.fd[1], "x", 1), ssize_t(1));
    // A ready socket neither fires nor ends the wait; the timer does.
    QTimer timer;
    timer.setSingleShot(true);
    QSignalSpy timerSpy(&timer, &QTimer::timeout);
    timer.start(30);
    QElapsedTimer clock;
    clock.start();
    while (timerSpy.isEmpty() && clock.elapsed() < 5000)
        QCoreApplication::processEvents(
            QEventLoop::ExcludeSocketNotifiers | QEventLoop::WaitForMoreEvents);
    QCOMPARE(timerSpy.size(), 1);
    QCOMPARE(spy.size(), 0);
    QVERIFY(spy.wait(5000));
}

void tst_EpollEventDispatcher::process()
{
    QProcess child;
    child.start(QStringLiteral("/bin/sh"),
        { QStringLiteral("-c"), QStringLiteral("read line; echo got $line; exit 3") });
    QVERIFY(child.waitForStarted(5000));
    child.write("hello\n");
    QSignalSpy finished(&child, &QProcess::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(child.exitCode(), 3);
    QCOMPARE(child.readAllStandardOutput(), QByteArray("got hello\n"));
}

void tst_EpollEventDispatcher::tcpEcho()
{
    // Many connections at once, each echoing lines back and forth on the event loop.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, this, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket,
                [socket] { socket->write(socket->readAll()); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    const int clients = 200;
    const int rounds = 20;
    int done = 0;
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (int i = 0; i < clients; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QTcpSocket *s = socket.get();
        auto received = std::make_shared<QByteArray>();
        auto round = std::make_shared<int>(0);
        connect(s, &QTcpSocket::connected, s, [s] { s->write("ping\n"); });
        connect(s, &QTcpSocket::readyRead, s, [s, received, round, &done] {
            *received += s->readAll();
            while (received->size() >= 5) {
                received->remove(0, 5);
                if (++*round == rounds)
                    ++done;
                else
                    s->write("ping\n");
            }
        });
        s->connectToHost(QHostAddress::LocalHost, server.serverPort());
        sockets.push_back(std::move(socket));
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, clients, 30000);
}

int main(int argc, char **argv)
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
