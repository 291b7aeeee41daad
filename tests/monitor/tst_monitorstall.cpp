// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The window stays responsive under a flood of events: 16 workers sending 5,000 messages a
// second between them; the event loop keeps serving a timer throughout, the log is updated in
// batches, and it stays within its cap. How long the loop stalls is measured by
// bench-monitor-stall (64 workers), not here. With the window's defaults, every view is updated
// at most ten times a second under such a storm, and the log holds its 10,000 rows.
#include "clustercontroller.h"
#include "clusterhost.h"
#include "eventlogmodel.h"
#include "mainwindow.h"
#include "stallmeter.h"
#include "workeroutputlog.h"
#include "workertablemodel.h"

#include <QAbstractEventDispatcher>
#include <QCborMap>
#include <QElapsedTimer>
#include <QTimer>
#include <QtTest>

#include <memory>

using namespace LibCluster;
using namespace Monitor;

class tst_MonitorStall : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void floodDoesNotStall();
    void defaultsUnderStorm();
    void viewsUpdateInPassesOfTheirOwn();
    void blockedWindowBoundsItsBacklog();
};

namespace {

// Shows the window and starts its own cluster of `workers` monitor-load-workers that send `rate`
// messages a second between them once told to go, printing every `printEvery`-th; null unless
// all of them came online.
ClusterController *startLoad(MainWindow &window, int workers, int rate, int printEvery)
{
    window.setPersistent(false);
    window.resize(1200, 800);
    window.show();
    ClusterConfig config;
    config.program = QStringLiteral(LOADWORKER_PATH);
    config.arguments = { QStringLiteral("--rate"), QString::number(double(rate) / workers),
        QStringLiteral("--print-every"), QString::number(printEvery) };
    config.workers = workers;
    config.captureOutput = true;
    window.startCluster(config);
    ClusterController *controller = window.controller();
    QSignalSpy online(controller, &ClusterSource::workerOnline);
    return QTest::qWaitFor([&] { return online.count() >= workers; }, 30000) ? controller : nullptr;
}

// Sends `message` to every connected worker; how many took it.
int sendToAll(ClusterController *controller, const QCborMap &message)
{
    // Shared: the answer may come after this has given up waiting.
    const auto taken = std::make_shared<int>(-1);
    controller->sendMessage({}, message, [taken](int sent, const QString &) { *taken = sent; });
    return QTest::qWaitFor([&taken] { return *taken >= 0; }, 10000) ? *taken : -1;
}

// The most entries of `times` (ascending, in ns) that fall into one second [t, t + 1 s).
int mostInOneSecond(const QList<qint64> &times)
{
    int most = 0;
    for (qsizetype i = 0, j = 0; i < times.size(); ++i) {
        while (j < times.size() && times.at(j) < times.at(i) + 1000000000)
            ++j;
        most = qMax(most, int(j - i));
    }
    return most;
}

} // namespace

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
    const qint64 floodMessages = 15000; // three seconds of the flood at least

    MainWindow window;
    EventLogModel *log = window.eventLog();
    log->setCapacity(2000); // small, so the cap is reached and exercised within the run
    ClusterController *controller = startLoad(window, workers, rate, 50);
    QVERIFY(controller);

    QElapsedTimer clock;
    clock.start();
    qint64 messages = 0;
    connect(controller, &ClusterSource::messageReceived, this, [&messages] { ++messages; });
    const qint64 eventsBefore = log->totalEvents();
    int maxRows = 0;
    QList<qint64> logFlushes;
    connect(log, &EventLogModel::flushed, this, [&] {
        logFlushes.append(clock.nsecsElapsed());
        maxRows = qMax(maxRows, log->rowCount());
    });
    // A timer that counts how often the event loop served it while the flood came in.
    int ticksDuringFlood = 0;
    QTimer ticker;
    ticker.setInterval(10);
    connect(&ticker, &QTimer::timeout, this, [&] {
        if (messages > 0 && messages < floodMessages)
            ++ticksDuringFlood;
    });
    ticker.start();

    StallMeter meter(10);
    meter.start();
    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    QCOMPARE(sendToAll(controller, go), workers);
    QTRY_VERIFY_WITH_TIMEOUT(messages >= floodMessages, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() == log->capacity(), 10000);
    meter.stop();
    ticker.stop();
    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    sendToAll(controller, stop);

    const qint64 events = log->totalEvents() - eventsBefore;
    qInfo("%lld messages, %lld events in %.1f s; worst stall %.1f ms, p99 %.1f ms; timer served "
          "%d times during the flood; log flushes %lld, most in one second %d; rows at most %d",
        messages, events, double(clock.nsecsElapsed()) / 1e9, meter.worstGap(),
        meter.percentile(0.99), ticksDuringFlood, qint64(logFlushes.size()),
        mostInOneSecond(logFlushes), maxRows);
    // The event loop kept serving a timer while thousands of events came in: at 5,000 messages a
    // second and a 10 ms timer, a loop that does not stall serves it about three hundred times
    // before the flood's count is reached; ten is far below that, so a busy machine passes, and
    // still proves the loop was not starved.
    QVERIFY2(ticksDuringFlood >= 10, qPrintable(QString::number(ticksDuringFlood)));
    // The events were coalesced: the log is updated in batches, at most ten times in any second,
    // whatever the rate of events.
    QVERIFY(logFlushes.size() > 1);
    QVERIFY2(mostInOneSecond(logFlushes) <= 10,
        qPrintable(QString::number(mostInOneSecond(logFlushes))));
    // The log kept its cap.
    QVERIFY(maxRows <= log->capacity());
    QCOMPARE(maxRows, log->capacity());
    // The chart got its samples, the table its counts.
    QVERIFY(window.workerModel()->totalRequests() > 0);

    controller->setGracePeriod(2000);
    window.close();
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), ClusterController::Status::Stopped, 15000);
}

