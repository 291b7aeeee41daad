// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TLS on the cluster's shared port, with real TLS clients: curl for HTTPS served by both workers
// of a cluster under every policy, openssl s_client for a handshake that fails, and a QSslSocket
// that stays idle through a disconnect. The connections of a TLS server count like any other:
// the primary's view of each worker matches what the clients got, whatever the server's
// incomingConnection() does. The certificate is made at run time by the openssl command.
#include <libcluster/cluster.h>
#include <libcluster/settings.h>
#include <libcluster/sslserver.h>
#include <libcluster/worker.h>

#include "testcertificates.h"

#include <QCborMap>
#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTest>

using namespace LibCluster;

namespace {
constexpr int Timeout = 10000;
} // namespace

class tst_Ssl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void httpsAcrossWorkers_data();
    void httpsAcrossWorkers();
    void failedHandshake_data();
    void failedHandshake();
    void leastConnectionsSeesTlsConnections_data();
    void leastConnectionsSeesTlsConnections();
    void idleTlsConnectionEndsOnDisconnect_data();
    void idleTlsConnectionEndsOnDisconnect();
    void outsideClusterIsPlainSslServer();

private:
    // A cluster of two sslworker processes of `kind`, both listening; their port in `port`.
    Cluster *startCluster(QObject *scope, SchedulingPolicy policy, const QString &kind,
        QList<Worker *> *workers, quint16 *port);
    // Runs a command to its end on the event loop (the primary accepts for some policies).
    bool run(const QString &program, const QStringList &args, QByteArray *output, int *exitCode);
    // One curl request on a connection of its own; the worker id of the answer, 0 on failure.
    int curl(quint16 port, bool https, QString *failure);
    // A TLS connection that has had one answer and stays open; the worker id in `answer`.
    QSslSocket *openIdleConnection(QObject *parent, quint16 port, int *answer);
    // A cluster of `kind` under `policy` with one idle TLS connection, held by `holder`.
    struct Held
    {
        QObject scope;
        QList<Worker *> workers;
        quint16 port = 0;
        QSslSocket *idle = nullptr;
        Worker *holder = nullptr;
    };
    // startCluster() and openIdleConnection(); false when either failed.
    bool startHoldingIdle(Held *held, SchedulingPolicy policy);

    TestCertificates m_certificates;
    QString m_cert;
    QString m_key;
    QString m_strangerCert; // a certificate the servers do not use
};

namespace {
void addPolicyRows(const QStringList &kinds)
{
    QTest::addColumn<SchedulingPolicy>("policy");
    QTest::addColumn<QString>("kind");
    const QList<QPair<const char *, SchedulingPolicy>> policies = {
        { "rr", SchedulingPolicy::RoundRobin },
        { "reuseport", SchedulingPolicy::ReusePort },
        { "leastconn", SchedulingPolicy::LeastConnections },
        { "sticky", SchedulingPolicy::Sticky },
    };
    for (const auto &[name, policy] : policies)
        for (const QString &kind : kinds)
            QTest::addRow("%s %s", name, qPrintable(kind)) << policy << kind;
}

// The servers that speak TLS, one row each.
void addTlsKindRows()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind : { "ssl", "tcp-override", "http" })
        QTest::newRow(kind) << QString::fromLatin1(kind);
}
} // namespace

void tst_Ssl::initTestCase()
{
    QString failure;
    QVERIFY2(TestCertificates::clientsInstalled(&failure), qPrintable(failure));
    QVERIFY2(m_certificates.make(&failure), qPrintable(failure));
    m_cert = m_certificates.certificate();
    m_key = m_certificates.key();
    m_strangerCert = m_certificates.stranger();
}

Cluster *tst_Ssl::startCluster(QObject *scope, SchedulingPolicy policy, const QString &kind,
    QList<Worker *> *workers, quint16 *port)
{
    auto *cluster = new Cluster(scope);
    Settings settings;
    settings.setExec(QStringLiteral(SSLWORKER_PATH));
    settings.setArgs({ kind, m_cert, m_key });
    settings.setSchedulingPolicy(policy);
    cluster->setupPrimary(settings);
    QSignalSpy listening(cluster, &Cluster::workerListening);
    for (int i = 0; i < 2; ++i)
        workers->append(cluster->fork());
    while (listening.size() < 2) {
        if (!listening.wait(Timeout)) {
            qWarning("only %d of 2 workers listen", int(listening.size()));
            return nullptr;
        }
    }
    *port = listening.first().at(1).value<Address>().port();
    return cluster;
}

bool tst_Ssl::run(
    const QString &program, const QStringList &args, QByteArray *output, int *exitCode)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(program, args);
    if (!finished.wait(Timeout)) {
        process.kill();
        process.waitForFinished();
        return false;
    }
    *output = process.readAllStandardOutput() + process.readAllStandardError();
    *exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return true;
}

