// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Shared server ports seen from outside: the listening event, listen(0), errors as a plain
// QTcpServer reports them, close(), Unix sockets, UDP, handles sent with messages, QHttpServer.
#include "portharness.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUdpSocket>

#include <libcluster/localserver.h>
#include <libcluster/tcpserver.h>
#include <libcluster/udpsocket.h>

#include <QNetworkDatagram>

#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace LibCluster;
using namespace PortTest;

class tst_Ports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listeningEvent_data();
    void listeningEvent();
    void listenZero_data();
    void listenZero();
    void addressInUse_data();
    void addressInUse();
    void privilegedPort();
    void closeStopsConnections_data();
    void closeStopsConnections();
    void localServer_data();
    void localServer();
    void localServerSocketFile_data();
    void localServerSocketFile();
    void localServerSocketOptions_data();
    void localServerSocketOptions();
    void udpSocket();
    void handleToWorker();
    void listeningHandle_data();
    void listeningHandle();
    void httpServer();
    void tcpServerOutsideCluster();
    void localServerOutsideCluster();
    void udpSocketOutsideCluster();
};

namespace {

bool hasIPv6Loopback()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHostIPv6, 0);
}

// What a plain QTcpServer reports when it cannot listen there (empty text when it can).
QPair<QAbstractSocket::SocketError, QString> plainListenError(
    const QHostAddress &address, quint16 port)
{
    QTcpServer plain;
    if (plain.listen(address, port))
        return { QAbstractSocket::UnknownSocketError, QString() };
    return { plain.serverError(), plain.errorString() };
}

// Waits until `socket` has a whole line and returns it; empty on timeout.
QByteArray readLine(QIODevice *socket)
{
    QSignalSpy readable(socket, &QIODevice::readyRead);
    while (!socket->canReadLine())
        if (!readable.wait(10000))
            return {};
    return socket->readLine();
}

// Sends a line each way between two connected sockets; true when both arrived.
bool exchangeLines(QIODevice *a, QIODevice *b)
{
    a->write("ping\n");
    if (readLine(b) != "ping\n")
        return false;
    b->write("pong\n");
    return readLine(a) == "pong\n";
}

} // namespace

void tst_Ports::listeningEvent_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("address"); // what the worker listens on; "" is Any
    QTest::addColumn<QString>("reported");
    QTest::addColumn<int>("type"); // Address::AddressType
    QTest::addColumn<QString>("typeName");
    QTest::newRow("tcp 127.0.0.1")
        << QStringLiteral("tcp") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1")
        << int(Address::IPv4) << QStringLiteral("4");
    QTest::newRow("tcp ::1") << QStringLiteral("tcp") << QStringLiteral("::1")
                             << QStringLiteral("::1") << int(Address::IPv6) << QStringLiteral("6");
    QTest::newRow("tcp any") << QStringLiteral("tcp") << QString() << QStringLiteral("::")
                             << int(Address::IPv6) << QStringLiteral("6");
    QTest::newRow("local") << QStringLiteral("local") << QString() << QString()
                           << int(Address::Local) << QStringLiteral("-1");
    QTest::newRow("udp 127.0.0.1")
        << QStringLiteral("udp") << QStringLiteral("127.0.0.1") << QStringLiteral("127.0.0.1")
        << int(Address::Udp4) << QStringLiteral("udp4");
    QTest::newRow("udp ::1") << QStringLiteral("udp") << QStringLiteral("::1")
                             << QStringLiteral("::1") << int(Address::Udp6)
                             << QStringLiteral("udp6");
}

