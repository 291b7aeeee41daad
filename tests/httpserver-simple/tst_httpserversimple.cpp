// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// httpserver-simple, Qt's QHttpServer "simple" example clustered, as its users run it: every
// route over HTTP and HTTPS under every scheduling policy and in one process, with both workers
// serving, and rolling restarts through cluster-run that end idle and busy keep-alive connections
// at once instead of waiting out each worker's 10-second drain. The TLS clients are curl, Qt's
// QSslSocket and openssl s_client, with a certificate made at run time by the openssl command.
#include "keepaliveclient.h"
#include "keepaliveload.h"
#include "testcertificates.h"

#include <QAuthenticator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace {

// Bounds for external programs: generous, since other work may share the machine; never sleeps.
constexpr int StartTimeout = 30000;
constexpr int IoTimeout = 10000;
// A rolling restart of two workers that each wait out their 10-second drain takes 20 s; one that
// ends its connections takes about a second per worker (TcpServer's grace for idle ones).
constexpr int RestartBound = 8000;

// One program run as its users run it, its output collected as it comes; killed if the test
// ends before it does.
class Program
{
public:
    Program(const QString &path, const QStringList &arguments)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_LOGGING_RULES")); // libcluster's debug output
        env.remove(QStringLiteral("LIBCLUSTER_SCHED_POLICY"));
        m_process.setProcessEnvironment(env);
        m_process.setStandardInputFile(QProcess::nullDevice());
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
            [this] { m_out += m_process.readAllStandardOutput(); });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process,
            [this] { m_err += m_process.readAllStandardError(); });
        m_process.start(path, arguments);
    }
    ~Program()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill(); // its workers follow it (PR_SET_PDEATHSIG)
            m_process.waitForFinished();
        }
    }

    QProcess &process() { return m_process; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }

    // The first capture group of every complete output line that matches `pattern`.
    QStringList captures(const QString &pattern) const
    {
        const QRegularExpression re(pattern);
        QStringList found;
        QStringList lines = QString::fromUtf8(m_out).split(QLatin1Char('\n'));
        lines.removeLast(); // empty, or a line still being written
        for (const QString &line : std::as_const(lines))
            if (const QRegularExpressionMatch match = re.match(line); match.hasMatch())
                found.append(match.captured(1));
        return found;
    }
    // cluster-run --json: its events named `name`.
    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> found;
        for (const QByteArray &line : m_out.split('\n')) {
            const QJsonObject event = QJsonDocument::fromJson(line).object();
            if (event.value(QLatin1String("event")).toString() == name)
                found.append(event);
        }
        return found;
    }
    QByteArray output() const { return m_out; }
    QByteArray errors() const { return m_err; }
    QByteArray describe() const { return "stdout:\n" + m_out + "\nstderr:\n" + m_err; }

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// A port to give a program: free now, and below the ephemeral range so that no client socket
// of this machine takes it in the meantime.
quint16 freePort()
{
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = quint16(20000 + QRandomGenerator::global()->bounded(12000));
        QTcpServer probe;
        if (probe.listen(QHostAddress::Any, port))
            return port;
    }
    return 0;
}

// A second port for the example (HTTPS), other than `taken`.
quint16 freePortBesides(quint16 taken)
{
    quint16 port = 0;
    while (port == 0 || port == taken)
        port = freePort();
    return port;
}

struct Answer
{
    bool complete = false;
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;
};