int tst_Ssl::curl(quint16 port, bool https, QString *failure)
{
    const QString url = QStringLiteral("%1://localhost:%2/")
                            .arg(https ? QStringLiteral("https") : QStringLiteral("http"))
                            .arg(port);
    QByteArray output;
    int exitCode = -1;
    if (!run(QStringLiteral("curl"),
            { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("5"),
                QStringLiteral("--cacert"), m_cert, url },
            &output, &exitCode)
        || exitCode != 0 || !output.startsWith("worker ")) {
        *failure = QStringLiteral("curl %1 exited with %2: %3")
                       .arg(url)
                       .arg(exitCode)
                       .arg(QString::fromLocal8Bit(output));
        return 0;
    }
    return output.mid(7).trimmed().toInt();
}

QSslSocket *tst_Ssl::openIdleConnection(QObject *parent, quint16 port, int *answer)
{
    auto *socket = new QSslSocket(parent);
    QSslConfiguration configuration = socket->sslConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(m_cert));
    socket->setSslConfiguration(configuration);
    QSignalSpy encrypted(socket, &QSslSocket::encrypted);
    socket->connectToHostEncrypted(QStringLiteral("localhost"), port);
    if (!encrypted.wait(Timeout)) {
        qWarning() << "no TLS connection:" << socket->errorString();
        return nullptr;
    }
    QSignalSpy ready(socket, &QIODevice::readyRead);
    socket->write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray data;
    while (!data.contains("worker ") || !data.endsWith('\n')) {
        if (socket->bytesAvailable() == 0 && !ready.wait(Timeout)) {
            qWarning() << "no answer:" << socket->errorString() << data;
            return nullptr;
        }
        data += socket->readAll();
    }
    *answer = data.mid(data.indexOf("worker ") + 7).trimmed().toInt();
    return socket;
}

bool tst_Ssl::startHoldingIdle(Held *held, SchedulingPolicy policy)
{
    QFETCH(QString, kind);
    Cluster *cluster = startCluster(&held->scope, policy, kind, &held->workers, &held->port);
    int answer = 0;
    held->idle = cluster ? openIdleConnection(&held->scope, held->port, &answer) : nullptr;
    held->holder = held->idle ? cluster->workerById(answer) : nullptr;
    return held->holder;
}

void tst_Ssl::httpsAcrossWorkers_data()
{
    addPolicyRows({ QStringLiteral("ssl"), QStringLiteral("tcp-override"),
        QStringLiteral("tcp-plain"), QStringLiteral("http") });
}

// Every connection is served, by both workers where the policy spreads them, and the primary's
// per-worker counts are what the clients saw, with none left open.
void tst_Ssl::httpsAcrossWorkers()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(QString, kind);
    QObject scope;
    QList<Worker *> workers;
    quint16 port = 0;
    QVERIFY(startCluster(&scope, policy, kind, &workers, &port));

    // ReusePort spreads by the kernel's hash of the client's port: enough connections that both
    // workers get some (all on one: a chance of 2 in 65,536).
    const int connections = policy == SchedulingPolicy::ReusePort ? 16 : 6;
    QHash<int, int> served;
    for (int i = 0; i < connections; ++i) {
        QString failure;
        const int id = curl(port, kind != QLatin1String("tcp-plain"), &failure);
        QVERIFY2(id > 0, qPrintable(failure));
        ++served[id];
    }
    if (policy == SchedulingPolicy::Sticky) {
        // One client address: one worker.
        QCOMPARE(served.size(), 1);
    } else if (policy != SchedulingPolicy::LeastConnections) {
        // LeastConnections may give every one of these consecutive connections to one worker.
        QCOMPARE(served.size(), 2);
    }
    for (Worker *worker : std::as_const(workers)) {
        QTRY_COMPARE(worker->connectionsAccepted(), qint64(served.value(worker->id())));
        QTRY_COMPARE(worker->openConnections(), 0);
    }
}

void tst_Ssl::failedHandshake_data()
{
    addPolicyRows(
        { QStringLiteral("ssl"), QStringLiteral("tcp-override"), QStringLiteral("http") });
}

