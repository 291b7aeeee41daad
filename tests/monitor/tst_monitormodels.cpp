// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor's models and pure helpers: rates, the capped log, its filter, CSV, the chart's
// mapping, JSON input, output lines, the remembered configuration; and the workers model on a
// real cluster of hello-http workers, run by the monitor's ClusterController.
#include "cachedtextdelegate.h"
#include "clusterconfig.h"
#include "clustercontroller.h"
#include "clusterhost.h"
#include "csvwriter.h"
#include "eventlogfilterproxy.h"
#include "eventlogmodel.h"
#include "newclusterdialog.h"
#include "ratemeter.h"
#include "requestchart.h"
#include "sendmessagedialog.h"
#include "workeroutputlog.h"
#include "workertablemodel.h"

#include <libcluster/cluster.h>

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace LibCluster;
using namespace Monitor;

class tst_MonitorModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void rateMeter();
    void rateMeterIdle();
    void eventLogBatchesAndCaps();
    void eventLogPendingIsCapped();
    void eventLogFilter_data();
    void eventLogFilter();
    void csvExport();
    void chartMapping_data();
    void chartMapping();
    void chartNiceMaximum();
    void chartRingBuffer();
    void chartPaintsLines();
    void jsonInput_data();
    void jsonInput();
    void outputLines();
    void outputCaps();
    void configRoundTrip();
    void argumentsRoundTrip();
    void workerModelOnRealCluster();
    void eventLogShowsWorkersThatDoNotListen();
    void cachedTextPaintsAsStyled_data();
    void cachedTextPaintsAsStyled();
};

void tst_MonitorModels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_monitormodels"));
}

void tst_MonitorModels::rateMeter()
{
    RateMeter meter;
    meter.record(0, 0);
    // Batches of 250 every 250 ms: 1,000 requests/s, however the ticks fall.
    for (int i = 1; i <= 8; ++i)
        meter.record(i * 250, i * 250);
    QCOMPARE(meter.rate(2000), 1000.0);
    QCOMPARE(meter.rate(2400), 1000.0);
    // An uneven batch (350 in 350 ms) is still measured between arrivals.
    meter.record(2350, 2000 + 350);
    QCOMPARE(qRound(meter.rate(2500)), 1000);
    QCOMPARE(meter.lastCount(), 2350);
}

void tst_MonitorModels::rateMeterIdle()
{
    RateMeter meter(1000, 1000);
    meter.record(0, 0);
    meter.record(500, 500);
    QCOMPARE(meter.rate(600), 1000.0);
    // No batch for more than a second: the worker is idle.
    QCOMPARE(meter.rate(1600), 0.0);
    // A new burst is measured from the idle point, not from long ago.
    meter.record(1850, 750);
    meter.record(2100, 1000);
    QVERIFY(meter.rate(2100) > 400);
}

void tst_MonitorModels::eventLogBatchesAndCaps()
{
    EventLogModel log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.setCapacity(100);
    log.setFlushInterval(20);
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
    for (int i = 0; i < 80; ++i)
        log.append(EventLogModel::Message, 1 + i % 4, QStringLiteral("event %1").arg(i));
    // Nothing reaches the views before the flush; then one insert for the whole batch.
    QCOMPARE(log.rowCount(), 0);
    QTRY_COMPARE(log.rowCount(), 80);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(removed.count(), 0);

    for (int i = 80; i < 130; ++i)
        log.append(EventLogModel::Message, 1, QStringLiteral("event %1").arg(i));
    QTRY_COMPARE(inserted.count(), 2);
    // The oldest go first, in one block, then the new ones come in.
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 0);
    QCOMPARE(removed.at(0).at(2).toInt(), 29);
    QCOMPARE(log.rowCount(), 100);
    QCOMPARE(log.entryAt(0).text, QStringLiteral("event 30"));
    QCOMPARE(log.entryAt(99).text, QStringLiteral("event 129"));
    QCOMPARE(log.totalEvents(), 130);

    log.clear();
    QCOMPARE(log.rowCount(), 0);
    // Long texts are cut.
    log.append(EventLogModel::Message, 1, QString(5000, QLatin1Char('x')));
    log.flush();
    QCOMPARE(log.entryAt(0).text.size(), EventLogModel::MaxTextLength);
    QCOMPARE(log.index(0, EventLogModel::KindColumn).data().toString(), QStringLiteral("Message"));
    QCOMPARE(log.index(0, EventLogModel::WorkerColumn).data().toInt(), 1);
}

