// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-run, as an operator uses it: options and their errors, hello-http served by a cluster,
// `cluster-run ctl` against the running primary, signals, and socket activation.
#include "keepaliveclient.h"
#include "textfile.h"

#include <libcluster/controlclient.h>
#include <libcluster/supervisor.h>

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using LibCluster::Supervisor;

#ifdef CLUSTER_RUN_PATH
#define REQUIRE_PROGRAMS()
#else
#define CLUSTER_RUN_PATH ""
#define REQUIRE_PROGRAMS() QSKIP("cluster-run is not built (LIBCLUSTER_BUILD_APPS=OFF)")
#endif
#ifdef HELLO_HTTP_PATH
#define REQUIRE_HELLO_HTTP() REQUIRE_PROGRAMS()
#else
#define HELLO_HTTP_PATH ""
#define REQUIRE_HELLO_HTTP() QSKIP("hello-http is not built (LIBCLUSTER_BUILD_EXAMPLES=OFF)")
#endif

namespace {

// A cluster-run process, its output collected as it comes; with --json, its events parsed.
class Runner
{
public:
    Runner()
    {
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &process, [this] {
            out += process.readAllStandardOutput();
            qsizetype newline;
            while ((newline = out.indexOf('\n', parsed)) >= 0) {
                const QByteArray line = out.mid(parsed, newline - parsed);
                parsed = newline + 1;
                lines.append(QString::fromUtf8(line));
                const QJsonObject event = QJsonDocument::fromJson(line).object();
                if (!event.isEmpty())
                    events.append(event);
            }
        });
        QObject::connect(&process, &QProcess::readyReadStandardError, &process,
            [this] { err += process.readAllStandardError(); });
    }
    ~Runner()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }

    void start(const QStringList &arguments)
    {
        process.start(QStringLiteral(CLUSTER_RUN_PATH), arguments);
    }

    QList<QJsonObject> eventsNamed(const QString &name) const
    {
        QList<QJsonObject> found;
        for (const QJsonObject &event : events)
            if (event.value(QLatin1String("event")).toString() == name)
                found.append(event);
        return found;
    }
    bool waitForEvents(const QString &name, int count, int timeout = 30000)
    {
        return QTest::qWaitFor([&] { return eventsNamed(name).size() >= count; }, timeout);
    }
    // The exit code once it has ended; -1 if it did not end in time or crashed.
    int waitForExit(int timeout = 30000)
    {
        if (process.state() != QProcess::NotRunning) {
            QSignalSpy finished(&process, &QProcess::finished);
            if (!finished.wait(timeout))
                return -1;
        }
        out += process.readAllStandardOutput();
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
    // The pids of every worker it forked.
    QList<qint64> workerPids() const
    {
        QList<qint64> pids;
        for (const QJsonObject &event : eventsNamed(QStringLiteral("online")))
            pids.append(event.value(QLatin1String("pid")).toInteger());
        return pids;
    }
    quint16 port() const
    {
        const auto listening = eventsNamed(QStringLiteral("listening"));
        return listening.isEmpty() ? 0
                                   : quint16(listening.first()
                                                 .value(QLatin1String("address"))
                                                 .toObject()
                                                 .value(QLatin1String("port"))
                                                 .toInt());
    }
    QByteArray describe() const { return "stdout:\n" + out + "\nstderr:\n" + err; }

    QProcess process;
    QByteArray out;
    qsizetype parsed = 0;
    QStringList lines;
    QByteArray err;
    QList<QJsonObject> events;
};

struct CtlResult
{
    int code = -1;
    QByteArray out;
    QByteArray err;
    QByteArray describe() const
    {
        return "code " + QByteArray::number(code) + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// Runs `cluster-run ctl ARGS...` while this test's event loop keeps reading the primary's output.
CtlResult ctl(const QStringList &arguments, int timeout = 60000)
{
    QProcess process;
    process.start(
        QStringLiteral(CLUSTER_RUN_PATH), QStringList { QStringLiteral("ctl") } + arguments);
    QSignalSpy finished(&process, &QProcess::finished);
    CtlResult result;
    if (process.state() != QProcess::NotRunning && !finished.wait(timeout)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

// GET / over a new connection; the whole answer, or an empty array.
QByteArray httpGet(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return {};
    socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    QDeadlineTimer deadline(10000);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        if (socket.bytesAvailable() == 0)
            socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        answer += socket.readAll();
    }
    return answer + socket.readAll();
}

// Gone, or a zombie waiting for whoever inherited it to reap it.
bool processGone(qint64 pid)
{
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype end = text.lastIndexOf(')');
    return end > 0 && text.mid(end + 2, 1) == "Z";
}

// The number of workers the supervisor keeps, as the snapshot says.
int keptWorkers(const QJsonObject &snapshot)
{
    return snapshot.value(QLatin1String("supervisor"))
        .toObject()
        .value(QLatin1String("workerCount"))
        .toInt();
}

QList<QJsonObject> workersOf(const QJsonObject &snapshot)
{
    QList<QJsonObject> workers;
    for (const QJsonValue &value : snapshot.value(QLatin1String("workers")).toArray())
        workers.append(value.toObject());
    return workers;
}

} // namespace

class tst_Runner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void usageErrors_data();
    void usageErrors();
    void help();
    void ctlWithoutPrimary();
    void servesAndIsControlled();
    void ctlDisconnectAll();
    void humanOutput();
    void workerLinesNameWorkerAndStream();
    void logFileIsReopenedOnSigusr1();
    void sigusr1WithoutLogFileIsHarmless();
    void logFileThatCannotBeOpened();
    void ctlLogs();
    void wrongToken();
    void takenAndStaleNames();
    void sigtermShutsDownGracefully();
    void stopsWhenNoWorkerIsLeft();
    void warnsOfWorkersThatDoNotListen();
    void givesUpOnCrashLoop();
    void scaleBeyondTheMaximum();
    void killedWorkerIsReplaced_data();
    void killedWorkerIsReplaced();
    void incidentIsNoCrashLoop();
    void socketActivation();
    void socketActivationNeedsTheSamePort();
    void stalledOutputIsDropped();
    void closedOutputIsSurvived();
    void configFile();
    void checkConfig();
    void reloadUnderLoad();
    void reloadIsAnEvent();
    void runsEveryClusterOfTheFile();
    void clustersComeAndGoOnReload();

private:
    QTemporaryDir m_runtime;
};

void tst_Runner::initTestCase()
{
    QVERIFY(m_runtime.isValid());
    // Every process started here finds its endpoints in this directory.
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    // libcluster's debug output would fill stderr.
    qunsetenv("QT_LOGGING_RULES");
    QFile plain(m_runtime.filePath(QStringLiteral("plain-file")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    QVERIFY(plain.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
}

void tst_Runner::usageErrors_data()
{
    const QString worker = QStringLiteral(TESTWORKER_PATH);
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("no program") << QStringList() << QStringLiteral("which program");
    QTest::newRow("bad workers") << QStringList { QStringLiteral("--workers"),
        QStringLiteral("abc"), QStringLiteral("--"), worker }
                                 << QStringLiteral("--workers");
    QTest::newRow("zero workers") << QStringList { QStringLiteral("--workers"), QStringLiteral("0"),
        QStringLiteral("--"), worker }
                                  << QStringLiteral("--control");
    QTest::newRow("bad policy") << QStringList { QStringLiteral("--policy"),
        QStringLiteral("fastest"), QStringLiteral("--"), worker }
                                << QStringLiteral("unknown policy 'fastest'");
    QTest::newRow("bad memory") << QStringList { QStringLiteral("--max-memory"),
        QStringLiteral("lots"), QStringLiteral("--"), worker }
                                << QStringLiteral("--max-memory");
    QTest::newRow("bad requests") << QStringList { QStringLiteral("--max-requests"),
        QStringLiteral("0"), QStringLiteral("--"), worker }
                                  << QStringLiteral("--max-requests");
    QTest::newRow("bad heartbeat") << QStringList { QStringLiteral("--heartbeat"),
        QStringLiteral("soon"), QStringLiteral("--"), worker }
                                   << QStringLiteral("--heartbeat needs a number of milliseconds");
    QTest::newRow("bad shutdown timeout") << QStringList { QStringLiteral("--shutdown-timeout"),
        QStringLiteral("1.5"), QStringLiteral("--"), worker }
                                          << QStringLiteral("--shutdown-timeout");
    QTest::newRow("bad listen warning") << QStringList { QStringLiteral("--listen-warning"),
        QStringLiteral("-1"), QStringLiteral("--"), worker }
                                        << QStringLiteral("--listen-warning needs a number of "
                                                          "milliseconds between 0 and 3600000");
    QTest::newRow("unknown option")
        << QStringList { QStringLiteral("--frobnicate"), QStringLiteral("--"), worker }
        << QStringLiteral("frobnicate");
    QTest::newRow("missing program")
        << QStringList { QStringLiteral("--"), QStringLiteral("/nonexistent/program") }
        << QStringLiteral("program not found: /nonexistent/program");
    QTest::newRow("program not in PATH")
        << QStringList { QStringLiteral("no-such-program-anywhere") }
        << QStringLiteral("not found in PATH");
    QTest::newRow("not executable")
        << QStringList { QStringLiteral("--"), m_runtime.filePath(QStringLiteral("plain-file")) }
        << QStringLiteral("not an executable");
    QTest::newRow("bad cwd") << QStringList { QStringLiteral("--cwd"),
        QStringLiteral("/nonexistent-dir"), QStringLiteral("--"), worker }
                             << QStringLiteral("no such directory");
    QTest::newRow("bad control name") << QStringList { QStringLiteral("--control"),
        QStringLiteral("a/b"), QStringLiteral("--"), worker }
                                      << QStringLiteral("not a valid endpoint name");
    QTest::newRow("ctl alone") << QStringList { QStringLiteral("ctl") }
                               << QStringLiteral("which endpoint");
    QTest::newRow("ctl no command") << QStringList { QStringLiteral("ctl"), QStringLiteral("app") }
                                    << QStringLiteral("what to do");
    QTest::newRow("ctl unknown command")
        << QStringList { QStringLiteral("ctl"), QStringLiteral("app"), QStringLiteral("dance") }
        << QStringLiteral("unknown command 'dance'");
    QTest::newRow("ctl scale without count")
        << QStringList { QStringLiteral("ctl"), QStringLiteral("app"), QStringLiteral("scale") }
        << QStringLiteral("usage: cluster-run ctl NAME scale COUNT");
    // Every worker count has one bound, the library's, and one message, whatever the mistake;
    // "-1" is not taken for an option.
    const QString scaleError = QStringLiteral("cluster-run ctl: scale: %1")
                                   .arg(Supervisor::workerCountError(QStringLiteral("COUNT")));
    for (const char *count : { "many", "-1", "1.5", "+3", "99999999999" })
        QTest::addRow("ctl scale %s", count) << QStringList { QStringLiteral("ctl"),
            QStringLiteral("app"), QStringLiteral("scale"), QString::fromLatin1(count) }
                                             << scaleError;
    QTest::newRow("ctl scale -1 --json") << QStringList { QStringLiteral("ctl"),
        QStringLiteral("app"), QStringLiteral("scale"), QStringLiteral("-1"),
        QStringLiteral("--json") } << scaleError;
    const QString workersError = QStringLiteral("cluster-run: --workers: %1")
                                     .arg(Supervisor::workerCountError(QStringLiteral("COUNT")));
    for (const char *count : { "-1", "100000" })
        QTest::addRow("workers %s", count) << QStringList { QStringLiteral("--workers"),
            QString::fromLatin1(count), QStringLiteral("--"), worker }
                                           << workersError;
    QTest::newRow("bad crash limit") << QStringList { QStringLiteral("--crash-limit"),
        QStringLiteral("0"), QStringLiteral("--"), worker }
                                     << QStringLiteral("--crash-limit needs a whole number "
                                                       "between 1 and 1000, not '0'");
    QTest::newRow("bad crash window") << QStringList { QStringLiteral("--crash-window"),
        QStringLiteral("forever"), QStringLiteral("--"), worker }
                                      << QStringLiteral("--crash-window needs a number of "
                                                        "milliseconds");
    QTest::newRow("ctl kill one") << QStringList { QStringLiteral("ctl"), QStringLiteral("app"),
        QStringLiteral("kill"), QStringLiteral("one") }
                                  << QStringLiteral("not a worker id");
    QTest::newRow("ctl kill bad signal") << QStringList { QStringLiteral("ctl"),
        QStringLiteral("app"), QStringLiteral("kill"), QStringLiteral("1"),
        QStringLiteral("SIGNOPE") } << QStringLiteral("not a signal");
    QTest::newRow("ctl status extra") << QStringList { QStringLiteral("ctl"), QStringLiteral("app"),
        QStringLiteral("status"), QStringLiteral("now") }
                                      << QStringLiteral("usage");
    QTest::newRow("ctl disconnect everyone")
        << QStringList { QStringLiteral("ctl"), QStringLiteral("app"), QStringLiteral("disconnect"),
               QStringLiteral("everyone") }
        << QStringLiteral("'everyone' is neither a worker id nor 'all'");
    QTest::newRow("ctl send bad json") << QStringList { QStringLiteral("ctl"),
        QStringLiteral("app"), QStringLiteral("send"), QStringLiteral("1"),
        QStringLiteral("{oops") } << QStringLiteral("not JSON");
    QTest::newRow("ctl bad timeout") << QStringList { QStringLiteral("ctl"),
        QStringLiteral("--timeout"), QStringLiteral("soon"), QStringLiteral("app"),
        QStringLiteral("status") } << QStringLiteral("--timeout");
}

void tst_Runner::usageErrors()
{
    REQUIRE_PROGRAMS();
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    Runner runner;
    runner.start(arguments);
    QCOMPARE(runner.waitForExit(), 2);
    QVERIFY2(QString::fromLocal8Bit(runner.err).contains(message), runner.describe());
    // Nothing was started, and nothing was printed as if it had been.
    QVERIFY2(runner.out.isEmpty(), runner.describe());
}

void tst_Runner::help()
{
    REQUIRE_PROGRAMS();
    Runner runner;
    runner.start({ QStringLiteral("--help") });
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY(runner.out.contains("--respawn"));
    QVERIFY(runner.out.contains("cluster-run ctl"));
    const CtlResult ctlHelp = ctl({ QStringLiteral("--help") });
    QCOMPARE(ctlHelp.code, 0);
    QVERIFY(ctlHelp.out.contains("shutdown"));
    QVERIFY(ctlHelp.out.contains("disconnect ID|all"));
}

void tst_Runner::ctlWithoutPrimary()
{
    REQUIRE_PROGRAMS();
    const CtlResult result = ctl({ QStringLiteral("nobody"), QStringLiteral("status") });
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("no control endpoint named \"nobody\""), result.describe());
    const CtlResult list = ctl({ QStringLiteral("--list") });
    QCOMPARE(list.code, 0);
    QVERIFY(!list.out.contains("nobody"));
}

void tst_Runner::servesAndIsControlled()
{
    REQUIRE_HELLO_HTTP();
    const QString name = QStringLiteral("web");
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--control"),
        name, QStringLiteral("--json"), QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH),
        QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 2), runner.describe());
    const QJsonObject start = runner.eventsNamed(QStringLiteral("start")).value(0);
    QCOMPARE(start.value(QLatin1String("control")).toString(), name);
    QCOMPARE(start.value(QLatin1String("workers")).toInt(), 2);
    const quint16 port = runner.port();
    QVERIFY(port > 0);

