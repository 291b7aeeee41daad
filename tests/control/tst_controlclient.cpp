// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlClient against a real ControlServer and Supervisor with real workers: attach, every
// command end to end, errors, lost connections, reconnection, listing endpoints.
#include <libcluster/cluster.h>
#include <libcluster/controlclient.h>
#include <libcluster/controlserver.h>
#include <libcluster/supervisor.h>

#include <QCborMap>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstring>
#include <memory>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace LibCluster;

namespace {

// A primary in this process: cluster, supervisor and endpoint, with `workers` workers online.
struct Primary
{
    explicit Primary(const QString &name, int workers = 1, const QStringList &args = {},
        bool withSupervisor = true)
    {
        cluster = new Cluster(&scope);
        Settings settings;
        settings.setExec(QStringLiteral(TESTWORKER_PATH));
        settings.setArgs(args);
        cluster->setupPrimary(settings);
        if (withSupervisor) {
            supervisor = new Supervisor(cluster, &scope);
            supervisor->setDisconnectTimeout(5000);
        }
        server = new ControlServer(cluster, supervisor, &scope);
        server->setShutdownQuitsApplication(false);
        ok = server->listen(name);
        if (supervisor)
            supervisor->scaleTo(workers);
        else
            for (int i = 0; i < workers; ++i)
                cluster->fork();
    }

    QList<int> workerIds() const
    {
        QList<int> ids;
        for (Worker *worker : cluster->workers())
            ids.append(worker->id());
        return ids;
    }

    // Connected workers that have come online.
    int onlineCount() const
    {
        int count = 0;
        for (Worker *worker : cluster->workers())
            if (worker->state() == Worker::Online && worker->isConnected())
                ++count;
        return count;
    }

    QObject scope;
    Cluster *cluster = nullptr;
    Supervisor *supervisor = nullptr;
    ControlServer *server = nullptr;
    bool ok = false;
};

// The reply of a command, waited for.
struct Reply
{
    ControlClient::ReplyHandler handler()
    {
        return [this](const QJsonObject &reply) {
            value = reply;
            ++calls;
        };
    }
    bool wait(int timeout = 20000)
    {
        return QTest::qWaitFor([this] { return calls > 0; }, timeout) && calls == 1;
    }
    bool ok() const { return value.value(QLatin1String("ok")).toBool(); }
    QString error() const { return value.value(QLatin1String("error")).toString(); }

    QJsonObject value;
    int calls = 0;
};

bool connectClient(ControlClient *client, const QString &name)
{
    QSignalSpy connected(client, &ControlClient::connected);
    client->connectToEndpoint(name);
    return connected.wait(10000);
}

// The events received so far named `name`.
QList<QJsonObject> eventsNamed(const QSignalSpy &spy, const QString &name)
{
    QList<QJsonObject> found;
    for (const QList<QVariant> &arguments : spy) {
        const QJsonObject event = arguments.at(0).toJsonObject();
        if (event.value(QLatin1String("event")).toString() == name)
            found.append(event);
    }
    return found;
}

} // namespace

class tst_ControlClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void attachGetsSnapshot();
    void notConnectedCommandsFail();
    void endpointNotFound();
    void staleEndpoint();
    void accessDenied();
    void fork();
    void disconnectWorker();
    void disconnectAll();
    void disconnectAllWaitsForTheLast();
    void disconnectAllFromOlderPrimary();
    void killWorker();
    void killUnknownWorker();
    void scale();
    void rollingRestart();
    void sendMessage();
    void shutdown();
    void pendingCommandsFailWhenPrimaryGoes();
    void reconnectsWhenPrimaryComesBack();
    void availableEndpoints();
    void signalFromName_data();
    void signalFromName();

private:
    QTemporaryDir m_runtime;
};

void tst_ControlClient::initTestCase()
{
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
}