// The first answer in `data`, delimited by Content-Length, taken from it once it is all there;
// `complete` false (and `data` left alone) while it is not.
Answer takeAnswer(QByteArray *data)
{
    Answer answer;
    const qsizetype headEnd = data->indexOf("\r\n\r\n");
    if (headEnd < 0)
        return answer;
    const QList<QByteArray> lines = data->left(headEnd).split('\n');
    const QList<QByteArray> status = lines.first().trimmed().split(' ');
    answer.status = status.value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            answer.headers.insert(
                lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    const qsizetype length = answer.headers.value("content-length", "-1").toLongLong();
    if (length < 0 || data->size() < headEnd + 4 + length)
        return answer;
    answer.body = data->mid(headEnd + 4, length);
    answer.complete = true;
    data->remove(0, headEnd + 4 + length);
    return answer;
}

// One request on a keep-alive connection; `complete` only when its answer is all that came.
Answer exchange(
    QTcpSocket &socket, quint16 port, const QByteArray &path, const QByteArray &extraHeaders = {})
{
    socket.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n"
        + extraHeaders + "\r\n");
    QByteArray data;
    QDeadlineTimer deadline(IoTimeout);
    while (!deadline.hasExpired()) {
        data += socket.readAll();
        if (Answer answer = takeAnswer(&data); answer.complete) {
            answer.complete = data.isEmpty();
            return answer;
        }
        if (socket.state() != QAbstractSocket::ConnectedState)
            break;
        socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    return {};
}

// What the example answers on one route: status, Content-Type and body.
struct Route
{
    QByteArray path;
    QByteArray extraHeaders;
    int status;
    QByteArray contentType;
    QByteArray body;
};

QList<Route> expectedAnswers(quint16 port)
{
    const QByteArray host = "127.0.0.1:" + QByteArray::number(port);
    QFile logo(QStringLiteral(SOURCE_DIR "/resources/icons/cluster-monitor.svg"));
    const QByteArray logoBytes = logo.open(QIODevice::ReadOnly) ? logo.readAll() : QByteArray();
    const QByteArray basic = "Authorization: Basic ";
    return {
        { "/", {}, 200, "text/plain", "Hello world" },
        { "/query", {}, 200, "text/plain", host + "/query/" },
        { "/query/7", {}, 200, "text/plain", host + "/query/7" },
        { "/query/7/log", {}, 200, "text/plain", host + "/query/7/log" },
        { "/query/7/log/0.5", {}, 200, "text/plain", host + "/query/7/log/0.5" },
        { "/user/3", {}, 200, "text/plain", "User 3" },
        { "/user/3/detail", {}, 200, "text/plain", "User 3 detail" },
        { "/user/3/detail/2024", {}, 200, "text/plain", "User 3 detail year - 2024" },
        { "/json/", {}, 200, "application/json", R"({"key1":"1","key2":"2","key3":"3"})" },
        { "/assets/libcluster.svg", {}, 200, "image/svg+xml", logoBytes },
        { "/auth", {}, 401, "text/plain", "Authentication required\n" },
        { "/auth", basic + QByteArray("Aladdin:sesame").toBase64() + "\r\n", 401, "text/plain",
            "Authentication required\n" },
        { "/auth", basic + QByteArray("Aladdin:open sesame").toBase64() + "\r\n", 200, "text/plain",
            "Success\n" },
        { "/user/nobody", {}, 404, {}, {} },
    };
}

// A client connection to `port` of 127.0.0.1 from `source`, over TLS with `caCertificate` as the
// only CA when that is set; null, with `failure` set, when it did not connect.
std::unique_ptr<QTcpSocket> openConnection(
    quint16 port, const QHostAddress &source, const QString &caCertificate, QString *failure)
{
    if (caCertificate.isEmpty()) {
        auto socket = std::make_unique<QTcpSocket>();
        if (socket->bind(source)) {
            socket->connectToHost(QHostAddress::LocalHost, port);
            if (socket->waitForConnected(IoTimeout))
                return socket;
        }
        *failure = socket->errorString();
        return nullptr;
    }
    auto socket = std::make_unique<QSslSocket>();
    QSslConfiguration configuration = socket->sslConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(caCertificate));
    socket->setSslConfiguration(configuration);
    if (socket->bind(source)) {
        // The certificate names localhost and 127.0.0.1; an IPv4 address, as `source` is.
        socket->connectToHostEncrypted(
            QStringLiteral("127.0.0.1"), port, QStringLiteral("localhost"));
        if (socket->waitForEncrypted(IoTimeout))
            return socket;
    }
    *failure = socket->errorString();
    return nullptr;
}