void tst_Ports::listeningEvent()
{
    QFETCH(QString, kind);
    QFETCH(QString, address);
    QFETCH(QString, reported);
    QFETCH(int, type);
    QFETCH(QString, typeName);
    if (address == QLatin1String("::1") && !hasIPv6Loopback())
        QSKIP("no IPv6 loopback here: ::1 on lo is needed (scripts/ci-machine enables it)");

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCborMap command = listenCommand(kind, address, 0);
    if (kind == QLatin1String("local")) {
        reported = dir.filePath(QStringLiteral("listening.sock"));
        command.insert(QStringLiteral("name"), reported);
    }

    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    QSignalSpy clusterListening(cluster, &Cluster::workerListening);
    for (Worker *worker : std::as_const(workers)) {
        QCOMPARE(worker->state(), Worker::Online);
        QSignalSpy listening(worker, &Worker::listening);
        QSignalSpy stateChanged(worker, &Worker::stateChanged);
        const QCborMap reply = call(worker, command);
        QVERIFY2(reply.value(QStringLiteral("ok")).toBool(),
            qPrintable(reply.value(QStringLiteral("errorString")).toString()));
        QVERIFY(!listening.isEmpty() || listening.wait());
        QCOMPARE(listening.size(), 1);
        const auto port = quint16(reply.value(QStringLiteral("port")).toInteger());
        const Address expected(
            reported, kind == QLatin1String("local") ? 0 : port, Address::AddressType(type));
        const Address got = listening.first().first().value<Address>();
        QCOMPARE(int(got.addressType()), type);
        QCOMPARE(got.addressTypeName(), typeName);
        QCOMPARE(got.port(), expected.port());
        QCOMPARE(got.address(), expected.address());
        QVERIFY(got == expected);
        if (kind != QLatin1String("local"))
            QVERIFY(got.port() != 0);
        QCOMPARE(worker->state(), Worker::Listening);
        QVERIFY(!stateChanged.isEmpty());
        QCOMPARE(stateChanged.last().first().value<Worker::State>(), Worker::Listening);
        QCOMPARE(worker->listeningAddresses(), QList<Address>({ expected }));
        QTRY_VERIFY(!clusterListening.isEmpty());
        QCOMPARE(clusterListening.last().at(0).value<Worker *>(), worker);
        QCOMPARE(clusterListening.last().at(1).value<Address>(), expected);
    }
    QCOMPARE(clusterListening.size(), 2);
}

void tst_Ports::listenZero_data()
{
    addPolicyRows();
}

void tst_Ports::listenZero()
{
    QFETCH(SchedulingPolicy, policy);
    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 3, &workers));
    quint16 first = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(0), &first));
    QVERIFY(first != 0);

    // A second listen(0) in one worker: a new port, which the second listen(0) of another worker
    // then shares.
    const QCborMap again = call(workers.at(0), tcpOnLoopback(0));
    QVERIFY(again.value(QStringLiteral("ok")).toBool());
    const auto second = quint16(again.value(QStringLiteral("port")).toInteger());
    QVERIFY(second != 0);
    QVERIFY(second != first);
    const QCborMap otherAgain = call(workers.at(1), tcpOnLoopback(0));
    QVERIFY(otherAgain.value(QStringLiteral("ok")).toBool());
    QCOMPARE(quint16(otherAgain.value(QStringLiteral("port")).toInteger()), second);

    ClientLoop onSecond(second, 10);
    QVERIFY(onSecond.run());
    QVERIFY2(onSecond.failureCount() == 0, qPrintable(onSecond.failureSummary()));
    QVERIFY(!onSecond.answers().contains(3));
    ClientLoop onFirst(first, 10);
    QVERIFY(onFirst.run());
    QVERIFY2(onFirst.failureCount() == 0, qPrintable(onFirst.failureSummary()));
}

void tst_Ports::addressInUse_data()
{
    addPolicyRows();
}

void tst_Ports::addressInUse()
{
    QFETCH(SchedulingPolicy, policy);
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    const quint16 port = blocker.serverPort();
    const auto [plainError, plainText] = plainListenError(QHostAddress::LocalHost, port);
    QCOMPARE(plainError, QAbstractSocket::AddressInUseError);
    QCOMPARE(plainText, QStringLiteral("The bound address is already in use"));

    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    QSignalSpy listening(cluster, &Cluster::workerListening);
    // Both fail alike: the primary does not keep the failed server for the second one.
    for (Worker *worker : std::as_const(workers)) {
        const QCborMap reply = call(worker, tcpOnLoopback(port));
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), false);
        QCOMPARE(reply.value(QStringLiteral("listening")).toBool(), false);
        QCOMPARE(QAbstractSocket::SocketError(reply.value(QStringLiteral("error")).toInteger()),
            plainError);
        QCOMPARE(reply.value(QStringLiteral("errorString")).toString(), plainText);
        QCOMPARE(worker->state(), Worker::Online);
    }

    blocker.close();
    quint16 shared = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(port), &shared));
    QCOMPARE(shared, port);
    QTRY_COMPARE(listening.size(), 2);
    ClientLoop loop(port, 10);
    QVERIFY(loop.run());
    QVERIFY2(loop.failureCount() == 0, qPrintable(loop.failureSummary()));
}

