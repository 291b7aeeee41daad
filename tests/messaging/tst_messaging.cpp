// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Messages between primary and worker: every CBOR type, order, bursts, large messages, handles,
// slow readers, values that cannot be sent, and a worker that writes garbage.
#include <libcluster/cluster.h>

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QPointer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrl>
#include <QUuid>

#include <cmath>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <functional>
#include <limits>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace LibCluster;

class tst_Messaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void echo();
    void roundTrip_data();
    void roundTrip();
    void sendBeforeOnline();
    void burstFromWorker();
    void burstFromManyWorkers();
    void burstToWorker();
    void largeMessage();
    void largeMessagesFromWorker();
    void atTheFrameLimit();
    void messagesBeforeWorkerDisconnect();
    void messagesBeforeWorkerExit();
    void messagesBeforePrimaryDisconnect();
    void nestedEventLoopInSlot();
    void slowReaderDoesNotBlockSender();
    void queueFull();
    void queueLimitCountsWholeFrames();
    void refusedMessageLeavesQueueIntact();
    void handle_data();
    void handle();
    void handleKeepsOrder_data();
    void handleKeepsOrder();
    void ignoredHandleIsClosed();
    void handleForEveryReceiver();
    void takeDescriptorFromCopies();
    void handlesDoNotLeak();
    void unsendable_data();
    void unsendable();
    void sendAfterDisconnect();
    void sendAfterKill();
    void badInputFromWorker_data();
    void badInputFromWorker();

private:
    // Forks a worker and waits until it is online; nullptr if it never comes online.
    Worker *startWorker();

    Cluster *m_cluster = nullptr;
};

namespace {

QCborMap command(
    const char *name, std::initializer_list<std::pair<const char *, QCborValue>> args = {})
{
    QCborMap map;
    map.insert(QStringLiteral("do"), QString::fromLatin1(name));
    for (const auto &[key, value] : args)
        map.insert(QString::fromLatin1(key), value);
    return map;
}

// Collects what a worker sends, without QSignalSpy's per-message QVariant list.
struct Inbox
{
    explicit Inbox(Worker *worker)
    {
        connection = QObject::connect(worker, &Worker::messageReceived,
            [this](const QCborValue &message, const Handle &handle) {
                messages.append(message);
                handles.append(handle);
            });
    }
    ~Inbox() { QObject::disconnect(connection); }
    QList<QCborValue> messages;
    QList<Handle> handles;
    QMetaObject::Connection connection;
};

// Bytes that differ at every offset and from one message to the next.
QByteArray patternBytes(qsizetype size, quint32 salt)
{
    QByteArray bytes(size, Qt::Uninitialized);
    quint32 x = salt * 2654435761u + 1;
    for (qsizetype i = 0; i < size; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        std::memcpy(bytes.data() + i, &x, size_t(qMin<qsizetype>(4, size - i)));
    }
    return bytes;
}

QCborValue nestedArray(int depth)
{
    QCborValue value = QCborValue(QStringLiteral("bottom"));
    for (int i = 0; i < depth; ++i)
        value = QCborArray { value };
    return value;
}

// Runs the event loop until `done` holds. Unlike QTRY_*, which sleeps 10 ms between passes of
// the event loop, this keeps a bulk transfer flowing at the channel's own pace.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 20000)
{
    const QDeadlineTimer deadline(timeoutMs);
    QTimer tick; // wakes the loop now and then to look at the deadline
    tick.start(20);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
    return true;
}

int openDescriptorCount()
{
    DIR *dir = ::opendir("/proc/self/fd");
    int count = -1; // the directory's own descriptor
    while (dirent *entry = ::readdir(dir))
        if (entry->d_name[0] != '.')
            ++count;
    ::closedir(dir);
    return count;
}

bool pipeHasNoReader(int writeEnd)
{
    pollfd pfd { writeEnd, POLLOUT, 0 };
    return ::poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLERR);
}

} // namespace

void tst_Messaging::init()
{
    m_cluster = new Cluster(this);
    Settings settings;
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    settings.setArgs({});
    m_cluster->setupPrimary(settings);
}

void tst_Messaging::cleanup()
{
    delete m_cluster;
    m_cluster = nullptr;
}

Worker *tst_Messaging::startWorker()
{
    Worker *worker = m_cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    if (!online.wait(10000))
        return nullptr;
    return worker;
}

void tst_Messaging::echo()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    QSignalSpy messages(worker, &Worker::messageReceived);
    QCborMap map;
    map.insert(QStringLiteral("a"), 1);
    QVERIFY(worker->send(map));
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().first().value<QCborValue>(), QCborValue(map));
}

