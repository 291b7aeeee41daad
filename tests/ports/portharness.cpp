// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The port suites' shared pieces: worker clusters, commands, blocking and event-loop clients.
#include "portharness.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace LibCluster;

namespace PortTest {

Cluster *newCluster(QObject *parent, std::optional<SchedulingPolicy> policy)
{
    auto *cluster = new Cluster(parent);
    Settings settings;
    settings.setExec(QStringLiteral(PORTWORKER_PATH));
    settings.setArgs({});
    if (policy)
        settings.setSchedulingPolicy(*policy);
    cluster->setupPrimary(settings);
    return cluster;
}

bool forkWorkers(Cluster *cluster, int count, QList<Worker *> *workers)
{
    QSignalSpy online(cluster, &Cluster::workerOnline);
    QList<Worker *> forked;
    for (int i = 0; i < count; ++i)
        forked.append(cluster->fork());
    while (online.size() < count) {
        if (!online.wait(10000)) {
            qWarning("only %d of %d workers came online", int(online.size()), count);
            return false;
        }
    }
    if (workers)
        *workers += forked;
    return true;
}

Cluster *startWorkers(QObject *parent, SchedulingPolicy policy, int count, QList<Worker *> *workers)
{
    Cluster *cluster = newCluster(parent, policy);
    return forkWorkers(cluster, count, workers) ? cluster : nullptr;
}

QCborMap call(Worker *worker, QCborMap command, const Handle &handle, int timeout)
{
    static qint64 lastTag = 0;
    const qint64 tag = ++lastTag;
    command.insert(QStringLiteral("tag"), tag);
    // The worker may be gone (and deleted) before it answers: say which one it was.
    const int id = worker->id();
    QSignalSpy messages(worker, &Worker::messageReceived);
    if (!worker->send(command, handle)) {
        qWarning() << "cannot send to worker" << worker->id() << ":" << worker->errorString();
        return QCborMap();
    }
    const QDeadlineTimer deadline(timeout);
    qsizetype seen = 0;
    for (;;) {
        for (; seen < messages.size(); ++seen) {
            const QCborMap reply = messages.at(seen).at(0).value<QCborValue>().toMap();
            if (reply.value(QStringLiteral("tag")).toInteger() == tag)
                return reply;
        }
        if (deadline.hasExpired()
            || !messages.wait(int(qMax<qint64>(1, deadline.remainingTime())))) {
            qWarning() << "no answer from worker" << id << "to" << command;
            return QCborMap();
        }
    }
}

QCborMap listenCommand(
    const QString &kind, const QString &address, quint16 port, const QString &mode)
{
    QCborMap command;
    command.insert(QStringLiteral("do"), QStringLiteral("listen"));
    command.insert(QStringLiteral("kind"), kind);
    command.insert(QStringLiteral("address"), address);
    command.insert(QStringLiteral("port"), port);
    command.insert(QStringLiteral("mode"), mode);
    return command;
}

QCborMap tcpOnLoopback(quint16 port, const QString &mode)
{
    return listenCommand(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), port, mode);
}

QCborMap closeCommand(int server)
{
    QCborMap command;
    command.insert(QStringLiteral("do"), QStringLiteral("close"));
    command.insert(QStringLiteral("server"), server);
    return command;
}

QList<QPair<const char *, SchedulingPolicy>> namedPolicies()
{
    return {
        { "rr", SchedulingPolicy::RoundRobin },
        { "none", SchedulingPolicy::None },
        { "reuseport", SchedulingPolicy::ReusePort },
        { "leastconn", SchedulingPolicy::LeastConnections },
        { "sticky", SchedulingPolicy::Sticky },
    };
}

void addPolicyRows()
{
    QTest::addColumn<SchedulingPolicy>("policy");
    for (const auto &[name, policy] : namedPolicies())
        QTest::newRow(name) << policy;
}

bool listenAll(const QList<Worker *> &workers, const QCborMap &command, quint16 *port,
    QList<QCborMap> *replies)
{
    std::optional<quint16> shared;
    for (Worker *worker : workers) {
        const QCborMap reply = call(worker, command);
        if (replies)
            replies->append(reply);
        if (!reply.value(QStringLiteral("ok")).toBool()) {
            qWarning() << "worker" << worker->id() << "cannot listen:" << reply;
            return false;
        }
        const auto got = quint16(reply.value(QStringLiteral("port")).toInteger());
        if (shared && *shared != got) {
            qWarning() << "worker" << worker->id() << "listens on port" << got << "instead of"
                       << *shared;
            return false;
        }
        shared = got;
    }
    if (port && shared)
        *port = *shared;
    return true;
}

