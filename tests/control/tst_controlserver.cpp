// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlServer: its files and their modes, the token, names that are taken or stale, the
// protocol as a shell would speak it (raw JSON lines), the snapshot and the event stream.
#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/controlserver.h>
#include <libcluster/eventstream.h>
#include <libcluster/supervisor.h>

#include <QCborMap>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

using namespace LibCluster;

namespace {

Cluster *newCluster(QObject *parent)
{
    auto *cluster = new Cluster(parent);
    Settings settings;
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    settings.setArgs({});
    cluster->setupPrimary(settings);
    return cluster;
}

// A worker of `cluster` that has come online; null if it did not.
Worker *forkOnline(Cluster *cluster)
{
    Worker *worker = cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    return online.wait() ? worker : nullptr;
}

mode_t modeOf(const QString &path, bool *isSocket = nullptr)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    if (isSocket)
        *isSocket = S_ISSOCK(info.st_mode);
    return info.st_mode & 07777;
}

ino_t inodeOf(const QString &path)
{
    struct stat info;
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0 ? info.st_ino : 0;
}

QByteArray tokenOf(const ControlServer &server)
{
    QFile file(server.tokenPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

// A socket file with nobody behind it, as a primary killed with SIGKILL leaves it.
bool makeStaleSocket(const QString &path)
{
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0
        && ::listen(fd, 1) == 0;
    ::close(fd);
    return bound;
}

// The protocol spoken by hand, one JSON object per line.
class RawClient
{
public:
    bool connectTo(const QString &path)
    {
        socket.connectToServer(path);
        return socket.waitForConnected(5000);
    }
    void send(const QJsonObject &message)
    {
        socket.write(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
        socket.flush();
    }
    void sendRaw(const QByteArray &bytes)
    {
        socket.write(bytes);
        socket.flush();
    }
    // The next line as an object; an empty object if none came. The server lives in this
    // thread, so waiting means running the event loop (QSignalSpy::wait), never blocking.
    QJsonObject next(int timeout = 10000)
    {
        QDeadlineTimer deadline(timeout);
        buffer += socket.readAll();
        while (!buffer.contains('\n') && !deadline.hasExpired()
            && socket.state() == QLocalSocket::ConnectedState) {
            QSignalSpy readable(&socket, &QLocalSocket::readyRead);
            readable.wait(int(qMax<qint64>(1, deadline.remainingTime())));
            buffer += socket.readAll();
        }
        const qsizetype newline = buffer.indexOf('\n');
        if (newline < 0)
            return {};
        const QByteArray line = buffer.left(newline);
        buffer.remove(0, newline + 1);
        return QJsonDocument::fromJson(line).object();
    }
    // The next message of `type` (and, for events, named `event`), skipping the rest.
    QJsonObject nextOf(const QString &type, const QString &event = QString(), int timeout = 10000)
    {
        QDeadlineTimer deadline(timeout);
        while (!deadline.hasExpired()) {
            const QJsonObject message = next(int(qMax<qint64>(1, deadline.remainingTime())));
            if (message.isEmpty())
                return {};
            if (message.value(QLatin1String("type")).toString() == type
                && (event.isEmpty() || message.value(QLatin1String("event")).toString() == event))
                return message;
        }
        return {};
    }
    // Connects and says hello with the server's token; true once welcomed.
    bool attachTo(const ControlServer &server)
    {
        return connectTo(server.socketPath())
            && hello(tokenOf(server)).value(QLatin1String("type")).toString()
            == QLatin1String("welcome");
    }
    bool waitForClosed()
    {
        if (socket.state() == QLocalSocket::UnconnectedState)
            return true;
        QSignalSpy closed(&socket, &QLocalSocket::disconnected);
        return closed.wait(10000);
    }
    QJsonObject hello(const QByteArray &token, int version = 1)
    {
        send(
            { { QStringLiteral("type"), QStringLiteral("hello") }, { QStringLiteral("v"), version },
                { QStringLiteral("token"), QString::fromLatin1(token) } });
        return next();
    }

    QLocalSocket socket;
    QByteArray buffer;
};

} // namespace

class tst_ControlServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void filesAndModes();
    void tokenIsNewOnEveryListen();
    void wrongTokenRefused();
    void protocolErrorsRefused_data();
    void protocolErrorsRefused();
    void liveNameNeverReplaced();
    void staleSocketReplaced();
    void nonSocketLeftAlone();
    void invalidNames_data();
    void invalidNames();
    void fallbackRuntimeDirectory();
    void snapshotAndEvents();
    void messagesOnlyForClients();
    void statsArePeriodic();
    void statsWithManyCounterNames();
    void commandErrors();
    void disconnectAll_data();
    void disconnectAll();
    void shutdownWithoutSupervisor();
    void preHelloBytesBounded();
    void unwelcomedClientsCapped();
    void acceptBacksOffWithoutDescriptors();
    void scaleIsBounded_data();
    void scaleIsBounded();
    void answersWhileScaling();
    void publishesApplicationEvents();

private:
    QTemporaryDir m_runtime;
};

void tst_ControlServer::initTestCase()
{
    QVERIFY(m_runtime.isValid());
    // Endpoints of this test live in a directory of their own (QTemporaryDir makes it 0700).
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
}

void tst_ControlServer::filesAndModes()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY2(server.listen(QStringLiteral("modes")), qPrintable(server.errorString()));
    QVERIFY(server.isListening());
    QCOMPARE(server.name(), QStringLiteral("modes"));
    QCOMPARE(ControlServer::runtimeDirectory(), m_runtime.path());
    QCOMPARE(server.socketPath(), m_runtime.filePath(QStringLiteral("libcluster-modes.sock")));
    QCOMPARE(server.tokenPath(), m_runtime.filePath(QStringLiteral("libcluster-modes.token")));

    bool isSocket = false;
    QCOMPARE(modeOf(server.socketPath(), &isSocket), mode_t(0600));
    QVERIFY(isSocket);
    QCOMPARE(modeOf(server.tokenPath(), &isSocket), mode_t(0600));
    QVERIFY(!isSocket);
    QCOMPARE(modeOf(m_runtime.path()), mode_t(0700));
    // 32 random bytes, as hex.
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$"))
                .match(QString::fromLatin1(tokenOf(server)))
                .hasMatch());

    server.close();
    QVERIFY(!server.isListening());
    QVERIFY(!QFile::exists(m_runtime.filePath(QStringLiteral("libcluster-modes.sock"))));
    QVERIFY(!QFile::exists(m_runtime.filePath(QStringLiteral("libcluster-modes.token"))));
}

