// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The window as an operator's cockpit: its own cluster supervised (New Cluster's options, Rolling
// Restart and Resume), failures said loudly with their cause, and the chart's CPU and memory.
// Real hello-http workers, real sockets, real keep-alive load.
#include "clustercontroller.h"
#include "clusterhost.h"
#include "failurebanner.h"
#include "keepaliveload.h"
#include "mainwindow.h"
#include "newclusterdialog.h"
#include "remoteclustersource.h"
#include "requestchart.h"
#include "sparklinedelegate.h"
#include "translations.h"
#include "workertablemodel.h"

#include <libcluster/controlserver.h>
#include <libcluster/supervisor.h>

#include <QCheckBox>
#include <QLabel>
#include <QProcess>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace LibCluster;
using namespace Monitor;

namespace {
constexpr int Timeout = 20000;

ClusterConfig helloConfig(int workers, quint16 port = 0)
{
    ClusterConfig config;
    config.program = QStringLiteral(BIN_DIR "/hello-http");
    config.arguments = { QStringLiteral("--port"), QString::number(port) };
    config.workers = workers;
    config.captureOutput = true;
    config.shutdownTimeout = 3000;
    return config;
}

} // namespace

class tst_Cockpit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void newClusterOffersSupervision();
    void respawnAndRollingRestartUnderLoad();
    void rollingRestartOfAttachedCluster();
    void portInUseGivesUpAndResumes();
    void programThatCannotStart();
    void workerExitingUnaskedIsLoud();
    void chartShowsCpuAndMemory();
    void sparklineMapping();

private:
    MainWindow *startWindow(const ClusterConfig &config);
    QList<int> liveListeningIds() const;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_runtime;
};

void tst_Cockpit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_cockpit"));
    // Control endpoints of this test, and of the cluster-run it starts, in a directory of their
    // own.
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCOMPARE(ControlServer::runtimeDirectory(), m_runtime.path());
}

void tst_Cockpit::init()
{
    Translations::install(QStringLiteral("en"));
}

void tst_Cockpit::cleanup()
{
    if (m_window) {
        m_window->controller()->setGracePeriod(2000);
        m_window->close();
        QTRY_COMPARE_WITH_TIMEOUT(
            m_window->controller()->status(), ClusterController::Status::Stopped, Timeout);
        m_window.reset();
    }
    Translations::uninstall();
}

MainWindow *tst_Cockpit::startWindow(const ClusterConfig &config)
{
    m_window = std::make_unique<MainWindow>();
    m_window->setPersistent(false);
    m_window->show();
    m_window->startCluster(config);
    return m_window.get();
}

QList<int> tst_Cockpit::liveListeningIds() const
{
    QList<int> ids;
    WorkerTableModel *model = m_window->workerModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(WorkerTableModel::LiveRole).toBool()
            && index.data(WorkerTableModel::StateRole).toInt() == Worker::Listening)
            ids.append(index.data(WorkerTableModel::WorkerIdRole).toInt());
    }
    return ids;
}

// New Cluster offers cluster-run's supervision options with its defaults (respawn on, as
// operators expect), and the cluster started gets them.
void tst_Cockpit::newClusterOffersSupervision()
{
    NewClusterDialog dialog;
    dialog.setConfig(ClusterConfig::defaults());
    QVERIFY(dialog.findChild<QCheckBox *>(QStringLiteral("respawn"))->isChecked());
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("shutdownTimeout"))->value(), 10000);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("disconnectTimeout"))->value(), 10000);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("memoryLimit"))->value(), 0);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("requestLimit"))->value(), 0);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("crashLimit"))->value(),
        Supervisor::DefaultCrashLimit);

    dialog.findChild<QSpinBox *>(QStringLiteral("disconnectTimeout"))->setValue(4000);
    dialog.findChild<QSpinBox *>(QStringLiteral("shutdownTimeout"))->setValue(2500);
    dialog.findChild<QSpinBox *>(QStringLiteral("memoryLimit"))->setValue(512);
    dialog.findChild<QSpinBox *>(QStringLiteral("requestLimit"))->setValue(100000);
    ClusterConfig config = dialog.config();
    QCOMPARE(config.disconnectTimeout, 4000);
    QCOMPARE(config.memoryLimit, qint64(512) * 1024 * 1024);
    QCOMPARE(config.requestLimit, qint64(100000));
    QVERIFY(config.respawn);

    // Remembered and restored.
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    config.save(settings);
    QCOMPARE(ClusterConfig::load(settings), config);

    config.program = QStringLiteral(BIN_DIR "/hello-http");
    config.arguments = { QStringLiteral("--port"), QStringLiteral("0") };
    config.workers = 1;
    MainWindow *window = startWindow(config);
    // The library's Supervisor, as the cluster's thread has it once the cluster started.
    bool supervised = false;
    bool respawn = false;
    int disconnectTimeout = 0;
    qint64 memoryLimit = 0;
    qint64 requestLimit = 0;
    window->controller()->inspect([&](ClusterHost *host) {
        if (Supervisor *supervisor = host->supervisor()) {
            supervised = true;
            respawn = supervisor->respawn();
            disconnectTimeout = supervisor->disconnectTimeout();
            memoryLimit = supervisor->memoryLimit();
            requestLimit = supervisor->requestLimit();
        }
    });
    QVERIFY(supervised);
    QVERIFY(respawn);
    QCOMPARE(disconnectTimeout, 4000);
    QCOMPARE(memoryLimit, qint64(512) * 1024 * 1024);
    QCOMPARE(requestLimit, qint64(100000));
    QCOMPARE(window->controller()->gracePeriod(), 2500);
}

