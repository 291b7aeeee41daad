// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The supervisor suites' shared pieces: clusters, exit log, HTTP load.
#include "supervisorharness.h"

#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace LibCluster;

namespace SupervisorTest {

Cluster *newCluster(QObject *parent, const QString &exec, const QStringList &args)
{
    auto *cluster = new Cluster(parent);
    Settings settings;
    settings.setExec(exec);
    settings.setArgs(args);
    cluster->setupPrimary(settings);
    return cluster;
}

Cluster *newHttpCluster(QObject *parent, quint16 port)
{
#ifdef HELLO_HTTP_PATH
    Cluster *cluster = newCluster(parent, QStringLiteral(HELLO_HTTP_PATH),
        { QStringLiteral("--port"), QString::number(port) });
    Settings settings;
    settings.setSchedulingPolicy(SchedulingPolicy::RoundRobin);
    // hello-http prints a line per worker; keep the test's output readable.
    settings.setSilent(true);
    cluster->setupPrimary(settings);
    return cluster;
#else
    Q_UNUSED(parent)
    Q_UNUSED(port)
    return nullptr;
#endif
}

QList<Worker *> runningWorkers(Cluster *cluster)
{
    QList<Worker *> running;
    const auto all = cluster->workers();
    for (Worker *worker : all)
        if (!worker->isDead()
            && (worker->state() == Worker::Online || worker->state() == Worker::Listening))
            running.append(worker);
    return running;
}

QSet<int> ids(const QList<Worker *> &workers)
{
    QSet<int> set;
    for (Worker *worker : workers)
        set.insert(worker->id());
    return set;
}

bool waitForRunning(Cluster *cluster, int count, Worker::State state, int timeout)
{
    return QTest::qWaitFor(
        [cluster, count, state] {
            const auto running = runningWorkers(cluster);
            if (running.size() != count)
                return false;
            // Only workers that are on their way out are not counted by runningWorkers().
            int alive = 0;
            for (Worker *worker : cluster->workers())
                alive += worker->isDead() ? 0 : 1;
            if (alive != count)
                return false;
            for (Worker *worker : running)
                if (worker->state() < state)
                    return false;
            return true;
        },
        timeout);
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::Any, 0))
        return 0;
    return probe.serverPort();
}

bool processRuns(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && line.size() > close + 2 && line.at(close + 2) != 'Z'
        && line.at(close + 2) != 'X';
}

ExitLog::ExitLog(Cluster *cluster)
    : QObject(cluster)
{
    m_clock.start();
    connect(cluster, &Cluster::workerExited, this, [this](Worker *worker, int code, int signal) {
        Exit exit;
        exit.id = worker->id();
        exit.code = code;
        exit.signal = signal;
        exit.exitedAfterDisconnect = worker->exitedAfterDisconnect();
        exit.at = m_clock.elapsed();
        m_byId.insert(exit.id, m_exits.size());
        m_exits.append(exit);
        Q_EMIT exited(exit.id);
    });
}

bool ExitLog::waitFor(int id, int timeout)
{
    return QTest::qWaitFor([this, id] { return contains(id); }, timeout);
}

HttpLoad::HttpLoad(quint16 port, int concurrency, QObject *parent)
    : Load(parent)
    , m_port(port)
    , m_concurrency(concurrency)
{ }

HttpLoad::~HttpLoad()
{
    const auto sockets = m_inFlight.keys();
    for (QTcpSocket *socket : sockets) {
        socket->disconnect(this);
        socket->abort();
    }
}

void HttpLoad::start()
{
    m_running = true;
    m_finished = false;
    while (m_inFlight.size() < m_concurrency && m_running)
        launch();
}

void HttpLoad::stop()
{
    m_running = false;
    checkFinished();
}

QString Load::failureSummary() const
{
    return QStringLiteral("%1 of %2 requests failed; first: %3")
        .arg(m_failures.size())
        .arg(m_started)
        .arg(m_failures.mid(0, 5).join(QStringLiteral(" | ")));
}

void HttpLoad::launch()
{
    if (m_total > 0 && m_started >= m_total) {
        m_running = false;
        return;
    }
    ++m_started;
    auto *socket = new QTcpSocket(this);
    Request &request = m_inFlight[socket];
    request.timeout = new QTimer(socket);
    request.timeout->setSingleShot(true);
    connect(request.timeout, &QTimer::timeout, this, [this, socket] {
        complete(socket,
            QStringLiteral("no complete answer within 10 s (got \"%1\")")
                .arg(QString::fromLatin1(m_inFlight.value(socket).data)));
    });
    request.timeout->start(10000);
    connect(socket, &QTcpSocket::connected, this, [socket] {
        socket->write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    });
    connect(socket, &QTcpSocket::readyRead, this,
        [this, socket] { m_inFlight[socket].data += socket->readAll(); });
    // The server closes after answering: that is where an answer is judged.
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        QByteArray &data = m_inFlight[socket].data;
        data += socket->readAll();
        const qsizetype bodyAt = data.indexOf("\r\n\r\n");
        if (!data.startsWith("HTTP/1.1 200") || bodyAt < 0
            || data.mid(bodyAt + 4) != "hello world\n") {
            complete(socket, QStringLiteral("bad answer \"%1\"").arg(QString::fromLatin1(data)));
            return;
        }
        const QByteArray marker = "X-Worker-Id: ";
        const qsizetype idAt = data.indexOf(marker);
        const qsizetype idEnd = data.indexOf("\r\n", idAt);
        m_answeredBy.append(
            idAt < 0 ? 0 : data.mid(idAt + marker.size(), idEnd - idAt - marker.size()).toInt());
        complete(socket, QString());
    });
    connect(socket, &QTcpSocket::errorOccurred, this,
        [this, socket](QAbstractSocket::SocketError error) {
            // The server closing the connection is the normal end; disconnected() judges it.
            if (error == QAbstractSocket::RemoteHostClosedError)
                return;
            complete(socket,
                QStringLiteral("socket error %1: %2 (got \"%3\")")
                    .arg(int(error))
                    .arg(
                        socket->errorString(), QString::fromLatin1(m_inFlight.value(socket).data)));
        });
    socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
}

void HttpLoad::complete(QTcpSocket *socket, const QString &failure)
{
    const auto it = m_inFlight.find(socket);
    if (it == m_inFlight.end())
        return;
    it->timeout->stop();
    m_inFlight.erase(it);
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    if (failure.isEmpty())
        ++m_succeeded;
    else
        m_failures.append(failure);
    Q_EMIT requestFinished(failure.isEmpty());
    // A new request for each that ended; queued, so that completions never nest.
    if (m_running)
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_running && m_inFlight.size() < m_concurrency)
                    launch();
                checkFinished();
            },
            Qt::QueuedConnection);
    checkFinished();
}

void HttpLoad::checkFinished()
{
    if (m_running || m_finished || !m_inFlight.isEmpty())
        return;
    m_finished = true;
    Q_EMIT finished();
}

} // namespace SupervisorTest