void tst_Messaging::roundTrip_data()
{
    QTest::addColumn<QCborValue>("value");

    QCborMap map;
    map.insert(QStringLiteral("name"), QStringLiteral("worker"));
    map.insert(QStringLiteral("list"), QCborArray { 1, 2.5, QStringLiteral("three") });
    map.insert(42, QStringLiteral("integer key"));
    map.insert(QCborArray { 1, 2 }, QStringLiteral("array key"));
    map.insert(QStringLiteral("nothing"), QCborValue(nullptr));
    QTest::newRow("map") << QCborValue(map);
    QTest::newRow("empty map") << QCborValue(QCborMap());

    QCborMap inner;
    inner.insert(QStringLiteral("deep"), QCborArray { QCborArray { true, false }, QCborMap() });
    QTest::newRow("nested array") << QCborValue(
        QCborArray { 1, QCborArray { 2, QCborArray { 3 } }, inner, QCborArray() });
    QTest::newRow("empty array") << QCborValue(QCborArray());
    QTest::newRow("deep array, 500 levels") << nestedArray(500);

    QTest::newRow("string, non-ASCII")
        << QCborValue(QStringLiteral("h\u00e9llo w\u00f6rld \u4e16\u754c \U0001F600 \u0000 end"));
    QTest::newRow("empty string") << QCborValue(QString());
    QTest::newRow("string, 1 MiB") << QCborValue(QString(1024 * 1024, QLatin1Char('s')));

    QTest::newRow("zero") << QCborValue(0);
    QTest::newRow("-1") << QCborValue(-1);
    QTest::newRow("2^32") << QCborValue(qint64(1) << 32);
    QTest::newRow("-2^32 - 1") << QCborValue(-(qint64(1) << 32) - 1);
    QTest::newRow("int64 max") << QCborValue(std::numeric_limits<qint64>::max());
    QTest::newRow("int64 min") << QCborValue(std::numeric_limits<qint64>::min());

    QTest::newRow("double") << QCborValue(3.141592653589793);
    QTest::newRow("double, negative zero") << QCborValue(-0.0);
    QTest::newRow("double, tiny") << QCborValue(std::numeric_limits<double>::denorm_min());
    QTest::newRow("double, huge") << QCborValue(-std::numeric_limits<double>::max());
    QTest::newRow("double, infinity") << QCborValue(std::numeric_limits<double>::infinity());
    QTest::newRow("double, NaN") << QCborValue(std::numeric_limits<double>::quiet_NaN());
    QTest::newRow("double, integral") << QCborValue(2.0);

    QTest::newRow("true") << QCborValue(true);
    QTest::newRow("false") << QCborValue(false);
    QTest::newRow("null") << QCborValue(nullptr);
    QTest::newRow("simple type") << QCborValue(QCborSimpleType(99));

    QTest::newRow("bytes with zeros") << QCborValue(QByteArray("\0\1\0\xff\0", 5));
    QTest::newRow("bytes, all values") << QCborValue([] {
        QByteArray all;
        for (int i = 0; i < 256; ++i)
            all.append(char(i));
        return all;
    }());
    QTest::newRow("empty bytes") << QCborValue(QByteArray());

    QTest::newRow("tag") << QCborValue(QCborTag(4242), QCborArray { 1, QStringLiteral("tagged") });
    QTest::newRow("date-time") << QCborValue(
        QDateTime(QDate(2024, 2, 29), QTime(23, 59, 58, 123), Qt::UTC));
    QTest::newRow("url") << QCborValue(QUrl(QStringLiteral("https://example.org/p\u00e4th?q=1#f")));
    QTest::newRow("uuid") << QCborValue(
        QUuid(QStringLiteral("{67c8770b-44f1-410a-ab9a-f9b5446f13ee}")));
    QTest::newRow("regular expression")
        << QCborValue(QRegularExpression(QStringLiteral("^a+(b|c)$")));
    QTest::newRow("tag inside map") << QCborValue(QCborMap {
        { QStringLiteral("when"), QCborValue(QDateTime::fromSecsSinceEpoch(0, Qt::UTC)) } });
}

// primary -> worker (Cluster::worker()->messageReceived) -> echoed -> primary, unchanged, on
// Worker::messageReceived and on Cluster::messageReceived with the worker that sent it.
void tst_Messaging::roundTrip()
{
    QFETCH(QCborValue, value);
    Worker *worker = startWorker();
    QVERIFY(worker);
    QSignalSpy fromWorker(worker, &Worker::messageReceived);
    QSignalSpy fromCluster(m_cluster, &Cluster::messageReceived);
    QVERIFY2(worker->send(value), qPrintable(worker->errorString()));
    QVERIFY(fromWorker.wait(10000));
    QTRY_COMPARE(fromCluster.size(), 1);
    QCOMPARE(fromWorker.size(), 1);

    const QCborValue received = fromWorker.first().at(0).value<QCborValue>();
    QCOMPARE(received.type(), value.type());
    // The encoding is the strictest comparison (NaN != NaN, but its bytes are equal).
    QCOMPARE(received.toCbor(), value.toCbor());
    if (!(value.isDouble() && std::isnan(value.toDouble())))
        QCOMPARE(received, value);
    QVERIFY(!fromWorker.first().at(1).value<Handle>().isValid());

    QCOMPARE(fromCluster.first().at(0).value<Worker *>(), worker);
    QCOMPARE(fromCluster.first().at(1).value<QCborValue>().toCbor(), value.toCbor());
    QVERIFY(!fromCluster.first().at(2).value<Handle>().isValid());
}

// Messages sent right after fork(), before the worker runs: queued, delivered once it does,
// and its echoes come after its online().
void tst_Messaging::sendBeforeOnline()
{
    constexpr int Count = 1000;
    Worker *worker = m_cluster->fork();
    QStringList events;
    int outOfOrder = -1;
    connect(worker, &Worker::online, this, [&] { events << QStringLiteral("online"); });
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message.toInteger(-1) != events.size() - 1 && outOfOrder < 0)
            outOfOrder = int(events.size());
        events << QStringLiteral("message");
    });
    for (int i = 0; i < Count; ++i)
        QVERIFY2(worker->send(i), qPrintable(worker->errorString()));
    QVERIFY(waitUntil([&] { return events.size() >= Count + 1; }, 10000));
    QCOMPARE(events.size(), Count + 1);
    QCOMPARE(events.first(), QStringLiteral("online"));
    QCOMPARE(outOfOrder, -1);
}

void tst_Messaging::burstFromWorker()
{
    constexpr int Count = 100000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    int badData = -1;
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message[QLatin1String("seq")].toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        if (message[QLatin1String("data")].toByteArray() != QByteArray(16, 'w') && badData < 0)
            badData = received;
        ++received;
    });
    int viaCluster = 0;
    connect(m_cluster, &Cluster::messageReceived, this,
        [&](Worker *from) { viaCluster += from == worker ? 1 : 1000000; });
    QVERIFY(worker->send(command("burst", { { "count", Count }, { "size", 16 } })));
    waitUntil([&] { return received >= Count; });
    QCOMPARE(received, Count);
    QCOMPARE(outOfOrder, -1);
    QCOMPARE(badData, -1);
    QCOMPARE(viaCluster, Count);
    // Nothing more comes: the worker sent exactly Count messages.
    QVERIFY(worker->send(QCborMap {
        { QStringLiteral("seq"), Count }, { QStringLiteral("data"), QByteArray(16, 'w') } }));
    waitUntil([&] { return received > Count; });
    QCOMPARE(received, Count + 1);
    QCOMPARE(outOfOrder, -1);
}

