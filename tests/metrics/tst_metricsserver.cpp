// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MetricsServer over real sockets: /metrics from a cluster of hello-http workers, valid for
// promtool and equal to what clients sent; /healthz and /readyz as workers come and go; bad
// requests, slow and too many clients bounded.
#include <libcluster/cluster.h>
#include <libcluster/metricsserver.h>
#include <libcluster/supervisor.h>

#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace LibCluster;

#ifdef HELLO_HTTP_PATH
#define REQUIRE_HELLO_HTTP()
#else
#define HELLO_HTTP_PATH ""
#define REQUIRE_HELLO_HTTP() QSKIP("hello-http is not built (LIBCLUSTER_BUILD_EXAMPLES=OFF)")
#endif

namespace {

struct Answer
{
    int status = 0; // 0: no answer
    QByteArray head;
    QByteArray body;
    bool closed = false; // the server closed the connection
};

// One request on its own connection, on the event loop (the server runs in this process).
Answer exchange(quint16 port, const QByteArray &request, int timeout = 10000)
{
    QTcpSocket socket;
    QByteArray raw;
    bool done = false;
    QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] { socket.write(request); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { done = true; });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [&] { done = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    done = QTest::qWaitFor([&] { return done; }, timeout);
    raw += socket.readAll();
    Answer answer;
    answer.closed = done;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        return answer;
    answer.head = raw.left(end);
    answer.body = raw.mid(end + 4);
    const QList<QByteArray> statusLine = answer.head.left(answer.head.indexOf("\r\n")).split(' ');
    answer.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
    return answer;
}

Answer get(quint16 port, const QByteArray &path)
{
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
}

// The value of one sample, e.g. `libcluster_worker_requests_total{worker="1"}`; -1 if absent.
double sampleValue(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n'))
        if (line.startsWith(QByteArray(series + ' ')))
            return line.mid(series.size() + 1).toDouble();
    return -1;
}

// Runs `promtool check metrics` on `text`; its verdict and what it said.
bool promtoolAccepts(const QByteArray &text, QString *said)
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    QSignalSpy finished(&promtool, &QProcess::finished);
    promtool.start(
        QStringLiteral("promtool"), { QStringLiteral("check"), QStringLiteral("metrics") });
    if (!promtool.waitForStarted(10000)) {
        *said = promtool.errorString();
        return false;
    }
    promtool.write(text);
    promtool.closeWriteChannel();
    if (!finished.wait(30000)) {
        *said = QStringLiteral("promtool did not finish");
        return false;
    }
    *said = QString::fromUtf8(promtool.readAll());
    return promtool.exitStatus() == QProcess::NormalExit && promtool.exitCode() == 0;
}

Cluster *helloCluster(QObject *parent)
{
    Settings settings;
    settings.setExec(QStringLiteral(HELLO_HTTP_PATH));
    settings.setArgs({ QStringLiteral("--port"), QStringLiteral("0") });
    settings.setSilent(true);
    auto *cluster = new Cluster(parent);
    cluster->setupPrimary(settings);
    return cluster;
}

quint16 listeningPort(Cluster *cluster)
{
    const auto workers = cluster->workers();
    for (const Worker *worker : workers)
        if (!worker->listeningAddresses().isEmpty())
            return quint16(worker->listeningAddresses().constFirst().port());
    return 0;
}

int listeningCount(Cluster *cluster)
{
    int count = 0;
    const auto workers = cluster->workers();
    for (const Worker *worker : workers)
        count += worker->state() == Worker::Listening ? 1 : 0;
    return count;
}

} // namespace

class tst_MetricsServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void scrapeIsValidAndCountsWhatClientsSent();
    void probesFollowTheWorkers();
    void badRequestsAreAnswered();
    void slowAndManyClientsAreBounded();
    void listenErrorsSayWhatToDo();
    void parseAddress_data();
    void parseAddress();
    void boundsAreChecked();
};

void tst_MetricsServer::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("promtool")).isEmpty())
        QSKIP(
            "promtool is not installed (Debian package 'prometheus'; scripts/deps.sh installs it)");
}