void tst_ControlServer::tokenIsNewOnEveryListen()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("tokens")));
    const QByteArray first = tokenOf(server);
    QVERIFY(server.listen(QStringLiteral("tokens")));
    const QByteArray second = tokenOf(server);
    QCOMPARE(first.size(), 64);
    QCOMPARE(second.size(), 64);
    QVERIFY(first != second);
}

void tst_ControlServer::wrongTokenRefused()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("guarded")));

    RawClient intruder;
    QVERIFY(intruder.connectTo(server.socketPath()));
    QByteArray wrong = tokenOf(server);
    wrong[0] = wrong.at(0) == 'a' ? 'b' : 'a';
    const QJsonObject refusal = intruder.hello(wrong);
    QCOMPARE(refusal.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(refusal.value(QLatin1String("error")).toString(), QStringLiteral("bad-token"));
    QVERIFY(
        refusal.value(QLatin1String("message")).toString().contains(QLatin1String("wrong token")));
    QVERIFY(intruder.waitForClosed());
    QCOMPARE(server.clientCount(), 0);

    RawClient missing;
    QVERIFY(missing.connectTo(server.socketPath()));
    missing.send(
        { { QStringLiteral("type"), QStringLiteral("hello") }, { QStringLiteral("v"), 1 } });
    QCOMPARE(missing.next().value(QLatin1String("error")).toString(), QStringLiteral("bad-token"));
    QVERIFY(missing.waitForClosed());

    RawClient friendly;
    QVERIFY(friendly.connectTo(server.socketPath()));
    const QJsonObject welcome = friendly.hello(tokenOf(server));
    QCOMPARE(welcome.value(QLatin1String("type")).toString(), QStringLiteral("welcome"));
    QCOMPARE(welcome.value(QLatin1String("v")).toInt(), 1);
    QCOMPARE(welcome.value(QLatin1String("name")).toString(), QStringLiteral("guarded"));
    QCOMPARE(welcome.value(QLatin1String("pid")).toInteger(), QCoreApplication::applicationPid());
    QTRY_COMPARE(server.clientCount(), 1);
}

void tst_ControlServer::protocolErrorsRefused_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("error");
    QTest::newRow("command before hello") << QByteArray(R"({"type":"command","id":1,"cmd":"fork"})"
                                                        "\n")
                                          << QStringLiteral("hello-expected");
    QTest::newRow("not JSON") << QByteArray("hello there\n") << QStringLiteral("bad-message");
    QTest::newRow("a JSON array") << QByteArray("[1,2]\n") << QStringLiteral("bad-message");
    QTest::newRow("version 2") << QByteArray(R"({"type":"hello","v":2,"token":"x"})"
                                             "\n")
                               << QStringLiteral("unsupported-version");
    QTest::newRow("no version") << QByteArray(R"({"type":"hello","token":"x"})"
                                              "\n")
                                << QStringLiteral("unsupported-version");
}

void tst_ControlServer::protocolErrorsRefused()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, error);
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("strict")));
    RawClient client;
    QVERIFY(client.connectTo(server.socketPath()));
    client.sendRaw(line);
    const QJsonObject refusal = client.next();
    QCOMPARE(refusal.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(refusal.value(QLatin1String("error")).toString(), error);
    QVERIFY(!refusal.value(QLatin1String("message")).toString().isEmpty());
    if (error == QLatin1String("unsupported-version"))
        QCOMPARE(refusal.value(QLatin1String("supported")).toArray(), QJsonArray { 1 });
    QVERIFY(client.waitForClosed());
}

void tst_ControlServer::liveNameNeverReplaced()
{
    Cluster cluster;
    ControlServer first(&cluster);
    QVERIFY(first.listen(QStringLiteral("taken")));
    const ino_t inode = inodeOf(first.socketPath());
    const QByteArray token = tokenOf(first);

    ControlServer second(&cluster);
    QVERIFY(!second.listen(QStringLiteral("taken")));
    QCOMPARE(second.error(), ControlServer::AddressInUseError);
    QVERIFY2(second.errorString().contains(QLatin1String("already running")),
        qPrintable(second.errorString()));
    QVERIFY(!second.isListening());

    // The first one is untouched and still answers.
    QCOMPARE(inodeOf(first.socketPath()), inode);
    QCOMPARE(tokenOf(first), token);
    RawClient client;
    QVERIFY(client.connectTo(first.socketPath()));
    QCOMPARE(
        client.hello(token).value(QLatin1String("type")).toString(), QStringLiteral("welcome"));

    // And the failed one, going away, takes nothing with it.
    second.close();
    QVERIFY(QFile::exists(first.socketPath()));
    QCOMPARE(tokenOf(first), token);
}