    // Served by a worker.
    const QByteArray answer = httpGet(port);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
    QVERIFY(answer.endsWith("hello world\n"));
    QVERIFY(answer.contains("X-Worker-Id: "));

    // The endpoint is listed, and status tells what runs.
    CtlResult result = ctl({ QStringLiteral("--list") });
    QCOMPARE(result.code, 0);
    QVERIFY2(result.out.split('\n').contains(name.toUtf8()), result.describe());
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QJsonObject snapshot = result.json();
    QCOMPARE(snapshot.value(QLatin1String("pid")).toInteger(), runner.process.processId());
    QCOMPARE(snapshot.value(QLatin1String("policy")).toString(), QStringLiteral("rr"));
    QCOMPARE(snapshot.value(QLatin1String("settings"))
                 .toObject()
                 .value(QLatin1String("exec"))
                 .toString(),
        QStringLiteral(HELLO_HTTP_PATH));
    QList<QJsonObject> workers = workersOf(snapshot);
    QCOMPARE(workers.size(), 2);
    for (const QJsonObject &worker : workers) {
        QCOMPARE(worker.value(QLatin1String("state")).toString(), QStringLiteral("listening"));
        QVERIFY(runner.workerPids().contains(worker.value(QLatin1String("pid")).toInteger()));
        QCOMPARE(worker.value(QLatin1String("addresses"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QLatin1String("port"))
                     .toInt(),
            port);
    }
    result = ctl({ name, QStringLiteral("status") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(
        result.out.contains("ID") && result.out.contains("PID") && result.out.contains("listening"),
        result.describe());

    // Scale to 3: a third worker listens on the same port.
    result = ctl({ name, QStringLiteral("scale"), QStringLiteral("3") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 3), runner.describe());
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") });
    workers = workersOf(result.json());
    QCOMPARE(workers.size(), 3);
    QCOMPARE(keptWorkers(result.json()), 3);

    // Kill worker 1: the command returns once it has exited, and the primary reports it.
    result = ctl({ name, QStringLiteral("kill"), QStringLiteral("1") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(result.out.contains("worker 1 killed by SIGTERM"), result.describe());
    QVERIFY(runner.waitForEvents(QStringLiteral("exit"), 1));
    const QJsonObject exit = runner.eventsNamed(QStringLiteral("exit")).first();
    QCOMPARE(exit.value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(exit.value(QLatin1String("signalName")).toString(), QStringLiteral("SIGTERM"));
    // A kill is not a disconnect (Node 15 and later), but it was asked for.
    QVERIFY(!exit.value(QLatin1String("exitedAfterDisconnect")).toBool());
    QVERIFY(exit.value(QLatin1String("killed")).toBool());
    workers = workersOf(ctl({ name, QStringLiteral("status"), QStringLiteral("--json") }).json());
    QCOMPARE(workers.size(), 2);
    for (const QJsonObject &worker : workers)
        QVERIFY(worker.value(QLatin1String("id")).toInt() != 1);
    result = ctl({ name, QStringLiteral("kill"), QStringLiteral("1") });
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("no worker with id 1"), result.describe());

    // Messages and a graceful disconnect.
    result = ctl(
        { name, QStringLiteral("send"), QStringLiteral("all"), QStringLiteral("{\"hello\":1}") });
    QVERIFY2(result.code == 0, result.describe());
    result = ctl({ name, QStringLiteral("disconnect"), QStringLiteral("2") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY(result.out.contains("worker 2 disconnected"));

    // Still serving.
    QVERIFY(httpGet(port).endsWith("hello world\n"));

    // Shut down: ctl returns once it is done, cluster-run ends with 0, no worker is left.
    result = ctl({ name, QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY(!runner.eventsNamed(QStringLiteral("shutdownFinished")).isEmpty());
    for (qint64 pid : runner.workerPids())
        QVERIFY2(processGone(pid), qPrintable(QStringLiteral("worker %1 is still there").arg(pid)));
    QVERIFY(!QFile::exists(m_runtime.filePath(QStringLiteral("libcluster-web.sock"))));
    QVERIFY(!QFile::exists(m_runtime.filePath(QStringLiteral("libcluster-web.token"))));
    result = ctl({ name, QStringLiteral("status") });
    QCOMPARE(result.code, 1);
}

// `ctl NAME disconnect all` is Node's cluster.disconnect(): every worker leaves on request, so
// cluster-run's supervisor, even with --respawn, replaces none of them and still keeps --workers.
void tst_Runner::ctlDisconnectAll()
{
    REQUIRE_HELLO_HTTP();
    const QString name = QStringLiteral("all-go");
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("3"), QStringLiteral("--respawn"),
        QStringLiteral("--control"), name, QStringLiteral("--json"), QStringLiteral("--"),
        QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 3), runner.describe());

    CtlResult result = ctl({ name, QStringLiteral("disconnect"), QStringLiteral("all") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(result.out.contains("every worker disconnected (1, 2, 3)"), result.describe());
    // It returned once they had all disconnected.
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    for (const QJsonObject &worker : workersOf(result.json()))
        QVERIFY2(!worker.value(QLatin1String("connected")).toBool(), result.describe());
    QCOMPARE(keptWorkers(result.json()), 3);

    QVERIFY2(runner.waitForEvents(QStringLiteral("exit"), 3), runner.describe());
    QCOMPARE(runner.eventsNamed(QStringLiteral("disconnect")).size(), 3);
    for (const QJsonObject &exit : runner.eventsNamed(QStringLiteral("exit"))) {
        QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
        QVERIFY(exit.value(QLatin1String("exitedAfterDisconnect")).toBool());
    }
    for (qint64 pid : runner.workerPids())
        QVERIFY2(processGone(pid), qPrintable(QStringLiteral("worker %1 is still there").arg(pid)));
    // No respawn, no other count than the one it started with; the primary runs on.
    QVERIFY2(runner.eventsNamed(QStringLiteral("respawnScheduled")).isEmpty(), runner.describe());
    QCOMPARE(runner.eventsNamed(QStringLiteral("fork")).size(), 3);
    for (const QJsonObject &count : runner.eventsNamed(QStringLiteral("workerCount")))
        QCOMPARE(count.value(QLatin1String("count")).toInt(), 3);
    QCOMPARE(runner.process.state(), QProcess::Running);

    // Once more, with nobody left: not an error, and no wait.
    result = ctl(
        { name, QStringLiteral("disconnect"), QStringLiteral("all"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(result.json().value(QLatin1String("workers")).toArray(), QJsonArray());
    result = ctl({ name, QStringLiteral("disconnect"), QStringLiteral("all") });
    QVERIFY2(
        result.out.contains("every worker disconnected (none was connected)"), result.describe());

    result = ctl({ name, QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

void tst_Runner::humanOutput()
{
    REQUIRE_HELLO_HTTP();
    Runner runner;
    runner.start({ QStringLiteral("-w"), QStringLiteral("1"), QStringLiteral("--control"),
        QStringLiteral("human"), QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH),
        QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY2(QTest::qWaitFor([&] { return runner.out.contains("listening on"); }, 30000),
        runner.describe());
    QVERIFY2(runner.lines.value(0).startsWith(QStringLiteral("cluster-run: primary ")),
        runner.describe());
    QVERIFY(runner.out.contains("worker 1 forked"));
    QVERIFY(runner.out.contains("worker 1 online (pid "));
    // The worker's own output, one prefixed line at a time.
    QVERIFY2(
        QTest::qWaitFor([&] { return runner.out.contains("worker 1 stdout | Worker "); }, 30000),
        runner.describe());

    // ctl watch prints the same lines for a remote primary.
    QProcess watch;
    watch.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("ctl"), QStringLiteral("human"), QStringLiteral("watch") });
    QByteArray watched;
    QObject::connect(&watch, &QProcess::readyReadStandardOutput, &watch,
        [&] { watched += watch.readAllStandardOutput(); });
    QVERIFY(QTest::qWaitFor([&] { return watched.contains("watching human"); }, 30000));
    const CtlResult scaled = ctl({ QStringLiteral("human"), QStringLiteral("fork") });
    QVERIFY2(scaled.code == 0, scaled.describe());
    QVERIFY(scaled.out.contains("forked worker 2"));
    QVERIFY2(QTest::qWaitFor([&] { return watched.contains("worker 2 listening on"); }, 30000),
        watched.constData());

    QVERIFY(runner.process.state() == QProcess::Running);
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY(runner.out.contains("shutdown complete"));
    // The watcher sees the end and stops on its own, successfully.
    QSignalSpy watchDone(&watch, &QProcess::finished);
    QVERIFY(watch.state() == QProcess::NotRunning || watchDone.wait(30000));
    QCOMPARE(watch.exitCode(), 0);
    QVERIFY(watched.contains("shutdown complete"));
}

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Workers that say one line on each stream, "ping" on SIGUSR1, and wait to be stopped.
QStringList talkingWorkers(const QStringList &options)
{
    return options
        + QStringList { QStringLiteral("--shutdown-timeout"), QStringLiteral("500"),
              QStringLiteral("--"), QStringLiteral("/bin/sh"), QStringLiteral("-c"),
              QStringLiteral("echo said on stdout; echo said on stderr >&2; trap 'echo ping' USR1; "
                             "while :; do sleep 1 & wait $!; done") };
}

} // namespace

void tst_Runner::workerLinesNameWorkerAndStream()
{
    Runner runner;
    runner.start(talkingWorkers({ QStringLiteral("-w"), QStringLiteral("2") }));
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return runner.out.contains("worker 1 stdout | said on stdout")
                         && runner.out.contains("worker 2 stdout | said on stdout")
                         && runner.err.contains("worker 1 stderr | said on stderr")
                         && runner.err.contains("worker 2 stderr | said on stderr");
                 },
                 30000),
        runner.describe());
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
}

void tst_Runner::logFileIsReopenedOnSigusr1()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cluster.log"));
    const QString rotated = path + QStringLiteral(".1");
    {
        QFile before(path);
        QVERIFY(before.open(QIODevice::WriteOnly));
        before.write("from before\n");
    }
    Runner runner;
    runner.start(talkingWorkers(
        { QStringLiteral("-w"), QStringLiteral("2"), QStringLiteral("--log-file"), path }));
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     const QByteArray log = readFile(path);
                     return log.contains("worker 1 stdout | said on stdout")
                         && log.contains("worker 2 stderr | said on stderr");
                 },
                 30000),
        readFile(path).constData());
    // Appended, and nothing on the streams the file replaces.
    QVERIFY(readFile(path).startsWith("from before\n"));
    QVERIFY2(!runner.out.contains("said on") && !runner.err.contains("said on"), runner.describe());

    // logrotate: move the file away, then SIGUSR1. A path that cannot be opened first: the old
    // file goes on and says so.
    QVERIFY(QFile::rename(path, rotated));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("cluster.log")));
    ::kill(pid_t(runner.process.processId()), SIGUSR1);
    QVERIFY2(QTest::qWaitFor(
                 [&] { return readFile(rotated).contains("writing on to the file opened before"); },
                 30000),
        readFile(rotated).constData());
    QVERIFY(readFile(rotated).contains(
        QByteArray(QByteArray("cannot open the log file ") + path.toUtf8())));
    QVERIFY(QDir(dir.path()).rmdir(QStringLiteral("cluster.log")));
    ::kill(pid_t(runner.process.processId()), SIGUSR1);
    QVERIFY2(
        QTest::qWaitFor([&] { return readFile(path).contains("re-opened the log file"); }, 30000),
        runner.describe());

    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
    const QByteArray fresh = readFile(path);
    const QByteArray old = readFile(rotated);
    QVERIFY2(fresh.contains("shutdown complete"), fresh.constData());
    QVERIFY(!fresh.contains("said on"));
    QVERIFY(old.contains("worker 1 stdout | said on stdout"));
    QVERIFY(!old.contains("shutdown complete"));
}

// logrotate's SIGUSR1 sent to a cluster that logs to the journal: said, and the cluster serves on.
void tst_Runner::sigusr1WithoutLogFileIsHarmless()
{
    Runner runner;
    runner.start(talkingWorkers({ QStringLiteral("-w"), QStringLiteral("1") }));
    QTRY_VERIFY_WITH_TIMEOUT(runner.out.contains("worker 1 stdout | said on stdout"), 30000);
    ::kill(pid_t(runner.process.processId()), SIGUSR1);
    QTRY_VERIFY2_WITH_TIMEOUT(runner.err.contains("SIGUSR1 re-opens the log file, and there is "
                                                  "none (--log-file); nothing to do"),
        runner.describe().constData(), 30000);
    QCOMPARE(runner.process.state(), QProcess::Running);
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY2(runner.out.contains("shutdown complete"), runner.describe());
}

void tst_Runner::logFileThatCannotBeOpened()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no/such/dir/cluster.log"));
    Runner runner;
    runner.start(talkingWorkers({ QStringLiteral("--log-file"), path }));
    QCOMPARE(runner.waitForExit(), 1);
    const QByteArray expected = QByteArray("cluster-run: cannot open the log file ") + path.toUtf8()
        + QByteArray(": No such file or directory");
    QVERIFY2(runner.err.contains(expected), runner.describe());
}

void tst_Runner::ctlLogs()
{
    const QString name = QStringLiteral("logs");
    Runner runner;
    runner.start(talkingWorkers(
        { QStringLiteral("-w"), QStringLiteral("2"), QStringLiteral("--control"), name }));
    QVERIFY2(QTest::qWaitFor(
                 [&] {
                     return runner.out.contains("worker 2 stdout | said on stdout")
                         && runner.out.contains("worker 1 stdout | said on stdout")
                         && runner.err.contains("worker 1 stderr | said on stderr")
                         && runner.err.contains("worker 2 stderr | said on stderr");
                 },
                 30000),
        runner.describe());

    CtlResult result = ctl({ name, QStringLiteral("logs") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(result.out.contains("worker 1 stdout | said on stdout\n")
            && result.out.contains("worker 2 stdout | said on stdout\n")
            && result.err.contains("worker 1 stderr | said on stderr\n")
            && result.err.contains("worker 2 stderr | said on stderr\n"),
        result.describe());
    result = ctl({ name, QStringLiteral("logs"), QStringLiteral("2") });
    QVERIFY2(result.code == 0 && result.out.contains("worker 2 stdout | said on stdout")
            && !result.out.contains("worker 1"),
        result.describe());
    result = ctl({ name, QStringLiteral("logs"), QStringLiteral("9") });
    QVERIFY2(result.code == 1 && result.err.contains("no worker with id 9"), result.describe());
    result = ctl({ name, QStringLiteral("logs"), QStringLiteral("x") });
    QVERIFY2(result.code == 2 && result.err.contains("'x' is not a worker id"), result.describe());
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--follow") });
    QVERIFY2(
        result.code == 2 && result.err.contains("--follow is only for 'logs'"), result.describe());

    QProcess follow;
    follow.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("ctl"), name, QStringLiteral("logs"), QStringLiteral("1"),
            QStringLiteral("--follow") });
    QByteArray followed;
    QObject::connect(&follow, &QProcess::readyReadStandardOutput, &follow,
        [&] { followed += follow.readAllStandardOutput(); });
    QVERIFY2(QTest::qWaitFor([&] { return followed.contains("said on stdout"); }, 30000),
        followed.constData());

    // New output: of worker 2 first, which this one does not follow, then of worker 1.
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QHash<int, qint64> pids;
    for (const QJsonObject &worker : workersOf(result.json()))
        pids.insert(worker.value(QLatin1String("id")).toInt(),
            qint64(worker.value(QLatin1String("pid")).toDouble()));
    QCOMPARE(pids.size(), 2);
    ::kill(pid_t(pids.value(2)), SIGUSR1);
    QVERIFY2(QTest::qWaitFor([&] { return runner.out.contains("worker 2 stdout | ping"); }, 30000),
        runner.describe());
    ::kill(pid_t(pids.value(1)), SIGUSR1);
    QVERIFY2(QTest::qWaitFor([&] { return followed.contains("worker 1 stdout | ping\n"); }, 30000),
        followed.constData());
    QVERIFY2(!followed.contains("worker 2"), followed.constData());

    // It ends with the primary.
    QSignalSpy followDone(&follow, &QProcess::finished);
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY(follow.state() == QProcess::NotRunning || followDone.wait(30000));
    QCOMPARE(follow.exitCode(), 0);
}

void tst_Runner::wrongToken()
{
    REQUIRE_HELLO_HTTP();
    Runner runner;
    runner.start({ QStringLiteral("-w"), QStringLiteral("1"), QStringLiteral("--control"),
        QStringLiteral("locked"), QStringLiteral("--json"), QStringLiteral("--"),
        QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 1), runner.describe());
    QFile token(m_runtime.filePath(QStringLiteral("libcluster-locked.token")));
    QVERIFY(token.open(QIODevice::ReadWrite));
    const QByteArray original = token.readAll();
    QCOMPARE(original.trimmed().size(), 64);
    token.resize(0);
    token.write(QByteArray(64, '0') + '\n');
    token.close();
    CtlResult result = ctl({ QStringLiteral("locked"), QStringLiteral("status") });
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("wrong token"), result.describe());

    QVERIFY(token.open(QIODevice::WriteOnly | QIODevice::Truncate));
    token.write(original);
    token.close();
    result = ctl({ QStringLiteral("locked"), QStringLiteral("status") });
    QVERIFY2(result.code == 0, result.describe());
}

void tst_Runner::takenAndStaleNames()
{
    REQUIRE_HELLO_HTTP();
    const QStringList arguments { QStringLiteral("-w"), QStringLiteral("1"),
        QStringLiteral("--control"), QStringLiteral("once"), QStringLiteral("--json"),
        QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"),
        QStringLiteral("0") };
    Runner first;
    first.start(arguments);
    QVERIFY2(first.waitForEvents(QStringLiteral("listening"), 1), first.describe());

    // A second primary under the same name is refused, and the first one keeps it.
    Runner second;
    second.start(arguments);
    QCOMPARE(second.waitForExit(), 1);
    QVERIFY2(second.err.contains("already running"), second.describe());
    CtlResult result
        = ctl({ QStringLiteral("once"), QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(result.json().value(QLatin1String("pid")).toInteger(), first.process.processId());

    // A primary killed outright leaves its socket file behind: ctl says nobody is there, and a
    // new primary takes the name over.
    first.process.kill();
    QCOMPARE(first.waitForExit(), -1);
    QVERIFY(QFile::exists(m_runtime.filePath(QStringLiteral("libcluster-once.sock"))));
    result = ctl({ QStringLiteral("once"), QStringLiteral("status") });
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("no primary"), result.describe());
    Runner third;
    third.start(arguments);
    QVERIFY2(third.waitForEvents(QStringLiteral("listening"), 1), third.describe());
    result = ctl({ QStringLiteral("once"), QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(result.json().value(QLatin1String("pid")).toInteger(), third.process.processId());
    // The workers of the killed primary did not outlive it.
    for (qint64 pid : first.workerPids())
        QVERIFY(QTest::qWaitFor([pid] { return processGone(pid); }, 30000));
}

void tst_Runner::sigtermShutsDownGracefully()
{
    REQUIRE_HELLO_HTTP();
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--json"),
        QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"),
        QStringLiteral("0") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 2), runner.describe());
    QVERIFY(httpGet(runner.port()).endsWith("hello world\n"));
    runner.process.terminate(); // SIGTERM
    QCOMPARE(runner.waitForExit(), 0);
    const auto exits = runner.eventsNamed(QStringLiteral("exit"));
    QCOMPARE(exits.size(), 2);
    for (const QJsonObject &exit : exits) {
        QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
        QVERIFY(exit.value(QLatin1String("exitedAfterDisconnect")).toBool());
    }
    QCOMPARE(runner.events.constLast().value(QLatin1String("event")).toString(),
        QStringLiteral("shutdownFinished"));
    for (qint64 pid : runner.workerPids())
        QVERIFY(processGone(pid));

    // SIGINT (Ctrl+C) too.
    Runner interrupted;
    interrupted.start({ QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--json"),
        QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"),
        QStringLiteral("0") });
    QVERIFY2(interrupted.waitForEvents(QStringLiteral("listening"), 1), interrupted.describe());
    ::kill(pid_t(interrupted.process.processId()), SIGINT);
    QCOMPARE(interrupted.waitForExit(), 0);
    QVERIFY(!interrupted.eventsNamed(QStringLiteral("shutdownFinished")).isEmpty());
}

void tst_Runner::stopsWhenNoWorkerIsLeft()
{
    REQUIRE_PROGRAMS();
    // Without --respawn or --control nothing will start another worker: cluster-run ends, with
    // 1 because they failed.
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--json"),
        QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH),
        QStringLiteral("--exit-before-online"), QStringLiteral("3") });
    QCOMPARE(runner.waitForExit(), 1);
    const auto exits = runner.eventsNamed(QStringLiteral("exit"));
    QCOMPARE(exits.size(), 2);
    QCOMPARE(exits.first().value(QLatin1String("code")).toInt(), 3);
    QVERIFY(!runner.eventsNamed(QStringLiteral("error")).isEmpty());
}

