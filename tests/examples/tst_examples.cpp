// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The example programs, run as a user runs them: what they print, and that they end with code 0;
// hello-http's answers to what HTTP clients send.
#include <libcluster/cluster.h>

#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

class tst_Examples : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void printsWhatTheDocsSay_data();
    void printsWhatTheDocsSay();
    void workerId();
    void disconnect();
    void exitRestart();
    void events();
    void helloHttpRequests_data();
    void helloHttpRequests();
};

namespace {

struct Run
{
    bool finished = false;
    QProcess::ExitStatus exitStatus = QProcess::CrashExit;
    int exitCode = -1;
    QStringList lines; // standard output
    QString errors; // standard error

    bool succeeded() const
    {
        return finished && exitStatus == QProcess::NormalExit && exitCode == 0 && errors.isEmpty();
    }
    QByteArray describe() const
    {
        return QStringLiteral("finished %1, status %2, code %3\nstdout:\n%4\nstderr:\n%5")
            .arg(finished)
            .arg(exitStatus)
            .arg(exitCode)
            .arg(lines.join(QLatin1Char('\n')), errors)
            .toLocal8Bit();
    }
};

Run run(const QString &example)
{
    Run result;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_LOGGING_RULES")); // libcluster's debug output would fill stderr
    process.setProcessEnvironment(env);
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(QStringLiteral(BIN_DIR "/") + example, {});
    // An external program: a generous bound, not a sleep. Each example needs well under a second.
    result.finished = process.waitForFinished(60000);
    if (!result.finished) {
        process.kill();
        process.waitForFinished();
    }
    result.exitStatus = process.exitStatus();
    result.exitCode = process.exitCode();
    result.lines = QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'));
    if (result.lines.constLast().isEmpty())
        result.lines.removeLast();
    result.errors = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

QStringList sorted(QStringList list)
{
    list.sort();
    return list;
}

} // namespace

// Examples whose output is a fixed set of lines; `ordered` when their order is fixed too.
void tst_Examples::printsWhatTheDocsSay_data()
{
    QTest::addColumn<QString>("example");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<bool>("ordered");

    QTest::newRow("worker.send: echo")
        << QStringLiteral("send-echo")
        << QStringList { QStringLiteral("worker #1 echoed: hi there") } << true;
    QTest::newRow("worker.suicide / exitedAfterDisconnect")
        << QStringLiteral("exited-after-disconnect")
        << QStringList { QStringLiteral("Oh, it was just voluntary – no need to worry") } << true;
    QTest::newRow("cluster.setupMaster") << QStringLiteral("setup-primary")
                                         << QStringList {
                                                QStringLiteral("worker #1 (silent) said: https worker"),
                                                QStringLiteral("worker #2 (silent) said: http worker"),
                                            }
                                         << false;
    QTest::newRow("cluster.workers") << QStringLiteral("each-worker")
                                     << QStringList {
                                            QStringLiteral("worker #1 got: big announcement to all workers"),
                                            QStringLiteral("worker #2 got: big announcement to all workers"),
                                            QStringLiteral("worker #3 got: big announcement to all workers"),
                                        }
                                     << false;
    QTest::newRow("event 'online'") << QStringLiteral("online")
                                    << QStringList {
                                           QStringLiteral("Yay, the worker responded after it was forked"),
                                           QStringLiteral("Yay, the worker responded after it was forked"),
                                       }
                                    << true;
    QTest::newRow("event 'setup'")
            << QStringLiteral("setup-event")
            << QStringList {
                   QStringLiteral("setup: exec setup-event, args [--use https], silent true"),
                   QStringLiteral("setup: exec setup-event, args [--use http], silent true"),
                   QStringLiteral("settings: exec setup-event, args [--use http], silent true"),
               }
            << true;
    QTest::newRow("worker event 'exit'") << QStringLiteral("worker-exit")
                                         << QStringList {
                                                QStringLiteral("worker success!"),
                                                QStringLiteral("worker exited with error code: 3"),
                                                QStringLiteral("worker was killed by signal: SIGTERM"),
                                            }
                                         << false;
    QTest::newRow("worker event 'online'")
        << QStringLiteral("worker-online") << QStringList { QStringLiteral("worker #1 is online") }
        << true;
    QTest::newRow("worker event 'disconnect'")
        << QStringLiteral("worker-disconnect")
        << QStringList { QStringLiteral("worker #1 has disconnected") } << true;
    QTest::newRow("event 'message'")
            << QStringLiteral("message-event")
            << QStringList {
                   QStringLiteral(R"(message from worker #1: {"cmd": "notifyRequest"}, without a handle)"),
                   QStringLiteral(R"(message from worker #2: {"cmd": "notifyRequest"}, without a handle)"),
               }
            << false;
}

void tst_Examples::printsWhatTheDocsSay()
{
    QFETCH(QString, example);
    QFETCH(QStringList, expected);
    QFETCH(bool, ordered);

    const Run result = run(example);
    QVERIFY2(result.succeeded(), result.describe());
    if (ordered)
        QCOMPARE(result.lines, expected);
    else
        QCOMPARE(sorted(result.lines), sorted(expected));
}

// cluster.worker: the primary speaks first (before it forks), the workers in any order.
void tst_Examples::workerId()
{
    const Run result = run(QStringLiteral("worker-id"));
    QVERIFY2(result.succeeded(), result.describe());
    QVERIFY2(!result.lines.isEmpty(), result.describe());
    QCOMPARE(result.lines.first(), QStringLiteral("I am primary"));
    QCOMPARE(sorted(result.lines.mid(1)),
        (QStringList { QStringLiteral("I am worker #1"), QStringLiteral("I am worker #2") }));
}

// Event 'disconnect': one line per worker, then cluster.disconnect()'s completion.
void tst_Examples::disconnect()
{
    const Run result = run(QStringLiteral("disconnect"));
    QVERIFY2(result.succeeded(), result.describe());
    QCOMPARE(result.lines.size(), 3);
    QCOMPARE(sorted(result.lines.mid(0, 2)),
        (QStringList { QStringLiteral("The worker #1 has disconnected"),
            QStringLiteral("The worker #2 has disconnected") }));
    QCOMPARE(result.lines.last(), QStringLiteral("all workers disconnected"));
}

// Event 'exit': each death logged with the dead worker's pid and exit code, restarted a bounded
// number of times, every time a new process.
void tst_Examples::exitRestart()
{
    const Run result = run(QStringLiteral("exit-restart"));
    QVERIFY2(result.succeeded(), result.describe());
    QCOMPARE(result.lines.size(), 4);
    const QRegularExpression restarting(
        QStringLiteral(R"(^worker (\d+) died \(1\)\. restarting\.\.\.$)"));
    const QRegularExpression givingUp(
        QStringLiteral(R"(^worker (\d+) died \(1\)\. not restarting after 3 restarts$)"));
    QSet<qint64> pids;
    for (int i = 0; i < 4; ++i) {
        const QRegularExpressionMatch match
            = (i < 3 ? restarting : givingUp).match(result.lines.at(i));
        QVERIFY2(match.hasMatch(), qPrintable(result.lines.at(i)));
        const qint64 pid = match.captured(1).toLongLong();
        QVERIFY(pid > 0);
        pids.insert(pid);
    }
    QCOMPARE(pids.size(), 4);
}

// The demo ./scripts/run runs: every event of every worker, in each worker's order.
void tst_Examples::events()
{
    const Run result = run(QStringLiteral("events"));
    QVERIFY2(result.succeeded(), result.describe());
    QCOMPARE(result.lines.size(), 1 + 3 * 5);
    QVERIFY2(result.lines.first().startsWith(QStringLiteral("setup: exec ")),
        qPrintable(result.lines.first()));
    QVERIFY2(
        result.lines.first().endsWith(QStringLiteral("/events")), qPrintable(result.lines.first()));

    const auto indexOf = [&result](const QRegularExpression &pattern) {
        int found = -1;
        for (int i = 0; i < result.lines.size(); ++i) {
            if (pattern.match(result.lines.at(i)).hasMatch()) {
                if (found >= 0)
                    return -2; // more than once
                found = i;
            }
        }
        return found;
    };
    for (int id = 1; id <= 3; ++id) {
        const QString n = QString::number(id);
        const int fork
            = indexOf(QRegularExpression(QStringLiteral("^fork: worker %1 pid [1-9]\\d*$").arg(n)));
        const int online
            = indexOf(QRegularExpression(QStringLiteral("^online: worker %1$").arg(n)));
        const int message = indexOf(QRegularExpression(
            QStringLiteral(R"(^message from worker %1: \{"worker": %1, "pid": [1-9]\d*, )"
                           R"("echo": "hello from the primary"\}$)")
                .arg(n)));
        const int disconnect
            = indexOf(QRegularExpression(QStringLiteral("^disconnect: worker %1$").arg(n)));
        const int exit = indexOf(
            QRegularExpression(QStringLiteral(R"(^exit: worker %1 code 0 \(asked to\)$)").arg(n)));
        const QByteArray where = "worker " + n.toLatin1() + "\n" + result.describe();
        QVERIFY2(fork > 0 && online > 0 && message > 0 && disconnect > 0 && exit > 0, where);
        QVERIFY2(
            fork < online && online < message && message < disconnect && message < exit, where);
    }
}

namespace {

struct HttpAnswer
{
    int status = 0;
    bool close = false; // said `Connection: close`
    QByteArray body;
};

// The answers in `stream`, each read by its Content-Length; stops at anything incomplete.
QList<HttpAnswer> parseAnswers(const QByteArray &stream)
{
    QList<HttpAnswer> answers;
    qsizetype at = 0;
    for (;;) {
        const qsizetype end = stream.indexOf("\r\n\r\n", at);
        if (end < 0)
            break;
        const QList<QByteArray> lines = stream.mid(at, end - at).split('\n');
        HttpAnswer answer;
        answer.status = lines.first().split(' ').value(1).toInt();
        qsizetype length = 0;
        for (const QByteArray &line : lines.mid(1)) {
            const QByteArray lower = line.trimmed().toLower();
            if (lower.startsWith("content-length:"))
                length = lower.mid(15).trimmed().toLongLong();
            if (lower == "connection: close")
                answer.close = true;
        }
        if (stream.size() < end + 4 + length)
            break;
        answer.body = stream.mid(end + 4, length);
        answers.append(answer);
        at = end + 4 + length;
    }
    return answers;
}

QByteArray get(bool close = false)
{
    return QByteArray("GET / HTTP/1.1\r\nHost: test\r\n") + (close ? "Connection: close\r\n" : "")
        + "\r\n";
}

QByteArray post(const QByteArray &body)
{
    return "POST /form HTTP/1.1\r\nHost: test\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\n\r\n" + body;
}

} // namespace

// hello-http answers what real clients send: requests pipelined in one write, each answered in
// turn; a request's body skipped by its Content-Length (also one that arrives in many pieces,
// or that looks like a request itself), with the connection kept for the next request. The
// last request of each row says `Connection: close`: the answers are exactly the expected ones
// and the server then closes. A Content-Length it cannot honour is refused, not misread.
void tst_Examples::helloHttpRequests_data()
{
    QTest::addColumn<QByteArray>("requests");
    QTest::addColumn<QList<int>>("statuses");

    QTest::newRow("pipelined") << get() + get() + get(true) << QList<int> { 200, 200, 200 };
    QTest::newRow("POST, then GET")
        << post("name=hello&value=world") + get(true) << QList<int> { 200, 200 };
    QTest::newRow("POST, POST, GET")
        << post("a=1") + post("b=2") + get(true) << QList<int> { 200, 200, 200 };
    QTest::newRow("body that looks like a request")
        << post(get() + get()) + get(true) << QList<int> { 200, 200 };
    QTest::newRow("200 KiB body") << post(QByteArray(200 * 1024, 'x')) + get(true)
                                  << QList<int> { 200, 200 };
    QTest::newRow("HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QList<int> { 200 };
    QTest::newRow("negative Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n") + get()
        << QList<int> { 400 };
    QTest::newRow("Content-Length not a number")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n0123456789") + get()
        << QList<int> { 400 };
    QTest::newRow("chunked body") << QByteArray(
                                         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         "1a\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n\r\n0\r\n\r\n")
            + get() << QList<int> { 501 };
}

void tst_Examples::helloHttpRequests()
{
    QFETCH(QByteArray, requests);
    QFETCH(QList<int>, statuses);

    // Port 0: the primary picks the shared port, and the worker's listening event says which (a
    // port probed free beforehand may be taken by someone else before the worker listens).
    QObject scope;
    auto *cluster = new LibCluster::Cluster(&scope);
    LibCluster::Settings settings;
    settings.setExec(QStringLiteral(BIN_DIR "/hello-http"));
    settings.setArgs({ QStringLiteral("--port"), QStringLiteral("0") });
    settings.setSilent(true);
    cluster->setupPrimary(settings);
    LibCluster::Worker *worker = cluster->fork();
    QSignalSpy listening(worker, &LibCluster::Worker::listening);
    QVERIFY(listening.wait(10000));
    const quint16 port = listening.first().at(0).value<LibCluster::Address>().port();
    QVERIFY(port != 0);

    QTcpSocket client;
    QSignalSpy ended(&client, &QTcpSocket::disconnected);
    client.connectToHost(QHostAddress::LocalHost, port);
    client.write(requests); // sent once connected
    QByteArray stream;
    connect(&client, &QTcpSocket::readyRead, &scope, [&] { stream += client.readAll(); });
    QVERIFY2(ended.wait(10000), stream.constData());
    stream += client.readAll();

    const QList<HttpAnswer> answers = parseAnswers(stream);
    QList<int> got;
    for (const HttpAnswer &answer : answers)
        got.append(answer.status);
    QVERIFY2(got == statuses, stream.left(2000).constData());
    // Nothing but these answers came, and only the last one ends the connection.
    for (int i = 0; i < answers.size(); ++i) {
        const HttpAnswer &answer = answers.at(i);
        QCOMPARE(answer.close, i == answers.size() - 1);
        if (answer.status == 200)
            QCOMPARE(answer.body, QByteArray("hello world\n"));
    }
    QVERIFY2(stream.endsWith(answers.constLast().body), stream.right(500).constData());
    QCOMPARE(stream.count("HTTP/1.1 "), answers.size());

    // The worker lives on and serves the next client.
    QTcpSocket next;
    QSignalSpy nextEnded(&next, &QTcpSocket::disconnected);
    next.connectToHost(QHostAddress::LocalHost, port);
    next.write(get(true));
    QVERIFY(nextEnded.wait(10000));
    const QList<HttpAnswer> nextAnswers = parseAnswers(next.readAll());
    QCOMPARE(nextAnswers.size(), 1);
    QCOMPARE(nextAnswers.first().status, 200);
    QVERIFY(worker->isConnected());
}

QTEST_MAIN(tst_Examples)
#include "tst_examples.moc"