// Under keep-alive load: a worker disconnected from the window is replaced at once (respawn
// keeps the count), then Rolling Restart replaces every worker; no request fails.
void tst_Cockpit::respawnAndRollingRestartUnderLoad()
{
    MainWindow *window = startWindow(helloConfig(2));
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    const quint16 port = window->controller()->port();
    QVERIFY(port != 0);

    // Everywhere an operator looks for it.
    QAction *restart = window->rollingRestartAction();
    QAction *resume = window->resumeAction();
    auto *toolBar = window->findChild<QToolBar *>(QStringLiteral("clusterToolBar"));
    QVERIFY(toolBar->actions().contains(restart));
    QVERIFY(toolBar->actions().contains(resume));
    QVERIFY(window->actions().contains(restart));
    QCOMPARE(restart->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
    QVERIFY(!resume->shortcut().isEmpty());
    QVERIFY(restart->isEnabled());
    QVERIFY(!resume->isEnabled());

    SupervisorTest::KeepAliveLoad load(port, 4);
    load.start();
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() > 50, Timeout);

    // Respawn: a worker asked to go from the window is replaced at once.
    const QList<int> before = liveListeningIds();
    window->selectWorkers({ before.first() });
    window->disconnectAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(
        liveListeningIds().size() == 2 && !liveListeningIds().contains(before.first()), Timeout);
    QCOMPARE(window->controller()->targetWorkerCount(), 2);
    int kept = 0;
    window->controller()->inspect(
        [&kept](ClusterHost *host) { kept = host->supervisor()->workerCount(); });
    QCOMPARE(kept, 2);

    // Rolling Restart: every worker replaced, one after the other.
    const QList<int> middle = liveListeningIds();
    const int answersBefore = load.succeeded();
    restart->trigger();
    QVERIFY(window->controller()->isRestarting());
    QVERIFY(!restart->isEnabled());
    QVERIFY(window->workerSummary().contains(QStringLiteral("restarting")));
    QTRY_VERIFY_WITH_TIMEOUT(!window->controller()->isRestarting(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    for (int id : liveListeningIds())
        QVERIFY2(id > *std::max_element(middle.cbegin(), middle.cend()),
            qPrintable(QString::number(id)));
    QTRY_VERIFY_WITH_TIMEOUT(load.succeeded() > answersBefore + 50, Timeout);
    QVERIFY(restart->isEnabled());

    load.stop();
    QTRY_VERIFY_WITH_TIMEOUT(load.isFinished(), Timeout);
    QVERIFY2(load.failed() == 0, qPrintable(load.failureSummary()));
    // Nothing failed, so nothing is shouted about.
    QVERIFY(window->failureBanner()->isHidden());
    QCOMPARE(window->workerSummary(), QStringLiteral("2 of 2 workers"));
}

// Rolling Restart of a cluster another primary runs, through its control endpoint.
void tst_Cockpit::rollingRestartOfAttachedCluster()
{
#ifndef CLUSTER_RUN_PATH
    QSKIP("cluster-run is not built");
#else
    const QString name = QStringLiteral("cockpit-%1").arg(QCoreApplication::applicationPid());
    QProcess runner;
    runner.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    runner.setStandardOutputFile(QProcess::nullDevice());
    runner.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--respawn"),
            QStringLiteral("--control"), name, QStringLiteral("--"),
            QStringLiteral(BIN_DIR "/hello-http"), QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY(runner.waitForStarted());
    m_window = std::make_unique<MainWindow>();
    m_window->setPersistent(false);
    m_window->show();
    m_window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    const QList<int> before = liveListeningIds();
    QAction *restart = m_window->rollingRestartAction();
    QTRY_VERIFY(restart->isEnabled());
    restart->trigger();
    QVERIFY(m_window->remoteSource()->isRestarting());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->remoteSource()->isRestarting(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    for (int id : liveListeningIds())
        QVERIFY(id > *std::max_element(before.cbegin(), before.cend()));
    QVERIFY(m_window->failureBanner()->isHidden());

    m_window->detach();
    runner.terminate();
    QVERIFY(runner.waitForFinished(Timeout));
#endif
}

// A port in use: each worker says so on stderr and exits; the banner shows that line, the
// supervisor gives up on the crash loop, the status bar says so, and Resume brings the workers
// back once the port is free. Outside the window, a desktop notification.
void tst_Cockpit::portInUseGivesUpAndResumes()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::Any, 0));
    const quint16 port = blocker.serverPort();
    ClusterConfig config = helloConfig(1, port);
    config.crashLimit = 2;
    MainWindow *window = startWindow(config);
    // Another window has the focus: the failure also goes to the desktop.
    QWidget other;
    other.show();
    other.activateWindow();
    QSignalSpy notified(window, &MainWindow::failureNotified);

    QTRY_VERIFY_WITH_TIMEOUT(window->controller()->hasGivenUp(), Timeout);
    FailureBanner *banner = window->failureBanner();
    QTRY_VERIFY_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("cannot listen on port %1").arg(port)), Timeout);
    QVERIFY2(banner->text().contains(QStringLiteral("already in use")), qPrintable(banner->text()));
    QVERIFY(!banner->isHidden());
    // The give-up, with Resume at hand, stays in front of the exits that follow it.
    QTRY_VERIFY_WITH_TIMEOUT(
        banner->text().startsWith(QStringLiteral("The workers keep crashing")), Timeout);
    auto *bannerAction = banner->findChild<QToolButton *>(QStringLiteral("failureAction"));
    QCOMPARE(bannerAction->defaultAction(), window->resumeAction());
    QVERIFY(!bannerAction->isHidden());
    QVERIFY(window->resumeAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(window->findChild<QLabel *>(QStringLiteral("aliveLabel"))
                                 ->text()
                                 .contains(QStringLiteral("gave up")),
        Timeout);
    const QString summary = window->workerSummary();
    QVERIFY2(summary.startsWith(QStringLiteral("0 of 1 worker")), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("crashed")), qPrintable(summary));
    QVERIFY(!notified.isEmpty() || window->isActiveWindow());
    if (!notified.isEmpty())
        QVERIFY(notified.constLast().at(1).toString().contains(QStringLiteral("port")));

    // The rows that crashed stand out; the filter hides exited rows.
    WorkerTableModel *model = window->workerModel();
    model->flush();
    QVERIFY(model->rowCount() >= 1);
    const QModelIndex first = model->index(0, 0);
    QVERIFY(first.data(WorkerTableModel::CrashedRole).toBool());
    QVERIFY(first.data(Qt::BackgroundRole).isValid());
    QSortFilterProxyModel *proxy = window->workerProxy();
    QCOMPARE(proxy->rowCount(), model->rowCount());
    window->hideExitedAction()->setChecked(true);
    QCOMPARE(proxy->rowCount(), 0);
    window->hideExitedAction()->setChecked(false);
    QCOMPARE(proxy->rowCount(), model->rowCount());

    // The port is free again: Resume.
    blocker.close();
    window->resumeAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window->controller()->hasGivenUp(), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 1, Timeout);
    QVERIFY(!window->resumeAction()->isEnabled());
    QVERIFY(!window->workerSummary().contains(QStringLiteral("gave up")));
    QVERIFY(window->workerSummary().startsWith(QStringLiteral("1 of 1 worker")));
}