// A worker that serves nowhere the cluster can see leaves it short: cluster-run says so, once
// per worker, unless told that its workers do not listen.
void tst_Runner::warnsOfWorkersThatDoNotListen()
{
    REQUIRE_PROGRAMS();
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--control"),
        QStringLiteral("quiet"), QStringLiteral("--listen-warning"), QStringLiteral("200"),
        QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH) });
    for (const char *line : { "worker 1 has not listened ", "worker 2 has not listened " })
        QVERIFY2(
            QTest::qWaitFor([&] { return runner.out.contains(line); }, 30000), runner.describe());
    QVERIFY2(runner.out.contains("ms after it came online: it takes no share of the cluster's "
                                 "connections; use LibCluster::TcpServer or LibCluster::listen(), "
                                 "or --listen-warning 0 for workers that do not listen"),
        runner.describe());
    // Once per worker: a third worker's warning comes, and no second one of the first two.
    QVERIFY(ctl({ QStringLiteral("quiet"), QStringLiteral("fork") }).code == 0);
    QVERIFY2(
        QTest::qWaitFor([&] { return runner.out.contains("worker 3 has not listened "); }, 30000),
        runner.describe());
    QCOMPARE(runner.out.count("has not listened"), 3);
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);

    // One that exits with 0 right after it came online, as a QHttpServer::listen() on a port
    // another worker's own server took does, is reported before its exit; unless turned off.
    for (const QString &timeout : { QString(), QStringLiteral("0") }) {
        Runner quick;
        QStringList arguments { QStringLiteral("--workers"), QStringLiteral("1"),
            QStringLiteral("--control"), QStringLiteral("quick"), QStringLiteral("--json") };
        if (!timeout.isEmpty())
            arguments << QStringLiteral("--listen-warning") << timeout;
        quick.start(arguments << QStringLiteral("--") << QStringLiteral(TESTWORKER_PATH));
        QVERIFY2(quick.waitForEvents(QStringLiteral("online"), 1), quick.describe());
        const CtlResult sent = ctl({ QStringLiteral("quick"), QStringLiteral("send"),
            QStringLiteral("1"), QStringLiteral("{\"do\": \"quit\", \"code\": 0}") });
        QVERIFY2(sent.code == 0, sent.describe());
        QVERIFY2(quick.waitForEvents(QStringLiteral("exit"), 1), quick.describe());
        const auto warnings = quick.eventsNamed(QStringLiteral("listenOverdue"));
        if (timeout.isEmpty()) {
            QCOMPARE(warnings.size(), 1);
            QVERIFY(warnings.first().value(QLatin1String("exited")).toBool());
            QVERIFY(warnings.first().value(QLatin1String("elapsed")).toInt() < 5000);
            QVERIFY(quick.events.indexOf(warnings.first())
                < quick.events.indexOf(quick.eventsNamed(QStringLiteral("exit")).first()));
        } else {
            QVERIFY2(warnings.isEmpty(), quick.describe());
        }
        quick.process.terminate();
        QVERIFY(quick.waitForExit() >= 0);
    }
}