// Several workers bursting at once: Cluster::messageReceived names the right sender for every
// message (each worker's sequence arrives whole and in order, with its own payload size).
void tst_Messaging::burstFromManyWorkers()
{
    constexpr int Workers = 4;
    constexpr int Count = 25000;
    QHash<Worker *, int> received;
    QHash<Worker *, qsizetype> sizes;
    for (int i = 0; i < Workers; ++i) {
        Worker *worker = startWorker();
        QVERIFY(worker);
        received.insert(worker, 0);
        sizes.insert(worker, 8 + i);
    }
    int strangers = 0;
    int misattributed = 0;
    connect(
        m_cluster, &Cluster::messageReceived, this, [&](Worker *from, const QCborValue &message) {
            const auto it = received.find(from);
            if (it == received.end()) {
                ++strangers;
                return;
            }
            if (message[QLatin1String("seq")].toInteger(-1) != *it
                || message[QLatin1String("data")].toByteArray().size() != sizes.value(from))
                ++misattributed;
            ++*it;
        });
    for (auto it = sizes.cbegin(); it != sizes.cend(); ++it)
        QVERIFY(it.key()->send(command("burst", { { "count", Count }, { "size", it.value() } })));
    const auto total = [&] {
        int sum = 0;
        for (int n : std::as_const(received))
            sum += n;
        return sum;
    };
    QVERIFY(waitUntil([&] { return total() >= Workers * Count; }, 30000));
    for (int n : std::as_const(received))
        QCOMPARE(n, Count);
    QCOMPARE(strangers, 0);
    QCOMPARE(misattributed, 0);
}

void tst_Messaging::burstToWorker()
{
    constexpr int Count = 100000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message.toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        ++received;
    });
    for (int i = 0; i < Count; ++i) {
        if (!worker->send(i))
            QFAIL(
                qPrintable(QStringLiteral("send %1 failed: %2").arg(i).arg(worker->errorString())));
    }
    waitUntil([&] { return received >= Count; });
    QCOMPARE(received, Count);
    QCOMPARE(outOfOrder, -1);
    // Nothing more comes: the worker echoed exactly Count messages.
    QVERIFY(worker->send(Count));
    waitUntil([&] { return received > Count; });
    QCOMPARE(received, Count + 1);
    QCOMPARE(outOfOrder, -1);
}

void tst_Messaging::largeMessage()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    const QByteArray big = patternBytes(16 * 1024 * 1024, 16);
    QVERIFY2(worker->send(big), qPrintable(worker->errorString()));
    QVERIFY(worker->send(QStringLiteral("after")));
    waitUntil([&] { return inbox.messages.size() >= 2; });
    QCOMPARE(inbox.messages.size(), 2);
    QVERIFY(inbox.messages.at(0).isByteArray());
    QCOMPARE(inbox.messages.at(0).toByteArray().size(), big.size());
    QVERIFY(inbox.messages.at(0).toByteArray() == big);
    QCOMPARE(inbox.messages.at(1), QCborValue(QStringLiteral("after")));
}

// 16 MiB messages the worker creates itself, interleaved with small ones from its echo.
void tst_Messaging::largeMessagesFromWorker()
{
    constexpr qint64 Size = 16 * 1024 * 1024;
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    QVERIFY(worker->send(command("burst", { { "count", 3 }, { "size", Size } })));
    QVERIFY(worker->send(QStringLiteral("after")));
    waitUntil([&] { return inbox.messages.size() >= 4; });
    QCOMPARE(inbox.messages.size(), 4);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(inbox.messages.at(i)[QLatin1String("seq")].toInteger(), i);
        QVERIFY(inbox.messages.at(i)[QLatin1String("data")].toByteArray() == QByteArray(Size, 'w'));
    }
    QCOMPARE(inbox.messages.at(3), QCborValue(QStringLiteral("after")));
}

// The largest message a frame carries goes both ways; one byte more is refused up front.
void tst_Messaging::atTheFrameLimit()
{
    constexpr qsizetype Limit = 64 * 1024 * 1024;
    constexpr qsizetype CborHeader = 5; // a byte string of 64 Ki .. 4 Gi bytes
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    QByteArray biggest(Limit - CborHeader, 'L');
    for (qsizetype i = 0; i < biggest.size(); i += 4093)
        biggest[i] = char(i / 4093);
    QCOMPARE(QCborValue(biggest).toCbor().size(), Limit);

    QByteArray tooBig = biggest + 'x';
    QVERIFY(!worker->send(tooBig));
    QCOMPARE(worker->error(), Worker::InvalidMessage);
    QVERIFY2(
        worker->errorString().contains(QString::number(Limit)), qPrintable(worker->errorString()));
    tooBig.clear();

    QVERIFY2(worker->send(biggest), qPrintable(worker->errorString()));
    QVERIFY(waitUntil([&] { return !inbox.messages.isEmpty(); }, 30000));
    QVERIFY(inbox.messages.first().toByteArray() == biggest);
    QVERIFY(worker->isConnected());
}

// A worker that sends and then disconnects at once: all of it arrives, before disconnected().
void tst_Messaging::messagesBeforeWorkerDisconnect()
{
    constexpr int Count = 1000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    int atDisconnect = -1;
    int atExit = -1;
    int exitCode = -1;
    bool afterDisconnect = false;
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message[QLatin1String("seq")].toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        ++received;
    });
    connect(worker, &Worker::disconnected, this, [&] { atDisconnect = received; });
    connect(worker, &Worker::exited, this, [&](int code) {
        atExit = received;
        exitCode = code;
        afterDisconnect = worker->exitedAfterDisconnect();
    });
    QVERIFY(worker->send(
        command("burst", { { "count", Count }, { "size", 1024 }, { "disconnect", true } })));
    QVERIFY(waitUntil([&] { return atDisconnect >= 0 && atExit >= 0; }));
    QCOMPARE(atDisconnect, Count);
    QCOMPARE(atExit, Count);
    QCOMPARE(outOfOrder, -1);
    QCOMPARE(exitCode, 0);
    QVERIFY(afterDisconnect);
}