void tst_Ports::privilegedPort()
{
    // The primary binds; as root it may bind any port, so it does without that right here.
    const WithoutBindPrivilege unprivileged;
    const auto [plainError, plainText] = plainListenError(QHostAddress::LocalHost, 1);
    if (plainText.isEmpty())
        QSKIP("this system lets anyone bind port 1: needs net.ipv4.ip_unprivileged_port_start "
              "above 1 (scripts/ci-machine sets 1024)");
    QCOMPARE(plainError, QAbstractSocket::SocketAccessError);

    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 1, &workers));
    const QCborMap reply = call(workers.first(), tcpOnLoopback(1));
    QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(
        QAbstractSocket::SocketError(reply.value(QStringLiteral("error")).toInteger()), plainError);
    QCOMPARE(reply.value(QStringLiteral("errorString")).toString(), plainText);
}

void tst_Ports::closeStopsConnections_data()
{
    addPolicyRows();
}

void tst_Ports::closeStopsConnections()
{
    QFETCH(SchedulingPolicy, policy);
    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(workers, tcpOnLoopback(), &port));

    QCOMPARE(
        call(workers.at(0), closeCommand(0)).value(QStringLiteral("listening")).toBool(), false);
    ClientLoop rest(port, 20);
    QVERIFY(rest.run());
    QVERIFY2(rest.failureCount() == 0, qPrintable(rest.failureSummary()));
    QCOMPARE(rest.answers().count(2), 20);

    // Once every worker has closed, nothing holds the port any more.
    QCOMPARE(
        call(workers.at(1), closeCommand(0)).value(QStringLiteral("listening")).toBool(), false);
    {
        QTcpServer plain;
        QVERIFY2(plain.listen(QHostAddress::LocalHost, port), qPrintable(plain.errorString()));
    }

    // And a worker can listen on it again.
    const QCborMap again = call(workers.at(0), tcpOnLoopback(port));
    QVERIFY(again.value(QStringLiteral("ok")).toBool());
    QCOMPARE(quint16(again.value(QStringLiteral("port")).toInteger()), port);
    ClientLoop back(port, 10);
    QVERIFY(back.run());
    QVERIFY2(back.failureCount() == 0, qPrintable(back.failureSummary()));
    QCOMPARE(back.answers().count(1), 10);
}

void tst_Ports::localServer_data()
{
    addPolicyRows();
}

void tst_Ports::localServer()
{
    QFETCH(SchedulingPolicy, policy);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shared.sock"));
    QObject scope;
    Cluster *cluster = newCluster(&scope, policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    QCborMap command = listenCommand(QStringLiteral("local"), QString(), 0);
    command.insert(QStringLiteral("name"), path);
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, command, nullptr, &replies));
    for (const QCborMap &reply : std::as_const(replies))
        QCOMPARE(reply.value(QStringLiteral("listening")).toBool(), true);

    QObject clients;
    QSet<int> served;
    for (int i = 0; i < 10; ++i) {
        Probe *probe = Probe::local(path, &clients);
        QVERIFY(waitAnswered({ probe }, cluster));
        QVERIFY(probe->answer() == 1 || probe->answer() == 2);
        served.insert(probe->answer());
    }
    if (policy == SchedulingPolicy::RoundRobin || policy == SchedulingPolicy::LeastConnections)
        QCOMPARE(served.size(), 2);

    // One worker closing its server leaves the socket (and its path) to the other.
    QCOMPARE(
        call(workers.at(0), closeCommand(0)).value(QStringLiteral("listening")).toBool(), false);
    QVERIFY(QFileInfo::exists(path));
    for (int i = 0; i < 5; ++i) {
        Probe *probe = Probe::local(path, &clients);
        QVERIFY(waitAnswered({ probe }, cluster));
        QCOMPARE(probe->answer(), 2);
    }
}

