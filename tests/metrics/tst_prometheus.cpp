// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// `cluster-run --metrics` as operators run it: its option's errors, and a real Prometheus
// server on loopback that scrapes it and answers a PromQL query for per-worker requests.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#ifdef CLUSTER_RUN_PATH
#define REQUIRE_PROGRAMS()
#else
#define CLUSTER_RUN_PATH ""
#define REQUIRE_PROGRAMS() QSKIP("cluster-run is not built (LIBCLUSTER_BUILD_APPS=OFF)")
#endif
#ifndef HELLO_HTTP_PATH
#define HELLO_HTTP_PATH ""
#undef REQUIRE_PROGRAMS
#define REQUIRE_PROGRAMS() QSKIP("hello-http is not built (LIBCLUSTER_BUILD_EXAMPLES=OFF)")
#endif

namespace {

// A child process whose output is collected as it comes; killed with the test.
class Child
{
public:
    Child()
    {
        QObject::connect(&process, &QProcess::readyReadStandardOutput, &process,
            [this] { out += process.readAllStandardOutput(); });
        QObject::connect(&process, &QProcess::readyReadStandardError, &process,
            [this] { err += process.readAllStandardError(); });
    }
    ~Child()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished();
        }
    }
    int waitForExit(int timeout = 30000)
    {
        if (process.state() != QProcess::NotRunning) {
            QSignalSpy finished(&process, &QProcess::finished);
            if (!finished.wait(timeout))
                return -1;
        }
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }
    // The JSON events cluster-run --json printed so far.
    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> found;
        for (const QByteArray &line : out.split('\n')) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QLatin1String("event")).toString() == name)
                found.append(event);
        }
        return found;
    }
    QByteArray describe() const { return "stdout:\n" + out + "\nstderr:\n" + err; }

    QProcess process;
    QByteArray out;
    QByteArray err;
};

// A port nobody listens on now (the usual small race: nothing else on this host asks for it).
quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

QByteArray get(QNetworkAccessManager *network, const QUrl &url, int *status = nullptr)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(10000);
    QNetworkReply *reply = network->get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(15000);
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    return body;
}

} // namespace

class tst_Prometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void badMetricsOptionIsAUsageError_data();
    void badMetricsOptionIsAUsageError();
    void portInUseIsSaid();
    void prometheusScrapesClusterRun();
};

void tst_Prometheus::badMetricsOptionIsAUsageError_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("port too large") << QStringLiteral("127.0.0.1:70000");
    QTest::newRow("host name") << QStringLiteral("example.com:9100");
    QTest::newRow("empty") << QString();
    QTest::newRow("words") << QStringLiteral("metrics");
}

void tst_Prometheus::badMetricsOptionIsAUsageError()
{
    REQUIRE_PROGRAMS();
    QFETCH(QString, value);
    Child runner;
    runner.process.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("--metrics"), value, QStringLiteral("--"),
            QStringLiteral(HELLO_HTTP_PATH) });
    QCOMPARE(runner.waitForExit(), 2);
    QVERIFY2(runner.err.contains("--metrics: "), runner.describe());
    QVERIFY2(runner.err.contains("ADDRESS:PORT"), runner.describe());
}

void tst_Prometheus::portInUseIsSaid()
{
    REQUIRE_PROGRAMS();
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    Child runner;
    runner.process.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("--workers"), QStringLiteral("1"), QStringLiteral("--metrics"),
            QStringLiteral("127.0.0.1:%1").arg(taken.serverPort()), QStringLiteral("--"),
            QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"), QStringLiteral("0") });
    QCOMPARE(runner.waitForExit(), 1);
    QVERIFY2(runner.err.contains("in use"), runner.describe());
    QVERIFY2(runner.err.contains(QByteArray::number(taken.serverPort())), runner.describe());
    QVERIFY2(!runner.out.contains("listening"), runner.describe()); // no worker was started
}