namespace {
// The effective bit of CAP_NET_BIND_SERVICE for this thread: set it to `on`; returns whether it
// was on before (false also when the capabilities cannot be read or changed).
bool setBindCapability(bool on)
{
    __user_cap_header_struct header { _LINUX_CAPABILITY_VERSION_3, 0 };
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] {};
    if (::syscall(SYS_capget, &header, data) != 0)
        return false;
    __u32 &effective = data[CAP_TO_INDEX(CAP_NET_BIND_SERVICE)].effective;
    const __u32 mask = CAP_TO_MASK(CAP_NET_BIND_SERVICE);
    const bool was = effective & mask;
    effective = on ? (effective | mask) : (effective & ~mask);
    return ::syscall(SYS_capset, &header, data) == 0 && was;
}
} // namespace

WithoutBindPrivilege::WithoutBindPrivilege()
    : m_lowered(setBindCapability(false))
{ }

WithoutBindPrivilege::~WithoutBindPrivilege()
{
    if (m_lowered)
        setBindCapability(true);
}

int openDescriptorCount()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    int count = 0;
    while (const dirent *entry = ::readdir(dir))
        if (entry->d_name[0] != '.')
            ++count;
    ::closedir(dir);
    return count - 1;
}

// ClientLoop

namespace {

bool toSockaddr(
    const QHostAddress &host, quint16 port, sockaddr_storage *storage, socklen_t *length)
{
    std::memset(storage, 0, sizeof(*storage));
    if (host.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *in = reinterpret_cast<sockaddr_in *>(storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(host.toIPv4Address());
        *length = sizeof(sockaddr_in);
        return true;
    }
    if (host.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = host.toIPv6Address();
        std::memcpy(&in6->sin6_addr, bytes.c, 16);
        *length = sizeof(sockaddr_in6);
        return true;
    }
    return false;
}

QString systemError(const char *what)
{
    return QStringLiteral("%1: %2").arg(
        QLatin1String(what), QString::fromLocal8Bit(strerror(errno)));
}

// One connection; the worker id it was answered with, or 0 with `failure` set.
int connectOnce(
    const QHostAddress &host, quint16 port, const QHostAddress &source, QString *failure)
{
    sockaddr_storage target;
    socklen_t targetLength = 0;
    if (!toSockaddr(host, port, &target, &targetLength)) {
        *failure = QStringLiteral("bad address");
        return 0;
    }
    const int fd = ::socket(target.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *failure = systemError("socket");
        return 0;
    }
    // A lost connection must show up as a failure, not hang the suite.
    const timeval timeout { 10, 0 };
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    int id = 0;
    sockaddr_storage from;
    socklen_t fromLength = 0;
    if (!source.isNull()
        && (!toSockaddr(source, 0, &from, &fromLength)
            || ::bind(fd, reinterpret_cast<sockaddr *>(&from), fromLength) != 0)) {
        *failure = systemError("bind");
    } else if (::connect(fd, reinterpret_cast<sockaddr *>(&target), targetLength) != 0) {
        *failure = systemError("connect");
    } else {
        QByteArray data;
        char buffer[256];
        for (;;) {
            const ssize_t n = ::read(fd, buffer, sizeof(buffer));
            if (n > 0) {
                data.append(buffer, n);
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                *failure = systemError("read");
            break;
        }
        const qsizetype end = data.indexOf('\n');
        id = end > 0 ? data.left(end).toInt() : 0;
        if (id <= 0 && failure->isEmpty())
            *failure = QStringLiteral("no answer (got \"%1\")").arg(QString::fromLatin1(data));
    }
    ::close(fd);
    return id;
}

} // namespace

ClientLoop::ClientLoop(quint16 port, int count, QObject *parent)
    : QObject(parent)
    , m_port(port)
    , m_count(count)
{ }

ClientLoop::~ClientLoop()
{
    m_stop = true;
    resume();
    if (m_thread.joinable())
        m_thread.join();
}

void ClientLoop::start()
{
    m_answers.clear();
    m_failures.clear();
    m_thread = std::thread([this] { work(); });
}

void ClientLoop::resume()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_resume = true;
    m_resumed.notify_all();
}

bool ClientLoop::run(int timeout)
{
    QSignalSpy done(this, &ClientLoop::finished);
    start();
    return done.wait(timeout);
}

int ClientLoop::failureCount() const
{
    return int(std::count(m_answers.cbegin(), m_answers.cend(), 0));
}

QString ClientLoop::failureSummary() const
{
    return QStringLiteral("%1 of %2 connections failed: %3")
        .arg(failureCount())
        .arg(m_answers.size())
        .arg(m_failures.mid(0, 5).join(QStringLiteral("; ")));
}

void ClientLoop::work()
{
    QList<int> answers;
    QStringList failures;
    for (int i = 0; i < m_count && !m_stop; ++i) {
        if (i == m_pauseBefore) {
            QMetaObject::invokeMethod(this, &ClientLoop::paused, Qt::QueuedConnection);
            std::unique_lock<std::mutex> lock(m_mutex);
            m_resumed.wait(lock, [this] { return m_resume; });
        }
        const QHostAddress source
            = m_sources.isEmpty() ? QHostAddress() : m_sources.at(i % m_sources.size());
        QString failure;
        const int id = connectOnce(m_host, m_port, source, &failure);
        answers.append(id);
        if (id <= 0)
            failures.append(QStringLiteral("#%1 %2").arg(i).arg(failure));
    }
    // Handed over in the primary's thread, where the results are read.
    QMetaObject::invokeMethod(
        this,
        [this, answers, failures] {
            if (m_thread.joinable())
                m_thread.join();
            m_answers = answers;
            m_failures = failures;
            Q_EMIT finished();
        },
        Qt::QueuedConnection);
}

// PacedLoad

PacedLoad::PacedLoad(quint16 port)
    : paced(port, 220)
    , steady(port, 300)
{
    paced.setPauseBefore(20);
}

bool PacedLoad::startAndPause()
{
    QSignalSpy paused(&paced, &ClientLoop::paused);
    paced.start();
    steady.start();
    return paused.wait(10000);
}

bool PacedLoad::finish()
{
    QSignalSpy pacedDone(&paced, &ClientLoop::finished);
    QSignalSpy steadyDone(&steady, &ClientLoop::finished);
    paced.resume();
    // `steady` may be done already: its answers are in by then.
    const auto done = [](const ClientLoop &loop, QSignalSpy &spy) {
        return !spy.isEmpty() || !loop.answers().isEmpty() || spy.wait(30000);
    };
    return done(paced, pacedDone) && done(steady, steadyDone);
}

// Probe

Probe::Probe(QIODevice *device, QObject *parent)
    : QObject(parent)
    , m_device(device)
{
    device->setParent(this);
    connect(device, &QIODevice::readyRead, this, &Probe::readAvailable);
}

Probe *Probe::tcp(quint16 port, QObject *parent, const QHostAddress &host)
{
    auto *socket = new QTcpSocket;
    auto *probe = new Probe(socket, parent);
    connect(socket, &QTcpSocket::disconnected, probe,
        [probe] { probe->ended(QStringLiteral("closed without an answer")); });
    connect(socket, &QTcpSocket::errorOccurred, probe, [probe, socket] {
        if (socket->state() == QAbstractSocket::UnconnectedState)
            probe->ended(socket->errorString());
    });
    socket->connectToHost(host, port);
    return probe;
}

Probe *Probe::local(const QString &path, QObject *parent)
{
    auto *socket = new QLocalSocket;
    auto *probe = new Probe(socket, parent);
    connect(socket, &QLocalSocket::disconnected, probe,
        [probe] { probe->ended(QStringLiteral("closed without an answer")); });
    connect(socket, &QLocalSocket::errorOccurred, probe, [probe, socket] {
        if (socket->state() == QLocalSocket::UnconnectedState)
            probe->ended(socket->errorString());
    });
    socket->connectToServer(path);
    return probe;
}

int Probe::answer() const
{
    const qsizetype end = m_data.indexOf('\n');
    return end > 0 ? m_data.left(end).toInt() : 0;
}

void Probe::close()
{
    if (m_device)
        m_device->close();
}

void Probe::ended(const QString &why)
{
    if (m_disconnected)
        return;
    readAvailable();
    m_disconnected = true;
    Q_EMIT disconnected();
    if (!isAnswered()) {
        m_failure = why;
        Q_EMIT failed();
    }
}

void Probe::readAvailable()
{
    if (!m_device || !m_device->isOpen())
        return;
    const bool before = isAnswered();
    m_data += m_device->readAll();
    if (!before && isAnswered())
        Q_EMIT answered();
}

bool waitAnswered(const QList<Probe *> &probes, Cluster *watch, int timeout)
{
    const auto unanswered = [&probes] {
        return int(std::count_if(
            probes.cbegin(), probes.cend(), [](Probe *p) { return !p->isAnswered(); }));
    };
    if (unanswered() == 0)
        return true;
    QEventLoop loop;
    QString why = QStringLiteral("timed out");
    for (Probe *probe : probes) {
        QObject::connect(probe, &Probe::answered, &loop, [&] {
            if (unanswered() == 0)
                loop.quit();
        });
        QObject::connect(probe, &Probe::failed, &loop, [&, probe] {
            why = probe->failure();
            loop.quit();
        });
    }
    if (watch) {
        QObject::connect(
            watch, &Cluster::workerExited, &loop, [&](Worker *worker, int code, int signal) {
                why = QStringLiteral("worker %1 exited (code %2, signal %3)")
                          .arg(worker->id())
                          .arg(code)
                          .arg(signal);
                loop.quit();
            });
    }
    QTimer::singleShot(timeout, &loop, &QEventLoop::quit);
    loop.exec();
    if (unanswered() == 0)
        return true;
    qWarning("%d of %d connections got no answer: %s", unanswered(), int(probes.size()),
        qPrintable(why));
    return false;
}

} // namespace PortTest