void tst_Ports::localServerSocketFile_data()
{
    addPolicyRows();
}

// The socket file goes when the last worker closes its server or leaves, and when the primary's
// Cluster goes (as QLocalServer and Node remove theirs), so listening on the path again works.
void tst_Ports::localServerSocketFile()
{
    QFETCH(SchedulingPolicy, policy);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("shared.sock"));
    auto scope = std::make_unique<QObject>();
    Cluster *cluster = newCluster(scope.get(), policy);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    QCborMap command = listenCommand(QStringLiteral("local"), QString(), 0);
    command.insert(QStringLiteral("name"), path);
    QVERIFY(listenAll(workers, command, nullptr));
    QVERIFY(QFileInfo::exists(path));

    // Closed by the last worker that served it: gone, and free for a later listen().
    QCOMPARE(
        call(workers.at(0), closeCommand(0)).value(QStringLiteral("listening")).toBool(), false);
    QVERIFY(QFileInfo::exists(path));
    QCOMPARE(
        call(workers.at(1), closeCommand(0)).value(QStringLiteral("listening")).toBool(), false);
    QTRY_VERIFY(!QFileInfo::exists(path));
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, command, nullptr, &replies));
    QCOMPARE(replies.first().value(QStringLiteral("errorString")).toString(), QString());
    QObject clients;
    Probe *probe = Probe::local(path, &clients);
    QVERIFY(waitAnswered({ probe }, cluster));

    // The last worker serving it leaves: gone.
    QSignalSpy all(cluster, &Cluster::allDisconnected);
    cluster->disconnectAll();
    QVERIFY(all.wait(10000));
    QVERIFY(!QFileInfo::exists(path));

    // The primary's Cluster ends while workers serve it: gone.
    QVERIFY(forkWorkers(cluster, 1, &workers));
    QVERIFY(call(workers.last(), command).value(QStringLiteral("ok")).toBool());
    QVERIFY(QFileInfo::exists(path));
    scope.reset();
    QVERIFY(!QFileInfo::exists(path));

    // A file that is not the cluster's own is left alone: a later listen() says so, as
    // QLocalServer does.
    QFile other(path);
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();
    QObject scope2;
    cluster = newCluster(&scope2, policy);
    QVERIFY(forkWorkers(cluster, 1, &workers));
    const QCborMap refused = call(workers.last(), command);
    QCOMPARE(refused.value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(refused.value(QStringLiteral("errorString")).toString(),
        QStringLiteral("LocalServer::listen: Address in use"));
    QVERIFY(QFileInfo::exists(path));
}

void tst_Ports::localServerSocketOptions_data()
{
    QTest::addColumn<int>("options");
    QTest::newRow("user") << int(QLocalServer::UserAccessOption);
    QTest::newRow("group") << int(QLocalServer::GroupAccessOption);
    QTest::newRow("other") << int(QLocalServer::OtherAccessOption);
    QTest::newRow("user and group")
        << int(QLocalServer::UserAccessOption | QLocalServer::GroupAccessOption);
    QTest::newRow("world") << int(QLocalServer::WorldAccessOption);
}

// setSocketOptions() in a worker gives the socket file the access a plain QLocalServer gives it.
void tst_Ports::localServerSocketOptions()
{
    QFETCH(int, options);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QLocalServer plain;
    plain.setSocketOptions(QLocalServer::SocketOptions::fromInt(options));
    QVERIFY2(
        plain.listen(dir.filePath(QStringLiteral("plain.sock"))), qPrintable(plain.errorString()));
    const QFile::Permissions expected = QFileInfo(plain.fullServerName()).permissions();

    const QString path = dir.filePath(QStringLiteral("shared.sock"));
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 1, &workers));
    QCborMap command = listenCommand(QStringLiteral("local"), QString(), 0);
    command.insert(QStringLiteral("name"), path);
    command.insert(QStringLiteral("options"), options);
    const QCborMap reply = call(workers.first(), command);
    QVERIFY2(reply.value(QStringLiteral("ok")).toBool(),
        qPrintable(reply.value(QStringLiteral("errorString")).toString()));
    QCOMPARE(QFileInfo(path).permissions(), expected);
    // Nothing left of the private directory the socket was bound in.
    QCOMPARE(QDir(dir.path())
                 .entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot),
        (QStringList { QStringLiteral("plain.sock"), QStringLiteral("shared.sock") }));
    if (options & QLocalServer::UserAccessOption) {
        QObject clients;
        Probe *probe = Probe::local(path, &clients);
        QVERIFY(waitAnswered({ probe }, cluster));
    }
}