// The example's own checks of an answer to `route`: as in Qt's example, on a connection that
// stays open; the worker that gave it (empty outside a cluster) in `worker`.
void checkAnswer(const Route &route, const Answer &answer, const QByteArray &what, int workers,
    QByteArray *worker)
{
    QVERIFY2(answer.complete, what.constData());
    QVERIFY2(answer.status == route.status,
        QByteArray(what + ": status " + QByteArray::number(answer.status)).constData());
    if (!route.contentType.isEmpty())
        QCOMPARE(answer.headers.value("content-type"), route.contentType);
    if (route.contentType == "application/json")
        QCOMPARE(QJsonDocument::fromJson(answer.body), QJsonDocument::fromJson(route.body));
    else
        QCOMPARE(answer.body, route.body);
    // Qt's afterRequest() example, on every answer; the connection stays open.
    QCOMPARE(answer.headers.value("server"), QByteArray("Qt HTTP Server"));
    QVERIFY(!answer.headers.contains("connection"));
    if (route.status == 401)
        QCOMPARE(answer.headers.value("www-authenticate"),
            QByteArray(R"(Basic realm="Simple example", charset="UTF-8")"));
    // Named on every answer in a cluster only.
    *worker = answer.headers.value("x-worker-id");
    if (workers == 0)
        QVERIFY2(worker->isEmpty(), worker->constData());
    else
        QVERIFY2(*worker == "1" || *worker == "2", worker->constData());
}

} // namespace

class tst_HttpServerSimple : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void routes_data();
    void routes();
    void basicAuthWithQNetworkAccessManager();
    void badArguments_data();
    void badArguments();
    void rollingRestart_data();
    void rollingRestart();

private:
    // What the example needs to serve HTTPS on `tlsPort` with the test's certificate.
    QStringList tlsArguments(quint16 tlsPort) const;

    TestCertificates m_certificates;
};

void tst_HttpServerSimple::initTestCase()
{
    QString failure;
    QVERIFY2(TestCertificates::clientsInstalled(&failure), qPrintable(failure));
    QVERIFY2(m_certificates.make(&failure), qPrintable(failure));
}

QStringList tst_HttpServerSimple::tlsArguments(quint16 tlsPort) const
{
    return { QStringLiteral("--tls-port"), QString::number(tlsPort),
        QStringLiteral("--certificate"), m_certificates.certificate(), QStringLiteral("--key"),
        m_certificates.key() };
}

// Every route answers as in Qt's example, over HTTP and over HTTPS, on keep-alive connections
// from distinct client addresses (Sticky keeps one address on one worker) held open until both
// workers have answered all of them (LeastConnections then picks the other worker).
void tst_HttpServerSimple::routes_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("workers");
    QTest::addColumn<bool>("tls");
    for (const bool tls : { false, true }) {
        const char *scheme = tls ? "https" : "http";
        QTest::addRow("%s, one process", scheme)
            << QStringList { QStringLiteral("--workers"), QStringLiteral("0") } << 0 << tls;
        for (const char *policy : { "rr", "none", "reuseport", "leastconn", "sticky" })
            QTest::addRow("%s, %s", scheme, policy) << QStringList { QStringLiteral("--workers"),
                QStringLiteral("2"), QStringLiteral("--policy"), QString::fromLatin1(policy) }
                                                    << 2 << tls;
    }
}