// cluster-run serves 2 hello-http workers with --metrics; a real Prometheus scrapes it twice a
// second; its HTTP API answers libcluster_worker_requests_total per worker with what the
// clients of each worker sent.
void tst_Prometheus::prometheusScrapesClusterRun()
{
    REQUIRE_PROGRAMS();
    const QString prometheusPath = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
    if (prometheusPath.isEmpty())
        QSKIP("prometheus is not installed (Debian package 'prometheus'; scripts/deps.sh "
              "installs it)");

    Child runner;
    runner.process.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--json"),
            QStringLiteral("--metrics"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--"),
            QStringLiteral(HELLO_HTTP_PATH), QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY2(QTest::qWaitFor(
                 [&] { return runner.events(QStringLiteral("listening")).size() >= 2; }, 30000),
        runner.describe());
    const QUrl metricsUrl(
        runner.events(QStringLiteral("start")).value(0).value(QLatin1String("metrics")).toString());
    QVERIFY2(metricsUrl.isValid() && metricsUrl.port() > 0, runner.describe());
    QCOMPARE(metricsUrl.host(), QStringLiteral("127.0.0.1"));
    const int port = runner.events(QStringLiteral("listening"))
                         .value(0)
                         .value(QLatin1String("address"))
                         .toObject()
                         .value(QLatin1String("port"))
                         .toInt();

    QNetworkAccessManager network;
    QHash<QString, int> sent;
    static const QRegularExpression workerId(QStringLiteral("X-Worker-Id: (\\d+)"));
    for (int i = 0; i < 20; ++i) {
        QTcpSocket socket;
        QByteArray answer;
        bool done = false;
        QObject::connect(&socket, &QTcpSocket::connected, &socket, [&] {
            socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        });
        QObject::connect(
            &socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
        QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { done = true; });
        QObject::connect(&socket, &QTcpSocket::errorOccurred, &socket, [&] { done = true; });
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY2(QTest::qWaitFor([&] { return done; }, 30000),
            qPrintable(QStringLiteral("request %1: %2, answer so far: %3")
                           .arg(i)
                           .arg(socket.errorString(), QString::fromLatin1(answer))));
        const auto match = workerId.match(QString::fromLatin1(answer));
        QVERIFY2(match.hasMatch(), answer.constData());
        ++sent[match.captured(1)];
    }

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QByteArray("global:\n  scrape_interval: 500ms\n  evaluation_interval: 500ms\n"
                            "scrape_configs:\n  - job_name: cluster-run\n    static_configs:\n"
                            "      - targets: ['127.0.0.1:"
        + QByteArray::number(metricsUrl.port()) + "']\n"));
    config.close();
    const quint16 apiPort = freePort();
    Child prometheus;
    prometheus.process.start(prometheusPath,
        { QStringLiteral("--config.file=") + config.fileName(),
            QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("data")),
            QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(apiPort),
            QStringLiteral("--log.level=warn") });
    QVERIFY2(prometheus.process.waitForStarted(10000), prometheus.describe());

    // Ask until the query answers both workers with what they served.
    QUrl query(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(apiPort));
    QUrlQuery parameters;
    parameters.addQueryItem(QStringLiteral("query"),
        QStringLiteral("libcluster_worker_requests_total{job=\"cluster-run\"}"));
    query.setQuery(parameters);
    QHash<QString, int> seen;
    QByteArray last;
    const bool answered = QTest::qWaitFor(
        [&] {
            if (prometheus.process.state() == QProcess::NotRunning)
                return true;
            last = get(&network, query);
            seen.clear();
            const QJsonArray result = QJsonDocument::fromJson(last)
                                          .object()
                                          .value(QLatin1String("data"))
                                          .toObject()
                                          .value(QLatin1String("result"))
                                          .toArray();
            for (const QJsonValue &series : result)
                seen.insert(series.toObject()
                                .value(QLatin1String("metric"))
                                .toObject()
                                .value(QLatin1String("worker"))
                                .toString(),
                    series.toObject()
                        .value(QLatin1String("value"))
                        .toArray()
                        .at(1)
                        .toString()
                        .toInt());
            return seen == sent;
        },
        60000);
    QVERIFY2(answered && prometheus.process.state() == QProcess::Running,
        QByteArray("last answer: " + last + '\n' + prometheus.describe()).constData());
    QCOMPARE(seen, sent);

    // Prometheus saw the target as up, and the probe answers from the same port.
    QUrl up(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(apiPort));
    QUrlQuery upQuery;
    upQuery.addQueryItem(QStringLiteral("query"), QStringLiteral("up{job=\"cluster-run\"}"));
    up.setQuery(upQuery);
    QVERIFY2(get(&network, up).contains("\"1\""), prometheus.describe());
    int status = 0;
    QUrl readyz = metricsUrl;
    readyz.setPath(QStringLiteral("/readyz"));
    QCOMPARE(get(&network, readyz, &status), QByteArray("ready\n"));
    QCOMPARE(status, 200);

    runner.process.terminate();
    QCOMPARE(runner.waitForExit(), 0);
}

QTEST_MAIN(tst_Prometheus)
#include "tst_prometheus.moc"