// A worker that sends and then leaves its event loop at once: all of it arrives, before exited().
void tst_Messaging::messagesBeforeWorkerExit()
{
    constexpr int Count = 1000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    int atDisconnect = -1;
    int atExit = -1;
    int exitCode = -1;
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message[QLatin1String("seq")].toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        ++received;
    });
    connect(worker, &Worker::disconnected, this, [&] { atDisconnect = received; });
    connect(worker, &Worker::exited, this, [&](int code) {
        atExit = received;
        exitCode = code;
    });
    // 16 MiB in all: far more than the socket holds when the worker's event loop ends.
    QVERIFY(worker->send(
        command("burst", { { "count", Count }, { "size", 16 * 1024 }, { "exit", true } })));
    QVERIFY(waitUntil([&] { return atDisconnect >= 0 && atExit >= 0; }));
    QCOMPARE(atExit, Count);
    QCOMPARE(atDisconnect, Count);
    QCOMPARE(outOfOrder, -1);
    QCOMPARE(exitCode, 0);
}

// The primary sends, then disconnects at once: the worker gets every message before the
// disconnect request (it echoes each one, and all echoes arrive before disconnected()).
void tst_Messaging::messagesBeforePrimaryDisconnect()
{
    constexpr int Count = 1000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    int atDisconnect = -1;
    int atExit = -1;
    int exitCode = -1;
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message[QLatin1String("seq")].toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        ++received;
    });
    connect(worker, &Worker::disconnected, this, [&] { atDisconnect = received; });
    connect(worker, &Worker::exited, this, [&](int code) {
        atExit = received;
        exitCode = code;
    });
    const QByteArray filler(1024, 'p');
    for (int i = 0; i < Count; ++i) {
        QCborMap message;
        message.insert(QStringLiteral("seq"), i);
        message.insert(QStringLiteral("data"), filler);
        QVERIFY(worker->send(message));
    }
    QVERIFY(worker->exitedAfterDisconnect() == false);
    worker->disconnectFromCluster();
    QVERIFY(worker->exitedAfterDisconnect());
    QVERIFY(waitUntil([&] { return atDisconnect >= 0 && atExit >= 0; }));
    QCOMPARE(atDisconnect, Count);
    QCOMPARE(atExit, Count);
    QCOMPARE(outOfOrder, -1);
    QCOMPARE(exitCode, 0);
}

// A slot that runs a nested event loop (a modal dialog in the monitor, a QSignalSpy::wait)
// while the worker sends more and then disconnects: the rest still arrives, in order, before
// disconnected(), and nothing is reported as broken.
void tst_Messaging::nestedEventLoopInSlot()
{
    constexpr int Count = 100;
    constexpr int NestedMs = 1000; // how long the "dialog" stays open: the scenario, not a wait
    Worker *worker = startWorker();
    QVERIFY(worker);
    int received = 0;
    int outOfOrder = -1;
    int atDisconnect = -1;
    QStringList errors;
    QEventLoop nested;
    connect(worker, &Worker::errorOccurred, this, [&](Worker::Error, const QString &why) {
        errors << why;
        nested.quit();
    });
    connect(worker, &Worker::disconnected, this, [&] {
        atDisconnect = received;
        nested.quit();
    });
    connect(worker, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message[QLatin1String("seq")].toInteger(-1) != received && outOfOrder < 0)
            outOfOrder = received;
        if (++received == 1) {
            QTimer::singleShot(NestedMs, &nested, &QEventLoop::quit);
            nested.exec();
        }
    });
    QVERIFY(worker->send(
        command("burst", { { "count", Count }, { "size", 100 }, { "disconnect", true } })));
    QVERIFY(waitUntil([&] { return atDisconnect >= 0; }));
    QVERIFY2(errors.isEmpty(),
        qPrintable(QStringLiteral("%1 (%2 of %3 messages received at disconnected())")
                       .arg(errors.join(QLatin1String("; ")))
                       .arg(atDisconnect)
                       .arg(Count)));
    QCOMPARE(atDisconnect, Count);
    QCOMPARE(received, Count);
    QCOMPARE(outOfOrder, -1);
}

// A worker that does not read does not hold up the primary: send() only queues, the queue is
// drained from the event loop when the reader catches up, and nothing is lost.
void tst_Messaging::slowReaderDoesNotBlockSender()
{
    constexpr int BlockMs = 1500;
    constexpr int Count = 64;
    constexpr qsizetype Size = 1024 * 1024;
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    QList<QByteArray> payloads;
    for (int i = 0; i < Count; ++i)
        payloads.append(patternBytes(Size, quint32(i)));

    QVERIFY(worker->send(command("block", { { "ms", BlockMs } })));
    // Once the command has left the queue, the worker is (about to be) blocked.
    QVERIFY(waitUntil([&] { return worker->bytesToWrite() == 0; }));

    // send() never waits for the (blocked) reader: what the kernel's socket buffer cannot take
    // stays queued in this process, so nearly all of the 64 MiB is still here after the loop.
    for (int i = 0; i < Count; ++i)
        QVERIFY2(worker->send(payloads.at(i)), qPrintable(worker->errorString()));
    QVERIFY2(worker->bytesToWrite() >= (Count - 4) * Size,
        qPrintable(QStringLiteral("%1 bytes queued").arg(worker->bytesToWrite())));
    QVERIFY(worker->bytesToWrite() <= Count * (Size + 16));
    QCOMPARE(inbox.messages.size(), 0);

    waitUntil([&] { return inbox.messages.size() >= Count; });
    QCOMPARE(inbox.messages.size(), Count);
    for (int i = 0; i < Count; ++i)
        QVERIFY2(inbox.messages.at(i).toByteArray() == payloads.at(i),
            qPrintable(QStringLiteral("message %1 differs").arg(i)));
    QCOMPARE(worker->bytesToWrite(), 0);
    QCOMPARE(worker->error(), Worker::NoError);
}