void tst_MonitorModels::eventLogPendingIsCapped()
{
    EventLogModel log;
    log.setCapacity(1000);
    log.setFlushInterval(100000); // never on its own
    for (int i = 0; i < 50000; ++i)
        log.append(EventLogModel::Message, 1, QStringLiteral("event %1").arg(i));
    QCOMPARE(log.pendingCount(), 1000);
    log.flush();
    QCOMPARE(log.rowCount(), 1000);
    QCOMPARE(log.entryAt(0).text, QStringLiteral("event 49000"));
    QCOMPARE(log.totalEvents(), 50000);
}

void tst_MonitorModels::eventLogFilter_data()
{
    QTest::addColumn<quint32>("kinds");
    QTest::addColumn<int>("worker");
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("rows");

    const quint32 all = EventLogFilterProxy::allKinds();
    QTest::newRow("everything") << all << 0 << QString() << 12;
    QTest::newRow("exits only") << (1u << EventLogModel::Exit) << 0 << QString() << 3;
    QTest::newRow("worker 2") << all << 2 << QString() << 4;
    QTest::newRow("worker 2 exits") << (1u << EventLogModel::Exit) << 2 << QString() << 1;
    QTest::newRow("text, any case") << all << 0 << QStringLiteral("SIGKILL") << 2;
    QTest::newRow("text and worker") << all << 3 << QStringLiteral("sigkill") << 1;
    QTest::newRow("kind name as text") << all << 0 << QStringLiteral("listening") << 3;
    QTest::newRow("no kinds") << 0u << 0 << QString() << 0;
}

void tst_MonitorModels::eventLogFilter()
{
    QFETCH(quint32, kinds);
    QFETCH(int, worker);
    QFETCH(QString, text);
    QFETCH(int, rows);

    EventLogModel log;
    EventLogFilterProxy proxy;
    proxy.setSourceModel(&log);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int id = 1; id <= 3; ++id) {
        log.append(EventLogModel::Fork, id, QStringLiteral("forked"));
        log.append(EventLogModel::Listening, id, QStringLiteral("on 0.0.0.0:8000"));
        log.append(EventLogModel::Exit, id,
            id == 1 ? QStringLiteral("exited with code 0") : QStringLiteral("ended by SIGKILL"));
    }
    log.append(EventLogModel::Setup, 0, QStringLiteral("policy rr"));
    log.append(EventLogModel::Message, 2, QStringLiteral("{\"seq\": 1}"));
    log.append(EventLogModel::Command, 0, QStringLiteral("scale from 3 to 1 workers"));
    log.flush();
    QCOMPARE(log.rowCount(), 12);

    proxy.setKinds(kinds);
    proxy.setWorkerId(worker);
    proxy.setText(text);
    QCOMPARE(proxy.rowCount(), rows);
    // The filter follows new events too.
    log.append(EventLogModel::Exit, worker ? worker : 1, QStringLiteral("ended by SIGKILL"));
    log.flush();
    const bool matches = (kinds & (1u << EventLogModel::Exit))
        && (text.isEmpty()
            || QStringLiteral("ended by SIGKILL").contains(text, Qt::CaseInsensitive));
    QCOMPARE(proxy.rowCount(), rows + (matches ? 1 : 0));
}