void tst_ControlServer::staleSocketReplaced()
{
    const QString path = m_runtime.filePath(QStringLiteral("libcluster-stale.sock"));
    QVERIFY(makeStaleSocket(path));
    QFile oldToken(m_runtime.filePath(QStringLiteral("libcluster-stale.token")));
    QVERIFY(oldToken.open(QIODevice::WriteOnly));
    oldToken.write("0123\n");
    oldToken.close();

    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY2(server.listen(QStringLiteral("stale")), qPrintable(server.errorString()));
    QCOMPARE(server.socketPath(), path);
    QVERIFY(tokenOf(server) != "0123");
    RawClient client;
    QVERIFY(client.connectTo(path));
    QCOMPARE(client.hello(tokenOf(server)).value(QLatin1String("type")).toString(),
        QStringLiteral("welcome"));
}

void tst_ControlServer::nonSocketLeftAlone()
{
    const QString path = m_runtime.filePath(QStringLiteral("libcluster-file.sock"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("precious");
    file.close();
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(!server.listen(QStringLiteral("file")));
    QCOMPARE(server.error(), ControlServer::SocketError);
    QVERIFY(server.errorString().contains(QLatin1String("not a socket")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("precious"));
}

void tst_ControlServer::invalidNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("hidden") << QStringLiteral(".hidden");
    QTest::newRow("slash") << QStringLiteral("a/b");
    QTest::newRow("dot dot") << QStringLiteral("..");
    QTest::newRow("space") << QStringLiteral("my app");
    QTest::newRow("too long") << QString(65, QLatin1Char('x'));
}

void tst_ControlServer::invalidNames()
{
    QFETCH(QString, name);
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(!server.listen(name));
    QCOMPARE(server.error(), ControlServer::InvalidNameError);
    QVERIFY(!server.errorString().isEmpty());
}

void tst_ControlServer::fallbackRuntimeDirectory()
{
    // Without XDG_RUNTIME_DIR (and TMPDIR): /tmp/libcluster-UID, created 0700.
    const QByteArray saved = qgetenv("XDG_RUNTIME_DIR");
    const QByteArray savedTmp = qgetenv("TMPDIR");
    qunsetenv("XDG_RUNTIME_DIR");
    qunsetenv("TMPDIR");
    const auto restore = qScopeGuard([&] {
        qputenv("XDG_RUNTIME_DIR", saved);
        if (!savedTmp.isEmpty())
            qputenv("TMPDIR", savedTmp);
    });
    const QString expected = QStringLiteral("/tmp/libcluster-%1").arg(::geteuid());
    const QString name = QStringLiteral("fallback-%1").arg(QCoreApplication::applicationPid());
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY2(server.listen(name), qPrintable(server.errorString()));
    QCOMPARE(ControlServer::runtimeDirectory(), expected);
    QCOMPARE(server.socketPath(), expected + QStringLiteral("/libcluster-%1.sock").arg(name));
    QCOMPARE(modeOf(expected), mode_t(0700));
    QCOMPARE(modeOf(server.socketPath()), mode_t(0600));
    QCOMPARE(modeOf(server.tokenPath()), mode_t(0600));
}

void tst_ControlServer::snapshotAndEvents()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *first = forkOnline(cluster);
    QVERIFY(first);

    ControlServer server(cluster);
    QVERIFY(server.listen(QStringLiteral("events")));
    RawClient client;
    QVERIFY(client.connectTo(server.socketPath()));
    const QJsonObject welcome = client.hello(tokenOf(server));
    const QJsonObject snapshot = welcome.value(QLatin1String("snapshot")).toObject();
    QCOMPARE(snapshot.value(QLatin1String("pid")).toInteger(), QCoreApplication::applicationPid());
    QCOMPARE(snapshot.value(QLatin1String("policy")).toString(), QStringLiteral("rr"));
    QCOMPARE(snapshot.value(QLatin1String("settings"))
                 .toObject()
                 .value(QLatin1String("exec"))
                 .toString(),
        QStringLiteral(TESTWORKER_PATH));
    // No supervisor given: the server's own, which respawns nothing.
    const QJsonObject supervisor = snapshot.value(QLatin1String("supervisor")).toObject();
    QCOMPARE(supervisor.value(QLatin1String("respawn")).toBool(true), false);
    QCOMPARE(supervisor.value(QLatin1String("maxWorkers")).toInt(), Supervisor::DefaultMaxWorkers);
    const QJsonArray workers = snapshot.value(QLatin1String("workers")).toArray();
    QCOMPARE(workers.size(), 1);
    const QJsonObject worker = workers.at(0).toObject();
    QCOMPARE(worker.value(QLatin1String("id")).toInt(), first->id());
    QCOMPARE(worker.value(QLatin1String("pid")).toInteger(), first->processId());
    QCOMPARE(worker.value(QLatin1String("state")).toString(), QStringLiteral("online"));
    QVERIFY(worker.value(QLatin1String("connected")).toBool());
    QVERIFY(worker.contains(QLatin1String("connections")));
    QVERIFY(worker.contains(QLatin1String("requests")));
    QVERIFY(worker.contains(QLatin1String("cpu")));
    QVERIFY(worker.contains(QLatin1String("rss")));
    QVERIFY(worker.value(QLatin1String("addresses")).isArray());

    // Events as they happen: fork, online, message, then an exit with its signal.
    Worker *second = cluster->fork();
    const QJsonObject forked = client.nextOf(QStringLiteral("event"), QStringLiteral("fork"));
    QCOMPARE(forked.value(QLatin1String("id")).toInt(), second->id());
    QCOMPARE(forked.value(QLatin1String("worker")).toObject().value(QLatin1String("id")).toInt(),
        second->id());
    QVERIFY(forked.value(QLatin1String("time")).toInteger() > 0);
    const QJsonObject wentOnline = client.nextOf(QStringLiteral("event"), QStringLiteral("online"));
    QCOMPARE(wentOnline.value(QLatin1String("id")).toInt(), second->id());
    QCOMPARE(wentOnline.value(QLatin1String("pid")).toInteger(), second->processId());

    QCborMap message;
    message.insert(QStringLiteral("greeting"), QStringLiteral("hi"));
    QVERIFY(second->send(message)); // testworker echoes it
    const QJsonObject echoed = client.nextOf(QStringLiteral("event"), QStringLiteral("message"));
    QCOMPARE(echoed.value(QLatin1String("id")).toInt(), second->id());
    QCOMPARE(echoed.value(QLatin1String("message")).toObject(),
        QJsonObject({ { QStringLiteral("greeting"), QStringLiteral("hi") } }));

    const int secondId = second->id();
    second->kill(SIGKILL);
    const QJsonObject exited = client.nextOf(QStringLiteral("event"), QStringLiteral("exit"));
    QCOMPARE(exited.value(QLatin1String("id")).toInt(), secondId);
    QCOMPARE(exited.value(QLatin1String("signal")).toInt(), SIGKILL);
    QCOMPARE(exited.value(QLatin1String("signalName")).toString(), QStringLiteral("SIGKILL"));
    QCOMPARE(exited.value(QLatin1String("code")).toInt(), -1);
    // A kill is not a disconnect (Node 15 and later), but it was asked for.
    QVERIFY(!exited.value(QLatin1String("exitedAfterDisconnect")).toBool());
    QVERIFY(exited.value(QLatin1String("killed")).toBool());

    // A late observer sees the exit in the snapshot's history.
    const QJsonObject later = server.eventStream()->snapshot();
    const QJsonArray history = later.value(QLatin1String("exited")).toArray();
    QVERIFY(!history.isEmpty());
    QCOMPARE(history.last().toObject().value(QLatin1String("id")).toInt(), secondId);
    QCOMPARE(history.last().toObject().value(QLatin1String("signalName")).toString(),
        QStringLiteral("SIGKILL"));
}

// A worker's message becomes JSON only while a client is there to read it: with no client the
// server's stream makes no message events (under a storm of messages that was much of the
// primary's work); one that connects gets the messages from then on, and once it has gone,
// they stop again.
void tst_ControlServer::messagesOnlyForClients()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = forkOnline(cluster);
    QVERIFY(worker);
    ControlServer server(cluster);
    QVERIFY(server.listen(QStringLiteral("quiet")));
    QStringList streamed;
    connect(server.eventStream(), &EventStream::eventOccurred, &scope,
        [&streamed](const QJsonObject &event) {
            streamed.append(event.value(QLatin1String("event")).toString());
        });
    QSignalSpy echoed(cluster, &Cluster::messageReceived);
    const auto echo = [&](const QString &text) {
        QCborMap message;
        message.insert(QStringLiteral("greeting"), text);
        return worker->send(message) && echoed.wait(); // testworker echoes it
    };

    QVERIFY(echo(QStringLiteral("nobody listens")));
    QVERIFY(!server.eventStream()->messageEventsEnabled());
    QVERIFY2(!streamed.contains(QStringLiteral("message")), qPrintable(streamed.join(u',')));

    {
        RawClient client;
        QVERIFY(client.connectTo(server.socketPath()));
        client.hello(tokenOf(server));
        QVERIFY(server.eventStream()->messageEventsEnabled());
        QVERIFY(echo(QStringLiteral("hi")));
        const QJsonObject message
            = client.nextOf(QStringLiteral("event"), QStringLiteral("message"));
        QCOMPARE(message.value(QLatin1String("message")).toObject(),
            QJsonObject({ { QStringLiteral("greeting"), QStringLiteral("hi") } }));
    }
    QTRY_COMPARE(server.clientCount(), 0);
    QVERIFY(!server.eventStream()->messageEventsEnabled());
    streamed.clear();
    QVERIFY(echo(QStringLiteral("gone again")));
    QVERIFY2(!streamed.contains(QStringLiteral("message")), qPrintable(streamed.join(u',')));
}