void tst_Ports::udpSocket()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    quint16 port = 0;
    QList<QCborMap> replies;
    QVERIFY(listenAll(workers, listenCommand(QStringLiteral("udp"), QStringLiteral("127.0.0.1"), 0),
        &port, &replies));
    QVERIFY(port != 0);
    // One socket for both workers, as in Node: the same inode in each, and no SO_REUSEPORT
    // (a socket per worker would have an inode of its own).
    QCOMPARE(replies.size(), 2);
    const qint64 inode = replies.at(0).value(QStringLiteral("inode")).toInteger();
    QVERIFY(inode != 0);
    QCOMPARE(replies.at(1).value(QStringLiteral("inode")).toInteger(), inode);
    for (const QCborMap &reply : std::as_const(replies))
        QCOMPARE(reply.value(QStringLiteral("reusePort")).toBool(), false);

    QSignalSpy messages(cluster, &Cluster::messageReceived);
    QUdpSocket sender;
    QSet<QByteArray> sent;
    for (int i = 0; i < 20; ++i) {
        const QByteArray data = "datagram " + QByteArray::number(i);
        QCOMPARE(sender.writeDatagram(data, QHostAddress::LocalHost, port), data.size());
        sent.insert(data);
    }
    QSet<QByteArray> received;
    while (received.size() < sent.size()) {
        const qsizetype seen = messages.size();
        QVERIFY2(messages.wait(10000),
            qPrintable(QStringLiteral("%1 of %2 datagrams reported")
                           .arg(received.size())
                           .arg(sent.size())));
        for (qsizetype i = seen; i < messages.size(); ++i) {
            const QCborMap report = messages.at(i).at(1).value<QCborValue>().toMap();
            QCOMPARE(report.value(QStringLiteral("re")).toString(), QStringLiteral("datagram"));
            const int id = int(report.value(QStringLiteral("id")).toInteger());
            QVERIFY(id == 1 || id == 2);
            // Each datagram once and whole: a second report of one means another came out cut
            // short (read into a buffer sized for a datagram another worker had taken).
            const QByteArray data = report.value(QStringLiteral("data")).toByteArray();
            QVERIFY2(sent.contains(data) && !received.contains(data), data.constData());
            received.insert(data);
        }
    }
    QCOMPARE(received, sent);
}

void tst_Ports::handleToWorker()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));

    // The primary accepts this one itself, on a server of its own, and passes it to worker 2.
    QTcpServer own;
    QVERIFY(own.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    QSignalSpy incoming(&own, &QTcpServer::newConnection);
    client.connectToHost(QHostAddress::LocalHost, own.serverPort());
    QVERIFY(incoming.wait());
    QTcpSocket *accepted = own.nextPendingConnection();
    QVERIFY(accepted);

    QCborMap command;
    command.insert(QStringLiteral("do"), QStringLiteral("answer"));
    const QCborMap reply
        = call(workers.at(1), command, Handle::fromDescriptor(accepted->socketDescriptor()));
    QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), true);
    QSignalSpy readable(&client, &QTcpSocket::readyRead);
    while (!client.canReadLine())
        QVERIFY(readable.wait());
    QCOMPARE(client.readLine(), QByteArray("2\n"));

    // The worker closed its copy: once the primary closes its own, the connection ends.
    QSignalSpy ended(&client, &QTcpSocket::disconnected);
    accepted->close();
    QVERIFY(ended.wait());
}