// A program that cannot start: the banner says why.
void tst_Cockpit::programThatCannotStart()
{
    QTemporaryDir dir;
    ClusterConfig config = helloConfig(1);
    config.program = dir.filePath(QStringLiteral("no-such-program"));
    config.respawn = false;
    MainWindow *window = startWindow(config);
    FailureBanner *banner = window->failureBanner();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(
        banner->text().contains(QStringLiteral("cannot start worker")), Timeout);
    QVERIFY2(banner->text().contains(config.program), qPrintable(banner->text()));
}

// A worker killed from outside: a banner with the signal, the row stands out, the count says
// "1 crashed"; respawn replaces it.
void tst_Cockpit::workerExitingUnaskedIsLoud()
{
    MainWindow *window = startWindow(helloConfig(2));
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    QCOMPARE(window->workerSummary(), QStringLiteral("2 of 2 workers"));
    const int victim = liveListeningIds().first();
    const qint64 pid = window->controller()->worker(victim)->pid;
    QVERIFY(::kill(pid_t(pid), SIGKILL) == 0);

    FailureBanner *banner = window->failureBanner();
    QTRY_VERIFY_WITH_TIMEOUT(!banner->isHidden(), Timeout);
    QVERIFY2(
        banner->text().contains(
            QStringLiteral("Worker %1 was ended by SIGKILL without being asked to").arg(victim)),
        qPrintable(banner->text()));
    QTRY_VERIFY_WITH_TIMEOUT(
        window->workerSummary().contains(QStringLiteral("1 crashed")), Timeout);
    // Replaced.
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        window->workerSummary(), QStringLiteral("2 of 2 workers \u00b7 1 crashed"), Timeout);
    const int row = window->workerModel()->rowOfWorker(victim);
    QVERIFY(window->workerModel()->index(row, 0).data(WorkerTableModel::CrashedRole).toBool());

    // Dismissed until the next failure.
    banner->findChild<QToolButton *>(QStringLiteral("failureDismiss"))->click();
    QVERIFY(banner->isHidden());
}