void tst_HttpServerSimple::routes()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, workers);
    QFETCH(bool, tls);
    const quint16 httpPort = freePort();
    QVERIFY(httpPort);
    const quint16 tlsPort = tls ? freePortBesides(httpPort) : 0;
    Program example(QStringLiteral(HTTPSERVER_SIMPLE_PATH),
        arguments + QStringList { QStringLiteral("--port"), QString::number(httpPort) }
            + (tls ? tlsArguments(tlsPort) : QStringList()));
    const QString httpsRunning = QStringLiteral("^Running on https://127.0.0.1:(\\d+)/");
    QTRY_VERIFY2_WITH_TIMEOUT(
        (!example.captures(QStringLiteral("^Running on http://127.0.0.1:(\\d+)/")).isEmpty()
            && (!tls || !example.captures(httpsRunning).isEmpty())
            && example.captures(QStringLiteral("^Worker (\\d+) started$")).size() == workers)
            || !example.isRunning(),
        example.describe(), StartTimeout);
    QCOMPARE(example.captures(QStringLiteral("^Running on http://127.0.0.1:(\\d+)/")),
        QStringList { QString::number(httpPort) });
    if (tls)
        QCOMPARE(example.captures(httpsRunning), QStringList { QString::number(tlsPort) });
    const quint16 port = tls ? tlsPort : httpPort;
    const QString caCertificate = tls ? m_certificates.certificate() : QString();

    if (tls) {
        // A client that does not trust the certificate ends the handshake; the worker that had
        // the connection goes on serving, as every test below shows.
        Program client(QStringLiteral("openssl"),
            { QStringLiteral("s_client"), QStringLiteral("-connect"),
                QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-servername"),
                QStringLiteral("localhost"), QStringLiteral("-CAfile"), m_certificates.stranger(),
                QStringLiteral("-verify_return_error") });
        QVERIFY2(client.process().waitForFinished(IoTimeout), client.describe().constData());
        QVERIFY2(client.process().exitCode() != 0, client.describe().constData());
        QVERIFY2(QByteArray(client.output() + client.errors()).contains("verify error"),
            client.describe().constData());
    }

    const QList<Route> expected = expectedAnswers(port);
    QVERIFY(!expected.at(9).body.isEmpty()); // the logo's source file was found
    std::vector<std::unique_ptr<QTcpSocket>> connections;
    QSet<QByteArray> servedBy;
    const qsizetype wanted = qMax(workers, 1);
    for (int client = 2; client < 34 && servedBy.size() < wanted; ++client) {
        const QHostAddress source(QStringLiteral("127.0.0.%1").arg(client));
        QString failure;
        auto &socket
            = connections.emplace_back(openConnection(port, source, caCertificate, &failure));
        QVERIFY2(socket, qPrintable(failure));

        // One connection, one worker.
        QByteArray worker;
        for (const Route &route : expected) {
            QByteArray id;
            checkAnswer(route, exchange(*socket, port, route.path, route.extraHeaders),
                route.path + " from " + source.toString().toLatin1(), workers, &id);
            if (QTest::currentTestFailed())
                return;
            if (worker.isNull())
                worker = id;
            QCOMPARE(id, worker);
        }
        // The client's own address, as the worker sees it (the connection's, not the primary's).
        const Answer remote = exchange(*socket, port, "/remote_address");
        QVERIFY(remote.complete);
        QVERIFY2(QHostAddress(QString::fromLatin1(remote.body))
                     .isEqual(source, QHostAddress::ConvertV4MappedToIPv4),
            remote.body.constData());
        QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);
        servedBy.insert(worker);
    }
    QCOMPARE(servedBy.size(), wanted);

    // A client that asks to close is told so, and closes (QHttpServer itself never does).
    QString failure;
    const std::unique_ptr<QTcpSocket> closing
        = openConnection(port, QHostAddress::LocalHost, caCertificate, &failure);
    QVERIFY2(closing, qPrintable(failure));
    const Answer last = exchange(*closing, port, "/", "Connection: close\r\n");
    QVERIFY(last.complete);
    QCOMPARE(last.body, QByteArray("Hello world"));
    QCOMPARE(last.headers.value("connection"), QByteArray("close"));

    if (tls) {
        // curl, trusting the test's certificate: every route again, in one run.
        QStringList curlArguments;
        for (const Route &route : expected) {
            curlArguments << QStringLiteral("-sS") << QStringLiteral("-i")
                          << QStringLiteral("--http1.1") << QStringLiteral("--max-time")
                          << QStringLiteral("10") << QStringLiteral("--cacert")
                          << m_certificates.certificate();
            if (!route.extraHeaders.isEmpty())
                curlArguments << QStringLiteral("-H")
                              << QString::fromLatin1(route.extraHeaders.trimmed());
            curlArguments << QStringLiteral("https://127.0.0.1:%1%2")
                                 .arg(port)
                                 .arg(QString::fromLatin1(route.path))
                          << QStringLiteral("--next");
        }
        curlArguments.removeLast();
        Program curl(QStringLiteral("curl"), curlArguments);
        QVERIFY2(curl.process().waitForFinished(StartTimeout), curl.describe().constData());
        QVERIFY2(
            curl.process().exitStatus() == QProcess::NormalExit && curl.process().exitCode() == 0,
            curl.describe().constData());
        QByteArray output = curl.output();
        for (const Route &route : expected) {
            QByteArray id;
            checkAnswer(route, takeAnswer(&output), "curl " + route.path, workers, &id);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(output.isEmpty(), output.constData());
    }
    QVERIFY2(example.isRunning(), example.describe());
}