// A listening socket sent with a message is served on the other side: the primary's socket by
// a worker's QTcpServer, and a worker's socket by a QTcpServer in the primary. The sender keeps
// no copy, so every connection is accepted where the socket went.
void tst_Ports::listeningHandle_data()
{
    QTest::addColumn<bool>("toWorker");
    QTest::newRow("primary to worker") << true;
    QTest::newRow("worker to primary") << false;
}

void tst_Ports::listeningHandle()
{
    QFETCH(bool, toWorker);
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    Worker *worker = workers.at(1);

    quint16 port = 0;
    std::unique_ptr<QTcpServer> primaryServer;
    if (toWorker) {
        QTcpServer made;
        QVERIFY(made.listen(QHostAddress::LocalHost, 0));
        port = made.serverPort();
        QCborMap command;
        command.insert(QStringLiteral("do"), QStringLiteral("serve"));
        const QCborMap reply
            = call(worker, command, Handle::fromDescriptor(made.socketDescriptor()));
        // The primary keeps no copy: the worker's is the only one.
        made.close();
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), true);
        QCOMPARE(reply.value(QStringLiteral("port")).toInteger(), port);
    } else {
        QSignalSpy messages(worker, &Worker::messageReceived);
        QCborMap command;
        command.insert(QStringLiteral("do"), QStringLiteral("makelistening"));
        QVERIFY(worker->send(command));
        QVERIFY(messages.wait(10000));
        const QCborMap reply = messages.first().at(0).value<QCborValue>().toMap();
        QCOMPARE(reply.value(QStringLiteral("ok")).toBool(), true);
        port = quint16(reply.value(QStringLiteral("port")).toInteger());
        Handle handle = messages.first().at(1).value<Handle>();
        QVERIFY(handle.isValid());
        primaryServer = std::make_unique<QTcpServer>();
        QVERIFY(primaryServer->setSocketDescriptor(handle.takeDescriptor()));
        QVERIFY(primaryServer->isListening());
        QCOMPARE(primaryServer->serverPort(), port);
        QObject::connect(primaryServer.get(), &QTcpServer::newConnection, &scope, [&] {
            while (QTcpSocket *socket = primaryServer->nextPendingConnection()) {
                socket->write("0\n");
                socket->disconnectFromHost();
            }
        });
    }
    QVERIFY(port != 0);
    // Where the socket went, and nowhere else, answers: the worker says its id, the primary 0.
    for (int i = 0; i < 3; ++i) {
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, port);
        QCOMPARE(readLine(&client), toWorker ? QByteArray("2\n") : QByteArray("0\n"));
    }
}

void tst_Ports::httpServer()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope, SchedulingPolicy::RoundRobin);
    QList<Worker *> workers;
    QVERIFY(forkWorkers(cluster, 2, &workers));
    quint16 port = 0;
    QVERIFY(listenAll(
        workers, listenCommand(QStringLiteral("http"), QStringLiteral("127.0.0.1"), 0), &port));

    QNetworkAccessManager manager;
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/").arg(port));
    QSet<int> served;
    for (int i = 0; i < 4; ++i) {
        QNetworkRequest request(url);
        // A fresh connection each time (the answer says `Connection: close` too), so both
        // workers get requests.
        request.setRawHeader("Connection", "close");
        QNetworkReply *reply = manager.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(reply->isFinished() || finished.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->readAll(), QByteArray("hello"));
        served.insert(reply->rawHeader("X-Worker-Id").toInt());
        reply->deleteLater();
    }
    // Both workers' QHttpServers answered: round-robin took turns.
    QCOMPARE(served, (QSet<int> { workers.at(0)->id(), workers.at(1)->id() }));
}