// The window as it comes, under a storm of 6,000 events a second: the event log, the workers
// table and the output panel are each updated at most ten times in any second (each update is
// one batch for its views), and the log keeps its default cap of 10,000 rows, reached and never
// passed. Nothing here sets a cap or an interval.
void tst_MonitorStall::defaultsUnderStorm()
{
    const int workers = 8;
    const int rate = 6000;
    const qint64 stormEvents = 12000; // past the cap

    MainWindow window;
    EventLogModel *log = window.eventLog();
    WorkerTableModel *table = window.workerModel();
    WorkerOutputLog *output = window.outputLog();
    QCOMPARE(log->capacity(), 10000);
    ClusterController *controller = startLoad(window, workers, rate, 10);
    QVERIFY(controller);

    QElapsedTimer clock;
    clock.start();
    QList<qint64> logUpdates, logFlushes, tableUpdates, outputUpdates;
    int maxRows = 0;
    connect(log, &QAbstractItemModel::rowsInserted, this,
        [&] { logUpdates.append(clock.nsecsElapsed()); });
    connect(log, &EventLogModel::flushed, this, [&] {
        logFlushes.append(clock.nsecsElapsed());
        maxRows = qMax(maxRows, log->rowCount());
    });
    connect(table, &WorkerTableModel::flushed, this,
        [&] { tableUpdates.append(clock.nsecsElapsed()); });
    connect(output, &WorkerOutputLog::linesAdded, this,
        [&] { outputUpdates.append(clock.nsecsElapsed()); });
    const qint64 eventsBefore = log->totalEvents();

    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    QCOMPARE(sendToAll(controller, go), workers);
    QTRY_VERIFY_WITH_TIMEOUT(log->totalEvents() - eventsBefore >= stormEvents, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() == log->capacity(), 5000);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    sendToAll(controller, stop);

    qInfo("%lld events in %.1f s; updates: log %lld, table %lld, output %lld; most in one "
          "second: %d, %d, %d",
        log->totalEvents() - eventsBefore, seconds, qint64(logUpdates.size()),
        qint64(tableUpdates.size()), qint64(outputUpdates.size()), mostInOneSecond(logUpdates),
        mostInOneSecond(tableUpdates), mostInOneSecond(outputUpdates));
    // Each view was updated, in batches: one insert per flush, not one per event.
    QVERIFY(logUpdates.size() > 1 && !tableUpdates.isEmpty() && outputUpdates.size() > 1);
    QCOMPARE(logUpdates.size(), logFlushes.size());
    QVERIFY2(mostInOneSecond(logUpdates) <= 10,
        qPrintable(QString::number(mostInOneSecond(logUpdates))));
    QVERIFY2(mostInOneSecond(tableUpdates) <= 10,
        qPrintable(QString::number(mostInOneSecond(tableUpdates))));
    QVERIFY2(mostInOneSecond(outputUpdates) <= 10,
        qPrintable(QString::number(mostInOneSecond(outputUpdates))));
    QCOMPARE(maxRows, 10000);
    QCOMPARE(log->capacity(), 10000);

    controller->setGracePeriod(2000);
    window.close();
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), ClusterController::Status::Stopped, 15000);
}