void tst_ControlClient::attachGetsSnapshot()
{
    Primary primary(QStringLiteral("attach"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    ControlClient client;
    QSignalSpy states(&client, &ControlClient::stateChanged);
    QVERIFY(connectClient(&client, QStringLiteral("attach")));
    QVERIFY(client.isConnected());
    QCOMPARE(client.endpointName(), QStringLiteral("attach"));
    QCOMPARE(client.primaryProcessId(), QCoreApplication::applicationPid());
    QCOMPARE(client.error(), ControlClient::NoError);
    const QJsonObject snapshot = client.snapshot();
    QCOMPARE(snapshot.value(QLatin1String("workers")).toArray().size(), 2);
    const QJsonObject supervisor = snapshot.value(QLatin1String("supervisor")).toObject();
    QCOMPARE(supervisor.value(QLatin1String("workerCount")).toInt(), 2);
    QCOMPARE(supervisor.value(QLatin1String("disconnectTimeout")).toInt(), 5000);
    QCOMPARE(states.first().first().value<ControlClient::State>(), ControlClient::ConnectingState);
    QCOMPARE(states.last().first().value<ControlClient::State>(), ControlClient::ConnectedState);
    QTRY_COMPARE(primary.server->clientCount(), 1);

    QSignalSpy disconnected(&client, &ControlClient::disconnected);
    client.disconnectFromEndpoint();
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(client.state(), ControlClient::UnconnectedState);
    QTRY_COMPARE(primary.server->clientCount(), 0);
}

void tst_ControlClient::notConnectedCommandsFail()
{
    ControlClient client;
    Reply reply;
    QSignalSpy replies(&client, &ControlClient::replyReceived);
    const qint64 id = client.scaleTo(3, reply.handler());
    QCOMPARE(reply.calls, 0); // from the event loop, not from inside the call
    QVERIFY(reply.wait());
    QVERIFY(!reply.ok());
    QVERIFY(reply.error().contains(QLatin1String("not connected")));
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.first().first().toLongLong(), id);
}

void tst_ControlClient::endpointNotFound()
{
    ControlClient client;
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    client.connectToEndpoint(QStringLiteral("nobody-here"));
    QVERIFY(errors.wait());
    QCOMPARE(
        errors.first().first().value<ControlClient::Error>(), ControlClient::EndpointNotFoundError);
    QVERIFY(
        client.errorString().contains(QLatin1String("no control endpoint named \"nobody-here\"")));
    QCOMPARE(client.state(), ControlClient::UnconnectedState);
}

void tst_ControlClient::staleEndpoint()
{
    // Left behind by a primary that was killed: a socket file with nobody listening.
    const QString path = m_runtime.filePath(QStringLiteral("libcluster-gone.sock"));
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)), 0);
    ::close(fd);
    QFile token(m_runtime.filePath(QStringLiteral("libcluster-gone.token")));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write("00\n");
    token.close();

    QVERIFY(!ControlClient::availableEndpoints().contains(QStringLiteral("gone")));
    ControlClient client;
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    client.connectToEndpoint(QStringLiteral("gone"));
    QVERIFY(errors.wait());
    QCOMPARE(client.error(), ControlClient::EndpointNotFoundError);
    QVERIFY2(client.errorString().contains(QLatin1String("no primary")),
        qPrintable(client.errorString()));
}

void tst_ControlClient::accessDenied()
{
    Primary primary(QStringLiteral("denied"), 0);
    QVERIFY(primary.ok);
    QFile token(primary.server->tokenPath());
    QVERIFY(token.open(QIODevice::WriteOnly | QIODevice::Truncate));
    token.write(QByteArray(64, 'f') + '\n');
    token.close();
    ControlClient client;
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    QSignalSpy connected(&client, &ControlClient::connected);
    client.connectToEndpoint(QStringLiteral("denied"));
    QVERIFY(errors.wait());
    QCOMPARE(client.error(), ControlClient::AccessDeniedError);
    QVERIFY2(client.errorString().contains(QLatin1String("wrong token")),
        qPrintable(client.errorString()));
    QCOMPARE(connected.size(), 0);
    QCOMPARE(client.state(), ControlClient::UnconnectedState);
    QCOMPARE(primary.server->clientCount(), 0);
}