// Qt's own HTTP client: the 401 and its WWW-Authenticate header make it ask for credentials,
// and the same request with them succeeds. Then the example stops as Ctrl+C stops it.
void tst_HttpServerSimple::basicAuthWithQNetworkAccessManager()
{
    const quint16 port = freePort();
    QVERIFY(port);
    Program example(QStringLiteral(HTTPSERVER_SIMPLE_PATH),
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--port"),
            QString::number(port) });
    QTRY_VERIFY2_WITH_TIMEOUT(
        example.captures(QStringLiteral("^Worker (\\d+) started$")).size() == 2
            || !example.isRunning(),
        example.describe(), StartTimeout);

    QNetworkAccessManager manager;
    int asked = 0;
    connect(&manager, &QNetworkAccessManager::authenticationRequired, this,
        [&asked](QNetworkReply *, QAuthenticator *authenticator) {
            ++asked;
            QCOMPARE(authenticator->realm(), QStringLiteral("Simple example"));
            authenticator->setUser(QStringLiteral("Aladdin"));
            authenticator->setPassword(QStringLiteral("open sesame"));
        });
    std::unique_ptr<QNetworkReply> reply(
        manager.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/auth").arg(port)))));
    QSignalSpy finished(reply.get(), &QNetworkReply::finished);
    QVERIFY(finished.wait(IoTimeout));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(asked, 1);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), QByteArray("Success\n"));

    reply.reset(
        manager.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/json/").arg(port)))));
    QSignalSpy jsonFinished(reply.get(), &QNetworkReply::finished);
    QVERIFY(jsonFinished.wait(IoTimeout));
    QCOMPARE(reply->error(), QNetworkReply::NoError);
    QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("key2")),
        QJsonValue(QStringLiteral("2")));

    // SIGTERM (Ctrl+C alike) disconnects the workers, which end the connections the manager
    // keeps open, delete their servers once (bind() made the QHttpServer their owner) and exit.
    example.process().terminate();
    QVERIFY(example.process().waitForFinished(StartTimeout));
    QCOMPARE(example.process().exitStatus(), QProcess::NormalExit);
    QVERIFY2(example.process().exitCode() == 0, example.describe());
    QVERIFY2(example.errors().isEmpty(), example.describe());
}

// Every number the command line takes has a bound, and a mistake says what is wrong.
void tst_HttpServerSimple::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("error");
    QTest::newRow("too many workers")
        << QStringList { QStringLiteral("--workers"), QStringLiteral("1025") }
        << QStringLiteral("--workers must be a whole number between 0 and 1024, not 1025");
    QTest::newRow("negative workers")
        << QStringList { QStringLiteral("--workers"), QStringLiteral("-1") }
        << QStringLiteral("--workers must be a whole number between 0 and 1024, not -1");
    QTest::newRow("port") << QStringList { QStringLiteral("--port"), QStringLiteral("65536") }
                          << QStringLiteral("--port must be a number from 0 to 65535, not 65536");
    QTest::newRow("policy") << QStringList { QStringLiteral("--policy"), QStringLiteral("random") }
                            << QStringLiteral("unknown policy random");

    // HTTPS: the primary checks the certificate and key before any worker starts.
    const auto tls = [this](const QString &port, const QString &certificate, const QString &key) {
        return QStringList { QStringLiteral("--workers"), QStringLiteral("1"),
            QStringLiteral("--tls-port"), port, QStringLiteral("--certificate"), certificate,
            QStringLiteral("--key"), key };
    };
    const QString directory = QFileInfo(m_certificates.certificate()).path();
    const QString missing = directory + QStringLiteral("/missing.pem");
    QTest::newRow("TLS port without certificate")
        << QStringList { QStringLiteral("--tls-port"), QStringLiteral("8443") }
        << QStringLiteral("--tls-port needs --certificate FILE and --key FILE");
    QTest::newRow("TLS port without key")
        << QStringList { QStringLiteral("--tls-port"), QStringLiteral("8443"),
               QStringLiteral("--certificate"), m_certificates.certificate() }
        << QStringLiteral("--tls-port needs --certificate FILE and --key FILE");
    QTest::newRow("certificate without TLS port")
        << QStringList { QStringLiteral("--certificate"), m_certificates.certificate(),
               QStringLiteral("--key"), m_certificates.key() }
        << QStringLiteral("--certificate and --key serve HTTPS only with --tls-port P");
    QTest::newRow("TLS port 0") << tls(QStringLiteral("0"), m_certificates.certificate(),
        m_certificates.key()) << QStringLiteral("--tls-port must be a number from 1 to 65535");
    QTest::newRow("TLS port 65536") << tls(QStringLiteral("65536"), m_certificates.certificate(),
        m_certificates.key()) << QStringLiteral("--tls-port must be a number from 1 to 65535");
    QTest::newRow("TLS port is the HTTP port")
        << tls(QStringLiteral("8443"), m_certificates.certificate(), m_certificates.key())
            + QStringList { QStringLiteral("--port"), QStringLiteral("8443") }
        << QStringLiteral("--tls-port must differ from --port (8443)");
    QTest::newRow("missing certificate")
        << tls(QStringLiteral("8443"), missing, m_certificates.key())
        << QStringLiteral("cannot read the certificate %1: No such file or directory").arg(missing);
    QTest::newRow("unreadable certificate") << tls(QStringLiteral("8443"), directory,
        m_certificates.key()) << QStringLiteral("cannot read the certificate %1: ").arg(directory);
    QTest::newRow("missing key")
        << tls(QStringLiteral("8443"), m_certificates.certificate(), missing)
        << QStringLiteral("cannot read the key %1: No such file or directory").arg(missing);
    QTest::newRow("invalid certificate")
        << tls(QStringLiteral("8443"), m_certificates.key(), m_certificates.key())
        << QStringLiteral("%1 holds no PEM certificate").arg(m_certificates.key());
    QTest::newRow("invalid key") << tls(
        QStringLiteral("8443"), m_certificates.certificate(), m_certificates.certificate())
                                 << QStringLiteral("%1 holds no unencrypted PEM private key")
                                        .arg(m_certificates.certificate());
}