void tst_ControlServer::statsArePeriodic()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    QVERIFY(online.wait());
    ControlServer server(cluster);
    server.setStatsInterval(50);
    QVERIFY(server.listen(QStringLiteral("stats")));
    RawClient client;
    QVERIFY(client.connectTo(server.socketPath()));
    QCOMPARE(client.hello(tokenOf(server)).value(QLatin1String("statsInterval")).toInt(), 50);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject stats = client.nextOf(QStringLiteral("stats"));
        QCOMPARE(stats.value(QLatin1String("workers")).toArray().size(), 1);
        const QJsonObject entry = stats.value(QLatin1String("workers")).toArray().at(0).toObject();
        QCOMPARE(entry.value(QLatin1String("id")).toInt(), worker->id());
        QVERIFY(entry.contains(QLatin1String("rss")));
        QCOMPARE(
            stats.value(QLatin1String("totals")).toObject().value(QLatin1String("workers")).toInt(),
            1);
    }
}

// Several workers at the counter limit, counting in rounds, with a client attached: the stats
// keep coming, each with every worker's thousand names (building them is linear in the names).
void tst_ControlServer::statsWithManyCounterNames()
{
    constexpr int Workers = 4;
    constexpr int Rounds = 3;
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QList<Worker *> workers;
    for (int i = 0; i < Workers; ++i) {
        workers.append(cluster->fork());
        QSignalSpy online(workers.last(), &Worker::online);
        QVERIFY(online.wait());
    }
    ControlServer server(cluster);
    server.setStatsInterval(20);
    QVERIFY(server.listen(QStringLiteral("counters")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    QCborMap count;
    count.insert(QStringLiteral("do"), QStringLiteral("count"));
    count.insert(QStringLiteral("names"), Worker::MaxCounterNames);
    count.insert(QStringLiteral("prefix"), QStringLiteral("c"));
    for (int round = 0; round < Rounds; ++round)
        for (Worker *worker : std::as_const(workers))
            QVERIFY(worker->send(count));

    // Every worker's names, each counted in every round, in one stats message.
    const auto complete = [](const QJsonObject &stats) {
        const QJsonArray entries = stats.value(QLatin1String("workers")).toArray();
        if (entries.size() != Workers)
            return false;
        for (const QJsonValue &entry : entries) {
            const QJsonObject counters
                = entry.toObject().value(QLatin1String("counters")).toObject();
            if (counters.size() != Worker::MaxCounterNames
                || counters.value(QLatin1String("c0")).toInteger() != Rounds
                || counters.value(QLatin1String("c999")).toInteger() != Rounds)
                return false;
        }
        return true;
    };
    QJsonObject stats;
    QDeadlineTimer deadline(30000);
    while (!complete(stats) && !deadline.hasExpired())
        stats = client.nextOf(QStringLiteral("stats"));
    QVERIFY(complete(stats));
    // And they go on coming, whole.
    for (int i = 0; i < 5; ++i)
        QVERIFY(complete(client.nextOf(QStringLiteral("stats"))));
}

void tst_ControlServer::commandErrors()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    ControlServer server(cluster);
    QVERIFY(server.listen(QStringLiteral("errors")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    const auto command = [&client](const QJsonObject &fields) {
        QJsonObject message = fields;
        message.insert(QStringLiteral("type"), QStringLiteral("command"));
        client.send(message);
        return client.nextOf(QStringLiteral("reply"));
    };
    QJsonObject reply = command(
        { { QStringLiteral("id"), 1 }, { QStringLiteral("cmd"), QStringLiteral("dance") } });
    QCOMPARE(reply.value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QVERIFY(
        reply.value(QLatin1String("error")).toString().contains(QLatin1String("unknown command")));

    reply = command({ { QStringLiteral("id"), 2 },
        { QStringLiteral("cmd"), QStringLiteral("kill") }, { QStringLiteral("worker"), 42 } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QVERIFY(reply.value(QLatin1String("error"))
                .toString()
                .contains(QLatin1String("no worker with id 42")));

    // "all" is for disconnect and send; anything else that is not an id is a worker nobody has.
    // This is also what a primary from before "disconnect all" answers to it.
    reply
        = command({ { QStringLiteral("id"), 21 }, { QStringLiteral("cmd"), QStringLiteral("kill") },
            { QStringLiteral("worker"), QStringLiteral("all") } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QCOMPARE(
        reply.value(QLatin1String("error")).toString(), QStringLiteral("no worker with id all"));
    reply = command(
        { { QStringLiteral("id"), 22 }, { QStringLiteral("cmd"), QStringLiteral("disconnect") },
            { QStringLiteral("worker"), QStringLiteral("everyone") } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QCOMPARE(reply.value(QLatin1String("error")).toString(),
        QStringLiteral("no worker with id everyone"));

    reply = command({ { QStringLiteral("id"), QStringLiteral("text ids work too") },
        { QStringLiteral("cmd"), QStringLiteral("scale") }, { QStringLiteral("count"), -1 } });
    QCOMPARE(reply.value(QLatin1String("id")).toString(), QStringLiteral("text ids work too"));
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);

    // Without a supervisor, scale forks and disconnects by itself.
    reply = command({ { QStringLiteral("id"), 4 },
        { QStringLiteral("cmd"), QStringLiteral("scale") }, { QStringLiteral("count"), 2 } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), true);
    QCOMPARE(cluster->workers().size(), 2);
    reply = command({ { QStringLiteral("id"), 5 },
        { QStringLiteral("cmd"), QStringLiteral("kill") }, { QStringLiteral("worker"), 1 },
        { QStringLiteral("signal"), QStringLiteral("SIGNOPE") } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QVERIFY(
        reply.value(QLatin1String("error")).toString().contains(QLatin1String("unknown signal")));
    reply = command({ { QStringLiteral("id"), 6 },
        { QStringLiteral("cmd"), QStringLiteral("scale") }, { QStringLiteral("count"), 0 } });
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), true);
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().isEmpty(), 20000);
}

void tst_ControlServer::disconnectAll_data()
{
    QTest::addColumn<int>("workers");
    QTest::addColumn<bool>("wait");
    QTest::newRow("3 workers, wait") << 3 << true;
    QTest::newRow("2 workers, no wait") << 2 << false;
    // Nothing to disconnect is not an error, and nothing to wait for.
    QTest::newRow("no worker, wait") << 0 << true;
}

// Node's cluster.disconnect() from outside: every worker disconnects and exits on request. With
// "wait" the reply comes after the last of them has disconnected; without, at once.
void tst_ControlServer::disconnectAll()
{
    QFETCH(int, workers);
    QFETCH(bool, wait);
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QList<int> ids;
    for (int i = 0; i < workers; ++i) {
        Worker *worker = cluster->fork();
        QSignalSpy online(worker, &Worker::online);
        QVERIFY(online.wait());
        ids.append(worker->id());
    }
    QSignalSpy allDisconnected(cluster, &Cluster::allDisconnected);
    QList<int> exitedOnRequest;
    connect(cluster, &Cluster::workerExited, &scope, [&exitedOnRequest](Worker *worker, int code) {
        if (code == 0 && worker->exitedAfterDisconnect())
            exitedOnRequest.append(worker->id());
    });
    ControlServer server(cluster);
    QVERIFY(server.listen(QStringLiteral("disconnect-all")));
    RawClient client;
    QVERIFY(client.attachTo(server));

    client.send({ { QStringLiteral("type"), QStringLiteral("command") },
        { QStringLiteral("id"), 1 }, { QStringLiteral("cmd"), QStringLiteral("disconnect") },
        { QStringLiteral("worker"), QStringLiteral("all") }, { QStringLiteral("wait"), wait } });
    // Everything up to the reply, then up to the last exit. Workers may exit before the last
    // one has disconnected: the exits are kept on the way.
    QList<int> disconnected;
    QList<QJsonObject> exits;
    QJsonObject reply;
    const auto take = [&](const QJsonObject &message) {
        const QString type = message.value(QLatin1String("type")).toString();
        const QString event = message.value(QLatin1String("event")).toString();
        if (type == QLatin1String("reply"))
            reply = message;
        else if (type == QLatin1String("event") && event == QLatin1String("disconnect"))
            disconnected.append(message.value(QLatin1String("id")).toInt());
        else if (type == QLatin1String("event") && event == QLatin1String("exit"))
            exits.append(message);
    };
    while (reply.isEmpty()) {
        const QJsonObject message = client.next(20000);
        QVERIFY2(!message.isEmpty(), "no reply");
        take(message);
    }
    QCOMPARE(reply.value(QLatin1String("id")).toInt(), 1);
    QVERIFY2(reply.value(QLatin1String("ok")).toBool(),
        qPrintable(reply.value(QLatin1String("error")).toString()));
    QList<int> asked;
    for (const QJsonValue &id : reply.value(QLatin1String("workers")).toArray())
        asked.append(id.toInt());
    QCOMPARE(asked, ids);
    std::sort(disconnected.begin(), disconnected.end());
    if (wait) {
        QCOMPARE(disconnected, ids);
        if (workers > 0)
            QCOMPARE(allDisconnected.size(), 1);
    } else {
        // Before any worker has had the time to disconnect.
        QCOMPARE(disconnected, QList<int>());
    }

    QTRY_COMPARE_WITH_TIMEOUT(exitedOnRequest.size(), workers, 20000);
    std::sort(exitedOnRequest.begin(), exitedOnRequest.end());
    QCOMPARE(exitedOnRequest, ids);
    while (exits.size() < workers) {
        const QJsonObject message = client.next(20000);
        QVERIFY2(!message.isEmpty(), "an exit event is missing");
        take(message);
    }
    for (const QJsonObject &exit : std::as_const(exits)) {
        QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
        QVERIFY(exit.value(QLatin1String("exitedAfterDisconnect")).toBool());
    }
    // As after the primary's own Cluster::disconnectAll(), even with nobody to wait for.
    QTRY_COMPARE(allDisconnected.size(), 1);
}

void tst_ControlServer::shutdownWithoutSupervisor()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QList<qint64> pids;
    for (int i = 0; i < 2; ++i) {
        Worker *worker = cluster->fork();
        QSignalSpy online(worker, &Worker::online);
        QVERIFY(online.wait());
        pids.append(worker->processId());
    }
    ControlServer server(cluster);
    server.setShutdownQuitsApplication(false);
    QVERIFY(server.listen(QStringLiteral("shutdown")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    client.send({ { QStringLiteral("type"), QStringLiteral("command") },
        { QStringLiteral("id"), 9 }, { QStringLiteral("cmd"), QStringLiteral("shutdown") } });
    const QJsonObject reply = client.nextOf(QStringLiteral("reply"), QString(), 30000);
    QCOMPARE(reply.value(QLatin1String("id")).toInt(), 9);
    QVERIFY(reply.value(QLatin1String("ok")).toBool());
    // Replied once every worker had gone.
    for (Worker *worker : cluster->workers())
        QVERIFY(worker->isDead());
    for (qint64 pid : pids)
        QVERIFY(::kill(pid_t(pid), 0) != 0);
}

// Before its hello a client may make the primary hold only a few KiB: a blob is refused at once,
// not read to the end; a client that pipelines commands after its hello is not.
void tst_ControlServer::preHelloBytesBounded()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("prehello")));
    const QList<QByteArray> tooMuch {
        QByteArray(64 * 1024, 'x'),
        // A hello padded past the limit.
        R"({"type":"hello","v":1,"token":")" + tokenOf(server) + R"(","pad":")"
            + QByteArray(16 * 1024, 'p') + "\"}\n",
    };
    for (const QByteArray &bytes : tooMuch) {
        RawClient stranger;
        QVERIFY(stranger.connectTo(server.socketPath()));
        stranger.sendRaw(bytes);
        const QJsonObject refusal = stranger.next();
        QCOMPARE(refusal.value(QLatin1String("error")).toString(), QStringLiteral("bad-message"));
        QVERIFY2(refusal.value(QLatin1String("message"))
                     .toString()
                     .contains(QLatin1String("before the hello")),
            qPrintable(refusal.value(QLatin1String("message")).toString()));
        QVERIFY(stranger.waitForClosed());
    }

    // Hello and, in the same write, commands far larger than the pre-hello limit.
    RawClient pipelined;
    QVERIFY(pipelined.connectTo(server.socketPath()));
    QByteArray bytes = R"({"type":"hello","v":1,"token":")" + tokenOf(server) + "\"}\n";
    for (int id = 1; id <= 3; ++id)
        bytes += QJsonDocument(QJsonObject { { QStringLiteral("type"), QStringLiteral("command") },
                                   { QStringLiteral("id"), id },
                                   { QStringLiteral("cmd"), QStringLiteral("send") },
                                   { QStringLiteral("worker"), QStringLiteral("all") },
                                   { QStringLiteral("message"), QString(20 * 1024, u'm') } })
                     .toJson(QJsonDocument::Compact)
            + '\n';
    pipelined.sendRaw(bytes);
    QCOMPARE(pipelined.next().value(QLatin1String("type")).toString(), QStringLiteral("welcome"));
    for (int id = 1; id <= 3; ++id) {
        const QJsonObject reply = pipelined.nextOf(QStringLiteral("reply"));
        QCOMPARE(reply.value(QLatin1String("id")).toInt(), id);
        QVERIFY(reply.value(QLatin1String("ok")).toBool());
    }
}

// Connections that have not said hello are capped: one more is told why and closed at once,
// while a welcomed client goes on working; once a place is free, a new client gets in.
void tst_ControlServer::unwelcomedClientsCapped()
{
    constexpr int Cap = 32; // docs/control-protocol.md
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("crowded")));
    RawClient welcomed;
    QVERIFY(welcomed.attachTo(server));

    std::vector<std::unique_ptr<RawClient>> strangers;
    for (int i = 0; i < Cap; ++i) {
        strangers.push_back(std::make_unique<RawClient>());
        QVERIFY(strangers.back()->connectTo(server.socketPath()));
    }
    RawClient oneTooMany;
    QVERIFY(oneTooMany.connectTo(server.socketPath()));
    const QJsonObject busy = oneTooMany.next();
    QCOMPARE(busy.value(QLatin1String("type")).toString(), QStringLiteral("error"));
    QCOMPARE(busy.value(QLatin1String("error")).toString(), QStringLiteral("busy"));
    QVERIFY2(busy.value(QLatin1String("message")).toString().contains(QLatin1String("hello")),
        qPrintable(busy.value(QLatin1String("message")).toString()));
    QVERIFY(oneTooMany.waitForClosed());
    for (const auto &stranger : strangers)
        QCOMPARE(stranger->socket.state(), QLocalSocket::ConnectedState);

    welcomed.send({ { QStringLiteral("type"), QStringLiteral("command") },
        { QStringLiteral("id"), 1 }, { QStringLiteral("cmd"), QStringLiteral("snapshot") } });
    const QJsonObject reply = welcomed.nextOf(QStringLiteral("reply"));
    QCOMPARE(reply.value(QLatin1String("id")).toInt(), 1);
    QVERIFY(reply.value(QLatin1String("ok")).toBool());

    // A stranger already in may still say hello, and leaves a place free by doing so.
    QCOMPARE(strangers.front()->hello(tokenOf(server)).value(QLatin1String("type")).toString(),
        QStringLiteral("welcome"));
    RawClient late;
    QVERIFY(late.attachTo(server));
    QTRY_COMPARE(server.clientCount(), 3);
}

namespace {
int acceptWarnings = 0;
QtMessageHandler previousHandler = nullptr;
void countAcceptWarnings(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type == QtWarningMsg && text.contains(QLatin1String("accept"))) {
        ++acceptWarnings;
        return;
    }
    previousHandler(type, context, text);
}
} // namespace

// Out of descriptors, the endpoint's accept loop backs off instead of spinning on a listening
// socket that stays readable, and takes the waiting clients once descriptors are free again.
void tst_ControlServer::acceptBacksOffWithoutDescriptors()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("nofile")));
    const QByteArray token = tokenOf(server);
    const QByteArray path = QFile::encodeName(server.socketPath());
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.constData(), size_t(path.size()));

    constexpr int Clients = 3;
    int clients[Clients];
    for (int &fd : clients) {
        fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(fd >= 0);
    }
    rlimit saved {};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &saved) == 0);
    rlimit lowered = saved;
    lowered.rlim_cur = qMin<rlim_t>(saved.rlim_cur, 256);
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &lowered) == 0);
    QList<int> filler;
    auto restore = qScopeGuard([&] {
        for (int fd : std::as_const(filler))
            ::close(fd);
        ::setrlimit(RLIMIT_NOFILE, &saved);
        qInstallMessageHandler(previousHandler);
    });
    for (int fd; (fd = ::dup(clients[0])) >= 0;)
        filler.append(fd);
    QCOMPARE(errno, EMFILE);

    acceptWarnings = 0;
    previousHandler = qInstallMessageHandler(countAcceptWarnings);
    for (int fd : clients)
        QVERIFY(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0);
    // The event loop keeps turning: a timer fires on time, again and again.
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, &ticker, [&ticks] { ++ticks; });
    ticker.start(10);
    QTRY_VERIFY_WITH_TIMEOUT(ticks >= 40, 20000);
    ticker.stop();
    QVERIFY(acceptWarnings >= 1);
    // A spin warns on every pass of the event loop: thousands in that time. A back-off warns
    // once per retry at most.
    QVERIFY2(acceptWarnings <= 10, qPrintable(QString::number(acceptWarnings)));
    QCOMPARE(server.clientCount(), 0);

    // Descriptors free again: the waiting clients are taken and welcomed.
    restore.dismiss();
    for (int fd : std::as_const(filler))
        ::close(fd);
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &saved) == 0);
    qInstallMessageHandler(previousHandler);
    std::vector<std::unique_ptr<RawClient>> waiting;
    for (int fd : clients) {
        waiting.push_back(std::make_unique<RawClient>());
        QVERIFY(waiting.back()->socket.setSocketDescriptor(fd));
        QCOMPARE(waiting.back()->hello(token).value(QLatin1String("type")).toString(),
            QStringLiteral("welcome"));
    }
    QTRY_COMPARE(server.clientCount(), Clients);
}