void tst_ControlClient::fork()
{
    Primary primary(QStringLiteral("fork"), 1);
    QVERIFY(primary.ok);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("fork")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Reply reply;
    client.fork(reply.handler());
    QVERIFY(reply.wait());
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    const int id = reply.value.value(QLatin1String("worker")).toInt();
    QVERIFY(id > 0);
    QVERIFY(primary.cluster->workerById(id));
    QCOMPARE(primary.supervisor->workerCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsNamed(events, QStringLiteral("online")).isEmpty(), 20000);
    QVERIFY(!eventsNamed(events, QStringLiteral("fork")).isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
}

void tst_ControlClient::disconnectWorker()
{
    Primary primary(QStringLiteral("disconnect"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("disconnect")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    const int id = primary.cluster->workers().constFirst()->id();
    Reply reply;
    client.disconnectWorker(id, true, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    QCOMPARE(reply.value.value(QLatin1String("worker")).toInt(), id);
    // Replied once it had disconnected: the event is already here.
    const auto disconnects = eventsNamed(events, QStringLiteral("disconnect"));
    QCOMPARE(disconnects.size(), 1);
    QCOMPARE(disconnects.first().value(QLatin1String("id")).toInt(), id);
    QTRY_VERIFY_WITH_TIMEOUT(!eventsNamed(events, QStringLiteral("exit")).isEmpty(), 20000);
    const QJsonObject exit = eventsNamed(events, QStringLiteral("exit")).first();
    QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
    QVERIFY(exit.value(QLatin1String("exitedAfterDisconnect")).toBool());

    // Asking again: that worker is gone.
    Reply again;
    client.disconnectWorker(id, true, again.handler());
    QVERIFY(again.wait());
    QVERIFY(!again.ok());
}

// Node's cluster.disconnect() through the endpoint does what Cluster::disconnectAll() does in the
// primary: every worker leaves on request, so a supervisor that respawns replaces none of them,
// and the number of workers it keeps is left as it was (a scale to 0 would change it).
void tst_ControlClient::disconnectAll()
{
    Primary primary(QStringLiteral("disconnect-all"), 3);
    QVERIFY(primary.ok);
    primary.supervisor->setRespawn(true);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 3, 20000);
    const QList<int> ids = primary.workerIds();
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("disconnect-all")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    QSignalSpy allDisconnected(primary.cluster, &Cluster::allDisconnected);
    Reply reply;
    client.disconnectAll(true, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    QList<int> asked;
    for (const QJsonValue &id : reply.value.value(QLatin1String("workers")).toArray())
        asked.append(id.toInt());
    QCOMPARE(asked, ids);
    // Replied once all of them had disconnected: their events are already here.
    QCOMPARE(eventsNamed(events, QStringLiteral("disconnect")).size(), 3);
    QCOMPARE(allDisconnected.size(), 1);

    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("exit")).size(), 3, 20000);
    for (const QJsonObject &exit : eventsNamed(events, QStringLiteral("exit"))) {
        QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
        QVERIFY(exit.value(QLatin1String("exitedAfterDisconnect")).toBool());
    }
    // The supervisor saw exits it did not have to answer (it would have scheduled a respawn
    // before the exit event went out), and still keeps 3.
    QCOMPARE(eventsNamed(events, QStringLiteral("respawnScheduled")).size(), 0);
    QCOMPARE(eventsNamed(events, QStringLiteral("workerCount")).size(), 0);
    QCOMPARE(eventsNamed(events, QStringLiteral("fork")).size(), 0);
    QCOMPARE(primary.supervisor->workerCount(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(primary.cluster->workers().isEmpty(), 20000);
}

// With "wait", one worker that takes its time holds the reply back.
void tst_ControlClient::disconnectAllWaitsForTheLast()
{
    Primary primary(QStringLiteral("disconnect-all-slow"), 2, {}, false);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    Worker *slow = primary.cluster->workers().constFirst();
    const int slowId = slow->id();
    const int quickId = primary.cluster->workers().constLast()->id();
    QCborMap block;
    block.insert(QStringLiteral("do"), QStringLiteral("block"));
    block.insert(QStringLiteral("ms"), 60000);
    QVERIFY(slow->send(block));
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("disconnect-all-slow")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Reply reply;
    client.disconnectAll(true, reply.handler());
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("disconnect")).size(), 1, 20000);
    QCOMPARE(eventsNamed(events, QStringLiteral("disconnect"))
                 .first()
                 .value(QLatin1String("id"))
                 .toInt(),
        quickId);
    QVERIFY(slow->exitedAfterDisconnect()); // asked, too
    QCOMPARE(reply.calls, 0);

    slow->kill(SIGKILL);
    QVERIFY(reply.wait());
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    QCOMPARE(
        reply.value.value(QLatin1String("workers")).toArray(), QJsonArray({ slowId, quickId }));
    QCOMPARE(eventsNamed(events, QStringLiteral("disconnect")).size(), 2);
}

// A primary from before "disconnect all" takes "all" for a worker id; the client says what that
// means instead of "no worker with id all".
void tst_ControlClient::disconnectAllFromOlderPrimary()
{
    const QString name = QStringLiteral("older");
    QFile token(m_runtime.filePath(QStringLiteral("libcluster-%1.token").arg(name)));
    QVERIFY(token.open(QIODevice::WriteOnly));
    token.write(QByteArray(64, 'a') + '\n');
    token.close();
    QLocalServer older;
    QVERIFY(older.listen(m_runtime.filePath(QStringLiteral("libcluster-%1.sock").arg(name))));
    QList<QJsonObject> commands;
    connect(&older, &QLocalServer::newConnection, &older, [&older, &commands] {
        QLocalSocket *socket = older.nextPendingConnection();
        connect(socket, &QLocalSocket::readyRead, socket, [socket, &commands] {
            while (socket->canReadLine()) {
                const QJsonObject message = QJsonDocument::fromJson(socket->readLine()).object();
                QJsonObject answer;
                if (message.value(QLatin1String("type")).toString() == QLatin1String("hello")) {
                    answer = { { QStringLiteral("type"), QStringLiteral("welcome") },
                        { QStringLiteral("v"), 1 },
                        { QStringLiteral("name"), QStringLiteral("older") },
                        { QStringLiteral("pid"), 1 }, { QStringLiteral("statsInterval"), 1000 },
                        { QStringLiteral("snapshot"), QJsonObject() } };
                } else {
                    commands.append(message);
                    // Word for word what ControlServer answered to a worker it could not parse.
                    answer = { { QStringLiteral("type"), QStringLiteral("reply") },
                        { QStringLiteral("id"), message.value(QLatin1String("id")) },
                        { QStringLiteral("ok"), false },
                        { QStringLiteral("error"), QStringLiteral("no worker with id all") } };
                }
                socket->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
            }
        });
    });
    ControlClient client;
    QVERIFY(connectClient(&client, name));
    Reply reply;
    client.disconnectAll(false, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY(!reply.ok());
    QVERIFY2(reply.error().contains(QLatin1String("cannot disconnect all workers at once")),
        qPrintable(reply.error()));
    QVERIFY2(reply.error().contains(QLatin1String("older")), qPrintable(reply.error()));
    QCOMPARE(commands.size(), 1);
    QCOMPARE(commands.first().value(QLatin1String("cmd")).toString(), QStringLiteral("disconnect"));
    QCOMPARE(commands.first().value(QLatin1String("worker")).toString(), QStringLiteral("all"));
    client.disconnectFromEndpoint();
    older.close();
    QFile::remove(token.fileName());
}

void tst_ControlClient::killWorker()
{
    Primary primary(QStringLiteral("kill"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("kill")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Worker *victim = primary.cluster->workers().constLast();
    const int id = victim->id();
    const qint64 pid = victim->processId();
    Reply reply;
    client.killWorker(id, SIGKILL, true, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    QCOMPARE(reply.value.value(QLatin1String("signal")).toInt(), SIGKILL);
    QCOMPARE(reply.value.value(QLatin1String("signalName")).toString(), QStringLiteral("SIGKILL"));
    QCOMPARE(::kill(pid_t(pid), 0), -1);
    const auto exits = eventsNamed(events, QStringLiteral("exit"));
    QCOMPARE(exits.size(), 1);
    QCOMPARE(exits.first().value(QLatin1String("id")).toInt(), id);
    QCOMPARE(
        exits.first().value(QLatin1String("signalName")).toString(), QStringLiteral("SIGKILL"));

    // Without waiting: the reply says the signal went out.
    const int other = primary.cluster->workers().constFirst()->id();
    Reply quick;
    client.killWorker(other, SIGTERM, false, quick.handler());
    QVERIFY(quick.wait());
    QVERIFY(quick.ok());
    QCOMPARE(quick.value.value(QLatin1String("signal")).toInt(), SIGTERM);
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("exit")).size(), 2, 20000);
}

void tst_ControlClient::killUnknownWorker()
{
    Primary primary(QStringLiteral("unknown"), 0);
    QVERIFY(primary.ok);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("unknown")));
    Reply reply;
    client.killWorker(77, SIGTERM, true, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY(!reply.ok());
    QVERIFY(reply.error().contains(QLatin1String("no worker with id 77")));
}

void tst_ControlClient::scale()
{
    Primary primary(QStringLiteral("scale"), 1);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 1, 20000);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("scale")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Reply up;
    client.scaleTo(3, up.handler());
    QVERIFY(up.wait());
    QVERIFY(up.ok());
    QCOMPARE(up.value.value(QLatin1String("count")).toInt(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 3, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("online")).size(), 2, 20000);
    QCOMPARE(eventsNamed(events, QStringLiteral("workerCount"))
                 .constLast()
                 .value(QLatin1String("count"))
                 .toInt(),
        3);

    Reply down;
    client.scaleTo(1, down.handler());
    QVERIFY(down.wait());
    QVERIFY(down.ok());
    QTRY_COMPARE_WITH_TIMEOUT(primary.cluster->workers().size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("exit")).size(), 2, 20000);

    Reply bad;
    client.sendCommand(QStringLiteral("scale"),
        { { QStringLiteral("count"), QStringLiteral("many") } }, bad.handler());
    QVERIFY(bad.wait());
    QVERIFY(!bad.ok());
}

void tst_ControlClient::rollingRestart()
{
    Primary primary(QStringLiteral("restart"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    const QList<int> before = primary.workerIds();
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("restart")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Reply reply;
    client.rollingRestart(reply.handler());
    QVERIFY(reply.wait(30000));
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    // Replied when it had finished: both replaced, and the event came first.
    QCOMPARE(eventsNamed(events, QStringLiteral("replaced")).size(), 2);
    QCOMPARE(eventsNamed(events, QStringLiteral("restartFinished")).size(), 1);
    QVERIFY(eventsNamed(events, QStringLiteral("restartFinished"))
                .first()
                .value(QLatin1String("ok"))
                .toBool());
    QTRY_COMPARE_WITH_TIMEOUT(primary.cluster->workers().size(), 2, 20000);
    for (Worker *worker : primary.cluster->workers())
        QVERIFY(!before.contains(worker->id()));

    // A primary that gave its server no supervisor restarts just the same, through the
    // server's own: what a cluster can do does not depend on how it was started.
    Primary bare(QStringLiteral("restart-bare"), 1, {}, false);
    QVERIFY(bare.ok);
    QTRY_VERIFY_WITH_TIMEOUT(bare.cluster->workers().size() == 1
            && bare.cluster->workers().first()->state() != Worker::None,
        10000);
    const int oldId = bare.cluster->workers().first()->id();
    ControlClient other;
    QVERIFY(connectClient(&other, QStringLiteral("restart-bare")));
    Reply restarted;
    other.rollingRestart(restarted.handler());
    QVERIFY(restarted.wait(20000));
    QVERIFY2(restarted.ok(), qPrintable(restarted.error()));
    QTRY_COMPARE_WITH_TIMEOUT(bare.cluster->workers().size(), 1, 10000);
    QVERIFY(bare.cluster->workers().first()->id() != oldId);
}

void tst_ControlClient::sendMessage()
{
    Primary primary(QStringLiteral("send"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("send")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    const int id = primary.cluster->workers().constFirst()->id();
    const QJsonObject message { { QStringLiteral("text"), QStringLiteral("hello") },
        { QStringLiteral("n"), 7 },
        { QStringLiteral("list"), QJsonArray { 1, true, QJsonValue() } } };
    Reply one;
    client.sendMessage(id, message, one.handler());
    QVERIFY(one.wait());
    QVERIFY2(one.ok(), qPrintable(one.error()));
    // testworker echoes what it gets: back it comes as a message event.
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("message")).size(), 1, 20000);
    const QJsonObject echoed = eventsNamed(events, QStringLiteral("message")).first();
    QCOMPARE(echoed.value(QLatin1String("id")).toInt(), id);
    QCOMPARE(echoed.value(QLatin1String("message")).toObject(), message);

    Reply all;
    client.sendMessageToAll(QStringLiteral("to everyone"), all.handler());
    QVERIFY(all.wait());
    QVERIFY(all.ok());
    QCOMPARE(all.value.value(QLatin1String("sent")).toInt(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(eventsNamed(events, QStringLiteral("message")).size(), 3, 20000);
    QCOMPARE(eventsNamed(events, QStringLiteral("message"))
                 .constLast()
                 .value(QLatin1String("message"))
                 .toString(),
        QStringLiteral("to everyone"));

    Reply missing;
    client.sendCommand(
        QStringLiteral("send"), { { QStringLiteral("worker"), id } }, missing.handler());
    QVERIFY(missing.wait());
    QVERIFY(!missing.ok());
}

void tst_ControlClient::shutdown()
{
    Primary primary(QStringLiteral("shutdown"), 2);
    QVERIFY(primary.ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary.onlineCount(), 2, 20000);
    QList<qint64> pids;
    for (Worker *worker : primary.cluster->workers())
        pids.append(worker->processId());
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("shutdown")));
    QSignalSpy events(&client, &ControlClient::eventReceived);
    Reply reply;
    client.shutdown(reply.handler());
    QVERIFY(reply.wait(30000));
    QVERIFY2(reply.ok(), qPrintable(reply.error()));
    QVERIFY(primary.supervisor->isShuttingDown());
    for (Worker *worker : primary.cluster->workers())
        QVERIFY(worker->isDead());
    for (qint64 pid : pids)
        QCOMPARE(::kill(pid_t(pid), 0), -1);
    // Every exit is reported before the end of the shutdown.
    const auto names = [&events] {
        QStringList list;
        for (const QList<QVariant> &arguments : events)
            list.append(arguments.at(0).toJsonObject().value(QLatin1String("event")).toString());
        return list;
    }();
    QCOMPARE(names.count(QStringLiteral("exit")), 2);
    QCOMPARE(names.constLast(), QStringLiteral("shutdownFinished"));

    // Nothing more can be started.
    Reply late;
    client.fork(late.handler());
    QVERIFY(late.wait());
    QVERIFY(!late.ok());
    QVERIFY(late.error().contains(QLatin1String("shutting down")));
}

void tst_ControlClient::pendingCommandsFailWhenPrimaryGoes()
{
    auto primary = std::make_unique<Primary>(QStringLiteral("vanish"), 1);
    QVERIFY(primary->ok);
    QTRY_COMPARE_WITH_TIMEOUT(primary->onlineCount(), 1, 20000);
    ControlClient client;
    QVERIFY(connectClient(&client, QStringLiteral("vanish")));
    QSignalSpy disconnected(&client, &ControlClient::disconnected);
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    // A worker whose event loop is stuck does not disconnect: "disconnect and wait" waits.
    Worker *worker = primary->cluster->workers().constFirst();
    QCborMap block;
    block.insert(QStringLiteral("do"), QStringLiteral("block"));
    block.insert(QStringLiteral("ms"), 60000);
    QVERIFY(worker->send(block));
    Reply reply;
    client.disconnectWorker(worker->id(), true, reply.handler());
    // The command has reached the primary once it has asked the worker to disconnect.
    QTRY_VERIFY_WITH_TIMEOUT(worker->exitedAfterDisconnect(), 20000);
    QCOMPARE(reply.calls, 0);
    primary->server->close();
    QVERIFY(reply.wait());
    QVERIFY(!reply.ok());
    QVERIFY2(reply.error().contains(QLatin1String("went away")), qPrintable(reply.error()));
    QCOMPARE(disconnected.size(), 1);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(client.error(), ControlClient::ConnectionLostError);
    QSignalSpy exited(worker, &Worker::exited);
    worker->kill(SIGKILL);
    QVERIFY(exited.wait());
}

void tst_ControlClient::reconnectsWhenPrimaryComesBack()
{
    auto primary = std::make_unique<Primary>(QStringLiteral("phoenix"), 1);
    QVERIFY(primary->ok);
    ControlClient client;
    client.setAutoReconnect(true);
    client.setReconnectInterval(20);
    QCOMPARE(client.reconnectInterval(), 20);
    QSignalSpy connected(&client, &ControlClient::connected);
    QSignalSpy disconnected(&client, &ControlClient::disconnected);
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    client.connectToEndpoint(QStringLiteral("phoenix"));
    QVERIFY(connected.wait());

    primary.reset(); // the primary goes away, files and all
    QTRY_COMPARE(disconnected.size(), 1);
    QCOMPARE(client.error(), ControlClient::ConnectionLostError);
    // While it is away the client keeps trying, and says so once per kind of failure, not once
    // per try.
    QTRY_COMPARE(client.error(), ControlClient::EndpointNotFoundError);
    const qsizetype errorsWhileAway = errors.size();
    QCOMPARE(errorsWhileAway, 2);

    primary = std::make_unique<Primary>(QStringLiteral("phoenix"), 2);
    QVERIFY(primary->ok);
    QTRY_COMPARE_WITH_TIMEOUT(connected.size(), 2, 10000);
    QVERIFY(client.isConnected());
    QCOMPARE(client.error(), ControlClient::NoError);
    // A fresh snapshot, from the new primary (and read with its new token).
    QCOMPARE(connected.last()
                 .first()
                 .toJsonObject()
                 .value(QLatin1String("supervisor"))
                 .toObject()
                 .value(QLatin1String("workerCount"))
                 .toInt(),
        2);
    Reply reply;
    client.scaleTo(1, reply.handler());
    QVERIFY(reply.wait());
    QVERIFY(reply.ok());
}

void tst_ControlClient::availableEndpoints()
{
    Primary beta(QStringLiteral("list-beta"), 0);
    Primary alpha(QStringLiteral("list-alpha"), 0);
    QVERIFY(alpha.ok && beta.ok);
    QStringList endpoints = ControlClient::availableEndpoints();
    QVERIFY(endpoints.contains(QStringLiteral("list-alpha")));
    QVERIFY(endpoints.contains(QStringLiteral("list-beta")));
    QVERIFY(endpoints.indexOf(QStringLiteral("list-alpha"))
        < endpoints.indexOf(QStringLiteral("list-beta")));
    beta.server->close();
    endpoints = ControlClient::availableEndpoints();
    QVERIFY(endpoints.contains(QStringLiteral("list-alpha")));
    QVERIFY(!endpoints.contains(QStringLiteral("list-beta")));
}

void tst_ControlClient::signalFromName_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << QStringLiteral("SIGTERM") << int(SIGTERM);
    QTest::newRow("KILL") << QStringLiteral("KILL") << int(SIGKILL);
    QTest::newRow("hup") << QStringLiteral("hup") << int(SIGHUP);
    QTest::newRow("sigusr1") << QStringLiteral("sigusr1") << int(SIGUSR1);
    QTest::newRow("9") << QStringLiteral("9") << 9;
    QTest::newRow("0") << QStringLiteral("0") << 0;
    QTest::newRow("999") << QStringLiteral("999") << 0;
    QTest::newRow("nonsense") << QStringLiteral("SIGNOPE") << 0;
    QTest::newRow("empty") << QString() << 0;
}

void tst_ControlClient::signalFromName()
{
    QFETCH(QString, text);
    QFETCH(int, signal);
    QCOMPARE(ControlClient::signalFromName(text), signal);
}

QTEST_MAIN(tst_ControlClient)
#include "tst_controlclient.moc"
