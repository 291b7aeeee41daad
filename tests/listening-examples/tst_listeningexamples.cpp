// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The examples that listen on a shared port, and hello-http, run as their users run them: real
// TCP and HTTP clients against them, what they print, and how they end.
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/types.h>

class tst_ListeningExamples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workerListening();
    void clusterListening();
    void requestCount();
    void disconnectTimeout_data();
    void disconnectTimeout();
    void forkTimeouts_data();
    void forkTimeouts();
    void workersById();
    void helloHttp_data();
    void helloHttp();
    void helloHttpWithoutReusePort();
};

namespace {

// Bounds for external programs: generous, since other work may share the machine; never sleeps.
constexpr int StartTimeout = 30000;
constexpr int FinishTimeout = 60000;
constexpr int IoTimeout = 10000;

// A port to give an example: free now, and below the ephemeral range so that no client socket
// of this machine takes it in the meantime.
quint16 freePort()
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = quint16(QRandomGenerator::global()->bounded(20000, 32000));
        QTcpServer probe;
        if (probe.listen(QHostAddress::Any, port))
            return port;
    }
    return 0;
}

// The state letter of process `pid` (R, S, T for stopped, Z for a zombie...); 0 if it is gone.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last
    // ')'.
    const QByteArray text = stat.readAll();
    const qsizetype end = text.lastIndexOf(')');
    return end >= 0 && end + 2 < text.size() ? text.at(end + 2) : 0;
}

// True while `pid` runs (a zombie does not).
bool processRuns(qint64 pid)
{
    const char state = processState(pid);
    return state != 0 && state != 'Z' && state != 'X';
}

// One example program, its output collected as it comes; killed if the test ends before it does.
class Example
{
public:
    Example(const QString &name, const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(
            QStringLiteral("QT_LOGGING_RULES")); // libcluster's debug output would fill stderr
        env.remove(QStringLiteral("LIBCLUSTER_SCHED_POLICY"));
        m_process.setProcessEnvironment(env);
        m_process.setStandardInputFile(QProcess::nullDevice());
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
            [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError,
            [this] { m_err += m_process.readAllStandardError(); });
        m_process.start(QStringLiteral(BIN_DIR "/") + name, arguments);
    }
    ~Example()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill(); // its workers follow it (PR_SET_PDEATHSIG)
            m_process.waitForFinished();
        }
    }

    QProcess &process() { return m_process; }

    // Complete lines of standard output so far.
    QStringList lines()
    {
        m_out += m_process.readAllStandardOutput();
        QStringList all = QString::fromUtf8(m_out).split(QLatin1Char('\n'));
        all.removeLast(); // empty, or a line still being written
        return all;
    }
    QStringList errorLines()
    {
        m_err += m_process.readAllStandardError();
        QStringList all = QString::fromUtf8(m_err).split(QLatin1Char('\n'));
        all.removeLast();
        return all;
    }
    QString errors()
    {
        m_err += m_process.readAllStandardError();
        return QString::fromUtf8(m_err);
    }
    // The first capture of every line that matches `pattern`.
    QStringList captures(const QString &pattern)
    {
        const QRegularExpression re(pattern);
        QStringList found;
        for (const QString &line : lines()) {
            const QRegularExpressionMatch match = re.match(line);
            if (match.hasMatch())
                found.append(match.captured(1));
        }
        return found;
    }

    // Waits for the program to end by itself.
    bool finish()
    {
        const bool finished
            = m_process.state() == QProcess::NotRunning || m_process.waitForFinished(FinishTimeout);
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return finished;
    }
    bool succeeded() const
    {
        return m_process.state() == QProcess::NotRunning
            && m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }
    QByteArray describe()
    {
        return QStringLiteral("state %1, status %2, code %3\nstdout:\n%4\nstderr:\n%5")
            .arg(m_process.state())
            .arg(m_process.exitStatus())
            .arg(m_process.exitCode())
            .arg(lines().join(QLatin1Char('\n')), errors())
            .toLocal8Bit();
    }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// Connects to 127.0.0.1:port, trying again while nothing listens there yet (the example is