void tst_Runner::givesUpOnCrashLoop()
{
    REQUIRE_PROGRAMS();
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--respawn"),
        QStringLiteral("--json"), QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH),
        QStringLiteral("--exit-before-online"), QStringLiteral("3") });
    QCOMPARE(runner.waitForExit(60000), 1);
    QVERIFY(!runner.eventsNamed(QStringLiteral("respawnScheduled")).isEmpty());
    QCOMPARE(runner.eventsNamed(QStringLiteral("gaveUp")).size(), 1);
    QVERIFY2(runner.err.contains("giving up"), runner.describe());
}

// `ctl NAME scale` above the primary's maximum is refused with the same message as a count that
// is no number at all, and the primary forks nothing; the control protocol refuses it too.
void tst_Runner::scaleBeyondTheMaximum()
{
    REQUIRE_PROGRAMS();
    const QString name = QStringLiteral("bounded");
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--control"),
        name, QStringLiteral("--json"), QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH) });
    QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 1), runner.describe());

    const QString tooMany = QString::number(Supervisor::DefaultMaxWorkers + 1);
    CtlResult result = ctl({ name, QStringLiteral("scale"), tooMany });
    QCOMPARE(result.code, 2);
    QVERIFY2(result.err.contains(QStringLiteral("cluster-run ctl: scale: COUNT must be a whole "
                                                "number between 0 and %1, not '%2'")
                                     .arg(Supervisor::DefaultMaxWorkers)
                                     .arg(tooMany)
                                     .toUtf8()),
        result.describe());
    result = ctl({ name, QStringLiteral("scale"), QStringLiteral("1000000000") });
    QCOMPARE(result.code, 2);
    result = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(keptWorkers(result.json()), 1);
    QCOMPARE(result.json()
                 .value(QLatin1String("supervisor"))
                 .toObject()
                 .value(QLatin1String("maxWorkers"))
                 .toInt(),
        Supervisor::DefaultMaxWorkers);
    QCOMPARE(workersOf(result.json()).size(), 1);
    QCOMPARE(runner.eventsNamed(QStringLiteral("fork")).size(), 1);

    // Within the bound, it scales.
    result = ctl({ name, QStringLiteral("scale"), QStringLiteral("3") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 3), runner.describe());
    result = ctl({ name, QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

// The count kept is the truth. With --respawn, a worker killed through `ctl kill` is replaced at
// once (scale down to have fewer); without, nothing replaces it and the count kept follows. In
// both cases `status` keeps as many as run.
void tst_Runner::killedWorkerIsReplaced_data()
{
    QTest::addColumn<bool>("respawn");
    QTest::newRow("respawn") << true;
    QTest::newRow("no respawn") << false;
}

void tst_Runner::killedWorkerIsReplaced()
{
    REQUIRE_PROGRAMS();
    QFETCH(bool, respawn);
    const QString name = QStringLiteral("kill-%1").arg(respawn);
    Runner runner;
    QStringList arguments { QStringLiteral("--workers"), QStringLiteral("3"),
        QStringLiteral("--control"), name, QStringLiteral("--json"), QStringLiteral("--"),
        QStringLiteral(TESTWORKER_PATH) };
    if (respawn)
        arguments.prepend(QStringLiteral("--respawn"));
    runner.start(arguments);
    QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 3), runner.describe());

    CtlResult result = ctl({ name, QStringLiteral("kill"), QStringLiteral("2") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(result.out.contains("worker 2 killed by SIGTERM"), result.describe());
    const int expected = respawn ? 3 : 2;
    if (respawn) {
        QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 4), runner.describe());
        const QList<QJsonObject> replaced = runner.eventsNamed(QStringLiteral("replaced"));
        QCOMPARE(replaced.size(), 1);
        QCOMPARE(replaced.first().value(QLatin1String("oldId")).toInt(), 2);
        QCOMPARE(
            replaced.first().value(QLatin1String("reason")).toString(), QStringLiteral("removed"));
        // Not a crash: no backoff, nothing towards a crash loop.
        QVERIFY(runner.eventsNamed(QStringLiteral("respawnScheduled")).isEmpty());
    }
    // What status says it keeps is what runs.
    QJsonObject snapshot;
    QTRY_VERIFY_WITH_TIMEOUT(
        (snapshot = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") }).json(),
            workersOf(snapshot).size() == expected),
        15000);
    QCOMPARE(keptWorkers(snapshot), expected);
    result = ctl({ name, QStringLiteral("status") });
    QVERIFY2(result.out.contains(QStringLiteral("supervisor: keeps %1,").arg(expected).toUtf8()),
        result.describe());

    // Scaling down is how to have fewer.
    result = ctl({ name, QStringLiteral("scale"), QStringLiteral("1") });
    QVERIFY2(result.code == 0, result.describe());
    QTRY_VERIFY_WITH_TIMEOUT(
        (snapshot = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") }).json(),
            workersOf(snapshot).size() == 1),
        15000);
    QCOMPARE(keptWorkers(snapshot), 1);
    QCOMPARE(runner.eventsNamed(QStringLiteral("fork")).size(), respawn ? 4 : 3);
    result = ctl({ name, QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

// Six of eight workers killed at once from outside is an incident, not a crash loop: each is
// replaced, and the supervisor does not give up (it used to after five crashes in the cluster,
// whatever its size). --crash-limit and --crash-window are what status reports.
void tst_Runner::incidentIsNoCrashLoop()
{
    REQUIRE_PROGRAMS();
    const QString name = QStringLiteral("incident");
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("8"), QStringLiteral("--respawn"),
        QStringLiteral("--crash-limit"), QStringLiteral("3"), QStringLiteral("--crash-window"),
        QStringLiteral("30000"), QStringLiteral("--control"), name, QStringLiteral("--json"),
        QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH) });
    QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 8), runner.describe());
    const QList<qint64> pids = runner.workerPids();
    for (int i = 0; i < 6; ++i)
        ::kill(pid_t(pids.at(i)), SIGKILL);
    QVERIFY2(runner.waitForEvents(QStringLiteral("online"), 14), runner.describe());
    QVERIFY2(runner.eventsNamed(QStringLiteral("gaveUp")).isEmpty(), runner.describe());
    QCOMPARE(runner.eventsNamed(QStringLiteral("replaced")).size(), 6);

    const QJsonObject snapshot
        = ctl({ name, QStringLiteral("status"), QStringLiteral("--json") }).json();
    const QJsonObject supervisor = snapshot.value(QLatin1String("supervisor")).toObject();
    QCOMPARE(supervisor.value(QLatin1String("gaveUp")).toBool(), false);
    QCOMPARE(supervisor.value(QLatin1String("crashLimit")).toInt(), 3);
    QCOMPARE(supervisor.value(QLatin1String("crashWindow")).toInt(), 30000);
    QCOMPARE(workersOf(snapshot).size(), 8);
    CtlResult result = ctl({ name, QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

namespace {
// What systemd does for a .socket unit: bind and listen (here on 0.0.0.0 and a free port).
int systemdStyleSocket(quint16 *port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_ANY);
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0
        || ::listen(fd, 64) != 0)
        return -1;
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
    *port = ntohs(address.sin_port);
    return fd;
}

// ... then start the service with the socket as descriptor 3, LISTEN_FDS=1 and LISTEN_PID set to
// the service's own pid: a shell sets it to its own, then execs cluster-run (same pid).
void startActivated(Runner *runner, int fd, const QStringList &arguments)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LISTEN_FDS"), QStringLiteral("1"));
    runner->process.setProcessEnvironment(env);
    runner->process.setChildProcessModifier([fd] {
        if (fd == 3)
            ::fcntl(3, F_SETFD, 0);
        else
            ::dup2(fd, 3); // the copy does not have close-on-exec
    });
    runner->process.start(QStringLiteral("/bin/sh"),
        QStringList { QStringLiteral("-c"),
            QStringLiteral("export LISTEN_PID=$$; exec \"$0\" \"$@\""),
            QStringLiteral(CLUSTER_RUN_PATH) }
            + arguments);
}
} // namespace