// Outside a cluster (this test is a primary, not a worker) TcpServer, LocalServer and UdpSocket
// are the Qt classes they derive from: each binds a socket of its own in this process, serves
// on it, reports errors word for word as the Qt class does, and lets go of it on close().
void tst_Ports::tcpServerOutsideCluster()
{
    QVERIFY(!Cluster::isWorker());
    TcpServer server;
    QSignalSpy incoming(&server, &QTcpServer::newConnection);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QVERIFY(server.isListening());
    QCOMPARE(server.serverAddress(), QHostAddress(QHostAddress::LocalHost));
    const quint16 port = server.serverPort();
    QVERIFY(port != 0);
    // The listening socket is this process's own.
    int accepting = 0;
    socklen_t length = sizeof(accepting);
    QCOMPARE(::getsockopt(
                 int(server.socketDescriptor()), SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length),
        0);
    QCOMPARE(accepting, 1);

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(incoming.wait(10000));
    QVERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QVERIFY(!server.nextPendingConnection());
    QVERIFY(exchangeLines(&client, accepted.get()));

    // A second server on that port fails as a second QTcpServer does.
    const auto expected = plainListenError(QHostAddress::LocalHost, port);
    QCOMPARE(expected.first, QAbstractSocket::AddressInUseError);
    TcpServer second;
    QVERIFY(!second.listen(QHostAddress::LocalHost, port));
    QCOMPARE(second.serverError(), expected.first);
    QCOMPARE(second.errorString(), expected.second);

    server.close();
    QVERIFY(!server.isListening());
    QTcpSocket late;
    QSignalSpy failed(&late, &QAbstractSocket::errorOccurred);
    late.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(failed.wait(10000));
    QCOMPARE(late.error(), QAbstractSocket::ConnectionRefusedError);
}

void tst_Ports::localServerOutsideCluster()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("plain.sock"));
    LocalServer server;
    QSignalSpy incoming(&server, &QLocalServer::newConnection);
    QVERIFY(server.listen(path));
    QVERIFY(server.isListening());
    QCOMPARE(server.fullServerName(), path);
    QVERIFY(QFileInfo(path).exists());

    QLocalSocket client;
    client.connectToServer(path);
    QVERIFY(incoming.wait(10000));
    std::unique_ptr<QLocalSocket> accepted(server.nextPendingConnection());
    QVERIFY(accepted);
    QVERIFY(!server.nextPendingConnection());
    QVERIFY(exchangeLines(&client, accepted.get()));

    // A second server on that path fails as a second QLocalServer does.
    LocalServer second;
    QVERIFY(!second.listen(path));
    QLocalServer plain;
    QVERIFY(!plain.listen(path));
    QCOMPARE(second.serverError(), plain.serverError());
    QCOMPARE(second.errorString(), plain.errorString());

    // Closing removes the socket file, as QLocalServer does.
    server.close();
    QVERIFY(!server.isListening());
    QVERIFY(!QFileInfo::exists(path));
}

void tst_Ports::udpSocketOutsideCluster()
{
    UdpSocket socket;
    QVERIFY(socket.bind(QHostAddress::LocalHost, 0));
    QCOMPARE(socket.state(), QAbstractSocket::BoundState);
    const quint16 port = socket.localPort();
    QVERIFY(port != 0);

    QUdpSocket peer;
    QVERIFY(peer.bind(QHostAddress::LocalHost, 0));
    QSignalSpy arrived(&socket, &QUdpSocket::readyRead);
    QCOMPARE(peer.writeDatagram("ping", QHostAddress::LocalHost, port), 4);
    QVERIFY(arrived.wait(10000));
    const QNetworkDatagram datagram = socket.receiveDatagram();
    QCOMPARE(datagram.data(), QByteArray("ping"));
    QCOMPARE(datagram.senderPort(), int(peer.localPort()));
    QSignalSpy answered(&peer, &QUdpSocket::readyRead);
    QCOMPARE(socket.writeDatagram(datagram.makeReply("pong")), 4);
    QVERIFY(answered.wait(10000));
    QCOMPARE(peer.receiveDatagram().data(), QByteArray("pong"));

    // A second socket on that port fails as a second QUdpSocket does.
    UdpSocket second;
    QVERIFY(!second.bind(QHostAddress::LocalHost, port));
    QUdpSocket plain;
    QVERIFY(!plain.bind(QHostAddress::LocalHost, port));
    QCOMPARE(second.error(), plain.error());
    QCOMPARE(second.errorString(), plain.errorString());

    socket.close();
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    QUdpSocket again;
    QVERIFY(again.bind(QHostAddress::LocalHost, port));
}

QTEST_MAIN(tst_Ports)
#include "tst_ports.moc"