// still starting). Returns the connected socket, or null.
std::unique_ptr<QTcpSocket> connectWhenListening(quint16 port, Example &example)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < StartTimeout) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        if (socket->waitForConnected(IoTimeout))
            return socket;
        if (example.process().state() == QProcess::NotRunning)
            return nullptr;
        // Refused: wait for the example to do something (print, end) or 50 ms, whichever first.
        example.process().waitForReadyRead(50);
    }
    return nullptr;
}

struct Response
{
    bool complete = false;
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
};

QByteArray request(const QByteArray &extraHeaders = QByteArray())
{
    return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
}

// Reads one HTTP response from `socket` (framed by Content-Length).
Response readResponse(QTcpSocket &socket)
{
    Response response;
    QByteArray buffer;
    qsizetype headEnd = -1;
    qint64 length = -1;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < IoTimeout) {
        buffer += socket.readAll();
        if (headEnd < 0 && (headEnd = buffer.indexOf("\r\n\r\n")) >= 0) {
            const QList<QByteArray> head = buffer.left(headEnd).split('\n');
            const QList<QByteArray> statusLine = head.first().trimmed().split(' ');
            response.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
            for (qsizetype i = 1; i < head.size(); ++i) {
                const qsizetype colon = head.at(i).indexOf(':');
                if (colon > 0)
                    response.headers.insert(head.at(i).left(colon).trimmed().toLower(),
                        head.at(i).mid(colon + 1).trimmed());
            }
            length = response.headers.value("content-length", "-1").toLongLong();
        }
        if (headEnd >= 0 && length >= 0 && buffer.size() >= headEnd + 4 + length) {
            response.body = buffer.mid(headEnd + 4, length);
            response.complete = true;
            return response;
        }
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, IoTimeout - clock.elapsed()))))
            break;
    }
    return response;
}

// Sends one HTTP request on `socket` and reads its response.
Response exchange(QTcpSocket &socket, const QByteArray &extraHeaders = QByteArray())
{
    socket.write(request(extraHeaders));
    return readResponse(socket);
}

// One request on a connection of its own, closed by the client afterwards.
Response get(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(IoTimeout))
        return Response();
    return exchange(socket);
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

// Worker event 'listening': the one worker's address, once.
void tst_ListeningExamples::workerListening()
{
    const quint16 port = freePort();
    QVERIFY(port);
    Example example(
        QStringLiteral("worker-listening"), { QStringLiteral("--port"), QString::number(port) });
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded() && example.errors().isEmpty(), example.describe());
    const QStringList lines = example.lines();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(
        QRegularExpression(
            QStringLiteral("^worker #1 is listening on \\S+:%1 \\(addressType [46]\\)$").arg(port))
            .match(lines.first())
            .hasMatch(),
        qPrintable(lines.first()));
}

// Cluster event 'listening': "A worker is now connected to <address>:<port>", once per worker.
void tst_ListeningExamples::clusterListening()
{
    const quint16 port = freePort();
    QVERIFY(port);
    Example example(
        QStringLiteral("listening"), { QStringLiteral("--port"), QString::number(port) });
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded() && example.errors().isEmpty(), example.describe());
    const QStringList lines = example.lines();
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0), lines.at(1));
    QVERIFY2(QRegularExpression(QStringLiteral("^A worker is now connected to \\S*:%1$").arg(port))
                 .match(lines.first())
                 .hasMatch(),
        qPrintable(lines.first()));
}

// Worker event 'message': every HTTP request the workers serve is counted by the primary.
void tst_ListeningExamples::requestCount()
{
    const quint16 port = freePort();
    QVERIFY(port);
    constexpr int requests = 10;
    Example example(QStringLiteral("request-count"),
        { QStringLiteral("--port"), QString::number(port), QStringLiteral("--requests"),
            QString::number(requests), QStringLiteral("--seconds"), QStringLiteral("120") });
    // A connection that sends nothing is no request: it only tells that the port is served.
    QVERIFY2(connectWhenListening(port, example), example.describe());
    for (int i = 0; i < requests; ++i) {
        const Response response = get(port);
        QVERIFY2(response.complete, qPrintable(QStringLiteral("request %1").arg(i)));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("hello world\n"));
    }
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded() && example.errors().isEmpty(), example.describe());

    const QStringList lines = example.lines();
    QVERIFY2(!lines.isEmpty(), example.describe());
    const QRegularExpression numReqs(QStringLiteral("^numReqs = (\\d+)$"));
    int previous = 0;
    for (const QString &line : lines) {
        const QRegularExpressionMatch match = numReqs.match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        const int count = match.captured(1).toInt();
        QVERIFY2(count >= previous && count <= requests, example.describe());
        previous = count;
    }
    QCOMPARE(lines.last(), QStringLiteral("numReqs = %1").arg(requests));
}