void tst_Runner::socketActivation()
{
    REQUIRE_HELLO_HTTP();
    quint16 port = 0;
    const int fd = systemdStyleSocket(&port);
    QVERIFY(fd >= 0);
    Runner runner;
    startActivated(&runner, fd,
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--json"),
            QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"),
            QString::number(port) });
    // From now on only cluster-run holds the socket: had it not used it, its workers could not
    // listen on the port (it is taken, by that very socket).
    ::close(fd);
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 2), runner.describe());
    const QJsonObject start = runner.eventsNamed(QStringLiteral("start")).value(0);
    QCOMPARE(start.value(QLatin1String("inheritedSockets")).toArray(),
        QJsonArray { QStringLiteral("0.0.0.0:%1").arg(port) });
    QCOMPARE(runner.port(), port);

    const QByteArray answer = httpGet(port);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK") && answer.endsWith("hello world\n"),
        answer.constData());

    // The variables were meant for the primary alone.
    for (qint64 pid : runner.workerPids()) {
        QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QByteArray content = environ.readAll();
        QVERIFY(!content.contains("LISTEN_FDS="));
        QVERIFY(!content.contains("LISTEN_PID="));
    }

    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
    for (qint64 pid : runner.workerPids())
        QVERIFY(processGone(pid));
}

void tst_Runner::socketActivationNeedsTheSamePort()
{
    REQUIRE_HELLO_HTTP();
    // Port 0 asks for a new port: it never matches an inherited socket.
    quint16 port = 0;
    const int fd = systemdStyleSocket(&port);
    QVERIFY(fd >= 0);
    Runner runner;
    startActivated(&runner, fd,
        { QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--json"),
            QStringLiteral("--"), QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"),
            QStringLiteral("0") });
    ::close(fd);
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 1), runner.describe());
    QCOMPARE(runner.eventsNamed(QStringLiteral("start"))
                 .value(0)
                 .value(QLatin1String("inheritedSockets"))
                 .toArray()
                 .size(),
        1);
    QVERIFY(runner.port() != 0);
    QVERIFY(runner.port() != port);
    QVERIFY(httpGet(runner.port()).endsWith("hello world\n"));
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
}

namespace {
// cluster-run with its stdout on `fd` (the write end of a pipe the test holds the other end of).
void startWithStdout(Runner *runner, int fd, const QStringList &arguments)
{
    runner->process.setStandardOutputFile(QProcess::nullDevice());
    runner->process.setChildProcessModifier([fd] { ::dup2(fd, STDOUT_FILENO); });
    runner->start(arguments);
}

// The port its workers listen on, once `count` of them do, as `ctl status` tells; 0 if the primary
// does not answer.
quint16 listeningPort(const QString &name, int count)
{
    quint16 port = 0;
    const bool found = QTest::qWaitFor(
        [&] {
            const CtlResult result = ctl({ QStringLiteral("--timeout"), QStringLiteral("5000"),
                name, QStringLiteral("status"), QStringLiteral("--json") });
            if (result.code != 0)
                return false;
            int listening = 0;
            for (const QJsonObject &worker : workersOf(result.json())) {
                const QJsonArray addresses = worker.value(QLatin1String("addresses")).toArray();
                if (addresses.isEmpty())
                    continue;
                ++listening;
                port = quint16(addresses.at(0).toObject().value(QLatin1String("port")).toInt());
            }
            return listening >= count;
        },
        30000);
    return found ? port : 0;
}

// Connections answered by the testworker's --serve-tcp server.
int helloAnswers(quint16 port, int connections)
{
    int answered = 0;
    for (int i = 0; i < connections; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QByteArray answer;
        QDeadlineTimer deadline(5000);
        while (!answer.contains('\n') && !deadline.hasExpired()
            && socket.state() != QAbstractSocket::UnconnectedState) {
            socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
            answer += socket.readAll();
        }
        if (answer == "hello\n")
            ++answered;
    }
    return answered;
}

// The primary's own stdout, as the snapshot (`ctl status --json`) counts it.
QJsonObject primaryStdout(const QString &name)
{
    const CtlResult result = ctl({ QStringLiteral("--timeout"), QStringLiteral("5000"), name,
        QStringLiteral("status"), QStringLiteral("--json") });
    return result.json()
        .value(QLatin1String("output"))
        .toObject()
        .value(QLatin1String("stdout"))
        .toObject();
}
} // namespace