// Past maxPendingBytes, send() refuses loudly (QueueFull) instead of dropping silently; what
// it accepted still arrives, and once the reader catches up, sending works again.
void tst_Messaging::queueFull()
{
    constexpr qsizetype Size = 1024 * 1024;
    constexpr qint64 Limit = 4 * Size;
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    QSignalSpy errors(worker, &Worker::errorOccurred);
    QSignalSpy clusterErrors(m_cluster, &Cluster::workerErrorOccurred);
    worker->setMaxPendingBytes(Limit);
    QCOMPARE(worker->maxPendingBytes(), Limit);

    QList<QByteArray> payloads;
    for (int i = 0; i < 16; ++i)
        payloads.append(patternBytes(Size, quint32(i)));

    QVERIFY(worker->send(command("block", { { "ms", 1000 } })));
    QVERIFY(waitUntil([&] { return worker->bytesToWrite() == 0; }));
    int accepted = 0;
    bool refused = false;
    for (int i = 0; i < payloads.size() && !refused; ++i) {
        if (worker->send(payloads.at(i))) {
            ++accepted;
            QCoreApplication::processEvents(); // lets the channel write what the socket takes
        } else {
            refused = true;
        }
    }
    QVERIFY2(refused, "send() never reported a full queue");
    // The socket's own buffer takes a little; the queue holds up to the limit.
    QVERIFY2(accepted >= 3 && accepted < 12, qPrintable(QString::number(accepted)));
    QVERIFY(worker->bytesToWrite() <= Limit);
    QCOMPARE(worker->error(), Worker::QueueFull);
    const QString why = worker->errorString();
    QVERIFY2(why.contains(QLatin1String("limit")), qPrintable(why));
    QVERIFY2(why.contains(QString::number(Limit)), qPrintable(why));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<Worker::Error>(), Worker::QueueFull);
    QCOMPARE(errors.first().at(1).toString(), why);
    QCOMPARE(clusterErrors.size(), 1);
    QCOMPARE(clusterErrors.first().at(0).value<Worker *>(), worker);
    QCOMPARE(clusterErrors.first().at(1).value<Worker::Error>(), Worker::QueueFull);
    // The channel itself is fine.
    QVERIFY(worker->isConnected());

    waitUntil([&] { return inbox.messages.size() >= accepted; });
    QCOMPARE(inbox.messages.size(), accepted);
    for (int i = 0; i < accepted; ++i)
        QVERIFY(inbox.messages.at(i).toByteArray() == payloads.at(i));
    QTRY_COMPARE(worker->bytesToWrite(), 0);
    QVERIFY(worker->send(QStringLiteral("room again")));
    QTRY_COMPARE(inbox.messages.size(), accepted + 1);
    QCOMPARE(inbox.messages.last(), QCborValue(QStringLiteral("room again")));
}

// The queue is bounded by what it really holds: whole frames, headers included.
void tst_Messaging::queueLimitCountsWholeFrames()
{
    constexpr qint64 Limit = 1000;
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    worker->setMaxPendingBytes(Limit);
    // Nothing is written before the event loop runs: the queue holds exactly what send() took.
    // Payloads of every size around the limit (a byte string of n <= 23 bytes takes n + 1 in
    // CBOR, 24 <= n <= 255 takes n + 2).
    for (int size = Limit - 16; size <= Limit + 2; ++size) {
        const QByteArray bytes(size - 3, 'b');
        QCOMPARE(QCborValue(bytes).toCbor().size(), size);
        const bool accepted = worker->send(bytes);
        const qint64 queued = worker->bytesToWrite();
        QVERIFY2(queued <= Limit,
            qPrintable(QStringLiteral("a %1-byte payload was %2; %3 bytes queued, limit %4")
                           .arg(size)
                           .arg(QLatin1String(accepted ? "accepted" : "refused"))
                           .arg(queued)
                           .arg(Limit)));
        if (accepted) {
            QVERIFY(waitUntil([&] { return worker->bytesToWrite() == 0; }));
        } else {
            QCOMPARE(worker->error(), Worker::QueueFull);
        }
    }
    // A message that could never fit says so, rather than blaming a queue that is empty.
    QVERIFY(!worker->send(QByteArray(2 * Limit, 'b')));
    QCOMPARE(worker->error(), Worker::QueueFull);
    QVERIFY2(worker->errorString().contains(QLatin1String("larger than")),
        qPrintable(worker->errorString()));
    // Every accepted message arrived.
    QVERIFY(worker->send(QStringLiteral("last")));
    QVERIFY(waitUntil([&] {
        return !inbox.messages.isEmpty()
            && inbox.messages.last() == QCborValue(QStringLiteral("last"));
    }));
    for (qsizetype i = 0; i + 1 < inbox.messages.size(); ++i)
        QVERIFY(inbox.messages.at(i).isByteArray());
}