// Clients' requests reach hello-http workers; the scrape passes promtool's lint and its
// per-worker requests are what each worker answered.
void tst_MetricsServer::scrapeIsValidAndCountsWhatClientsSent()
{
    REQUIRE_HELLO_HTTP();
    QObject scope;
    Cluster *cluster = helloCluster(&scope);
    auto *supervisor = new Supervisor(cluster, &scope);
    MetricsServer server(cluster, supervisor);
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    QCOMPARE(server.serverAddress(), QHostAddress(QHostAddress::LocalHost));
    supervisor->scaleTo(3);
    QTRY_COMPARE_WITH_TIMEOUT(listeningCount(cluster), 3, 20000);
    const quint16 port = listeningPort(cluster);
    QVERIFY(port > 0);

    QHash<int, int> sent; // by worker id, from each answer's X-Worker-Id
    static const QRegularExpression workerId(QStringLiteral("X-Worker-Id: (\\d+)"));
    for (int i = 0; i < 30; ++i) {
        const Answer answer
            = exchange(port, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        QCOMPARE(answer.status, 200);
        const auto match = workerId.match(QString::fromLatin1(answer.head));
        QVERIFY(match.hasMatch());
        ++sent[match.captured(1).toInt()];
    }
    QVERIFY2(sent.size() > 1, "round-robin spreads the requests");
    const auto countersArrived = [&] {
        for (auto it = sent.cbegin(); it != sent.cend(); ++it)
            if (cluster->workerById(it.key())->counter(QStringLiteral("requests")) != it.value())
                return false;
        return true;
    };
    QTRY_VERIFY_WITH_TIMEOUT(countersArrived(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().constFirst()->residentMemory() > 0, 10000);

    const Answer scrape = get(server.serverPort(), "/metrics");
    QCOMPARE(scrape.status, 200);
    QVERIFY(scrape.head.contains("Content-Type: text/plain; version=0.0.4"));
    QString said;
    QVERIFY2(
        promtoolAccepts(scrape.body, &said), qPrintable(said + QString::fromUtf8(scrape.body)));
    QCOMPARE(scrape.body, scrape.body.trimmed() + '\n');
    for (auto it = sent.cbegin(); it != sent.cend(); ++it) {
        const QByteArray worker = QByteArray::number(it.key());
        QCOMPARE(
            sampleValue(scrape.body, "libcluster_worker_requests_total{worker=\"" + worker + "\"}"),
            double(it.value()));
        QCOMPARE(
            sampleValue(scrape.body,
                "libcluster_worker_events_total{worker=\"" + worker + "\",counter=\"requests\"}"),
            double(it.value()));
        QCOMPARE(sampleValue(scrape.body,
                     "libcluster_worker_state{worker=\"" + worker + "\",state=\"listening\"}"),
            1.0);
        QVERIFY(sampleValue(scrape.body,
                    "libcluster_worker_resident_memory_bytes{worker=\"" + worker + "\"}")
            > 0);
        QVERIFY(sampleValue(
                    scrape.body, "libcluster_worker_start_time_seconds{worker=\"" + worker + "\"}")
            > 1.7e9);
        QVERIFY(sampleValue(scrape.body,
                    "libcluster_worker_connections_accepted_total{worker=\"" + worker + "\"}")
            >= it.value());
    }
    QCOMPARE(sampleValue(scrape.body, "libcluster_workers_desired"), 3.0);
    QCOMPARE(sampleValue(scrape.body, "libcluster_workers_alive"), 3.0);
    QCOMPARE(sampleValue(scrape.body, "libcluster_workers_listening"), 3.0);
    QCOMPARE(sampleValue(scrape.body, "libcluster_forks_total"), 3.0);
    QCOMPARE(sampleValue(scrape.body, "libcluster_crash_loop"), 0.0);
    // Never the pid: the worker label is the id, which stays meaningful across restarts.
    QVERIFY(!scrape.body.contains(QByteArray(
        "worker=\"" + QByteArray::number(cluster->workers().constFirst()->processId()) + "\"")));
    // Every family has HELP and TYPE.
    QSet<QByteArray> helped, typed, sampled;
    for (const QByteArray &line : scrape.body.split('\n')) {
        if (line.startsWith("# HELP "))
            helped.insert(line.split(' ').at(2));
        else if (line.startsWith("# TYPE "))
            typed.insert(line.split(' ').at(2));
        else if (!line.isEmpty())
            sampled.insert(line.left(line.indexOf(line.contains('{') ? '{' : ' ')));
    }
    QCOMPARE(helped, typed);
    QVERIFY(helped.contains(sampled) && !sampled.isEmpty());

    // A crash is an exit by signal and a restart.
    Worker *victim = cluster->workers().constFirst();
    supervisor->setRespawn(true);
    ::kill(pid_t(victim->processId()), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(sampleValue(get(server.serverPort(), "/metrics").body,
                                  "libcluster_restarts_total{reason=\"crashed\"}"),
        1.0, 10000);
    const QByteArray after = get(server.serverPort(), "/metrics").body;
    QCOMPARE(sampleValue(after, "libcluster_exits_total{reason=\"signal\"}"), 1.0);
    QCOMPARE(sampleValue(after, "libcluster_forks_total"), 4.0);
    QVERIFY2(promtoolAccepts(after, &said), qPrintable(said));
}

// /healthz answers while the loop runs; /readyz follows the share of desired workers that
// listen, and the shutdown.
void tst_MetricsServer::probesFollowTheWorkers()
{
    REQUIRE_HELLO_HTTP();
    QObject scope;
    Cluster *cluster = helloCluster(&scope);
    auto *supervisor = new Supervisor(cluster, &scope);
    supervisor->setRespawn(true);
    supervisor->setBackoff(60000, 60000); // a crashed worker stays missing while we look
    MetricsServer server(cluster, supervisor);
    QVERIFY(server.listen());
    const quint16 port = server.serverPort();

    Answer ready = get(port, "/readyz");
    QCOMPARE(ready.status, 503);
    QVERIFY2(ready.body.contains("scaled to 0"), ready.body.constData());
    QCOMPARE(get(port, "/healthz").status, 200);
    QCOMPARE(get(port, "/healthz").body, QByteArray("ok\n"));

    supervisor->scaleTo(2);
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/readyz").status, 200, 20000);
    QCOMPARE(listeningCount(cluster), 2);
    QVERIFY(server.isReady());

    // One of two gone: 1 of 2 listen, below 100 % but at 50 %.
    Worker *victim = cluster->workers().constFirst();
    QSignalSpy exited(victim, &Worker::exited);
    ::kill(pid_t(victim->processId()), SIGKILL);
    QVERIFY(exited.wait(10000));
    ready = get(port, "/readyz");
    QCOMPARE(ready.status, 503);
    QVERIFY2(ready.body.contains("1 of 2 workers listen"), ready.body.constData());
    QString why;
    QVERIFY(!server.isReady(&why));
    QVERIFY(why.contains(QLatin1String("1 of 2")));
    server.setReadyPercent(50);
    QCOMPARE(get(port, "/readyz").status, 200);
    server.setReadyPercent(100);

    // Scaled to the one that is left: all the desired workers listen again.
    supervisor->scaleTo(1);
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/readyz").status, 200, 20000);

    // Shutting down: not ready any more, while still healthy.
    QSignalSpy finished(supervisor, &Supervisor::shutdownFinished);
    supervisor->shutdown(10000);
    ready = get(port, "/readyz");
    QCOMPARE(ready.status, 503);
    QVERIFY2(ready.body.contains("shutting down"), ready.body.constData());
    QCOMPARE(get(port, "/healthz").status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
}

void tst_MetricsServer::badRequestsAreAnswered()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    MetricsServer server(cluster);
    QSignalSpy answered(&server, &MetricsServer::requestAnswered);
    QVERIFY(server.listen());
    const quint16 port = server.serverPort();

    QCOMPARE(exchange(port, "garbage\r\n\r\n").status, 400);
    QCOMPARE(exchange(port, "GET /metrics HTTP/2.0\r\n\r\n").status, 505);
    QCOMPARE(get(port, "/nothing").status, 404);
    const Answer post = exchange(port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    QCOMPARE(post.status, 405);
    QVERIFY(post.head.contains("Allow: GET, HEAD"));
    const Answer head = exchange(port, "HEAD /metrics HTTP/1.1\r\n\r\n");
    QCOMPARE(head.status, 200);
    QVERIFY(head.body.isEmpty());
    QVERIFY(head.head.contains("Content-Length: "));
    QCOMPARE(get(port, "/metrics?x=1").status, 200);
    // Bare newlines, as netcat users type them.
    QCOMPARE(exchange(port, "GET /healthz HTTP/1.0\n\n").status, 200);

    // A head past the limit: 431, without reading the rest.
    const QByteArray huge = "GET /metrics HTTP/1.1\r\nX-Filler: "
        + QByteArray(MetricsServer::MaxRequestHeadBytes, 'a') + "\r\n\r\n";
    QCOMPARE(exchange(port, huge).status, 431);
    // And one far past it, sent while the answer is on its way: still answered and closed.
    const Answer flood = exchange(port, "GET /metrics HTTP/1.1\r\n" + QByteArray(1 << 20, 'b'));
    QVERIFY(flood.closed);
    QVERIFY(flood.status == 431 || flood.status == 0);

    // The server carries on.
    QCOMPARE(get(port, "/healthz").status, 200);
    QVERIFY(answered.size() >= 9);
}

// A client that says nothing is closed after RequestTimeout; past maxConnections, clients are
// told 503 at once; the ones below it are still served.
void tst_MetricsServer::slowAndManyClientsAreBounded()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    MetricsServer server(cluster);
    server.setMaxConnections(4);
    QVERIFY(server.listen());
    const quint16 port = server.serverPort();

    std::vector<std::unique_ptr<QTcpSocket>> silent;
    for (int i = 0; i < 4; ++i) {
        silent.push_back(std::make_unique<QTcpSocket>());
        silent.back()->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(silent.back()->waitForConnected(5000));
    }
    // The server has taken the four once it turns the fifth away.
    QTRY_COMPARE_WITH_TIMEOUT(get(port, "/healthz").status, 503, 5000);
    const Answer busy = get(port, "/metrics");
    QCOMPARE(busy.status, 503);
    QVERIFY(busy.body.contains("Too many clients"));

    // The silent ones are closed by the server after RequestTimeout.
    for (auto &socket : silent) {
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState,
            MetricsServer::RequestTimeout + 5000);
    }
    QCOMPARE(get(port, "/healthz").status, 200);
}

void tst_MetricsServer::listenErrorsSayWhatToDo()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    MetricsServer first(cluster);
    QVERIFY(first.listen());
    MetricsServer second(cluster);
    QVERIFY(!second.listen(QHostAddress::LocalHost, first.serverPort()));
    QCOMPARE(second.error(), MetricsServer::AddressInUseError);
    QVERIFY2(
        second.errorString().contains(QLatin1String("in use")), qPrintable(second.errorString()));
    QVERIFY(second.errorString().contains(QString::number(first.serverPort())));
    QVERIFY(!second.isListening());
    QVERIFY(!second.listen(QHostAddress(QStringLiteral("192.0.2.1")), 0));
    QCOMPARE(second.error(), MetricsServer::AddressError);
}

void tst_MetricsServer::parseAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::newRow("port") << "9464" << true << "127.0.0.1" << 9464;
    QTest::newRow("ipv4") << "0.0.0.0:80" << true << "0.0.0.0" << 80;
    QTest::newRow("localhost") << "localhost:9100" << true << "127.0.0.1" << 9100;
    QTest::newRow("any") << "*:9100" << true << "*" << 9100;
    QTest::newRow("ipv6") << "[::1]:9100" << true << "::1" << 9100;
    QTest::newRow("zero") << "127.0.0.1:0" << true << "127.0.0.1" << 0;
    QTest::newRow("empty") << "" << false << "" << 0;
    QTest::newRow("big port") << "127.0.0.1:65536" << false << "" << 0;
    QTest::newRow("sign") << "127.0.0.1:+80" << false << "" << 0;
    QTest::newRow("no port") << "127.0.0.1:" << false << "" << 0;
    QTest::newRow("name") << "example.com:80" << false << "" << 0;
    QTest::newRow("bare ipv6") << "::1:80" << false << "" << 0;
    QTest::newRow("bracketed ipv4") << "[127.0.0.1]:80" << false << "" << 0;
    QTest::newRow("short ipv4") << "1.2.3:80" << false << "" << 0;
    QTest::newRow("octal ipv4") << "0x7f.1:80" << false << "" << 0;
    QTest::newRow("long") << QString(5000, QLatin1Char('1')) << false << "" << 0;
}