// cluster-run's stdout is a pipe nobody reads while its workers print as fast as they can: the
// primary goes on serving and answering, and says how much of its output it dropped.
void tst_Runner::stalledOutputIsDropped()
{
    REQUIRE_PROGRAMS();
    int pipe[2];
    QVERIFY(::pipe2(pipe, O_CLOEXEC) == 0);
    const auto closeReader = qScopeGuard([&] { ::close(pipe[0]); });
    const QString name = QStringLiteral("stalled");
    Runner runner;
    startWithStdout(&runner, pipe[1],
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--control"), name,
            QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH), QStringLiteral("--serve-tcp"),
            QStringLiteral("--flood-output") });
    ::close(pipe[1]);

    const quint16 port = listeningPort(name, 2);
    QVERIFY2(port > 0, runner.describe());
    // Output goes on being dropped, reported as events and in the stats.
    LibCluster::ControlClient client;
    QSignalSpy connected(&client, &LibCluster::ControlClient::connected);
    QList<QJsonObject> stats;
    QList<QJsonObject> drops;
    QObject::connect(&client, &LibCluster::ControlClient::statsReceived, &client,
        [&](const QJsonObject &message) { stats.append(message); });
    QObject::connect(
        &client, &LibCluster::ControlClient::eventReceived, &client, [&](const QJsonObject &event) {
            if (event.value(QLatin1String("event")).toString() == QLatin1String("outputDropped"))
                drops.append(event);
        });
    client.connectToEndpoint(name);
    QVERIFY(connected.wait(10000));
    QTRY_VERIFY_WITH_TIMEOUT(drops.size() >= 2, 10000);
    for (const QJsonObject &drop : std::as_const(drops)) {
        QCOMPARE(drop.value(QLatin1String("channel")).toString(), QStringLiteral("stdout"));
        QVERIFY(drop.value(QLatin1String("bytes")).toInteger() > 0);
        QVERIFY(drop.value(QLatin1String("writes")).toInteger() > 0);
        QVERIFY(!drop.value(QLatin1String("closed")).toBool());
    }
    QTRY_VERIFY_WITH_TIMEOUT(!stats.isEmpty(), 10000);
    const QJsonObject output = stats.constLast()
                                   .value(QLatin1String("output"))
                                   .toObject()
                                   .value(QLatin1String("stdout"))
                                   .toObject();
    QVERIFY2(output.value(QLatin1String("dropped")).toInteger() > 0,
        QJsonDocument(stats.constLast()).toJson().constData());

    // Meanwhile every connection is served and the endpoint answers.
    QCOMPARE(helloAnswers(port, 20), 20);
    const QJsonObject counted = primaryStdout(name);
    QVERIFY(counted.value(QLatin1String("dropped")).toInteger()
        >= output.value(QLatin1String("dropped")).toInteger());
    QVERIFY(counted.value(QLatin1String("droppedWrites")).toInteger() > 0);
    QVERIFY(!counted.value(QLatin1String("closed")).toBool());

    // It still shuts down as asked, without waiting for a reader that never comes.
    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
}

// The reader of cluster-run's stdout goes away: no SIGPIPE ends it (and its workers), it serves
// on, and shuts down as asked.
void tst_Runner::closedOutputIsSurvived()
{
    REQUIRE_PROGRAMS();
    int pipe[2];
    QVERIFY(::pipe2(pipe, O_CLOEXEC) == 0);
    const QString name = QStringLiteral("unread");
    Runner runner;
    startWithStdout(&runner, pipe[1],
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--control"), name,
            QStringLiteral("--json"), QStringLiteral("--"), QStringLiteral(TESTWORKER_PATH),
            QStringLiteral("--serve-tcp"), QStringLiteral("--flood-output") });
    ::close(pipe[1]);
    ::close(pipe[0]);

    const quint16 port = listeningPort(name, 2);
    QVERIFY2(runner.process.state() == QProcess::Running,
        qPrintable(QStringLiteral("cluster-run has ended, %1 %2")
                       .arg(runner.process.exitStatus() == QProcess::CrashExit
                               ? QStringLiteral("killed by signal")
                               : QStringLiteral("exit code"))
                       .arg(runner.process.exitCode())));
    QVERIFY2(port > 0, runner.describe());
    QCOMPARE(helloAnswers(port, 20), 20);
    QJsonObject counted = primaryStdout(name);
    QVERIFY2(counted.value(QLatin1String("closed")).toBool(),
        QJsonDocument(counted).toJson().constData());
    const qint64 dropped = counted.value(QLatin1String("dropped")).toInteger();
    QVERIFY(dropped > 0);
    QCOMPARE(counted.value(QLatin1String("pending")).toInteger(), 0);
    // Output goes on, and on being dropped.
    QTRY_VERIFY_WITH_TIMEOUT(
        primaryStdout(name).value(QLatin1String("dropped")).toInteger() > dropped, 10000);
    QCOMPARE(helloAnswers(port, 5), 5);

    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
}

namespace {
// The environment a process started with.
QByteArray environmentOf(qint64 pid)
{
    QFile environ(QStringLiteral("/proc/%1/environ").arg(pid));
    return environ.open(QIODevice::ReadOnly) ? environ.readAll() : QByteArray();
}
} // namespace

// A cluster from a configuration file, one of two in it, with the command line on top.
void tst_Runner::configFile()
{
    REQUIRE_HELLO_HTTP();
    const QString path = writeTextFile(m_runtime.filePath(QStringLiteral("clusters.conf")),
        QStringLiteral("# two clusters of hello-http\n"
                       "program = %1\n"
                       "arguments = --port 0\n"
                       "json = true\n"
                       "\n"
                       "[web]\n"
                       "workers = 3\n"
                       "policy = leastconn\n"
                       "control = conf-web\n"
                       "env = GREETING=from the file\n"
                       "shutdown-timeout = 5000\n"
                       "\n"
                       "[api]\n"
                       "workers = 1\n")
            .arg(QStringLiteral(HELLO_HTTP_PATH)));
    Runner runner;
    runner.start({ QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--config"),
        path, QStringLiteral("web") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 2), runner.describe());
    const QJsonObject start = runner.eventsNamed(QStringLiteral("start")).value(0);
    QCOMPARE(start.value(QLatin1String("workers")).toInt(), 2); // the command line's
    QCOMPARE(start.value(QLatin1String("policy")).toString(), QStringLiteral("leastconn"));
    QCOMPARE(start.value(QLatin1String("control")).toString(), QStringLiteral("conf-web"));
    QCOMPARE(start.value(QLatin1String("args")).toArray(),
        (QJsonArray { QStringLiteral("--port"), QStringLiteral("0") }));
    QVERIFY(httpGet(runner.port()).endsWith("hello world\n"));
    for (qint64 pid : runner.workerPids())
        QVERIFY(environmentOf(pid).contains(QByteArray("\0GREETING=from the file\0")));
    const CtlResult result = ctl({ QStringLiteral("conf-web"), QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

// `--check-config` starts nothing: 0 and "valid" for a good file, 1 and every mistake with its
// file, line and key for a bad one; `--config` refuses the bad file the same way.
void tst_Runner::checkConfig()
{
    REQUIRE_PROGRAMS();
    const QString good = writeTextFile(m_runtime.filePath(QStringLiteral("good.conf")),
        QStringLiteral("[one]\nprogram = %1\nworkers = 1\n[two]\nprogram = %1\nrespawn = "
                       "true\n")
            .arg(QStringLiteral(TESTWORKER_PATH)));
    Runner valid;
    valid.start({ QStringLiteral("--check-config"), good });
    QCOMPARE(valid.waitForExit(), 0);
    QCOMPARE(valid.out, QString(good + QStringLiteral(": valid (one, two)\n")).toUtf8());
    QVERIFY(valid.err.isEmpty());

    const QString bad = writeTextFile(m_runtime.filePath(QStringLiteral("bad.conf")),
        QStringLiteral("[one]\nprogram = %1\nworkers = 100000\n[two]\nprogram = %1\nrespawn = "
                       "yes\ncolour = blue\n")
            .arg(QStringLiteral(TESTWORKER_PATH)));
    for (const QString &option : { QStringLiteral("--check-config"), QStringLiteral("--config") }) {
        Runner invalid;
        invalid.start({ option, bad, QStringLiteral("two") });
        QCOMPARE(invalid.waitForExit(), 1);
        QVERIFY2(invalid.out.isEmpty(), invalid.describe());
        const QList<QByteArray> lines = invalid.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0),
            QString(QStringLiteral("cluster-run: %1:6: respawn needs true or false, not 'yes'")
                        .arg(bad))
                .toUtf8());
        QVERIFY2(lines.at(1).startsWith(
                     QString(QStringLiteral("cluster-run: %1:7: colour: unknown key").arg(bad))
                         .toUtf8()),
            invalid.describe());
    }
    Runner all;
    all.start({ QStringLiteral("--check-config"), bad });
    QCOMPARE(all.waitForExit(), 1);
    QCOMPARE(all.err.count('\n'), 3);
    QVERIFY2(
        all.err.contains(QString(bad + QStringLiteral(":3: workers: ")).toUtf8()), all.describe());
}

namespace {
// The program a process runs.
QString executableOf(qint64 pid)
{
    return QFile::symLinkTarget(QStringLiteral("/proc/%1/exe").arg(pid));
}

// Requests without pause while it lives: `Connection: close` ones one after another, and
// keep-alive clients that open a new connection when the server closes theirs. Every request
// that does not get its answer is a failure.
class Load
{
public:
    explicit Load(quint16 port)
        : m_port(port)
    {
        for (int i = 0; i < 4; ++i)
            openKeepAlive();
    }
    ~Load() { qDeleteAll(m_clients); }

    // One `Connection: close` request; keep-alive ones go on meanwhile on the event loop.
    void step()
    {
        ++requests;
        if (!httpGet(m_port).endsWith("hello world\n"))
            failures.append(QStringLiteral("a Connection: close request failed"));
        QCoreApplication::processEvents();
    }
    int keepAliveAnswers() const
    {
        int answers = m_endedAnswers;
        for (const KeepAliveClient *client : m_clients)
            answers += client->answers();
        return answers;
    }

    int requests = 0;
    QStringList failures;

private:
    void openKeepAlive()
    {
        auto *client = new KeepAliveClient(m_port);
        m_clients.append(client);
        QObject::connect(client, &KeepAliveClient::ended, client, [this, client] {
            if (!client->failure().isEmpty())
                failures.append(client->failure());
            m_endedAnswers += client->answers();
            m_clients.removeOne(client);
            client->deleteLater();
            openKeepAlive();
        });
        client->setContinuous(true);
        client->setCloseWhenAsked(true);
        client->open();
        client->sendRequest();
    }

    quint16 m_port;
    QList<KeepAliveClient *> m_clients;
    int m_endedAnswers = 0;
};
} // namespace

// SIGHUP re-reads the file: a changed program comes in by a rolling restart that fails no
// request, under `Connection: close` and keep-alive load; an invalid file changes nothing and
// says why; `ctl NAME reload` does the same as SIGHUP, and the count follows by scaling.
void tst_Runner::reloadUnderLoad()
{
    REQUIRE_HELLO_HTTP();
    // Two copies of hello-http: the program before and after.
    QStringList programs;
    for (const char *version : { "v1", "v2" }) {
        const QString path
            = m_runtime.filePath(QStringLiteral("hello-http-%1").arg(QLatin1String(version)));
        QFile::remove(path);
        QVERIFY(QFile::copy(QStringLiteral(HELLO_HTTP_PATH), path));
        QVERIFY(
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        programs.append(path);
    }
    const QString config = m_runtime.filePath(QStringLiteral("reload.conf"));
    const auto writeConfig = [&](const QString &program, int workers, const QString &extra) {
        return !writeTextFile(config,
            QStringLiteral("[web]\nprogram = %1\narguments = --port 0\nworkers = %2\n"
                           "control = reloading\njson = true\nrespawn = true\n%3")
                .arg(program)
                .arg(workers)
                .arg(extra))
                    .isEmpty();
    };
    QVERIFY(writeConfig(programs.at(0), 2, QString()));
    Runner runner;
    runner.start({ QStringLiteral("--config"), config, QStringLiteral("web") });
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 2), runner.describe());
    const quint16 port = runner.port();
    for (qint64 pid : runner.workerPids())
        QCOMPARE(executableOf(pid), programs.at(0));

    {
        Load load(port);
        for (int i = 0; i < 20; ++i)
            load.step();
        QVERIFY(writeConfig(programs.at(1), 2, QStringLiteral("env = VERSION=2\n")));
        ::kill(pid_t(runner.process.processId()), SIGHUP);
        const QDeadlineTimer deadline(30000);
        while (runner.eventsNamed(QStringLiteral("restartFinished")).isEmpty()
            && !deadline.hasExpired())
            load.step();
        QVERIFY2(
            !runner.eventsNamed(QStringLiteral("restartFinished")).isEmpty(), runner.describe());
        for (int i = 0; i < 20; ++i)
            load.step();
        QVERIFY2(load.failures.isEmpty(), qPrintable(load.failures.join(QLatin1Char('\n'))));
        QVERIFY(load.keepAliveAnswers() > 0);
        qInfo("%d Connection: close and %d keep-alive requests, none failed", load.requests,
            load.keepAliveAnswers());
    }
    const QList<QJsonObject> reloads = runner.eventsNamed(QStringLiteral("reload"));
    QCOMPARE(reloads.size(), 1);
    QVERIFY2(reloads.first().value(QLatin1String("ok")).toBool(), runner.describe());
    QVERIFY(runner.eventsNamed(QStringLiteral("restartFinished"))
                .first()
                .value(QLatin1String("ok"))
                .toBool());
    // Workers 3 and 4 replaced 1 and 2, running the new program with the new environment.
    QJsonObject snapshot
        = ctl({ QStringLiteral("reloading"), QStringLiteral("status"), QStringLiteral("--json") })
              .json();
    QList<QJsonObject> workers = workersOf(snapshot);
    QCOMPARE(workers.size(), 2);
    for (const QJsonObject &worker : workers) {
        const qint64 pid = worker.value(QLatin1String("pid")).toInteger();
        QCOMPARE(executableOf(pid), programs.at(1));
        QVERIFY(environmentOf(pid).contains(QByteArray("\0VERSION=2\0")));
    }

    // An invalid file: nothing changes, and the reason names the file, the line and the key.
    const int forks = runner.eventsNamed(QStringLiteral("fork")).size();
    QVERIFY(writeConfig(programs.at(0), 2, QStringLiteral("heartbeat = soon\n")));
    ::kill(pid_t(runner.process.processId()), SIGHUP);
    QVERIFY2(runner.waitForEvents(QStringLiteral("reload"), 2), runner.describe());
    const QJsonObject refused = runner.eventsNamed(QStringLiteral("reload")).at(1);
    QCOMPARE(refused.value(QLatin1String("ok")).toBool(), false);
    QVERIFY2(
        refused.value(QLatin1String("error"))
            .toString()
            .contains(QStringLiteral("%1:8: heartbeat needs a number of milliseconds").arg(config)),
        runner.describe());
    CtlResult result = ctl({ QStringLiteral("reloading"), QStringLiteral("reload") });
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.contains("heartbeat needs a number of milliseconds"), result.describe());
    snapshot
        = ctl({ QStringLiteral("reloading"), QStringLiteral("status"), QStringLiteral("--json") })
              .json();
    const auto pids = [](const QList<QJsonObject> &list) {
        QList<qint64> found;
        for (const QJsonObject &worker : list)
            found.append(worker.value(QLatin1String("pid")).toInteger());
        return found;
    };
    QCOMPARE(pids(workersOf(snapshot)), pids(workers));
    QCOMPARE(runner.eventsNamed(QStringLiteral("fork")).size(), forks);

    // ctl reload with a valid file: the same program, one more worker, by scaling only.
    QVERIFY(writeConfig(programs.at(1), 3, QStringLiteral("env = VERSION=2\n")));
    result = ctl({ QStringLiteral("reloading"), QStringLiteral("reload") });
    QVERIFY2(result.code == 0, result.describe());
    QVERIFY2(result.out.contains("reloading: configuration reloaded"), result.describe());
    QVERIFY2(runner.waitForEvents(QStringLiteral("listening"), 5), runner.describe());
    QCOMPARE(runner.eventsNamed(QStringLiteral("fork")).size(), forks + 1);
    QCOMPARE(runner.eventsNamed(QStringLiteral("restartFinished")).size(), 1);

    result = ctl({ QStringLiteral("reloading"), QStringLiteral("shutdown") });
    QVERIFY2(result.code == 0, result.describe());
    QCOMPARE(runner.waitForExit(), 0);
}