void tst_HttpServerSimple::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, error);
    Program example(QStringLiteral(HTTPSERVER_SIMPLE_PATH), arguments);
    QVERIFY(example.process().waitForFinished(StartTimeout));
    QCOMPARE(example.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(example.process().exitCode(), 2);
    const QString err = QString::fromLocal8Bit(example.errors());
    QVERIFY2(err.contains(error), qPrintable(err));
    // Said by the primary alone: no worker started.
    QVERIFY2(!example.describe().contains("Worker "), example.describe().constData());
}

// `cluster-run ctl NAME restart` of two workers, each holding a keep-alive client: idle ones are
// closed after the shared server's grace (TcpServer's, and SslServer's for HTTPS), busy ones get
// `Connection: close` on their next answer (the example's afterRequest() hook) and the load opens
// new connections, as wrk does. Nothing fails, and the restart ends far sooner than one 10-second
// drain.
void tst_HttpServerSimple::rollingRestart_data()
{
    QTest::addColumn<bool>("underLoad");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("control"); // the end of cluster-run's control name
    QTest::newRow("an idle client per worker") << false << false << QStringLiteral("idle");
    QTest::newRow("an idle HTTP and HTTPS client per worker")
        << false << true << QStringLiteral("idle-tls");
    QTest::newRow("keep-alive load") << true << false << QStringLiteral("load");
}

