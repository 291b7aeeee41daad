// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What the supervisor suites share: clusters of real worker programs, an exit log that outlives
// the Worker objects, and an asynchronous HTTP client that keeps requests in flight.
#pragma once

#include <libcluster/cluster.h>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QStringList>

class QTcpSocket;
class QTimer;

namespace SupervisorTest {

// A cluster whose workers run `exec` with `args`.
LibCluster::Cluster *newCluster(QObject *parent, const QString &exec, const QStringList &args = {});
// A cluster of hello-http workers serving `port`.
LibCluster::Cluster *newHttpCluster(QObject *parent, quint16 port);

// Workers that are alive and have come online (or listen).
QList<LibCluster::Worker *> runningWorkers(LibCluster::Cluster *cluster);
QSet<int> ids(const QList<LibCluster::Worker *> &workers);

// Waits until exactly `count` workers run and every one of them is in `state` or later
// (Online, or Listening); false on timeout.
[[nodiscard]] bool waitForRunning(LibCluster::Cluster *cluster, int count,
    LibCluster::Worker::State state = LibCluster::Worker::Online, int timeout = 15000);

// A port nothing listens on right now.
quint16 freePort();

// Whether a process with this id still runs (a zombie does not).
bool processRuns(qint64 pid);

// Every exit of a cluster's workers, as it happened; Worker objects are deleted soon after.
class ExitLog : public QObject
{
    Q_OBJECT

public:
    struct Exit
    {
        int id = 0;
        int code = 0;
        int signal = 0;
        bool exitedAfterDisconnect = false;
        qint64 at = 0; // ms since the log was created
    };

    explicit ExitLog(LibCluster::Cluster *cluster);

    QList<Exit> exits() const { return m_exits; }
    bool contains(int id) const { return m_byId.contains(id); }
    Exit exitOf(int id) const { return m_exits.value(m_byId.value(id, -1)); }
    qint64 elapsed() const { return m_clock.elapsed(); }
    // Waits until the worker with this id has exited.
    [[nodiscard]] bool waitFor(int id, int timeout = 15000);

Q_SIGNALS:
    void exited(int id);

private:
    QElapsedTimer m_clock;
    QList<Exit> m_exits;
    QHash<int, qsizetype> m_byId;
};

// What a load counts, whatever its connections: requests started, answered in full and failed,
// and which worker answered each.
class Load : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    bool isFinished() const { return m_finished; }
    int started() const { return m_started; }
    int succeeded() const { return m_succeeded; }
    int failed() const { return m_failures.size(); }
    // The first failures, for the test's message.
    QString failureSummary() const;
    // The worker id (X-Worker-Id) of each successful answer, in the order they completed.
    QList<int> answeredBy() const { return m_answeredBy; }

Q_SIGNALS:
    void finished();

protected:
    bool m_running = false;
    bool m_finished = false;
    int m_started = 0;
    int m_succeeded = 0;
    QStringList m_failures;
    QList<int> m_answeredBy;
};

// Keeps `concurrency` HTTP requests in flight against 127.0.0.1:port, each on a new connection
// with "Connection: close", until stop() (or `total` requests when set). A request succeeds
// only with a complete "200" answer whose body is "hello world\n".
class HttpLoad : public Load
{
    Q_OBJECT

public:
    HttpLoad(quint16 port, int concurrency, QObject *parent = nullptr);
    ~HttpLoad() override;

    // Stop starting requests after this many (0: until stop()).
    void setTotal(int total) { m_total = total; }
    void start();
    // No new requests; finished() once those in flight have ended.
    void stop();

Q_SIGNALS:
    void requestFinished(bool ok);

private:
    struct Request
    {
        QByteArray data;
        QTimer *timeout = nullptr;
    };
    void launch();
    void complete(QTcpSocket *socket, const QString &failure);
    void checkFinished();

    quint16 m_port;
    int m_concurrency;
    int m_total = 0;
    QHash<QTcpSocket *, Request> m_inFlight;
};

} // namespace SupervisorTest