// Messages are encoded straight into the write queue, behind frames not yet written: one refused
// halfway through its encoding, or for the room it needs, takes back every byte it wrote, and
// the frames around it arrive whole and in order.
void tst_Messaging::refusedMessageLeavesQueueIntact()
{
    constexpr qint64 Limit = 64 * 1024;
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    worker->setMaxPendingBytes(Limit);
    QList<QCborValue> sent;
    auto sendOk = [&](const QCborValue &value) {
        if (!worker->send(value))
            return false;
        sent.append(value);
        return true;
    };
    // Nothing is written before the event loop runs, so every refusal below happens with
    // accepted frames queued in front of it.
    for (int i = 0; i < 3; ++i) {
        QCborMap message;
        message.insert(QStringLiteral("seq"), i);
        message.insert(QStringLiteral("payload"), QString(100 * i, QLatin1Char('p')));
        QVERIFY(sendOk(message));
    }
    const qint64 queued = worker->bytesToWrite();
    QVERIFY(queued > 0);

    // Refused after a kilobyte of it was encoded.
    QCborMap invalid;
    invalid.insert(QStringLiteral("first"), QString(1000, QLatin1Char('f')));
    invalid.insert(QStringLiteral("then"), QCborArray { 1, 2, QCborValue() });
    QVERIFY(!worker->send(invalid));
    QCOMPARE(worker->error(), Worker::InvalidMessage);
    QCOMPARE(worker->bytesToWrite(), queued);

    // Refused for the room it needs, once fully encoded.
    const QByteArray tooBig(Limit - queued, 'b');
    QVERIFY(!worker->send(QCborMap { { QStringLiteral("fills"), tooBig } }));
    QCOMPARE(worker->error(), Worker::QueueFull);
    QCOMPARE(worker->bytesToWrite(), queued);

    // The channel takes the next message as if nothing had happened.
    QVERIFY(sendOk(QStringLiteral("after")));

    QVERIFY(waitUntil([&] { return inbox.messages.size() >= sent.size(); }));
    QCOMPARE(inbox.messages.size(), sent.size());
    for (qsizetype i = 0; i < sent.size(); ++i)
        QCOMPARE(inbox.messages.at(i).toCbor().toHex(), sent.at(i).toCbor().toHex());
    QVERIFY(worker->isConnected());
}

void tst_Messaging::handle_data()
{
    QTest::addColumn<bool>("socket");
    QTest::newRow("pipe") << false;
    QTest::newRow("socketpair") << true;
}

// A descriptor travels with its message; the worker reads what the primary wrote into it.
void tst_Messaging::handle()
{
    QFETCH(bool, socket);
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    int fds[2];
    if (socket)
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    else
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
    const QByteArray text = "written by the primary \xc3\xa9";
    QCOMPARE(::write(fds[1], text.constData(), size_t(text.size())), ssize_t(text.size()));
    ::close(fds[1]);

    const Handle handle = Handle::fromDescriptor(fds[0]);
    QVERIFY(handle.isValid());
    QVERIFY(worker->send(command("handle"), handle));
    // The caller keeps its own copies.
    QVERIFY(handle.isValid());
    QVERIFY(::fcntl(int(handle.descriptor()), F_GETFD) != -1);
    QVERIFY(::fcntl(fds[0], F_GETFD) != -1);

    QTRY_COMPARE_WITH_TIMEOUT(inbox.messages.size(), 1, 10000);
    const QCborValue reply = inbox.messages.first();
    QCOMPARE(reply[QLatin1String("handle")], QCborValue(true));
    QCOMPARE(reply[QLatin1String("text")].toString(), QString::fromUtf8(text));
    QVERIFY(!inbox.handles.first().isValid());
    ::close(fds[0]);
}

void tst_Messaging::handleKeepsOrder_data()
{
    QTest::addColumn<int>("fillerSize");
    QTest::addColumn<int>("blockMs");
    QTest::newRow("small messages") << 0 << 0;
    // The socket fills up: frames with descriptors wait in the queue and go out in pieces.
    QTest::newRow("behind 1 MiB messages, slow reader") << 1024 * 1024 << 300;
}

// Messages with and without handles stay in order, and each handle goes with its own message.
void tst_Messaging::handleKeepsOrder()
{
    QFETCH(int, fillerSize);
    QFETCH(int, blockMs);
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    constexpr int Count = 20;
    QList<QByteArray> fillers;
    for (int i = 0; i < Count; ++i)
        fillers.append(patternBytes(fillerSize, quint32(i)));
    if (blockMs > 0) {
        QVERIFY(worker->send(command("block", { { "ms", blockMs } })));
        QVERIFY(waitUntil([&] { return worker->bytesToWrite() == 0; }));
    }
    for (int i = 0; i < Count; ++i) {
        QVERIFY(worker->send(fillers.at(i)));
        int fds[2];
        QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
        const QByteArray text = "pipe " + QByteArray::number(i);
        QCOMPARE(::write(fds[1], text.constData(), size_t(text.size())), ssize_t(text.size()));
        ::close(fds[1]);
        QVERIFY(worker->send(command("handle"), Handle::adopt(fds[0])));
        // A message without a handle, asking for one: it must not get its neighbour's.
        QVERIFY(worker->send(command("handle")));
    }
    QVERIFY(waitUntil([&] { return inbox.messages.size() >= 3 * Count; }));
    QCOMPARE(inbox.messages.size(), 3 * Count);
    for (int i = 0; i < Count; ++i) {
        QVERIFY(inbox.messages.at(3 * i).toByteArray() == fillers.at(i));
        QCOMPARE(inbox.messages.at(3 * i + 1)[QLatin1String("text")].toString(),
            QStringLiteral("pipe %1").arg(i));
        QCOMPARE(inbox.messages.at(3 * i + 2)[QLatin1String("handle")], QCborValue(false));
    }
}

// A handle the worker receives and ignores is closed there, not leaked: once the primary drops
// its own copy, the pipe has no reader left.
void tst_Messaging::ignoredHandleIsClosed()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    int fds[2];
    QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
    QVERIFY(worker->send(QStringLiteral("echo me, ignore the handle"), Handle::adopt(fds[0])));
    QTRY_COMPARE(inbox.messages.size(), 1);
    QTRY_VERIFY(pipeHasNoReader(fds[1]));
    ::close(fds[1]);
}