// The chart shows requests/s, CPU or memory, per worker with a colour key; each row keeps its
// requests/s for a sparkline.
void tst_Cockpit::chartShowsCpuAndMemory()
{
    MainWindow *window = startWindow(helloConfig(2));
    QTRY_COMPARE_WITH_TIMEOUT(liveListeningIds().size(), 2, Timeout);
    RequestChart *chart = window->requestChart();
    const auto newestHasUsage = [chart] {
        if (chart->sampleCount() == 0)
            return false;
        const RequestChart::Sample &sample = chart->sampleAt(chart->sampleCount() - 1);
        return sample.cpu.size() == 2 && sample.memory.size() == 2 && sample.memoryTotal > 0;
    };
    QTRY_VERIFY_WITH_TIMEOUT(newestHasUsage(), Timeout);
    const QList<int> ids = liveListeningIds();
    QCOMPARE(chart->keyWorkerIds(), ids);

    QCOMPARE(chart->metric(), RequestChart::Requests);
    QVERIFY(window->chartMetricAction(RequestChart::Requests)->isChecked());
    window->chartMetricAction(RequestChart::Memory)->trigger();
    QCOMPARE(chart->metric(), RequestChart::Memory);
    const RequestChart::Sample sample = chart->sampleAt(chart->sampleCount() - 1);
    // Shown in MiB: a hello-http worker holds a few.
    QVERIFY(chart->totalOf(sample) > 1 && chart->totalOf(sample) < 4096);
    QCOMPARE(chart->perWorkerOf(sample).size(), 2);
    QVERIFY(!chart->grab().isNull());
    window->chartMetricAction(RequestChart::Cpu)->trigger();
    QCOMPARE(chart->metric(), RequestChart::Cpu);
    QCOMPARE(chart->totalOf(sample), sample.cpuTotal);
    QVERIFY(!chart->grab().isNull());
    window->chartMetricAction(RequestChart::Requests)->trigger();
    QCOMPARE(chart->totalOf(sample), sample.total);

    // Each row's requests/s history, for its sparkline.
    WorkerTableModel *model = window->workerModel();
    const QModelIndex rate
        = model->index(model->rowOfWorker(ids.first()), WorkerTableModel::RequestRateColumn);
    QTRY_VERIFY_WITH_TIMEOUT(
        rate.data(WorkerTableModel::RateHistoryRole).value<QList<double>>().size() >= 2, Timeout);
    QVERIFY(qobject_cast<SparklineDelegate *>(
        window->workerView()->itemDelegateForColumn(WorkerTableModel::RequestRateColumn)));
}

void tst_Cockpit::sparklineMapping()
{
    const QRectF rect(0, 0, 59, 10);
    // Newest at the right edge, the largest at the top, zero at the bottom.
    const QPolygonF points = SparklineDelegate::mapHistory({ 0, 5, 10 }, rect);
    QCOMPARE(points.size(), 3);
    QCOMPARE(points.at(2), QPointF(59, 0));
    QCOMPARE(points.at(1), QPointF(58, 5));
    QCOMPARE(points.at(0), QPointF(57, 10));
    // Idle: flat at the bottom.
    const QPolygonF idle = SparklineDelegate::mapHistory({ 0, 0 }, rect);
    QCOMPARE(idle.at(0).y(), 10.0);
    QVERIFY(SparklineDelegate::mapHistory({ 3 }, rect).isEmpty());
}

QTEST_MAIN(tst_Cockpit)
#include "tst_cockpit.moc"
