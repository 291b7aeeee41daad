// QHttpServer::bind() makes the TcpServer its child: the patterns tcpserver.h recommends end a
// worker cleanly through a graceful disconnect, and the one it warns of is reported as it aborts.
#include <libcluster/cluster.h>

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace LibCluster;

class tst_HttpServerOwnership : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gracefulDisconnect_data();
    void gracefulDisconnect();
};

void tst_HttpServerOwnership::gracefulDisconnect_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<bool>("safe");
    QTest::newRow("new TcpServer(&http)") << QStringLiteral("heap") << true;
    QTest::newRow("local TcpServer after the QHttpServer") << QStringLiteral("after") << true;
    QTest::newRow("local TcpServer before the QHttpServer") << QStringLiteral("before") << false;
}

void tst_HttpServerOwnership::gracefulDisconnect()
{
    QFETCH(QString, pattern);
    QFETCH(bool, safe);

    Cluster cluster;
    Settings settings;
    settings.setExec(QStringLiteral(HTTPSERVERWORKER_PATH));
    settings.setArgs({ pattern });
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

    // The QHttpServer serves through the shared port.
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(client.waitForConnected(5000));
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
    QVERIFY2(errors.contains("declare it after the QHttpServer"), errors.constData());
}

QTEST_GUILESS_MAIN(tst_HttpServerOwnership)
#include "tst_httpserverownership.moc"