// Every slot that receives a message gets its handle: one slot taking the descriptor (the
// Worker's messageReceived() comes first) leaves the Cluster's slot a valid one, not an invalid
// Handle it would only notice by a failed read.
void tst_Messaging::handleForEveryReceiver()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    QObject scope;
    int taken = -1;
    bool validForOther = false;
    QByteArray readByOther;
    connect(
        worker, &Worker::messageReceived, &scope, [&](const QCborValue &, const Handle &handle) {
            Handle mine = handle;
            taken = int(mine.takeDescriptor());
            if (mine.isValid())
                taken = -2; // the copy that gave its descriptor away must be invalid
        });
    connect(m_cluster, &Cluster::messageReceived, &scope,
        [&](Worker *, const QCborValue &message, const Handle &handle) {
            if (!message[QLatin1String("pipe")].toBool())
                return;
            validForOther = handle.isValid();
            char buffer[64];
            const ssize_t n
                = validForOther ? ::read(int(handle.descriptor()), buffer, sizeof(buffer)) : -1;
            if (n > 0)
                readByOther = QByteArray(buffer, int(n));
        });
    QVERIFY(worker->send(command("sendpipe", { { "text", QStringLiteral("through the pipe") } })));
    QTRY_VERIFY_WITH_TIMEOUT(taken != -1, 10000);
    QVERIFY2(taken >= 0, "takeDescriptor() gave nothing, or left its Handle valid");
    QVERIFY(validForOther);
    QCOMPARE(readByOther, QByteArray("through the pipe"));
    // The taker owns an open descriptor of the same pipe.
    struct stat info;
    QCOMPARE(::fstat(taken, &info), 0);
    QVERIFY(S_ISFIFO(info.st_mode));
    QCOMPARE(::close(taken), 0);
}

// takeDescriptor() on one copy of a Handle: that copy is invalid, the others keep theirs; the
// last copy hands over the original descriptor.
void tst_Messaging::takeDescriptorFromCopies()
{
    int fds[2];
    QCOMPARE(::pipe2(fds, O_CLOEXEC), 0);
    ::close(fds[1]);
    Handle first = Handle::adopt(fds[0]);
    Handle second = first;
    const int duplicate = int(first.takeDescriptor());
    QVERIFY(duplicate >= 0);
    QVERIFY(duplicate != fds[0]);
    QVERIFY(!first.isValid());
    QCOMPARE(first.takeDescriptor(), qintptr(-1));
    QVERIFY(second.isValid());
    QCOMPARE(second.descriptor(), qintptr(fds[0]));
    QCOMPARE(second.takeDescriptor(), qintptr(fds[0]));
    QVERIFY(!second.isValid());
    // Both are the caller's now, and open.
    QCOMPARE(::close(duplicate), 0);
    QCOMPARE(::close(fds[0]), 0);
}

// The primary's duplicates of sent handles are closed once sent, and also when the queue
// holding them is thrown away (the worker was killed before reading them).
void tst_Messaging::handlesDoNotLeak()
{
    constexpr int Count = 50;
    // Whatever Qt opens once for the first child process, it has opened after this one.
    QPointer<Worker> warmUp = startWorker();
    QVERIFY(warmUp);
    warmUp->kill();
    QVERIFY(waitUntil([&] { return !warmUp; }));
    const int withoutWorkers = openDescriptorCount();

    Worker *worker = startWorker();
    QVERIFY(worker);
    QPointer<Worker> guard(worker);
    Inbox inbox(worker);
    const auto sendHandles = [&] {
        for (int i = 0; i < Count; ++i) {
            const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (fd < 0 || !worker->send(command("handle"), Handle::adopt(fd)))
                return false;
        }
        return true;
    };
    QVERIFY(
        worker->send(command("handle"), Handle::adopt(::open("/dev/null", O_RDONLY | O_CLOEXEC))));
    QVERIFY(waitUntil([&] { return inbox.messages.size() == 1; }));
    const int baseline = openDescriptorCount();

    QVERIFY(sendHandles());
    QVERIFY(waitUntil([&] { return inbox.messages.size() == 1 + Count; }));
    for (const QCborValue &reply : std::as_const(inbox.messages))
        QCOMPARE(reply[QLatin1String("handle")], QCborValue(true));
    QCOMPARE(openDescriptorCount(), baseline);

    // Queued behind a worker that never reads again.
    QVERIFY(worker->send(command("block", { { "ms", 10000 } })));
    QVERIFY(worker->send(QByteArray(8 * 1024 * 1024, 'f')));
    QVERIFY(sendHandles());
    QVERIFY(worker->bytesToWrite() > 0);
    QSignalSpy exited(worker, &Worker::exited);
    worker->kill(SIGKILL);
    QVERIFY(exited.wait(10000));
    QCOMPARE(exited.first().at(1).toInt(), SIGKILL);
    QCOMPARE(inbox.messages.size(), 1 + Count);
    // Once the worker is gone, so is every descriptor that was queued for it.
    QVERIFY(waitUntil([&] { return !guard; }));
    QCOMPARE(openDescriptorCount(), withoutWorkers);
}

void tst_Messaging::unsendable_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QString>("reason");

    QTest::newRow("undefined") << QCborValue() << QStringLiteral("undefined");
    QTest::newRow("invalid") << QCborValue(QCborValue::Invalid) << QStringLiteral("invalid");
    QCborMap withInvalid;
    withInvalid.insert(QStringLiteral("ok"), 1);
    withInvalid.insert(QStringLiteral("bad"), QCborValue(QCborValue::Invalid));
    QTest::newRow("invalid inside a map") << QCborValue(withInvalid) << QStringLiteral("invalid");
    QCborMap undefinedKey;
    undefinedKey.insert(QCborValue(), 1);
    QTest::newRow("undefined map key") << QCborValue(undefinedKey) << QStringLiteral("undefined");
    QTest::newRow("undefined deep in an array")
        << QCborValue(QCborArray { 1, QCborArray { 2, QCborValue() } })
        << QStringLiteral("undefined");
    QTest::newRow("undefined inside a tag")
        << QCborValue(QCborTag(7), QCborValue()) << QStringLiteral("undefined");
    QTest::newRow("600-deep array") << nestedArray(600) << QStringLiteral("nested");
    QTest::newRow("larger than a frame")
        << QCborValue(QByteArray(65 * 1024 * 1024, 'x')) << QStringLiteral("limit");
}