// worker.disconnect(): 'shutdown', disconnect, and a kill after 2000 ms if the worker's
// connections hold the disconnect up.
void tst_ListeningExamples::disconnectTimeout_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<bool>("connect");
    QTest::addColumn<QStringList>("ending"); // the last lines, in any order
    QTest::addColumn<bool>("killed");

    QTest::newRow("as in the docs: no connection")
        << QStringList() << false
        << QStringList { QStringLiteral("worker #1 has disconnected"),
               QStringLiteral("worker #1 exited: code 0") }
        << false;
    QTest::newRow("a connection that never ends")
        << QStringList { QStringLiteral("--connections"), QStringLiteral("1") } << true
        << QStringList { QStringLiteral("worker #1 has disconnected"),
               QStringLiteral("worker #1 exited: killed by SIGTERM") }
        << true;
    QTest::newRow("graceful close on 'shutdown'")
        << QStringList { QStringLiteral("--connections"), QStringLiteral("1"),
               QStringLiteral("--graceful") }
        << true
        << QStringList { QStringLiteral("worker #1 has disconnected"),
               QStringLiteral("worker #1 exited: code 0") }
        << false;
}

void tst_ListeningExamples::disconnectTimeout()
{
    QFETCH(QStringList, arguments);
    QFETCH(bool, connect);
    QFETCH(QStringList, ending);
    QFETCH(bool, killed);

    const quint16 port = freePort();
    QVERIFY(port);
    Example example(QStringLiteral("disconnect-timeout"),
        QStringList { QStringLiteral("--port"), QString::number(port) } + arguments);
    std::unique_ptr<QTcpSocket> client;
    if (connect) {
        client = connectWhenListening(port, example);
        QVERIFY2(client, example.describe());
    }
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded() && example.errors().isEmpty(), example.describe());

    QStringList expected { QStringLiteral("worker #1 is listening on port %1").arg(port),
        QStringLiteral("shutting worker #1 down with %1 open connection(s)").arg(connect ? 1 : 0) };
    if (killed)
        expected << QStringLiteral("worker #1 has not disconnected after 2000 ms: killing it");
    const QStringList lines = example.lines();
    QCOMPARE(lines.size(), expected.size() + ending.size());
    QCOMPARE(lines.mid(0, expected.size()), expected);
    QCOMPARE(sorted(lines.mid(expected.size())), sorted(ending));

    if (client) {
        // Closed by the worker (graceful) or by its death: either way the client sees the end.
        QVERIFY(client->state() == QAbstractSocket::UnconnectedState
            || client->waitForDisconnected(IoTimeout));
    }
}

// Cluster event 'fork': a timeout per worker, cleared on 'listening'; the docs' error message
// when it fires, and on every exit.
void tst_ListeningExamples::forkTimeouts_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("messages");

    // A timeout no fork takes: the message comes only from the two exits.
    QTest::newRow("listening in time")
        << QStringList { QStringLiteral("--timeout"), QStringLiteral("30000") } << 2;
    // Workers that listen 1500 ms after they start, long after the 200 ms timeout.
    QTest::newRow("listening too late") << QStringList { QStringLiteral("--timeout"),
        QStringLiteral("200"), QStringLiteral("--listen-delay"), QStringLiteral("1500") }
                                        << 4;
}

void tst_ListeningExamples::forkTimeouts()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, messages);

    const quint16 port = freePort();
    QVERIFY(port);
    Example example(QStringLiteral("fork-timeouts"),
        QStringList { QStringLiteral("--port"), QString::number(port) } + arguments);
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded(), example.describe());
    QCOMPARE(example.errorLines(),
        QStringList(messages, QStringLiteral("Something must be wrong with the connection ...")));

    const QStringList lines = example.lines();
    QCOMPARE(lines.size(), 6);
    for (const QString &id : { QStringLiteral("1"), QStringLiteral("2") }) {
        const qsizetype forked = lines.indexOf(QStringLiteral("worker #%1 forked").arg(id));
        const qsizetype listening
            = lines.indexOf(QStringLiteral("worker #%1 is listening").arg(id));
        const qsizetype exited = lines.indexOf(QStringLiteral("worker #%1 exited").arg(id));
        QVERIFY2(forked >= 0 && forked < listening && listening < exited, example.describe());
    }
}

