// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker program the tests fork: does what the primary's messages tell it to, so a test can
// drive a real worker process through every situation it needs.
//
// Start-up arguments (before the application exists):
//   --exit-before-online CODE   exit at once, before the runtime comes up
//   --crash-before-online       abort() at once
//   --ignore-sigterm            SIGTERM is ignored (for kill tests)
//   --catch-sigterm             SIGTERM is caught by a handler that leaves the rest to the
//                               event loop (as a graceful shutdown does)
//   --print-stdout TEXT / --print-stderr TEXT   print at start-up (for silent tests)
//   --report-disconnect-start   on Worker::disconnectStarted(), sends
//                               {event: "disconnectStarted", connected: isConnected()}
//
// With the application:
//   --serve-tcp                 a TcpServer on 127.0.0.1, port 0 (the cluster's shared port):
//                               every connection gets "hello\n" and is closed
//   --flood-output              writes a 4 KiB line to stdout every 10 ms
//   --exit-on-disconnect CODE   calls QCoreApplication::exit(CODE) from a disconnected() slot
//   --listen-on-sigusr1         on each SIGUSR1, a TcpServer listens on 127.0.0.1, port 0, and
//                               the worker prints "listen ok=0|1 ms=<how long listen() took>
//                               error=<errorString()>" on stdout: a test reaches it that way
//                               when its primary cannot pass on messages (stopped)
//   --block-before-exec MS      blocks MS milliseconds before it enters its event loop, then,
//                               from the loop's first pass, sends {event: "exec", monotonic:
//                               CLOCK_MONOTONIC in ns when the block ended}
//
// Messages that are a map with a "do" key are commands; anything else is echoed back.
//   {do: "info"}                   -> {id, pid, uid, gid, cwd, args, env: {...}, isWorker}
//   {do: "exit", code: N}          -> exit(N) at once
//   {do: "quit", code: N}          -> QCoreApplication::exit(N)
//   {do: "crash"}                  -> abort()
//   {do: "burst", count: N, size: B, disconnect: bool, exit: bool}
//                                  -> N messages {seq: i, data: B bytes}, then optionally
//                                     disconnectFromCluster() or exit(0)
//   {do: "disconnect"}             -> Cluster::worker()->disconnectFromCluster()
//   {do: "kill"}                   -> Cluster::worker()->kill()
//   {do: "garbage"}                -> writes bytes that are not a frame to the channel
//   {do: "oversized"}              -> writes a frame header announcing 4 GiB
//   {do: "print", stdout: T, stderr: T}
//   {do: "write", stdout: B, stderr: B}
//                                  -> writes the byte strings as they are, each flushed at once
//                                     (e.g. half of a UTF-8 character)
//   {do: "block", ms: N}           -> blocks its event loop for N ms
//   {do: "handle"}                 -> replies {handle: true/false, text: what the descriptor holds}
//   {do: "sendpipe", text: T}      -> replies {pipe: true} with the read end of a pipe holding T
//   {do: "count", names: N, prefix: P}
//                                  -> addToCounter(P + i) for i < N; replies {accepted: how many
//                                     were, errors: errorOccurred() so far, error: errorString()}
//   {do: "countmany", name: S, total: N, perPass: K}
//                                  -> addToCounter(S) N times, K calls per event-loop pass (so
//                                     that the additions span many passes); replies
//                                     {done: true, passes} after the last one
//   {do: "rawcounters", names: N, prefix: P}
//                                  -> writes a batch of N counter names to the channel itself,
//                                     as a worker with other limits would
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include "channel/frame.h"
#include "runtime/runtimeprotocol.h"

#include <QCborArray>
#include <QCborMap>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace LibCluster;