// Under a storm every view has a batch due all the time: the event log, the workers table, the
// output panel, and once a second the chart's sample. Each batch repaints its view; had two of
// them gone out in one pass of the event loop, the next frame would paint both, the costliest
// thing the window does, at once. With the window's defaults no two views' batches share a pass.
void tst_MonitorStall::viewsUpdateInPassesOfTheirOwn()
{
    const int workers = 8;
    const int rate = 4000;

    MainWindow window;
    ClusterController *controller = startLoad(window, workers, rate, 10);
    QVERIFY(controller);

    // Passes of the event loop, counted where the dispatcher goes to wait and where it wakes.
    qint64 pass = 0;
    QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
    connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, [&pass] { ++pass; });
    connect(dispatcher, &QAbstractEventDispatcher::awake, this, [&pass] { ++pass; });
    // Which views had a batch in each pass.
    QHash<qint64, QStringList> batches;
    const auto record = [&](const QString &view) { batches[pass].append(view); };
    connect(
        window.eventLog(), &EventLogModel::flushed, this, [&] { record(QStringLiteral("log")); });
    connect(window.workerModel(), &WorkerTableModel::flushed, this,
        [&] { record(QStringLiteral("table")); });
    connect(window.workerModel(), &WorkerTableModel::ratesSampled, this,
        [&] { record(QStringLiteral("chart")); });
    connect(window.outputLog(), &WorkerOutputLog::linesAdded, this,
        [&] { record(QStringLiteral("output")); });

    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    QCOMPARE(sendToAll(controller, go), workers);
    // Long enough for dozens of batches of each view and a few samples.
    const auto count = [&](const QString &view) {
        qint64 n = 0;
        for (const QStringList &views : std::as_const(batches))
            n += views.count(view);
        return n;
    };
    QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("chart")) >= 3
            && count(QStringLiteral("log")) >= 20 && count(QStringLiteral("table")) >= 20
            && count(QStringLiteral("output")) >= 20,
        60000);
    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    sendToAll(controller, stop);

    qsizetype shared = 0;
    QString example;
    for (auto it = batches.cbegin(); it != batches.cend(); ++it) {
        if (it.value().size() > 1) {
            ++shared;
            example = it.value().join(QStringLiteral(", "));
        }
    }
    qInfo("%lld passes with a batch, %lld of them shared; batches: log %lld, table %lld, output "
          "%lld, chart %lld",
        qint64(batches.size()), qint64(shared), count(QStringLiteral("log")),
        count(QStringLiteral("table")), count(QStringLiteral("output")),
        count(QStringLiteral("chart")));
    QVERIFY2(shared == 0,
        qPrintable(QStringLiteral("%1 passes had batches of several views, e.g. %2")
                       .arg(shared)
                       .arg(example)));

    controller->setGracePeriod(2000);
    window.close();
    QTRY_COMPARE_WITH_TIMEOUT(controller->status(), ClusterController::Status::Stopped, 15000);
}

QTEST_MAIN(tst_MonitorStall)
// A window that does not keep up (its thread busy for seconds) does not make the monitor grow
// without bound: the cluster's thread keeps reading the workers, passes on no more than
// ClusterHost::MaxBacklogEvents of their messages, and once the window has caught up, the log
// says how many it did not pass on.
void tst_MonitorStall::blockedWindowBoundsItsBacklog()
{
    const int workers = 4;
    MainWindow window;
    EventLogModel *log = window.eventLog();
    ClusterController *controller = startLoad(window, workers, 40000, 0);
    QVERIFY(controller);
    qint64 shown = 0;
    connect(controller, &ClusterSource::messageReceived, this, [&shown] { ++shown; });
    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    QCOMPARE(sendToAll(controller, go), workers);

    // From here this thread runs no event loop until messages were dropped: it only asks the
    // cluster's thread how far it got.
    int mostWaiting = 0;
    qint64 dropped = 0;
    QElapsedTimer clock;
    clock.start();
    while (dropped == 0 && clock.elapsed() < 60000) {
        controller->inspect([&](ClusterHost *host) {
            mostWaiting = qMax(mostWaiting, host->backlog()->events.load());
            dropped = host->droppedEvents();
        });
    }
    QVERIFY(dropped > 0);
    QCOMPARE(mostWaiting, ClusterHost::MaxBacklogEvents);

    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    sendToAll(controller, stop);
    const auto notes = [log] {
        log->flush();
        QStringList found;
        for (int row = 0; row < log->rowCount(); ++row) {
            const EventLogModel::Entry &entry = log->entryAt(row);
            if (entry.kind == EventLogModel::Error && entry.text.contains(QStringLiteral("behind")))
                found.append(entry.text);
        }
        return found;
    };
    QTRY_COMPARE_WITH_TIMEOUT(notes().size(), 1, 20000);
    QVERIFY2(notes().first().startsWith(
                 QStringLiteral("the window fell behind the workers; not shown: ")),
        qPrintable(notes().first()));
    // What was passed on while the window was busy is all shown.
    QVERIFY(shown >= ClusterHost::MaxBacklogEvents);
    // And all of it was handed back: the backlog empties once the workers stop.
    const auto waiting = [controller] {
        int events = -1;
        controller->inspect(
            [&events](ClusterHost *host) { events = host->backlog()->events.load(); });
        return events;
    };
    QTRY_COMPARE_WITH_TIMEOUT(waiting(), 0, 20000);
}

#include "tst_monitorstall.moc"