void tst_HttpServerSimple::rollingRestart()
{
    QFETCH(bool, underLoad);
    QFETCH(bool, tls);
    QFETCH(QString, control);
    const quint16 port = freePort();
    QVERIFY(port);
    const quint16 tlsPort = tls ? freePortBesides(port) : 0;
    const QString name = QStringLiteral("httpserver-simple-%1-%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(control);
    Program runner(QStringLiteral(CLUSTER_RUN_PATH),
        QStringList { QStringLiteral("--json"), QStringLiteral("--workers"), QStringLiteral("2"),
            QStringLiteral("--control"), name, QStringLiteral("--"),
            QStringLiteral(HTTPSERVER_SIMPLE_PATH), QStringLiteral("--port"),
            QString::number(port) }
            + (tls ? tlsArguments(tlsPort) : QStringList()));
    const qsizetype listens = tls ? 4 : 2;
    QTRY_VERIFY2_WITH_TIMEOUT(
        runner.events(QStringLiteral("listening")).size() == listens || !runner.isRunning(),
        runner.describe(), StartTimeout);

    // One idle keep-alive connection to each worker: RoundRobin gives them in turn.
    KeepAliveClient first(port), second(port);
    for (KeepAliveClient *client : { &first, &second }) {
        client->open();
        QVERIFY(client->sendRequest());
        QTRY_VERIFY_WITH_TIMEOUT(client->answers() == 1 || client->hasEnded(), IoTimeout);
        QVERIFY2(client->failure().isEmpty(), qPrintable(client->failure()));
    }
    QCOMPARE(QSet<int>({ first.lastWorkerId(), second.lastWorkerId() }), QSet<int>({ 1, 2 }));

    // The same over TLS: one idle HTTPS connection to each worker, that has had its answer.
    std::vector<std::unique_ptr<QTcpSocket>> idleTls;
    QSet<QByteArray> tlsWorkers;
    for (int i = 0; tls && i < 2; ++i) {
        QString failure;
        auto &socket = idleTls.emplace_back(openConnection(
            tlsPort, QHostAddress::LocalHost, m_certificates.certificate(), &failure));
        QVERIFY2(socket, qPrintable(failure));
        const Answer answer = exchange(*socket, tlsPort, "/");
        QVERIFY(answer.complete);
        QCOMPARE(answer.body, QByteArray("Hello world"));
        tlsWorkers.insert(answer.headers.value("x-worker-id"));
    }
    if (tls)
        QCOMPARE(tlsWorkers, QSet<QByteArray>({ "1", "2" }));

    SupervisorTest::KeepAliveLoad load(port, 16);
    if (underLoad) {
        load.start();
        QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= 100, IoTimeout);
    }
    const int beforeRestart = load.succeeded();

    QProcess ctl;
    const auto stopCtl = qScopeGuard([&ctl] {
        ctl.kill();
        ctl.waitForFinished();
    });
    QSignalSpy ctlFinished(&ctl, &QProcess::finished);
    QElapsedTimer clock;
    clock.start();
    ctl.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("ctl"), name, QStringLiteral("restart") });
    // The bound: two 10-second drains are what a QHttpServer worker took before.
    QVERIFY2(ctlFinished.wait(RestartBound), runner.describe());
    const qint64 took = clock.elapsed();
    QCOMPARE(ctl.exitStatus(), QProcess::NormalExit);
    QVERIFY2(ctl.exitCode() == 0, ctl.readAllStandardError().constData());
    qInfo("rolling restart of 2 workers: %lld ms", took);

    // The idle clients were closed, without a request lost.
    for (KeepAliveClient *client : { &first, &second }) {
        QVERIFY(client->hasEnded());
        QVERIFY2(client->failure().isEmpty(), qPrintable(client->failure()));
        QCOMPARE(client->answers(), 1);
    }
    for (const std::unique_ptr<QTcpSocket> &socket : idleTls) {
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, IoTimeout);
        QCOMPARE(socket->bytesAvailable(), 0);
    }
    // Both old workers left gracefully: no SIGKILL after a drain, no crash at exit.
    QTRY_VERIFY2_WITH_TIMEOUT(
        runner.events(QStringLiteral("exit")).size() == 2, runner.describe(), IoTimeout);
    for (const QJsonObject &exit : runner.events(QStringLiteral("exit"))) {
        QVERIFY2(exit.value(QLatin1String("id")).toInt() <= 2, runner.describe());
        QCOMPARE(exit.value(QLatin1String("code")).toInt(), 0);
        QCOMPARE(exit.value(QLatin1String("signal")).toInt(), 0);
        QCOMPARE(exit.value(QLatin1String("exitedAfterDisconnect")).toBool(), true);
    }

    if (underLoad) {
        // Traffic flowed through the restart and goes on with the new workers.
        QVERIFY2(load.succeeded() > beforeRestart,
            qPrintable(QStringLiteral("%1 answers").arg(load.succeeded())));
        const qsizetype afterRestart = load.answeredBy().size();
        QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() + load.failed() >= afterRestart + 100, IoTimeout);
        QSignalSpy loadFinished(&load, &SupervisorTest::Load::finished);
        load.stop();
        QVERIFY(load.isFinished() || loadFinished.wait(IoTimeout));
        QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));
        const QList<int> ids = load.answeredBy().mid(afterRestart);
        QVERIFY(!ids.isEmpty());
        for (int id : ids)
            QVERIFY2(id == 3 || id == 4, qPrintable(QString::number(id)));
    }

    runner.process().terminate();
    QVERIFY(runner.process().waitForFinished(StartTimeout));
    QCOMPARE(runner.process().exitCode(), 0);
}

QTEST_MAIN(tst_HttpServerSimple)
#include "tst_httpserversimple.moc"
