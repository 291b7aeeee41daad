// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// QHttpServer::bind() makes the TcpServer or SslServer its child: the patterns tcpserver.h
// recommends end a worker cleanly through a graceful disconnect, and the one it warns of is
// reported as it aborts. The SslServer's certificate is made at run time by the openssl command.
#include <libcluster/cluster.h>

#include "testcertificates.h"

#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

#include <csignal>

using namespace LibCluster;

class tst_HttpServerOwnership : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void gracefulDisconnect_data();
    void gracefulDisconnect();

private:
    TestCertificates m_certificates;
};

void tst_HttpServerOwnership::initTestCase()
{
    QString failure;
    QVERIFY2(m_certificates.make(&failure), qPrintable(failure));
}

void tst_HttpServerOwnership::gracefulDisconnect_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<bool>("safe");
    for (const bool tls : { false, true }) {
        const char *server = tls ? "SslServer" : "TcpServer";
        QTest::addRow("new %s(&http)", server) << QStringLiteral("heap") << tls << true;
        QTest::addRow("local %s after the QHttpServer", server)
            << QStringLiteral("after") << tls << true;
        QTest::addRow("local %s before the QHttpServer", server)
            << QStringLiteral("before") << tls << false;
    }
}

void tst_HttpServerOwnership::gracefulDisconnect()
{
    QFETCH(QString, pattern);
    QFETCH(bool, tls);
    QFETCH(bool, safe);

    Cluster cluster;
    Settings settings;
    settings.setExec(QStringLiteral(HTTPSERVERWORKER_PATH));
    settings.setArgs(tls
            ? QStringList { pattern, m_certificates.certificate(), m_certificates.key() }
            : QStringList { pattern });
    settings.setSilent(true);
    cluster.setupPrimary(settings);
    QByteArray errors;
    connect(&cluster, &Cluster::workerOutputReceived, this,
        [&errors](Worker *, Worker::OutputChannel channel, const QByteArray &data) {
            if (channel == Worker::StandardError)
                errors += data;
        });
    QSignalSpy listening(&cluster, &Cluster::workerListening);
    QSignalSpy exited(&cluster, &Cluster::workerExited);
    Worker *worker = cluster.fork();
    QVERIFY2(listening.wait(10000), errors.constData());
    const quint16 port = listening.first().at(1).value<Address>().port();

    // The QHttpServer serves through the shared port, over TLS for an SslServer.
    QSslSocket client;
    if (tls) {
        QSslConfiguration configuration = client.sslConfiguration();
        configuration.setCaCertificates(QSslCertificate::fromPath(m_certificates.certificate()));
        client.setSslConfiguration(configuration);
        // On the event loop: the primary hands the connection over.
        QSignalSpy encrypted(&client, &QSslSocket::encrypted);
        client.connectToHostEncrypted(QStringLiteral("localhost"), port);
        QVERIFY2(encrypted.wait(5000), qPrintable(client.errorString()));
    } else {
        client.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(client.waitForConnected(5000));
    }
    client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray answer;
    QTRY_VERIFY_WITH_TIMEOUT((answer += client.readAll()).endsWith("hello"), 5000);
    QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
    client.abort();

    // The worker's event loop ends with code 0, main() returns and its locals are destroyed.
    worker->disconnectFromCluster();
    QVERIFY(exited.wait(15000));
    const int code = exited.first().at(1).toInt();
    const int signal = exited.first().at(2).toInt();
    if (safe) {
        QVERIFY2(code == 0 && signal == 0,
            qPrintable(QStringLiteral("code %1, signal %2: %3")
                           .arg(code)
                           .arg(signal)
                           .arg(QString::fromLocal8Bit(errors))));
        QVERIFY2(errors.isEmpty(), errors.constData());
        return;
    }
    // Deleted by the QHttpServer, then destroyed again: the library aborts and says why,
    // rather than leaving it to the heap's corruption checks.
    QCOMPARE(signal, SIGABRT);
    const QByteArray server = tls ? "SslServer" : "TcpServer";
    QVERIFY2(
        errors.contains(QByteArray("LibCluster::" + server + ": a local variable was deleted")),
        errors.constData());
    QVERIFY2(errors.contains(QByteArray("new " + server + "(&httpServer)")), errors.constData());
    QVERIFY2(errors.contains("declare it after the QHttpServer"), errors.constData());
}

QTEST_GUILESS_MAIN(tst_HttpServerOwnership)
#include "tst_httpserverownership.moc"