namespace {
// The last "PORT" of a "NAME | ... worker N listening on ADDRESS:PORT" line of a cluster of a
// group; 0 before there is one.
quint16 clusterPort(const Runner &runner, const QString &name)
{
    const QRegularExpression pattern(
        QStringLiteral("^%1 \\| \\S+ worker \\d+ listening on .*:(\\d+)$")
            .arg(QRegularExpression::escape(name)));
    quint16 port = 0;
    for (const QString &line : runner.lines) {
        const QRegularExpressionMatch match = pattern.match(line);
        if (match.hasMatch())
            port = quint16(match.captured(1).toUInt());
    }
    return port;
}

// The pid of the last cluster-run the group started for the cluster `name`; 0 before.
qint64 clusterPid(const Runner &runner, const QString &name)
{
    const QRegularExpression pattern(
        QStringLiteral("cluster-run: cluster %1 started \\(pid (\\d+)\\)$")
            .arg(QRegularExpression::escape(name)));
    qint64 pid = 0;
    for (const QString &line : runner.lines) {
        const QRegularExpressionMatch match = pattern.match(line);
        if (match.hasMatch())
            pid = match.captured(1).toLongLong();
    }
    return pid;
}

bool hasLineStartingWith(const Runner &runner, const QString &start)
{
    for (const QString &line : runner.lines)
        if (line.startsWith(start))
            return true;
    return false;
}

// The events named `name` a client received.
QList<QJsonObject> received(const QSignalSpy &spy, const QString &name)
{
    QList<QJsonObject> events;
    for (const QList<QVariant> &arguments : spy) {
        const QJsonObject event = arguments.at(0).toJsonObject();
        if (event.value(QLatin1String("event")).toString() == name)
            events.append(event);
    }
    return events;
}
} // namespace

// Every reload says what came of it to the endpoint's clients (`ctl NAME watch`, the monitor, a
// ControlClient): what changed and how, or, for an invalid file, why nothing did.
void tst_Runner::reloadIsAnEvent()
{
    REQUIRE_HELLO_HTTP();
    const QString config = m_runtime.filePath(QStringLiteral("events.conf"));
    const auto writeConfig = [&](const QString &extra) {
        return !writeTextFile(config,
            QStringLiteral("[web]\nprogram = %1\narguments = --port 0\ncontrol = reload-events\n%2")
                .arg(QStringLiteral(HELLO_HTTP_PATH), extra))
                    .isEmpty();
    };
    QVERIFY(writeConfig(QStringLiteral("workers = 1\n")));
    Runner runner;
    runner.start({ QStringLiteral("--config"), config });
    QTRY_VERIFY_WITH_TIMEOUT(
        runner.lines.join(QLatin1Char('\n')).contains(QStringLiteral("listening on")), 30000);
    LibCluster::ControlClient client;
    QSignalSpy connected(&client, &LibCluster::ControlClient::connected);
    QSignalSpy events(&client, &LibCluster::ControlClient::eventReceived);
    client.connectToEndpoint(QStringLiteral("reload-events"));
    QVERIFY(connected.wait(10000));
    QProcess watch;
    watch.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("ctl"), QStringLiteral("reload-events"), QStringLiteral("watch") });
    QByteArray watched;
    connect(&watch, &QProcess::readyReadStandardOutput, &watch,
        [&] { watched += watch.readAllStandardOutput(); });
    QTRY_VERIFY_WITH_TIMEOUT(watched.contains("watching reload-events"), 10000);
    const auto cleanup = qScopeGuard([&] {
        watch.kill();
        watch.waitForFinished();
    });

    // Applied: the count by scaling, a supervisor's limit at once, the policy not before a
    // restart.
    QVERIFY(writeConfig(QStringLiteral("workers = 2\nheartbeat = 500\npolicy = leastconn\n")));
    ::kill(pid_t(runner.process.processId()), SIGHUP);
    QTRY_COMPARE_WITH_TIMEOUT(received(events, QStringLiteral("reload")).size(), 1, 30000);
    const QJsonObject applied = received(events, QStringLiteral("reload")).first();
    QVERIFY2(applied.value(QLatin1String("ok")).toBool(), runner.describe());
    QCOMPARE(applied.value(QLatin1String("application")).toBool(), true);
    QCOMPARE(applied.value(QLatin1String("cluster")).toString(), QStringLiteral("web"));
    QCOMPARE(applied.value(QLatin1String("changes")).toArray(),
        (QJsonArray {
            QJsonObject { { QStringLiteral("key"), QStringLiteral("workers") },
                { QStringLiteral("how"), QStringLiteral("scaled") }, { QStringLiteral("from"), 1 },
                { QStringLiteral("to"), 2 } },
            QJsonObject { { QStringLiteral("key"), QStringLiteral("policy") },
                { QStringLiteral("how"), QStringLiteral("keptUntilRestart") } },
            QJsonObject { { QStringLiteral("key"), QStringLiteral("heartbeat") },
                { QStringLiteral("how"), QStringLiteral("applied") } },
            QJsonObject { { QStringLiteral("key"), QStringLiteral("heartbeat-timeout") },
                { QStringLiteral("how"), QStringLiteral("applied") } },
        }));
    QTRY_VERIFY_WITH_TIMEOUT(
        watched.contains(QByteArray("reload: reloaded " + QFile::encodeName(config)
            + ": workers 1 -> 2 by scaling; heartbeat, heartbeat-timeout "
              "at once; policy kept as they were until cluster-run restarts")),
        10000);
    QTRY_COMPARE_WITH_TIMEOUT(received(events, QStringLiteral("listening")).size(), 1, 30000);
    const QList<qint64> pids = [&] {
        QList<qint64> found;
        for (const QJsonObject &worker :
            workersOf(ctl({ QStringLiteral("reload-events"), QStringLiteral("status"),
                              QStringLiteral("--json") })
                          .json()))
            found.append(worker.value(QLatin1String("pid")).toInteger());
        return found;
    }();
    QCOMPARE(pids.size(), 2);

    // Refused: the mistake with its file, line and key, and the cluster as it was.
    const qsizetype before = events.size();
    QVERIFY(writeConfig(QStringLiteral("workers = 3\nheartbeat = soon\n")));
    ::kill(pid_t(runner.process.processId()), SIGHUP);
    QTRY_COMPARE_WITH_TIMEOUT(received(events, QStringLiteral("reload")).size(), 2, 30000);
    const QJsonObject refused = received(events, QStringLiteral("reload")).at(1);
    QCOMPARE(refused.value(QLatin1String("ok")).toBool(), false);
    QCOMPARE(refused.value(QLatin1String("alert")).toBool(), true);
    QCOMPARE(refused.value(QLatin1String("errors")).toArray(),
        (QJsonArray { QStringLiteral("%1:6: heartbeat needs a number of milliseconds, not 'soon'")
                          .arg(config) }));
    QTRY_VERIFY_WITH_TIMEOUT(watched.contains(QByteArray("reload: " + QFile::encodeName(config)
                                 + " is not valid, nothing changed: " + QFile::encodeName(config)
                                 + ":6: heartbeat needs a number of milliseconds")),
        10000);
    const QJsonObject snapshot = ctl(
        { QStringLiteral("reload-events"), QStringLiteral("status"), QStringLiteral("--json") })
                                     .json();
    QCOMPARE(keptWorkers(snapshot), 2);
    QList<qint64> after;
    for (const QJsonObject &worker : workersOf(snapshot))
        after.append(worker.value(QLatin1String("pid")).toInteger());
    QCOMPARE(after, pids);
    QCOMPARE(snapshot.value(QLatin1String("supervisor"))
                 .toObject()
                 .value(QLatin1String("heartbeatInterval"))
                 .toInt(),
        500);
    // Nothing forked, nothing scaled since.
    for (qsizetype i = before; i < events.size(); ++i) {
        const QString name
            = events.at(i).at(0).toJsonObject().value(QLatin1String("event")).toString();
        QVERIFY2(name != QLatin1String("fork") && name != QLatin1String("workerCount"),
            qPrintable(name));
    }

    // A file of many mistakes: clients still get the event, with one line to show and the first
    // 20 errors; the log has every one.
    QString many;
    for (int i = 1; i <= 30; ++i)
        many += QStringLiteral("no-such-key-%1 = 1\n").arg(i);
    QVERIFY(writeConfig(many));
    ::kill(pid_t(runner.process.processId()), SIGHUP);
    QTRY_COMPARE_WITH_TIMEOUT(received(events, QStringLiteral("reload")).size(), 3, 30000);
    const QJsonObject bounded = received(events, QStringLiteral("reload")).at(2);
    QCOMPARE(bounded.value(QLatin1String("alert")).toBool(), true);
    QCOMPARE(bounded.value(QLatin1String("errors")).toArray().size(), 20);
    QCOMPARE(bounded.value(QLatin1String("errorsOmitted")).toInt(), 10);
    const QString shown = bounded.value(QLatin1String("text")).toString();
    QVERIFY2(!shown.contains(QLatin1Char('\n')) && shown.contains(QStringLiteral("more lines)")),
        qPrintable(shown));
    QTRY_VERIFY_WITH_TIMEOUT(runner.describe().contains("no-such-key-30"), 10000);

    ::kill(pid_t(runner.process.processId()), SIGTERM);
    QCOMPARE(runner.waitForExit(), 0);
}