void tst_ControlServer::scaleIsBounded_data()
{
    QTest::addColumn<bool>("supervised");
    QTest::newRow("supervisor") << true;
    QTest::newRow("no supervisor") << false;
}

// "scale" and "fork" stop at the supervisor's maxWorkers() (without a supervisor, at the
// library's default), with the library's one message; a count that is not a whole number gets
// the same. Nothing is forked for a refused command.
void tst_ControlServer::scaleIsBounded()
{
    QFETCH(bool, supervised);
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Supervisor *supervisor = supervised ? new Supervisor(cluster, &scope) : nullptr;
    if (supervisor)
        supervisor->setMaxWorkers(2);
    const int max = supervisor ? 2 : Supervisor::DefaultMaxWorkers;
    ControlServer server(cluster, supervisor);
    QVERIFY(server.listen(QStringLiteral("bounded")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    int id = 0;
    const auto command = [&](const QString &name, const QJsonObject &fields = {}) {
        QJsonObject message = fields;
        message.insert(QStringLiteral("type"), QStringLiteral("command"));
        message.insert(QStringLiteral("cmd"), name);
        message.insert(QStringLiteral("id"), ++id);
        client.send(message);
        return client.nextOf(QStringLiteral("reply"));
    };
    const QString error
        = QStringLiteral("\"count\" must be a whole number between 0 and %1").arg(max);
    for (const QJsonValue &count : { QJsonValue(max + 1), QJsonValue(1000000000), QJsonValue(1e12),
             QJsonValue(-1), QJsonValue(1.5), QJsonValue(QStringLiteral("2")), QJsonValue() }) {
        const QJsonObject reply
            = command(QStringLiteral("scale"), { { QStringLiteral("count"), count } });
        QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
        QCOMPARE(reply.value(QLatin1String("error")).toString(), error);
    }
    QVERIFY(cluster->workers().isEmpty());
    if (!supervisor)
        return;
    QJsonObject reply = command(QStringLiteral("scale"), { { QStringLiteral("count"), 2 } });
    QVERIFY(reply.value(QLatin1String("ok")).toBool());
    reply = command(QStringLiteral("fork"));
    QCOMPARE(reply.value(QLatin1String("ok")).toBool(), false);
    QCOMPARE(reply.value(QLatin1String("error")).toString(),
        QStringLiteral("cannot fork: the cluster has 2 workers already, and the number of workers "
                       "must be a whole number between 0 and 2"));
    QCOMPARE(cluster->workers().size(), 2);
    QCOMPARE(supervisor->workerCount(), 2);
    QCOMPARE(command(QStringLiteral("snapshot"))
                 .value(QLatin1String("snapshot"))
                 .toObject()
                 .value(QLatin1String("supervisor"))
                 .toObject()
                 .value(QLatin1String("maxWorkers"))
                 .toInt(),
        2);
}

// A scale to many does not hold the primary: the reply, and the answer to the next command, come
// while forks are still to be made.
void tst_ControlServer::answersWhileScaling()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    auto *supervisor = new Supervisor(cluster, &scope);
    ControlServer server(cluster, supervisor);
    QVERIFY(server.listen(QStringLiteral("scaling")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    constexpr int Count = 24;
    client.send({ { QStringLiteral("type"), QStringLiteral("command") },
        { QStringLiteral("cmd"), QStringLiteral("scale") }, { QStringLiteral("id"), 1 },
        { QStringLiteral("count"), Count } });
    client.send({ { QStringLiteral("type"), QStringLiteral("command") },
        { QStringLiteral("cmd"), QStringLiteral("snapshot") }, { QStringLiteral("id"), 2 } });
    QVERIFY(client.nextOf(QStringLiteral("reply")).value(QLatin1String("ok")).toBool());
    const QJsonObject snapshot
        = client.nextOf(QStringLiteral("reply")).value(QLatin1String("snapshot")).toObject();
    const qsizetype forkedByThen = snapshot.value(QLatin1String("workers")).toArray().size();
    QVERIFY2(forkedByThen < Count, qPrintable(QString::number(forkedByThen)));
    QCOMPARE(snapshot.value(QLatin1String("supervisor"))
                 .toObject()
                 .value(QLatin1String("workerCount"))
                 .toInt(),
        Count);
    QTRY_COMPARE_WITH_TIMEOUT(int(cluster->workers().size()), Count, 30000);
    QVERIFY(supervisor->scaleTo(0));
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().isEmpty(), 30000);
}

// An application's own event reaches every client beside the library's, marked as the
// application's; a name of the library's, a malformed name or an oversized event is refused.
void tst_ControlServer::publishesApplicationEvents()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(server.listen(QStringLiteral("published")));
    RawClient client;
    QVERIFY(client.attachTo(server));
    QSignalSpy inProcess(server.eventStream(), &EventStream::eventOccurred);

    QVERIFY(!server.publish(QStringLiteral("exit"), {}));
    QVERIFY(!server.publish(QStringLiteral("no spaces"), {}));
    QVERIFY(!server.publish(QStringLiteral("deploy\n"), {})); // no line break at the end either
    QVERIFY(!server.publish(QStringLiteral(".hidden"), {}));
    QVERIFY(!server.publish(QString(65, QLatin1Char('a')), {}));
    QVERIFY(!server.publish(QStringLiteral("big"),
        { { QStringLiteral("data"),
            QString(EventStream::MaxPublishedEventSize, QLatin1Char('x')) } }));
    QCOMPARE(inProcess.size(), 0);

    QVERIFY(server.publish(QStringLiteral("reload"),
        { { QStringLiteral("ok"), false }, { QStringLiteral("text"), QStringLiteral("refused") },
            { QStringLiteral("alert"), true }, { QStringLiteral("event"), QStringLiteral("exit") },
            { QStringLiteral("time"), 1 } }));
    const QJsonObject event = client.nextOf(QStringLiteral("event"), QStringLiteral("reload"));
    QVERIFY(!event.isEmpty());
    QCOMPARE(event.value(QLatin1String("application")).toBool(), true);
    QCOMPARE(event.value(QLatin1String("ok")).toBool(), false);
    QVERIFY(event.value(QLatin1String("time")).toInteger() > 1);
    QCOMPARE(inProcess.size(), 1);

    const Control::ClusterEvent read = Control::ClusterEvent::fromJson(event);
    QCOMPARE(read.type, Control::ClusterEvent::Unknown);
    QCOMPARE(read.name, QStringLiteral("reload"));
    QVERIFY(read.application);
    QCOMPARE(read.text, QStringLiteral("refused"));
    QVERIFY(read.alert);
    QCOMPARE(read.fields, (QJsonObject { { QStringLiteral("ok"), false } }));
    // Written back, it is the same event.
    QJsonObject sent = event;
    sent.remove(QStringLiteral("type"));
    QCOMPARE(read.toJson(), sent);
}

QTEST_MAIN(tst_ControlServer)
#include "tst_controlserver.moc"
