// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker program the port suites fork: opens shared servers when the primary says so and
// answers every connection with its worker id, so a test can see which worker served what.
//
// Every command is a map {do, tag, ...}; the answer is {re: do, tag, id, ...}.
//   {do: "listen", kind, address, port, name, mode, max, drop}
//       kind "tcp" (TcpServer), "local" (LocalServer on the path `name`, with the
//       QLocalServer::SocketOptions `options`), "udp" (UdpSocket) or
//       "http" (a QHttpServer bound to a TcpServer; GET / answers "hello", with
//       `Connection: close` once the worker disconnects); address "" is Any.
//       max: the TcpServer's or LocalServer's maxConnections (none if absent); drop: its
//       dropMaxConnection.
//       kind "plain": a QTcpServer (not a TcpServer) put into the cluster by LibCluster::listen().
//       mode "answer": write "<id>\n" and close; "flush": the same, flushing the answer before
//       the handler returns; "keep": write "<id>\n" and keep it open; "slowkeep": the same after
//       spending 2 ms on each new connection (a worker slower to take connections than others).
//       "http" answers carry the worker's id in an X-Worker-Id header.
//       -> {ok, server (index for "close"), listening, address, port, error, errorString,
//           reusePort (SO_REUSEPORT on the socket the worker got), inode (of that socket, as
//           /proc/PID/fd shows it: one socket shared by two workers has one inode)}
//   {do: "close", server}      -> closes that server: {listening}
//   {do: "block"} + a socket   -> writes one byte on the socket, then blocks the event loop until
//                                 the socket is readable or closed (at most 30 s); answered after
//   {do: "answer"} + a socket  -> writes "<id>\n" on the connected socket, closes its copy
//   {do: "serve"} + a listening socket
//                              -> a QTcpServer on that socket, answering "<id>\n" and closing:
//                                 {ok, port}
//   {do: "makelistening"}      -> a TCP socket listening on 127.0.0.1 (a port of its own), sent
//                                 with the answer {ok, port}; the worker keeps no copy
//   {do: "info"}               -> {pid, nofileSoft, nofileHard}: RLIMIT_NOFILE
//   {do: "limitfiles", spare}  -> lowers RLIMIT_NOFILE (soft and hard) so that only `spare` more
//                                 descriptors can be opened (or received): {free}
// Each datagram a UdpSocket reads is reported as {re: "datagram", id, server, data}.
#include <libcluster/cluster.h>
#include <libcluster/localserver.h>
#include <libcluster/sharedlisten.h>
#include <libcluster/tcpserver.h>
#include <libcluster/udpsocket.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QHttpServer>
#include <QLocalSocket>
#include <QNetworkDatagram>
#include <QTcpSocket>
#include <QThread>

#include <arpa/inet.h>
#include <cstdio>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

using namespace LibCluster;

namespace {

Worker *self()
{
    return Cluster::worker();
}

QByteArray idLine()
{
    return QByteArray::number(self()->id()) + '\n';
}

enum class Reply {
    Close, // write, then close: Qt sends both from the event loop
    FlushClose, // write and flush at once (the answer is out before the handler returns), close
    Keep, // write, keep the connection open
    SlowKeep, // take 2 ms (a session to set up, a slow machine), then as Keep
};

Reply replyFromName(const QString &mode)
{
    if (mode == QLatin1String("keep"))
        return Reply::Keep;
    if (mode == QLatin1String("slowkeep"))
        return Reply::SlowKeep;
    if (mode == QLatin1String("flush"))
        return Reply::FlushClose;
    return Reply::Close;
}

template <typename Socket> void answer(Socket *socket, Reply reply)
{
    QObject::connect(socket, &Socket::disconnected, socket, &QObject::deleteLater);
    if (reply == Reply::SlowKeep)
        QThread::msleep(2);
    socket->write(idLine());
    if (reply == Reply::FlushClose)
        socket->flush();
    if (reply == Reply::Keep || reply == Reply::SlowKeep)
        return;
    if constexpr (std::is_same_v<Socket, QLocalSocket>)
        socket->disconnectFromServer();
    else
        socket->disconnectFromHost();
}

qint64 socketInode(qintptr descriptor)
{
    struct stat info
    {
    };
    return descriptor >= 0 && ::fstat(int(descriptor), &info) == 0 ? qint64(info.st_ino) : 0;
}

bool hasReusePort(qintptr descriptor)
{
    int on = 0;
    socklen_t length = sizeof(on);
    return descriptor >= 0
        && ::getsockopt(int(descriptor), SOL_SOCKET, SO_REUSEPORT, &on, &length) == 0 && on;
}

class PortWorker
{
public:
    void handle(const QCborMap &command, const Handle &handle);

private:
    QCborMap listen(const QCborMap &command);
    QCborMap close(int index);
    QCborMap block(Handle handle);
    QCborMap answerOn(Handle handle);
    QCborMap serve(Handle handle);
    QCborMap makeListening(Handle *out);
    QCborMap info();
    QCborMap limitFiles(int spare);
    void reportDatagrams(UdpSocket *socket, int index);