// A client that does not trust the certificate ends the handshake: the worker says why, the
// connection is counted and closed, and the next client is served.
void tst_Ssl::failedHandshake()
{
    QFETCH(SchedulingPolicy, policy);
    QFETCH(QString, kind);
    QObject scope;
    QList<Worker *> workers;
    quint16 port = 0;
    Cluster *cluster = startCluster(&scope, policy, kind, &workers, &port);
    QVERIFY(cluster);
    QSignalSpy messages(cluster, &Cluster::messageReceived);

    QByteArray output;
    int exitCode = -1;
    QVERIFY(run(QStringLiteral("openssl"),
        { QStringLiteral("s_client"), QStringLiteral("-connect"),
            QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-servername"),
            QStringLiteral("localhost"), QStringLiteral("-CAfile"), m_strangerCert,
            QStringLiteral("-verify_return_error") },
        &output, &exitCode));
    QVERIFY2(exitCode != 0, output.constData());
    QVERIFY2(output.contains("verify error"), output.constData());

    QTRY_VERIFY_WITH_TIMEOUT(!messages.isEmpty(), Timeout);
    const QCborMap report = messages.first().at(1).value<QCborValue>().toMap();
    QCOMPARE(report.value(QStringLiteral("event")).toString(), QStringLiteral("tlsError"));
    const QString error = report.value(QStringLiteral("error")).toString();
    QVERIFY2(error.contains(QLatin1String("unknown ca"), Qt::CaseInsensitive), qPrintable(error));
    auto *failedOn = messages.first().at(0).value<Worker *>();

    // Counted as accepted, and no longer open.
    for (Worker *worker : std::as_const(workers)) {
        QTRY_COMPARE(worker->connectionsAccepted(), qint64(worker == failedOn ? 1 : 0));
        QTRY_COMPARE(worker->openConnections(), 0);
    }
    QString failure;
    QVERIFY2(curl(port, true, &failure) > 0, qPrintable(failure));
}

void tst_Ssl::leastConnectionsSeesTlsConnections_data()
{
    addTlsKindRows();
}

// With one TLS connection held open on a worker, LeastConnections gives every new one to the
// other worker: it sees the open connections, and their ends.
void tst_Ssl::leastConnectionsSeesTlsConnections()
{
    Held held;
    QVERIFY(startHoldingIdle(&held, SchedulingPolicy::LeastConnections));
    Worker *holder = held.holder;
    Worker *other = holder == held.workers.at(0) ? held.workers.at(1) : held.workers.at(0);
    QTRY_COMPARE(holder->openConnections(), 1);
    for (int i = 0; i < 4; ++i) {
        QString failure;
        QCOMPARE(curl(held.port, true, &failure), other->id());
        // The worker reports its counts a few times a second: the next connection comes once
        // the primary knows this one has ended.
        QTRY_COMPARE(other->openConnections(), 0);
    }
    QCOMPARE(other->connectionsAccepted(), qint64(4));
    QCOMPARE(holder->openConnections(), 1);
}

void tst_Ssl::idleTlsConnectionEndsOnDisconnect_data()
{
    addTlsKindRows();
}

// A disconnecting worker closes its idle TLS connection after the 1-second grace, instead of
// sitting out the 10-second drain.
void tst_Ssl::idleTlsConnectionEndsOnDisconnect()
{
    Held held;
    QVERIFY(startHoldingIdle(&held, SchedulingPolicy::RoundRobin));
    Worker *worker = held.holder;
    QTRY_COMPARE(worker->openConnections(), 1);
    QSignalSpy closed(held.idle, &QAbstractSocket::disconnected);
    QSignalSpy exited(worker, &Worker::exited);
    QElapsedTimer clock;
    clock.start();
    worker->disconnectFromCluster();
    QVERIFY(closed.wait(5000));
    QTRY_VERIFY_WITH_TIMEOUT(!exited.isEmpty(), 5000);
    QCOMPARE(exited.first().at(0).toInt(), 0);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

// Outside a cluster an SslServer is a QSslServer: it listens on its own port, does the handshake
// and counts its connections.
void tst_Ssl::outsideClusterIsPlainSslServer()
{
    QVERIFY(!Cluster::isWorker());
    SslServer server;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate::fromPath(m_cert).value(0));
    QFile key(m_key);
    QVERIFY(key.open(QIODevice::ReadOnly));
    configuration.setPrivateKey(QSslKey(&key, QSsl::Ec));
    server.setSslConfiguration(configuration);
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0), qPrintable(server.errorString()));
    QSignalSpy pending(&server, &QTcpServer::pendingConnectionAvailable);

    QSslSocket client;
    QSslConfiguration trusting = client.sslConfiguration();
    trusting.setCaCertificates(QSslCertificate::fromPath(m_cert));
    client.setSslConfiguration(trusting);
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QVERIFY(encrypted.wait(Timeout));
    QTRY_COMPARE(pending.size(), 1);
    QTcpSocket *socket = server.nextPendingConnection();
    QVERIFY(qobject_cast<QSslSocket *>(socket));
    QVERIFY(qobject_cast<QSslSocket *>(socket)->isEncrypted());
    QCOMPARE(server.connectionsAccepted(), qint64(1));
    QCOMPARE(server.openConnections(), 1);
    client.disconnectFromHost();
    QTRY_COMPARE(server.openConnections(), 0);
    QVERIFY(!server.isClosing());
}

QTEST_MAIN(tst_Ssl)
#include "tst_ssl.moc"