// The second cluster.workers snippet: a worker looked up by the id a client sent.
void tst_ListeningExamples::workersById()
{
    const quint16 port = freePort();
    QVERIFY(port);
    Example example(
        QStringLiteral("workers-by-id"), { QStringLiteral("--port"), QString::number(port) });
    std::unique_ptr<QTcpSocket> client = connectWhenListening(port, example);
    QVERIFY2(client, example.describe());
    client->write("1\n2\n7\n");
    QStringList answers;
    QElapsedTimer clock;
    clock.start();
    while (answers.size() < 3 && clock.elapsed() < IoTimeout) {
        while (client->canReadLine())
            answers.append(QString::fromUtf8(client->readLine()).trimmed());
        if (answers.size() < 3 && !client->canReadLine())
            client->waitForReadyRead(int(qMax<qint64>(1, IoTimeout - clock.elapsed())));
    }
    client->disconnectFromHost(); // the example ends when its client hangs up
    QVERIFY2(example.finish(), example.describe());
    QVERIFY2(example.succeeded() && example.errors().isEmpty(), example.describe());

    // The workers printed their pids; the primary's answers must name the same ones.
    QHash<QString, QString> pids;
    const QRegularExpression printed(QStringLiteral("^worker #(\\d+) has pid (\\d+)$"));
    for (const QString &line : example.lines()) {
        const QRegularExpressionMatch match = printed.match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        pids.insert(match.captured(1), match.captured(2));
    }
    QCOMPARE(pids.size(), 2);
    QCOMPARE(answers,
        (QStringList { QStringLiteral("worker #1 has pid ") + pids.value(QStringLiteral("1")),
            QStringLiteral("worker #2 has pid ") + pids.value(QStringLiteral("2")),
            QStringLiteral("no worker #7") }));
}

// hello-http, the first example of the docs, under every scheduling policy: what it prints, its
// answers, keep-alive, Connection: close, a worker's death, SIGTERM.
void tst_ListeningExamples::helloHttp_data()
{
    QTest::addColumn<QString>("policy");
    for (const char *policy : { "rr", "none", "reuseport", "leastconn", "sticky" })
        QTest::newRow(policy) << QString::fromLatin1(policy);
}