void tst_MonitorModels::csvExport()
{
    EventLogModel log;
    log.append(EventLogModel::Message, 2, QStringLiteral("{\"a\": 1, \"b\": \"x\"}"));
    log.append(EventLogModel::Error, 3, QStringLiteral("line one\nline two"));
    log.flush();
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString error;
    QVERIFY(CsvWriter::write(&log, &buffer, &error));
    const QList<QByteArray> lines = buffer.data().split('\n');
    QCOMPARE(lines.at(0), QByteArray("Time,Event,Worker,Details\r"));
    // A full timestamp in the file, while the view shows the time of day only.
    const QByteArray time = lines.at(1).split(',').at(0);
    QVERIFY2(QDateTime::fromString(QString::fromLatin1(time), Qt::ISODateWithMs).isValid(), time);
    QVERIFY(lines.at(1).endsWith(",Message,2,\"{\"\"a\"\": 1, \"\"b\"\": \"\"x\"\"}\"\r"));
    QVERIFY(buffer.data().contains(",Error,3,\"line one\nline two\"\r\n"));
    QCOMPARE(CsvWriter::quoted(QStringLiteral("plain")), QStringLiteral("plain"));
    QCOMPARE(CsvWriter::quoted(QStringLiteral("a,b")), QStringLiteral("\"a,b\""));
}

void tst_MonitorModels::chartMapping_data()
{
    QTest::addColumn<qint64>("time");
    QTest::addColumn<double>("value");
    QTest::addColumn<QPointF>("point");

    // Plot from (100, 50), 300 wide and 200 high; now = 600,000 ms; 5-minute window; top 1,000.
    QTest::newRow("now, zero") << qint64(600000) << 0.0 << QPointF(400, 250);
    QTest::newRow("now, top") << qint64(600000) << 1000.0 << QPointF(400, 50);
    QTest::newRow("window start") << qint64(300000) << 500.0 << QPointF(100, 150);
    QTest::newRow("middle") << qint64(450000) << 250.0 << QPointF(250, 200);
    QTest::newRow("above the top is clamped") << qint64(600000) << 5000.0 << QPointF(400, 50);
    QTest::newRow("negative is clamped") << qint64(600000) << -3.0 << QPointF(400, 250);
    QTest::newRow("older than the window") << qint64(0) << 0.0 << QPointF(-200, 250);
}

void tst_MonitorModels::chartMapping()
{
    QFETCH(qint64, time);
    QFETCH(double, value);
    QFETCH(QPointF, point);
    const QRectF plot(100, 50, 300, 200);
    const QPointF mapped = RequestChart::mapToPoint(time, value, 600000, 300000, 1000, plot);
    QCOMPARE(mapped.x(), point.x());
    QCOMPARE(mapped.y(), point.y());
    // No scale yet: everything sits on the axis.
    QCOMPARE(RequestChart::mapToPoint(time, value, 600000, 300000, 0, plot).y(), plot.bottom());
}

void tst_MonitorModels::chartNiceMaximum()
{
    QCOMPARE(RequestChart::niceMaximum(0), 10.0);
    QCOMPARE(RequestChart::niceMaximum(7), 10.0);
    QCOMPARE(RequestChart::niceMaximum(11), 20.0);
    QCOMPARE(RequestChart::niceMaximum(150), 200.0);
    QCOMPARE(RequestChart::niceMaximum(300), 500.0);
    QCOMPARE(RequestChart::niceMaximum(5000), 5000.0);
    QCOMPARE(RequestChart::niceMaximum(5001), 10000.0);
    QCOMPARE(RequestChart::niceMaximum(42000), 50000.0);
    // Neighbouring ids far apart: no two of the first eight workers share a colour.
    QSet<QRgb> colors;
    for (int id = 1; id <= 8; ++id)
        colors.insert(RequestChart::workerColor(id).rgb());
    QCOMPARE(colors.size(), 8);
}