void tst_MetricsServer::parseAddress()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QHostAddress parsedAddress;
    quint16 parsedPort = 1;
    QString error;
    QCOMPARE(MetricsServer::parseAddress(text, &parsedAddress, &parsedPort, &error), ok);
    if (ok) {
        QFETCH(QString, address);
        QFETCH(int, port);
        QCOMPARE(parsedAddress,
            address == QLatin1String("*") ? QHostAddress(QHostAddress::Any)
                                          : QHostAddress(address));
        QCOMPARE(int(parsedPort), port);
        QVERIFY(error.isEmpty());
    } else {
        QVERIFY(error.contains(QLatin1String("ADDRESS:PORT")));
        QVERIFY(error.size() < 400);
    }
}

void tst_MetricsServer::boundsAreChecked()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    MetricsServer server(cluster);
    server.setMaxConnections(0);
    server.setMaxConnections(MetricsServer::MaxMaxConnections + 1);
    QCOMPARE(server.maxConnections(), MetricsServer::DefaultMaxConnections);
    server.setReadyPercent(0);
    server.setReadyPercent(101);
    QCOMPARE(server.readyPercent(), MetricsServer::DefaultReadyPercent);
}

QTEST_MAIN(tst_MetricsServer)
#include "tst_metricsserver.moc"