void tst_ListeningExamples::helloHttp()
{
    QFETCH(QString, policy);
    const quint16 port = freePort();
    QVERIFY(port);
    Example example(QStringLiteral("hello-http"),
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--port"),
            QString::number(port), QStringLiteral("--policy"), policy });

    // What the docs' example prints: the primary, then each worker once it serves.
    QTRY_VERIFY2_WITH_TIMEOUT(
        example.captures(QStringLiteral("^Worker (\\d+) started$")).size() == 2
            || example.process().state() == QProcess::NotRunning,
        example.describe(), StartTimeout);
    const QStringList primary = example.captures(QStringLiteral("^Primary (\\d+) is running"));
    QCOMPARE(primary, QStringList { QString::number(example.process().processId()) });
    const QStringList workers = example.captures(QStringLiteral("^Worker (\\d+) started$"));
    QCOMPARE(workers.size(), 2);
    QVERIFY(workers.at(0) != workers.at(1));

    // Requests on connections of their own: "hello world\n" from worker 1 or 2.
    QSet<QByteArray> ids;
    for (int i = 0; i < 6; ++i) {
        const Response response = get(port);
        QVERIFY2(response.complete, qPrintable(QStringLiteral("request %1").arg(i)));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("hello world\n"));
        const QByteArray id = response.headers.value("x-worker-id");
        QVERIFY2(id == "1" || id == "2", id.constData());
        ids.insert(id);
    }
    // Round-robin takes the workers in turn: one after the other connection, both get one.
    if (policy == QLatin1String("rr"))
        QCOMPARE(ids.size(), 2);

    // Keep-alive: two requests over one connection, both answered, by the same worker.
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(IoTimeout));
        const Response first = exchange(socket);
        QVERIFY(first.complete);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, QByteArray("hello world\n"));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        const Response second = exchange(socket);
        QVERIFY(second.complete);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body, QByteArray("hello world\n"));
        QCOMPARE(second.headers.value("x-worker-id"), first.headers.value("x-worker-id"));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    }

    // Connection: close: answered, then the server closes the connection.
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(socket.waitForConnected(IoTimeout));
        const Response response = exchange(socket, "Connection: close\r\n");
        QVERIFY(response.complete);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("hello world\n"));
        QVERIFY(socket.state() == QAbstractSocket::UnconnectedState
            || socket.waitForDisconnected(IoTimeout));
    }

    // Where the primary hands out connections, the workers never accept on their own, not even
    // after QHttpServer has taken connections from them (QTcpServer resumes accepting then): with
    // the primary stopped, a new connection waits in the backlog, unanswered, until it goes on.
    if (policy != QLatin1String("none") && policy != QLatin1String("reuseport")) {
        const auto primaryPid = pid_t(example.process().processId());
        QCOMPARE(::kill(primaryPid, SIGSTOP), 0);
        QTRY_VERIFY_WITH_TIMEOUT(processState(primaryPid) == 'T', IoTimeout);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        const bool connected = socket.waitForConnected(IoTimeout); // the kernel's backlog takes it
        socket.write(request());
        const bool answeredWhileStopped = socket.waitForReadyRead(1000);
        QCOMPARE(::kill(primaryPid, SIGCONT), 0);
        QVERIFY(connected);
        QVERIFY2(!answeredWhileStopped, "a worker accepted a connection itself");
        const Response response = readResponse(socket);
        QVERIFY(response.complete);
        QCOMPARE(response.body, QByteArray("hello world\n"));
    }

    // A worker's death: "worker <pid> died", as in the docs.
    const qint64 victim = workers.at(0).toLongLong();
    QCOMPARE(::kill(pid_t(victim), SIGKILL), 0);
    QTRY_VERIFY2_WITH_TIMEOUT(
        !example.captures(QStringLiteral("^worker (%1) died").arg(victim)).isEmpty(),
        example.describe(), StartTimeout);
    QVERIFY2(example.process().state() == QProcess::Running, example.describe());

    // SIGTERM ends the primary; its other worker goes with it.
    const qint64 survivor = workers.at(1).toLongLong();
    QCOMPARE(::kill(pid_t(example.process().processId()), SIGTERM), 0);
    QVERIFY2(example.finish(), example.describe());
    QTRY_VERIFY_WITH_TIMEOUT(!processRuns(survivor), StartTimeout);
    QVERIFY2(example.errors().isEmpty(), example.describe());
}

// On a system without SO_REUSEPORT, the reuseport policy fails with a clear error from every
// worker's listen(), and the example ends instead of hanging or crashing; the default policy
// serves as usual there.
void tst_ListeningExamples::helloHttpWithoutReusePort()
{
    const quint16 port = freePort();
    QVERIFY(port);
    const QString helloHttp = QStringLiteral(BIN_DIR "/hello-http");
    Example refused(QStringLiteral("withoutreuseport"),
        { helloHttp, QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--port"),
            QString::number(port), QStringLiteral("--policy"), QStringLiteral("reuseport") });
    QVERIFY2(refused.finish(), refused.describe());
    QVERIFY2(
        refused.process().exitStatus() == QProcess::NormalExit && refused.process().exitCode() == 1,
        refused.describe());
    const QString why = QStringLiteral("cannot listen on port %1: setsockopt: SO_REUSEPORT is not "
                                       "supported on this system")
                            .arg(port);
    const QStringList errors = refused.errorLines();
    for (const int id : { 1, 2 })
        QVERIFY2(
            errors.contains(QStringLiteral("worker %1: %2").arg(id).arg(why)), refused.describe());

    Example served(QStringLiteral("withoutreuseport"),
        { helloHttp, QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--port"),
            QString::number(port), QStringLiteral("--policy"), QStringLiteral("rr") });
    const std::unique_ptr<QTcpSocket> socket = connectWhenListening(port, served);
    QVERIFY2(socket, served.describe());
    const Response response = exchange(*socket);
    QVERIFY(response.complete);
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello world\n"));
}

QTEST_MAIN(tst_ListeningExamples)
#include "tst_listeningexamples.moc"