void tst_MonitorModels::chartRingBuffer()
{
    RequestChart chart;
    chart.resize(600, 200);
    const int capacity = chart.capacity();
    for (int i = 0; i < capacity + 25; ++i)
        chart.addSample(i * 1000, i, { { 1, i / 2.0 }, { 2, i / 2.0 } });
    QCOMPARE(chart.sampleCount(), capacity);
    QCOMPARE(chart.sampleAt(0).time, 25 * 1000);
    QCOMPARE(chart.sampleAt(capacity - 1).total, double(capacity + 24));
    chart.clear();
    QCOMPARE(chart.sampleCount(), 0);
}

namespace {

int distance(const QColor &a, const QColor &b)
{
    return qAbs(a.red() - b.red()) + qAbs(a.green() - b.green()) + qAbs(a.blue() - b.blue());
}

// The row of `column` whose pixel is nearest to `color`, and whether that pixel is nearer to it
// than to the chart's background: where a line of that colour crosses the column.
int rowOf(
    const QImage &image, int column, const QColor &color, const QColor &background, bool *found)
{
    int best = -1;
    int bestDistance = std::numeric_limits<int>::max();
    for (int y = 0; y < image.height(); ++y) {
        const int d = distance(image.pixelColor(column, y), color);
        if (d < bestDistance) {
            bestDistance = d;
            best = y;
        }
    }
    *found = best >= 0 && bestDistance < distance(image.pixelColor(column, best), background);
    return best;
}

} // namespace

void tst_MonitorModels::chartPaintsLines()
{
    // Flat lines, as painted: worker 1 at 600/s, worker 2 at 200/s, the total at 800/s under an
    // axis that tops at 1,000. Each is found in the picture in its own colour, in that order
    // from the top, at heights in proportion to the values.
    RequestChart chart;
    chart.resize(600, 300);
    for (int i = 0; i <= 60; ++i) // every 5 s for the 5 minutes the chart spans
        chart.addSample(i * 5000, 800, { { 1, 600 }, { 2, 200 } });
    QImage image(chart.size(), QImage::Format_ARGB32);
    image.fill(Qt::black);
    chart.render(&image);

    const QColor background = chart.palette().color(QPalette::Base);
    const int column = int(chart.width() * 0.6);
    bool totalFound = false, firstFound = false, secondFound = false;
    const int total
        = rowOf(image, column, chart.palette().color(QPalette::Highlight), background, &totalFound);
    const int first = rowOf(image, column, RequestChart::workerColor(1), background, &firstFound);
    const int second = rowOf(image, column, RequestChart::workerColor(2), background, &secondFound);
    const QString where = QStringLiteral("total at %1, worker 1 at %2, worker 2 at %3")
                              .arg(total)
                              .arg(first)
                              .arg(second);
    QVERIFY2(totalFound && firstFound && secondFound, qPrintable(where));
    QVERIFY2(total < first && first < second, qPrintable(where));
    // (800 - 200) / (600 - 200) = 1.5
    const double ratio = double(second - total) / double(second - first);
    QVERIFY2(ratio > 1.3 && ratio < 1.7, qPrintable(where));
}

void tst_MonitorModels::jsonInput_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("error");

    QTest::newRow("object") << QStringLiteral("{\"cmd\": \"reload\", \"n\": 3}") << true
                            << QString();
    QTest::newRow("array") << QStringLiteral("[1, 2, 3]") << true << QString();
    QTest::newRow("bare string") << QStringLiteral("\"hello\"") << true << QString();
    QTest::newRow("number") << QStringLiteral("  42 ") << true << QString();
    QTest::newRow("empty") << QStringLiteral("   ") << false
                           << QStringLiteral("Type a JSON value.");
    QTest::newRow("two values") << QStringLiteral("1, 2") << false << QStringLiteral("not a list");
    QTest::newRow("unclosed") << QStringLiteral("{\"a\": 1,\n \"b\": }") << false
                              << QStringLiteral("Line 2, column");
    QTest::newRow("trailing garbage")
        << QStringLiteral("{} x") << false << QStringLiteral("Line 1, column");
}