// The channel is the only Unix socket a fresh worker has open.
static int findChannelDescriptor()
{
    DIR *dir = ::opendir("/proc/self/fd");
    int found = -1;
    while (dirent *entry = ::readdir(dir)) {
        const int fd = std::atoi(entry->d_name);
        struct stat info;
        if (fd > 2 && fd != ::dirfd(dir) && ::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode)) {
            found = fd;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

static void onSigterm(int)
{
    // A graceful shutdown would start here, through the event loop.
}

static int g_sigusr1Pipe[2] = { -1, -1 };

static void onSigusr1(int)
{
    const int saved = errno;
    (void)!::write(g_sigusr1Pipe[1], "u", 1);
    errno = saved;
}

// Each SIGUSR1: a listen, timed, and its outcome on stdout.
static void listenOnSigusr1(QCoreApplication *app)
{
    if (::pipe2(g_sigusr1Pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return;
    std::signal(SIGUSR1, onSigusr1);
    auto *notifier = new QSocketNotifier(g_sigusr1Pipe[0], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, [app] {
        char byte;
        while (::read(g_sigusr1Pipe[0], &byte, 1) == 1) {
            auto *server = new TcpServer(app);
            QElapsedTimer clock;
            clock.start();
            const bool ok = server->listen(QHostAddress::LocalHost, 0);
            std::printf("listen ok=%d ms=%lld error=%s\n", ok ? 1 : 0, qint64(clock.elapsed()),
                qPrintable(server->errorString()));
            std::fflush(stdout);
        }
    });
}

static void writeRaw(const QByteArray &bytes)
{
    const int fd = findChannelDescriptor();
    for (qsizetype written = 0; fd >= 0 && written < bytes.size();) {
        const ssize_t n
            = ::send(fd, bytes.constData() + written, size_t(bytes.size() - written), MSG_NOSIGNAL);
        if (n > 0) {
            written += n;
        } else if (errno == EAGAIN || errno == EINTR) {
            pollfd out { fd, POLLOUT, 0 };
            ::poll(&out, 1, 1000);
        } else {
            break;
        }
    }
}

int main(int argc, char **argv)
{
    bool reportDisconnectStart = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--report-disconnect-start"))
            reportDisconnectStart = true;
        if (!std::strcmp(argv[i], "--exit-before-online") && i + 1 < argc)
            ::_exit(std::atoi(argv[i + 1]));
        if (!std::strcmp(argv[i], "--crash-before-online"))
            std::abort();
        if (!std::strcmp(argv[i], "--ignore-sigterm"))
            std::signal(SIGTERM, SIG_IGN);
        if (!std::strcmp(argv[i], "--catch-sigterm"))
            std::signal(SIGTERM, onSigterm);
        if (!std::strcmp(argv[i], "--print-stdout") && i + 1 < argc)
            std::printf("%s\n", argv[i + 1]), std::fflush(stdout);
        if (!std::strcmp(argv[i], "--print-stderr") && i + 1 < argc)
            std::fprintf(stderr, "%s\n", argv[i + 1]);
    }

    QCoreApplication app(argc, argv);
    Worker *self = Cluster::worker();
    if (!self) {
        std::fprintf(stderr, "testworker: not started by a primary\n");
        return 3;
    }
    static int errors = 0;
    QObject::connect(self, &Worker::errorOccurred, self, [] { ++errors; });
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.contains(QLatin1String("--serve-tcp"))) {
        auto *server = new TcpServer(&app);
        if (!server->listen(QHostAddress::LocalHost, 0)) {
            std::fprintf(
                stderr, "testworker: cannot listen: %s\n", qPrintable(server->errorString()));
            return 4;
        }
        QObject::connect(server, &QTcpServer::newConnection, server, [server] {
            while (QTcpSocket *socket = server->nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
                socket->write("hello\n");
                socket->disconnectFromHost();
            }
        });
    }
    if (const qsizetype at = arguments.indexOf(QLatin1String("--exit-on-disconnect"));
        at > 0 && at + 1 < arguments.size()) {
        const int code = arguments.at(at + 1).toInt();
        QObject::connect(
            self, &Worker::disconnected, self, [code] { QCoreApplication::exit(code); });
    }
    if (arguments.contains(QLatin1String("--listen-on-sigusr1")))
        listenOnSigusr1(&app);
    if (arguments.contains(QLatin1String("--flood-output"))) {
        auto *flood = new QTimer(&app);
        QObject::connect(flood, &QTimer::timeout, flood, [] {
            static const QByteArray line = QByteArray(4095, 'f') + '\n';
            std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
            std::fflush(stdout);
        });
        flood->start(10);
    }
    if (reportDisconnectStart) {
        QObject::connect(self, &Worker::disconnectStarted, self, [self] {
            QCborMap event;
            event.insert(QStringLiteral("event"), QStringLiteral("disconnectStarted"));
            event.insert(QStringLiteral("connected"), self->isConnected());
            self->send(event);
        });
    }

    QObject::connect(self, &Worker::messageReceived, self,
        [self](const QCborValue &message, const Handle &handle) {
            const QCborMap map = message.toMap();
            const QString command
                = message.isMap() ? map.value(QStringLiteral("do")).toString() : QString();
            if (command.isEmpty()) {
                self->send(message);
            } else if (command == QLatin1String("info")) {
                QCborMap info;
                info.insert(QStringLiteral("id"), self->id());
                info.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
                info.insert(QStringLiteral("uid"), qint64(::getuid()));
                info.insert(QStringLiteral("gid"), qint64(::getgid()));
                info.insert(QStringLiteral("cwd"), QDir::currentPath());
                info.insert(QStringLiteral("args"),
                    QCborArray::fromStringList(QCoreApplication::arguments().mid(1)));
                QCborMap env;
                const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
                for (const QString &key : system.keys())
                    env.insert(key, system.value(key));
                info.insert(QStringLiteral("env"), env);
                info.insert(QStringLiteral("isWorker"), Cluster::isWorker());
                self->send(info);
            } else if (command == QLatin1String("count")) {
                const QString prefix = map.value(QStringLiteral("prefix")).toString();
                qint64 accepted = 0;
                for (qint64 i = 0; i < map.value(QStringLiteral("names")).toInteger(); ++i)
                    accepted += self->addToCounter(prefix + QString::number(i)) ? 1 : 0;
                QCborMap reply;
                reply.insert(QStringLiteral("accepted"), accepted);
                reply.insert(QStringLiteral("errors"), errors);
                reply.insert(QStringLiteral("error"), self->errorString());
                self->send(reply);
            } else if (command == QLatin1String("countmany")) {
                const QString name = map.value(QStringLiteral("name")).toString();
                const qint64 total = map.value(QStringLiteral("total")).toInteger();
                const qint64 perPass
                    = qMax<qint64>(1, map.value(QStringLiteral("perPass")).toInteger());
                auto *pass = new QTimer(self);
                auto added = std::make_shared<qint64>(0);
                auto passes = std::make_shared<qint64>(0);
                QObject::connect(pass, &QTimer::timeout, pass,
                    [self, pass, name, total, perPass, added, passes] {
                        ++*passes;
                        for (qint64 i = 0; i < perPass && *added < total; ++i, ++*added)
                            self->addToCounter(name);
                        if (*added < total)
                            return;
                        pass->stop();
                        pass->deleteLater();
                        QCborMap reply;
                        reply.insert(QStringLiteral("done"), true);
                        reply.insert(QStringLiteral("passes"), *passes);
                        self->send(reply);
                    });
                pass->start(0);
            } else if (command == QLatin1String("rawcounters")) {
                const QString prefix = map.value(QStringLiteral("prefix")).toString();
                QHash<QString, qint64> added;
                for (qint64 i = 0; i < map.value(QStringLiteral("names")).toInteger(); ++i)
                    added.insert(prefix + QString::number(i), 1);
                const QByteArray payload = Internal::RuntimeProtocol::encodeCounters(added);
                QByteArray frame;
                Internal::appendFrameHeader(
                    frame, Internal::FrameKind::Runtime, quint32(payload.size()), 0);
                writeRaw(frame + payload);
            } else if (command == QLatin1String("exit")) {
                std::exit(int(map.value(QStringLiteral("code")).toInteger()));
            } else if (command == QLatin1String("quit")) {
                QCoreApplication::exit(int(map.value(QStringLiteral("code")).toInteger()));
            } else if (command == QLatin1String("crash")) {
                std::abort();
            } else if (command == QLatin1String("burst")) {
                const qint64 count = map.value(QStringLiteral("count")).toInteger();
                const QByteArray data(
                    qsizetype(map.value(QStringLiteral("size")).toInteger()), 'w');
                for (qint64 i = 0; i < count; ++i) {
                    QCborMap m;
                    m.insert(QStringLiteral("seq"), i);
                    m.insert(QStringLiteral("data"), data);
                    self->send(m);
                }
                if (map.value(QStringLiteral("disconnect")).toBool())
                    self->disconnectFromCluster();
                if (map.value(QStringLiteral("exit")).toBool())
                    QCoreApplication::exit(0);
            } else if (command == QLatin1String("disconnect")) {
                self->disconnectFromCluster();
            } else if (command == QLatin1String("kill")) {
                self->kill();
            } else if (command == QLatin1String("garbage")) {
                writeRaw(QByteArray("\x00\x00\x00\x03\x7fzzz this is not a frame", 29));
            } else if (command == QLatin1String("oversized")) {
                writeRaw(QByteArray("\xff\xff\xff\xff\x01\x00", 6));
            } else if (command == QLatin1String("print")) {
                std::printf("%s", qPrintable(map.value(QStringLiteral("stdout")).toString()));
                std::fflush(stdout);
                std::fprintf(
                    stderr, "%s", qPrintable(map.value(QStringLiteral("stderr")).toString()));
            } else if (command == QLatin1String("write")) {
                const QByteArray out = map.value(QStringLiteral("stdout")).toByteArray();
                const QByteArray err = map.value(QStringLiteral("stderr")).toByteArray();
                std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
                std::fflush(stdout);
                std::fwrite(err.constData(), 1, size_t(err.size()), stderr);
                std::fflush(stderr);
            } else if (command == QLatin1String("block")) {
                QThread::msleep(quint64(map.value(QStringLiteral("ms")).toInteger()));
            } else if (command == QLatin1String("sendpipe")) {
                int fds[2];
                QCborMap reply;
                reply.insert(QStringLiteral("pipe"), ::pipe2(fds, O_CLOEXEC) == 0);
                if (reply.value(QStringLiteral("pipe")).toBool()) {
                    const QByteArray text = map.value(QStringLiteral("text")).toString().toUtf8();
                    (void)!::write(fds[1], text.constData(), size_t(text.size()));
                    ::close(fds[1]);
                    self->send(reply, Handle::adopt(fds[0]));
                } else {
                    self->send(reply);
                }
            } else if (command == QLatin1String("handle")) {
                QCborMap reply;
                reply.insert(QStringLiteral("handle"), handle.isValid());
                if (handle.isValid()) {
                    char buffer[256];
                    const ssize_t n = ::read(int(handle.descriptor()), buffer, sizeof(buffer));
                    reply.insert(
                        QStringLiteral("text"), QString::fromUtf8(buffer, n > 0 ? int(n) : 0));
                }
                self->send(reply);
            }
        });
    if (const qsizetype at = arguments.indexOf(QLatin1String("--block-before-exec"));
        at > 0 && at + 1 < arguments.size()) {
        QThread::msleep(arguments.at(at + 1).toULong());
        timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        const qint64 blockEnded = qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
        // Sent from the loop, not from here: a send must not flush the channel before exec().
        QTimer::singleShot(0, self, [self, blockEnded] {
            QCborMap event;
            event.insert(QStringLiteral("event"), QStringLiteral("exec"));
            event.insert(QStringLiteral("monotonic"), blockEnded);
            self->send(event);
        });
    }
    return app.exec();
}