    QList<QObject *> m_servers;
};

void PortWorker::handle(const QCborMap &command, const Handle &handle)
{
    const QString what = command.value(QStringLiteral("do")).toString();
    QCborMap reply;
    Handle replyHandle;
    if (what == QLatin1String("listen"))
        reply = listen(command);
    else if (what == QLatin1String("close"))
        reply = close(int(command.value(QStringLiteral("server")).toInteger()));
    else if (what == QLatin1String("block"))
        reply = block(handle);
    else if (what == QLatin1String("answer"))
        reply = answerOn(handle);
    else if (what == QLatin1String("serve"))
        reply = serve(handle);
    else if (what == QLatin1String("makelistening"))
        reply = makeListening(&replyHandle);
    else if (what == QLatin1String("info"))
        reply = info();
    else if (what == QLatin1String("limitfiles"))
        reply = limitFiles(int(command.value(QStringLiteral("spare")).toInteger()));
    else
        reply.insert(QStringLiteral("unknown"), true);
    reply.insert(QStringLiteral("re"), what);
    if (command.contains(QStringLiteral("tag")))
        reply.insert(QStringLiteral("tag"), command.value(QStringLiteral("tag")));
    reply.insert(QStringLiteral("id"), self()->id());
    self()->send(reply, replyHandle);
}

QCborMap PortWorker::listen(const QCborMap &command)
{
    const QString kind = command.value(QStringLiteral("kind")).toString();
    const QString addressText = command.value(QStringLiteral("address")).toString();
    const QHostAddress address
        = addressText.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(addressText);
    const auto port = quint16(command.value(QStringLiteral("port")).toInteger());
    const Reply reply = replyFromName(command.value(QStringLiteral("mode")).toString());
    const int index = int(m_servers.size());
    QCborMap result;
    result.insert(QStringLiteral("server"), index);

    // The limit, for the kinds that have one.
    const auto limit = [&command](auto *server) {
        if (command.contains(QStringLiteral("max")))
            server->setMaxConnections(int(command.value(QStringLiteral("max")).toInteger()));
        server->setDropMaxConnection(command.value(QStringLiteral("drop")).toBool());
    };
    if (kind == QLatin1String("tcp") || kind == QLatin1String("http")) {
        auto *server = new TcpServer(qApp);
        limit(server);
        const bool ok = server->listen(address, port);
        result.insert(QStringLiteral("ok"), ok);
        result.insert(QStringLiteral("listening"), server->isListening());
        result.insert(QStringLiteral("address"), server->serverAddress().toString());
        result.insert(QStringLiteral("port"), server->serverPort());
        result.insert(QStringLiteral("error"), int(server->serverError()));
        result.insert(QStringLiteral("errorString"), server->errorString());
        result.insert(QStringLiteral("reusePort"), hasReusePort(server->socketDescriptor()));
        result.insert(QStringLiteral("inode"), socketInode(server->socketDescriptor()));
        if (kind == QLatin1String("http")) {
            // Not a child of the server: bind() makes the server a child of the QHttpServer.
            auto *http = new QHttpServer(qApp);
            http->route(QStringLiteral("/"), [] { return QStringLiteral("hello"); });
            // As TcpServer's documentation says: while the worker disconnects, every answer is
            // the connection's last. So is the answer to a request that asks for it (QHttpServer
            // 6.4 ignores the request's `Connection: close`; the client then closes).
            http->afterRequest(
                [server](QHttpServerResponse &&response, const QHttpServerRequest &request) {
                    response.addHeader("X-Worker-Id", QByteArray::number(self()->id()));
                    if (server->isClosing()
                        || request.value("Connection").compare("close", Qt::CaseInsensitive) == 0)
                        response.addHeader("Connection", "close");
                    return std::move(response);
                });
            if (ok)
                http->bind(server);
        } else {
            QObject::connect(server, &QTcpServer::newConnection, server, [server, reply] {
                while (QTcpSocket *socket = server->nextPendingConnection())
                    answer(socket, reply);
            });
        }
        m_servers.append(server);
    } else if (kind == QLatin1String("plain")) {
        auto *server = new QTcpServer(qApp);
        QString why;
        const bool ok = LibCluster::listen(server, address, port, &why);
        result.insert(QStringLiteral("ok"), ok);
        result.insert(QStringLiteral("listening"), server->isListening());
        result.insert(QStringLiteral("address"), server->serverAddress().toString());
        result.insert(QStringLiteral("port"), server->serverPort());
        result.insert(QStringLiteral("errorString"), why);
        QObject::connect(server, &QTcpServer::newConnection, server, [server, reply] {
            while (QTcpSocket *socket = server->nextPendingConnection())
                answer(socket, reply);
        });
        m_servers.append(server);
    } else if (kind == QLatin1String("local")) {
        auto *server = new LocalServer(qApp);
        limit(server);
        server->setSocketOptions(QLocalServer::SocketOptions::fromInt(
            int(command.value(QStringLiteral("options")).toInteger())));
        const bool ok = server->listen(command.value(QStringLiteral("name")).toString());
        result.insert(QStringLiteral("ok"), ok);
        result.insert(QStringLiteral("listening"), server->isListening());
        result.insert(QStringLiteral("address"), server->fullServerName());
        result.insert(QStringLiteral("error"), int(server->serverError()));
        result.insert(QStringLiteral("errorString"), server->errorString());
        QObject::connect(server, &QLocalServer::newConnection, server, [server, reply] {
            while (QLocalSocket *socket = server->nextPendingConnection())
                answer(socket, reply);
        });
        m_servers.append(server);
    } else if (kind == QLatin1String("udp")) {
        auto *socket = new UdpSocket(qApp);
        const bool ok = socket->bind(address, port);
        result.insert(QStringLiteral("ok"), ok);
        result.insert(QStringLiteral("listening"), socket->state() == QAbstractSocket::BoundState);
        result.insert(QStringLiteral("address"), socket->localAddress().toString());
        result.insert(QStringLiteral("port"), socket->localPort());
        result.insert(QStringLiteral("error"), int(socket->error()));
        result.insert(QStringLiteral("errorString"), socket->errorString());
        result.insert(QStringLiteral("reusePort"), hasReusePort(socket->socketDescriptor()));
        result.insert(QStringLiteral("inode"), socketInode(socket->socketDescriptor()));
        QObject::connect(socket, &QUdpSocket::readyRead, socket,
            [this, socket, index] { reportDatagrams(socket, index); });
        m_servers.append(socket);
    } else {
        result.insert(QStringLiteral("ok"), false);
        result.insert(QStringLiteral("errorString"), QStringLiteral("unknown kind %1").arg(kind));
    }
    return result;
}

QCborMap PortWorker::close(int index)
{
    QCborMap reply;
    QObject *server = m_servers.value(index);
    if (auto *tcp = qobject_cast<TcpServer *>(server)) {
        tcp->close();
        reply.insert(QStringLiteral("listening"), tcp->isListening());
    } else if (auto *plain = qobject_cast<QTcpServer *>(server)) {
        plain->close();
        reply.insert(QStringLiteral("listening"), plain->isListening());
    } else if (auto *local = qobject_cast<LocalServer *>(server)) {
        local->close();
        reply.insert(QStringLiteral("listening"), local->isListening());
    } else if (auto *udp = qobject_cast<UdpSocket *>(server)) {
        udp->close();
        reply.insert(QStringLiteral("listening"), udp->state() == QAbstractSocket::BoundState);
    } else {
        reply.insert(QStringLiteral("unknown"), true);
    }
    return reply;
}

QCborMap PortWorker::block(Handle handle)
{
    QCborMap reply;
    const int fd = int(handle.descriptor());
    reply.insert(QStringLiteral("ok"), fd >= 0);
    if (fd < 0)
        return reply;
    // The test waits for this byte: from here on the event loop is stuck until it answers.
    (void)!::write(fd, "B", 1);
    pollfd waitFor { fd, POLLIN, 0 };
    ::poll(&waitFor, 1, 30000);
    return reply;
}

QCborMap PortWorker::answerOn(Handle handle)
{
    QCborMap reply;
    auto *socket = new QTcpSocket(qApp);
    const bool ok = handle.isValid() && socket->setSocketDescriptor(handle.takeDescriptor());
    reply.insert(QStringLiteral("ok"), ok);
    if (ok)
        answer(socket, Reply::Close);
    else
        socket->deleteLater();
    return reply;
}

QCborMap PortWorker::serve(Handle handle)
{
    QCborMap reply;
    auto *server = new QTcpServer(qApp);
    const bool ok = handle.isValid() && server->setSocketDescriptor(handle.takeDescriptor());
    reply.insert(QStringLiteral("ok"), ok && server->isListening());
    reply.insert(QStringLiteral("port"), server->serverPort());
    QObject::connect(server, &QTcpServer::newConnection, server, [server] {
        while (QTcpSocket *socket = server->nextPendingConnection())
            answer(socket, Reply::Close);
    });
    m_servers.append(server);
    return reply;
}

QCborMap PortWorker::makeListening(Handle *out)
{
    QCborMap reply;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0
        && ::listen(fd, 16) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    reply.insert(QStringLiteral("ok"), ok);
    reply.insert(QStringLiteral("port"), ok ? int(ntohs(address.sin_port)) : 0);
    if (ok)
        *out = Handle::adopt(fd); // closed here once it is sent
    else if (fd >= 0)
        ::close(fd);
    return reply;
}

QCborMap PortWorker::info()
{
    QCborMap reply;
    reply.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    rlimit limit {};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    reply.insert(QStringLiteral("nofileSoft"), qint64(limit.rlim_cur));
    reply.insert(QStringLiteral("nofileHard"), qint64(limit.rlim_max));
    return reply;
}

QCborMap PortWorker::limitFiles(int spare)
{
    // Descriptors are numbered from the lowest free one: the free numbers below the highest one
    // in use are taken (a worker with many files open), and the limit goes `spare` above it.
    int highest = 0;
    for (int fd = 0; fd < 65536; ++fd)
        if (::fcntl(fd, F_GETFD) != -1)
            highest = fd;
    for (int fd = 0; fd < highest; ++fd)
        if (::fcntl(fd, F_GETFD) == -1)
            (void)::open("/dev/null", O_RDONLY | O_CLOEXEC);
    rlimit limit {};
    limit.rlim_cur = limit.rlim_max = rlim_t(highest + 1 + spare);
    QCborMap reply;
    reply.insert(QStringLiteral("ok"), ::setrlimit(RLIMIT_NOFILE, &limit) == 0);
    int free = 0;
    for (int fd = 0; fd < int(limit.rlim_cur); ++fd)
        if (::fcntl(fd, F_GETFD) == -1)
            ++free;
    reply.insert(QStringLiteral("free"), free);
    return reply;
}

void PortWorker::reportDatagrams(UdpSocket *socket, int index)
{
    while (socket->hasPendingDatagrams()) {
        const QNetworkDatagram datagram = socket->receiveDatagram();
        // Another worker may have read it between the two calls (one socket, many readers).
        if (!datagram.isValid())
            continue;
        QCborMap report;
        report.insert(QStringLiteral("re"), QStringLiteral("datagram"));
        report.insert(QStringLiteral("id"), self()->id());
        report.insert(QStringLiteral("server"), index);
        report.insert(QStringLiteral("data"), datagram.data());
        self()->send(report);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!self()) {
        std::fprintf(stderr, "portworker: not started by a primary\n");
        return 3;
    }
    PortWorker worker;
    QObject::connect(self(), &Worker::messageReceived, &app,
        [&worker](const QCborValue &message, const Handle &handle) {
            worker.handle(message.toMap(), handle);
        });
    return app.exec();
}