// What cannot be sent is refused up front (InvalidMessage, saying why), and the channel is
// still good for the next message.
void tst_Messaging::unsendable()
{
    QFETCH(QCborValue, value);
    QFETCH(QString, reason);
    Worker *worker = startWorker();
    QVERIFY(worker);
    Inbox inbox(worker);
    QSignalSpy errors(worker, &Worker::errorOccurred);

    QVERIFY(!worker->send(value));
    QCOMPARE(worker->error(), Worker::InvalidMessage);
    QVERIFY2(worker->errorString().contains(reason), qPrintable(worker->errorString()));
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.first().at(0).value<Worker::Error>(), Worker::InvalidMessage);
    QCOMPARE(worker->bytesToWrite(), 0);

    QVERIFY(worker->send(QStringLiteral("still works")));
    QTRY_COMPARE(inbox.messages.size(), 1);
    QCOMPARE(inbox.messages.first(), QCborValue(QStringLiteral("still works")));
    QVERIFY(worker->isConnected());
}

void tst_Messaging::sendAfterDisconnect()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    bool sent = true;
    Worker::Error error = Worker::NoError;
    QString errorString;
    // Right in disconnected(): the worker may already be dead, and gone soon after.
    connect(worker, &Worker::disconnected, this, [&] {
        sent = worker->send(QStringLiteral("too late"));
        error = worker->error();
        errorString = worker->errorString();
    });
    QSignalSpy disconnected(worker, &Worker::disconnected);
    QVERIFY(worker->send(command("disconnect")));
    QVERIFY(disconnected.wait(10000));
    QVERIFY(!sent);
    QCOMPARE(error, Worker::NotConnected);
    QVERIFY2(errorString.contains(QLatin1String("closed")), qPrintable(errorString));
}

void tst_Messaging::sendAfterKill()
{
    Worker *worker = startWorker();
    QVERIFY(worker);
    QSignalSpy exited(worker, &Worker::exited);
    worker->kill();
    QVERIFY(!worker->isConnected());
    QVERIFY(!worker->send(QStringLiteral("too late")));
    QCOMPARE(worker->error(), Worker::NotConnected);
    QVERIFY(exited.wait(10000));
}

void tst_Messaging::badInputFromWorker_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("garbage") << QStringLiteral("garbage")
                             << QStringList { QStringLiteral("unknown frame kind") };
    QTest::newRow("oversized") << QStringLiteral("oversized")
                               << QStringList { QStringLiteral("limit"),
                                      QStringLiteral("4294967295"),
                                      QString::number(64 * 1024 * 1024) };
}

// A worker that writes what is not a frame is cut off (ProtocolError, then disconnected, then
// it exits with 0 as its channel closed); another worker of the same cluster is not disturbed.
void tst_Messaging::badInputFromWorker()
{
    QFETCH(QString, what);
    QFETCH(QStringList, mentions);

    Worker *bystander = startWorker();
    QVERIFY(bystander);
    Worker *bad = startWorker();
    QVERIFY(bad);
    QVERIFY(bystander != bad);

    // The bystander plays ping-pong throughout.
    int pongs = 0;
    int pongErrors = 0;
    connect(bystander, &Worker::messageReceived, this, [&](const QCborValue &message) {
        if (message.toInteger(-1) != pongs)
            ++pongErrors;
        ++pongs;
        bystander->send(pongs);
    });
    QVERIFY(bystander->send(0));
    QVERIFY(waitUntil([&] { return pongs >= 10; }));

    QStringList events;
    Worker::Error error = Worker::NoError;
    QString errorString;
    int exitCode = -1;
    int exitSignal = -1;
    int pongsAtExit = -1;
    connect(bad, &Worker::errorOccurred, this, [&](Worker::Error e, const QString &why) {
        events << QStringLiteral("error");
        error = e;
        errorString = why;
    });
    connect(bad, &Worker::messageReceived, this, [&] { events << QStringLiteral("message"); });
    connect(bad, &Worker::disconnected, this, [&] { events << QStringLiteral("disconnected"); });
    connect(bad, &Worker::exited, this, [&](int code, int signal) {
        events << QStringLiteral("exited");
        exitCode = code;
        exitSignal = signal;
        pongsAtExit = pongs;
    });
    QList<std::pair<Worker *, Worker::Error>> clusterErrors;
    connect(m_cluster, &Cluster::workerErrorOccurred, this, [&](Worker *worker, Worker::Error e) {
        clusterErrors.append({ worker, e });
    });

    QVERIFY(bad->send(command(qPrintable(what))));
    QVERIFY(waitUntil([&] { return events.contains(QStringLiteral("exited")); }, 10000));
    QCOMPARE(events,
        QStringList(
            { QStringLiteral("error"), QStringLiteral("disconnected"), QStringLiteral("exited") }));
    QCOMPARE(error, Worker::ProtocolError);
    for (const QString &word : mentions)
        QVERIFY2(errorString.contains(word), qPrintable(errorString));
    QCOMPARE(exitCode, 0);
    QCOMPARE(exitSignal, 0);
    QCOMPARE(clusterErrors.size(), 1);
    QCOMPARE(clusterErrors.first().first, bad);
    QCOMPARE(clusterErrors.first().second, Worker::ProtocolError);

    // The bystander kept going the whole time, and still does.
    QVERIFY(waitUntil([&] { return pongs >= pongsAtExit + 10; }));
    QCOMPARE(pongErrors, 0);
    QVERIFY(bystander->isConnected());
    QCOMPARE(bystander->error(), Worker::NoError);
    QCOMPARE(m_cluster->workers(), QList<Worker *>({ bystander }));
}

QTEST_MAIN(tst_Messaging)
#include "tst_messaging.moc"