void tst_MonitorModels::jsonInput()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, error);
    QJsonValue value;
    QString why;
    QCOMPARE(SendMessageDialog::parseJson(text, &value, &why), valid);
    if (!valid)
        QVERIFY2(why.contains(error), qPrintable(why));

    SendMessageDialog dialog;
    dialog.setText(text);
    QCOMPARE(!dialog.message().isInvalid(), valid);
    auto *send = dialog.findChild<QPushButton *>(QStringLiteral("send"));
    QVERIFY(send);
    QCOMPARE(send->isEnabled(), valid);
    if (valid && value.isObject())
        QCOMPARE(dialog.message(), QCborValue::fromJsonValue(value));
}

void tst_MonitorModels::outputLines()
{
    WorkerOutputLog log;
    QSignalSpy added(&log, &WorkerOutputLog::linesAdded);
    log.append(1, Worker::StandardOutput, "hello wo");
    log.append(1, Worker::StandardOutput, "rld\nsecond\r\nthi");
    log.append(2, Worker::StandardError, "oops\n");
    QTRY_COMPARE(added.count(), 1);
    const auto batch = added.at(0).at(0).value<QVector<WorkerOutputLog::Line>>();
    QCOMPARE(batch.size(), 3);
    QCOMPARE(log.lines(1).size(), 2);
    QCOMPARE(log.lines(1).at(0).text, QStringLiteral("hello world"));
    QCOMPARE(log.lines(1).at(1).text, QStringLiteral("second"));
    QCOMPARE(log.lines(2).at(0).channel, Worker::StandardError);
    QCOMPARE(log.lines(0).size(), 3);
    // The unfinished line comes out when the worker exits.
    log.finishWorker(1);
    QCOMPARE(log.lines(1).last().text, QStringLiteral("thi"));
    QCOMPARE(log.workerIds(), (QList<int> { 1, 2 }));
}

void tst_MonitorModels::outputCaps()
{
    WorkerOutputLog log;
    log.setLinesPerWorker(10);
    log.setCombinedLines(15);
    log.setMaxWorkers(3);
    for (int i = 0; i < 100; ++i)
        log.append(1, Worker::StandardOutput, QByteArray("line ") + QByteArray::number(i) + '\n');
    QCOMPARE(log.lines(1).size(), 10);
    QCOMPARE(log.lines(1).first().text, QStringLiteral("line 90"));
    QCOMPARE(log.lines(0).size(), 15);
    // A worker that never writes a newline cannot grow a line without bound.
    log.append(2, Worker::StandardOutput, QByteArray(WorkerOutputLog::MaxLineLength * 3 + 10, 'x'));
    QCOMPARE(log.lines(2).size(), 3);
    // Output of the oldest workers goes when too many have written.
    log.append(3, Worker::StandardOutput, "c\n");
    log.append(4, Worker::StandardOutput, "d\n");
    QCOMPARE(log.workerIds(), (QList<int> { 2, 3, 4 }));
}

void tst_MonitorModels::configRoundTrip()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("monitor.ini")), QSettings::IniFormat);
    const ClusterConfig defaults = ClusterConfig::load(settings);
    QCOMPARE(defaults, ClusterConfig::defaults());
    QCOMPARE(defaults.portArgument(), quint16(8000));
    QCOMPARE(defaults.policy, SchedulingPolicy::RoundRobin);
    QVERIFY(defaults.program.endsWith(QStringLiteral("hello-http")));

    ClusterConfig config;
    config.program = QStringLiteral("/opt/app/server");
    config.arguments = { QStringLiteral("--port=9090"), QStringLiteral("a b") };
    config.workers = 7;
    config.policy = SchedulingPolicy::Sticky;
    config.captureOutput = false;
    config.save(settings);
    QCOMPARE(ClusterConfig::load(settings), config);
    QCOMPARE(config.portArgument(), quint16(9090));
}

