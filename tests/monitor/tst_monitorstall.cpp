// The window stays responsive under a flood of events: 16 workers sending 5,000 messages a
// second between them for 3 seconds; the event loop never stalls past 300 ms, and the log stays
// within its cap. (bench-monitor-stall is the full-size run: 64 workers, 10 s, 100 ms.)
#include "clustercontroller.h"
#include "eventlogmodel.h"
#include "mainwindow.h"
#include "stallmeter.h"
#include "workertablemodel.h"

#include <QCborMap>
#include <QtTest>

using namespace LibCluster;
using namespace Monitor;

class tst_MonitorStall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void floodDoesNotStall();
};

void tst_MonitorStall::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_monitorstall"));
}

void tst_MonitorStall::floodDoesNotStall()
{
    const int workers = 16;
    const int rate = 5000;
    const int seconds = 3;

    MainWindow window;
    window.setPersistent(false);
    window.resize(1200, 800);
    window.show();
    EventLogModel *log = window.eventLog();
    log->setCapacity(2000); // small, so the cap is reached and exercised within the run

    ClusterConfig config;
    config.program = QStringLiteral(LOADWORKER_PATH);
    config.arguments = { QStringLiteral("--rate"), QString::number(double(rate) / workers),
        QStringLiteral("--print-every"), QStringLiteral("50") };
    config.workers = workers;
    config.captureOutput = true;
    window.startCluster(config);
    ClusterController *controller = window.controller();
    QVERIFY(controller->cluster());
    QSignalSpy online(controller->cluster(), &Cluster::workerOnline);
    QTRY_COMPARE_WITH_TIMEOUT(online.count(), workers, 30000);

    qint64 messages = 0;
    connect(controller->cluster(), &Cluster::messageReceived, this, [&messages] { ++messages; });
    const qint64 eventsBefore = log->totalEvents();
    int maxRows = 0;
    connect(log, &EventLogModel::flushed, this, [&] { maxRows = qMax(maxRows, log->rowCount()); });

    StallMeter meter(10);
    meter.start();
    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    QCOMPARE(controller->sendMessage({}, go), workers);
    QTest::qWait(seconds * 1000); // the event loop runs throughout: that is what is measured
    meter.stop();
    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    controller->sendMessage({}, stop);

    const qint64 events = log->totalEvents() - eventsBefore;
    qInfo(
        "%lld messages, %lld events in %d s; worst stall %.1f ms, p99 %.1f ms; log rows at most %d",
        messages, events, seconds, meter.worstGap(), meter.percentile(0.99), maxRows);
    QVERIFY2(
        meter.worstGap() < 300, qPrintable(QStringLiteral("stalled %1 ms").arg(meter.worstGap())));
    // Most of what was sent arrived (the rest is still in flight), and the log kept its cap.
    QVERIFY2(messages > rate * seconds / 2, qPrintable(QString::number(messages)));
    QVERIFY(maxRows <= log->capacity());
    QCOMPARE(maxRows, log->capacity());
    // The chart got its samples, the table its counts.
    QVERIFY(window.workerModel()->totalRequests() > 0);

    controller->setGracePeriod(2000);
    window.close();
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), ClusterController::Status::Stopped, 15000);
}

QTEST_MAIN(tst_MonitorStall)
#include "tst_monitorstall.moc"