// `cluster-run --config FILE` with several clusters and no name runs each in a cluster-run of
// its own: each serves, each has its endpoint, their lines say whose they are, and SIGTERM stops
// them all gracefully.
void tst_Runner::runsEveryClusterOfTheFile()
{
    REQUIRE_HELLO_HTTP();
    const QString config = writeTextFile(m_runtime.filePath(QStringLiteral("group.conf")),
        QStringLiteral("program = %1\narguments = --port 0\nworkers = 1\n"
                       "[alpha]\ncontrol = group-alpha\n"
                       "[beta]\ncontrol = group-beta\nworkers = 3\n")
            .arg(QStringLiteral(HELLO_HTTP_PATH)));
    Runner runner;
    // The command line goes on top of the file for every cluster.
    runner.start(
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--config"), config });
    QTRY_VERIFY2_WITH_TIMEOUT(
        clusterPort(runner, QStringLiteral("alpha")) && clusterPort(runner, QStringLiteral("beta")),
        runner.describe(), 30000);
    const quint16 alphaPort = clusterPort(runner, QStringLiteral("alpha"));
    const quint16 betaPort = clusterPort(runner, QStringLiteral("beta"));
    QVERIFY(alphaPort != betaPort);
    QVERIFY(httpGet(alphaPort).endsWith("hello world\n"));
    QVERIFY(httpGet(betaPort).endsWith("hello world\n"));

    // Each cluster has its own primary, which is not this one.
    const qint64 alphaPid = clusterPid(runner, QStringLiteral("alpha"));
    const qint64 betaPid = clusterPid(runner, QStringLiteral("beta"));
    QVERIFY(alphaPid > 0 && betaPid > 0 && alphaPid != betaPid);
    QVERIFY(alphaPid != runner.process.processId());
    for (const auto &[name, pid] : { std::pair(QStringLiteral("alpha"), alphaPid),
             std::pair(QStringLiteral("beta"), betaPid) }) {
        const QString endpoint = QStringLiteral("group-") + name;
        CtlResult status = ctl({ endpoint, QStringLiteral("status") });
        QVERIFY2(status.code == 0, status.describe());
        QVERIFY2(status.out.contains(
                     QByteArray(endpoint.toUtf8() + ": primary " + QByteArray::number(pid))),
            status.describe());
        status = ctl({ endpoint, QStringLiteral("status"), QStringLiteral("--json") });
        QCOMPARE(keptWorkers(status.json()), 2);
    }

    // Whose line is whose: the workers' own output, and the cluster's events.
    QTRY_VERIFY2_WITH_TIMEOUT(
        hasLineStartingWith(runner, QStringLiteral("alpha | worker 1 stdout | "))
            && hasLineStartingWith(runner, QStringLiteral("beta | worker 2 stdout | ")),
        runner.describe(), 10000);
    QVERIFY(hasLineStartingWith(
        runner, QStringLiteral("beta | cluster-run: primary %1 runs ").arg(betaPid)));

    ::kill(pid_t(runner.process.processId()), SIGTERM);
    QCOMPARE(runner.waitForExit(), 0);
    for (const auto &[name, pid] :
        { std::pair(QByteArray("alpha"), alphaPid), std::pair(QByteArray("beta"), betaPid) }) {
        QVERIFY2(runner.out.contains(QByteArray("cluster-run: cluster " + name + " (pid "
                     + QByteArray::number(pid) + ") exited with code 0")),
            runner.describe());
        // Gracefully: each shut its workers down.
        QVERIFY2(runner.out.contains(QByteArray(name + " | libcluster.primary: received SIGTERM"))
                || runner.err.contains(
                    QByteArray(name + " | libcluster.primary: received SIGTERM")),
            runner.describe());
        QVERIFY(processGone(pid));
    }
}

// SIGHUP re-reads the file: a cluster added starts, one removed stops gracefully, the one kept
// reloads. A cluster killed is said so, with how it ended, and started again.
void tst_Runner::clustersComeAndGoOnReload()
{
    REQUIRE_HELLO_HTTP();
    const QString config = m_runtime.filePath(QStringLiteral("changing.conf"));
    const auto writeConfig = [&](const QStringList &names) {
        QString text = QStringLiteral("program = %1\narguments = --port 0\nworkers = 1\n")
                           .arg(QStringLiteral(HELLO_HTTP_PATH));
        for (const QString &name : names)
            text += QStringLiteral("[%1]\ncontrol = changing-%1\n").arg(name);
        return !writeTextFile(config, text).isEmpty();
    };
    QVERIFY(writeConfig({ QStringLiteral("alpha"), QStringLiteral("beta") }));
    Runner runner;
    runner.start({ QStringLiteral("--config"), config });
    QTRY_VERIFY2_WITH_TIMEOUT(
        clusterPort(runner, QStringLiteral("alpha")) && clusterPort(runner, QStringLiteral("beta")),
        runner.describe(), 30000);
    const qint64 alphaPid = clusterPid(runner, QStringLiteral("alpha"));
    const qint64 betaPid = clusterPid(runner, QStringLiteral("beta"));

    QVERIFY(writeConfig({ QStringLiteral("alpha"), QStringLiteral("gamma") }));
    ::kill(pid_t(runner.process.processId()), SIGHUP);
    QTRY_VERIFY2_WITH_TIMEOUT(
        clusterPort(runner, QStringLiteral("gamma")), runner.describe(), 30000);
    QVERIFY(httpGet(clusterPort(runner, QStringLiteral("gamma"))).endsWith("hello world\n"));
    QTRY_VERIFY2_WITH_TIMEOUT(runner.out.contains(QByteArray("cluster-run: cluster beta (pid "
                                  + QByteArray::number(betaPid) + ") exited with code 0")),
        runner.describe(), 30000);
    QVERIFY(processGone(betaPid));
    QVERIFY(ctl({ QStringLiteral("changing-beta"), QStringLiteral("status") }).code != 0);
    CtlResult status = ctl({ QStringLiteral("changing-gamma"), QStringLiteral("status") });
    QVERIFY2(status.code == 0, status.describe());
    // The one kept is the same process, and reloaded its own part of the file.
    QCOMPARE(clusterPid(runner, QStringLiteral("alpha")), alphaPid);
    QTRY_VERIFY2_WITH_TIMEOUT(
        hasLineStartingWith(runner, QStringLiteral("alpha | cluster-run: reloaded %1").arg(config)),
        runner.describe(), 10000);

    // Killed: reported with how it ended, and back after the first back-off.
    ::kill(pid_t(alphaPid), SIGKILL);
    QTRY_VERIFY2_WITH_TIMEOUT(runner.err.contains(QByteArray("cluster-run: cluster alpha (pid "
                                  + QByteArray::number(alphaPid)
                                  + ") was killed by SIGKILL unexpectedly; starting it again in "
                                    "1000 ms")),
        runner.describe(), 30000);
    QTRY_VERIFY2_WITH_TIMEOUT(
        clusterPid(runner, QStringLiteral("alpha")) != alphaPid, runner.describe(), 30000);
    QTRY_COMPARE_WITH_TIMEOUT(
        ctl({ QStringLiteral("changing-alpha"), QStringLiteral("status") }).code, 0, 30000);

    ::kill(pid_t(runner.process.processId()), SIGTERM);
    QCOMPARE(runner.waitForExit(), 0);
    QVERIFY(runner.out.contains("cluster-run: every cluster has ended"));
}

QTEST_MAIN(tst_Runner)
#include "tst_runner.moc"