void tst_MonitorModels::argumentsRoundTrip()
{
    const QStringList arguments = { QStringLiteral("--port"), QStringLiteral("8000"),
        QStringLiteral("two words"), QStringLiteral("say \"hi\"") };
    QCOMPARE(
        NewClusterDialog::splitArguments(NewClusterDialog::joinArguments(arguments)), arguments);

    NewClusterDialog dialog;
    ClusterConfig config = ClusterConfig::defaults(0);
    config.arguments = arguments;
    config.workers = 5;
    config.policy = SchedulingPolicy::LeastConnections;
    config.captureOutput = false;
    dialog.setConfig(config);
    QCOMPARE(dialog.config(), config);
}

void tst_MonitorModels::workerModelOnRealCluster()
{
    ClusterController controller;
    ClusterConfig config;
    config.program = QStringLiteral(BIN_DIR "/hello-http");
    config.arguments = { QStringLiteral("--port"), QStringLiteral("0") };
    config.workers = 2;
    config.captureOutput = true;
    // Unsupervised: the exits below are not replaced.
    config.respawn = false;

    WorkerTableModel model;
    model.setFlushInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(WorkerTableModel::SortRole);
    proxy.setDynamicSortFilter(true);
    proxy.sort(WorkerTableModel::IdColumn, Qt::DescendingOrder);
    QAbstractItemModelTester proxyTester(
        &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&controller);

    controller.start(config);
    // Queued after start(): the cluster exists when this runs.
    bool started = false;
    controller.inspect([&started](ClusterHost *host) {
        started = host->cluster() != nullptr;
        if (started)
            host->cluster()->setResourceSampleInterval(200);
    });
    QVERIFY(started);
    QSignalSpy listening(&controller, &ClusterSource::workerListening);
    QTRY_COMPARE_WITH_TIMEOUT(listening.count(), 2, 15000);
    QTRY_COMPARE(model.rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QTRY_COMPARE(
            model.index(row, 0).data(WorkerTableModel::StateRole).toInt(), int(Worker::Listening));
    QCOMPARE(model.liveCount(), 2);
    QCOMPARE(proxy.index(0, WorkerTableModel::IdColumn).data().toInt(), 2);
    const quint16 port = listening.at(0).at(1).value<Address>().port();
    QVERIFY(port != 0);
    QTRY_VERIFY(model.index(0, WorkerTableModel::AddressColumn)
                    .data()
                    .toString()
                    .endsWith(QString::number(port)));
    QTRY_VERIFY(!model.index(0, WorkerTableModel::MemoryColumn).data().toString().isEmpty());

    // Requests served are counted, exactly.
    QNetworkAccessManager network;
    const int requests = 12;
    int finished = 0;
    for (int i = 0; i < requests; ++i) {
        QNetworkReply *reply
            = network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))));
        connect(reply, &QNetworkReply::finished, this, [&finished, reply] {
            ++finished;
            reply->deleteLater();
        });
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished, requests, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model.totalRequests(), qint64(requests), 5000);
    qint64 perRow = 0;
    for (int row = 0; row < 2; ++row)
        perRow += model.index(row, WorkerTableModel::RequestsColumn)
                      .data(WorkerTableModel::SortRole)
                      .toLongLong();
    QCOMPARE(perRow, qint64(requests));
    QSignalSpy sampled(&model, &WorkerTableModel::ratesSampled);
    QVERIFY(sampled.wait(3000));
    using Rates = QVector<QPair<int, double>>;
    QCOMPARE(sampled.at(0).at(2).value<Rates>().size(), 2);

    // An exit stays in the table, with its signal, after the Worker object is gone; a kill the
    // monitor gave was asked for.
    const auto exists = [&controller](int id) {
        bool found = false;
        controller.inspect([id, &found](ClusterHost *host) {
            found = host->cluster() && host->cluster()->workerById(id);
        });
        return found;
    };
    QVERIFY(exists(1));
    controller.killWorkers({ 1 }, SIGKILL);
    QTRY_VERIFY(!exists(1));
    const int row = model.rowOfWorker(1);
    QTRY_COMPARE(model.index(row, WorkerTableModel::ExitColumn).data().toString(),
        QStringLiteral("SIGKILL"));
    QCOMPARE(model.index(row, WorkerTableModel::ExitRequestedColumn).data().toString(),
        QStringLiteral("yes"));
    QCOMPARE(model.index(row, 0).data(WorkerTableModel::StateRole).toInt(), int(Worker::Dead));
    QCOMPARE(model.liveCount(), 1);
    QVERIFY(!model.index(row, 0).data(WorkerTableModel::LiveRole).toBool());

    model.removeFinished();
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.workerIdAt(0), 2);
    model.setSource(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

// A worker that ends with 0 right after it came online, without listening on the cluster's
// port (a QHttpServer::listen() that failed), gets an alert row of its own before its exit.
void tst_MonitorModels::eventLogShowsWorkersThatDoNotListen()
{
    ClusterController controller;
    ClusterConfig config;
    config.program = QStringLiteral(TESTWORKER_PATH);
    config.workers = 1;
    config.respawn = false;
    EventLogModel log;
    log.setFlushInterval(20);
    log.setSource(&controller);
    controller.start(config);
    QSignalSpy online(&controller, &ClusterSource::workerOnline);
    QVERIFY(online.wait(10000));
    bool sent = false;
    controller.sendMessage({ 1 },
        QCborMap {
            { QStringLiteral("do"), QStringLiteral("quit") }, { QStringLiteral("code"), 0 } },
        [&sent](int count, const QString &) { sent = count == 1; });
    QTRY_VERIFY(sent);
    const auto rowOf = [&log](EventLogModel::Kind kind, const QString &text) {
        for (int row = 0; row < log.rowCount(); ++row)
            if (log.entryAt(row).kind == kind && log.entryAt(row).text.contains(text))
                return row;
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(
        rowOf(EventLogModel::Exit, QStringLiteral("exited with code 0")) >= 0, 10000);
    const int warning = rowOf(EventLogModel::Listening,
        QStringLiteral("ms after it came online, without listening: did its own server fail on a "
                       "port another worker took?"));
    QVERIFY(warning >= 0);
    QVERIFY(warning < rowOf(EventLogModel::Exit, QStringLiteral("exited with code 0")));
    QCOMPARE(log.entryAt(warning).workerId, 1);
    QVERIFY(log.entryAt(warning).alert);
}

void tst_MonitorModels::cachedTextPaintsAsStyled_data()
{
    QTest::addColumn<Qt::LayoutDirection>("direction");
    QTest::newRow("left to right") << Qt::LeftToRight;
    QTest::newRow("right to left") << Qt::RightToLeft;
}

void tst_MonitorModels::cachedTextPaintsAsStyled()
{
    // The workers table and the event log paint through CachedTextDelegate: what it paints must
    // be what QStyledItemDelegate paints, pixel for pixel, for every kind of cell they show.
    QFETCH(Qt::LayoutDirection, direction);
    QStandardItemModel model(6, 4);
    const QString longText
        = QStringLiteral("a detail far too long for its column, so it is elided");
    for (int row = 0; row < model.rowCount(); ++row) {
        model.setItem(row, 0, new QStandardItem(QString::number(1000 * row + 7)));
        model.item(row, 0)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        model.setItem(row, 1, new QStandardItem(row % 2 ? longText : QStringLiteral("online")));
        model.setItem(row, 2, new QStandardItem(QStringLiteral("12:34:56.%1").arg(row)));
        model.item(row, 2)->setTextAlignment(Qt::AlignCenter);
        model.setItem(row, 3, new QStandardItem(QString()));
    }
    model.item(1, 2)->setForeground(QColor(0xb7, 0x1c, 0x1c));
    model.item(2, 1)->setBackground(QColor(0xd3, 0x2f, 0x2f, 48));
    model.item(3, 1)->setData(QColor(0x19, 0x76, 0xd2), Qt::DecorationRole); // left to the base
    QFont bold;
    bold.setBold(true);
    model.item(4, 2)->setFont(bold); // left to the base
    model.item(5, 1)->setText(QStringLiteral("two\nlines")); // left to the base
    model.item(5, 0)->setText(QStringLiteral("123456789012345678901234567890")); // elided, right

    auto makeView = [&](QAbstractItemDelegate *delegate) {
        auto *view = new QTableView;
        view->setLayoutDirection(direction);
        view->setModel(&model);
        view->setItemDelegate(delegate);
        view->setWordWrap(false);
        view->setShowGrid(false);
        view->setAlternatingRowColors(true);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setColumnWidth(1, 120);
        view->resize(520, 240);
        view->selectRow(1);
        view->setCurrentIndex(model.index(1, 2));
        view->setFocus();
        return view;
    };
    std::unique_ptr<QTableView> styled(makeView(new QStyledItemDelegate));
    auto *cached = new CachedTextDelegate;
    std::unique_ptr<QTableView> fast(makeView(cached));
    cached->setParent(fast.get());

    const QImage expected = styled->grab().toImage();
    const QImage first = fast->grab().toImage();
    QCOMPARE(first.size(), expected.size());
    QVERIFY2(first == expected, "the cached text differs from QStyledItemDelegate's");
    const qint64 laidOut = cached->layouts();
    QVERIFY(laidOut > 0);

    // A second paint lays nothing out again, and still looks the same.
    const QImage second = fast->grab().toImage();
    QVERIFY(second == expected);
    QCOMPARE(cached->layouts(), laidOut);
    QVERIFY(cached->hits() >= laidOut);

    // Changed text is laid out afresh, not taken from the cache.
    model.item(0, 0)->setText(QStringLiteral("99"));
    QVERIFY(fast->grab().toImage() == styled->grab().toImage());
    QCOMPARE(cached->layouts(), laidOut + 1);

    // Text in more than one font (a fallback font for these characters, or boxes where there is
    // none: either way, the line's height is the one Qt takes).
    model.item(2, 1)->setText(QStringLiteral("worker \u65e5\u672c\u8a9e \u2714"));
    QVERIFY(fast->grab().toImage() == styled->grab().toImage());

    // Another way of eliding, another font: nothing stale from the cache.
    for (QTableView *view : { styled.get(), fast.get() })
        view->setTextElideMode(Qt::ElideLeft);
    QVERIFY2(fast->grab().toImage() == styled->grab().toImage(), "after ElideLeft");
    QFont larger = fast->font();
    larger.setPointSizeF(larger.pointSizeF() * 1.5);
    for (QTableView *view : { styled.get(), fast.get() })
        view->setFont(larger);
    QVERIFY2(fast->grab().toImage() == styled->grab().toImage(), "after a larger font");

    // Shown and active, with the focus frame on the current cell.
    QImage shown[2];
    for (int i = 0; i < 2; ++i) {
        QTableView *view = i == 0 ? styled.get() : fast.get();
        view->show();
        view->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(view));
        view->setFocus();
        QTRY_VERIFY(view->hasFocus());
        shown[i] = view->grab().toImage();
        view->hide();
    }
    QVERIFY2(shown[1] == shown[0], "with the focus frame");
}

QTEST_MAIN(tst_MonitorModels)
#include "tst_monitormodels.moc"
