// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MainWindow: lays the panels out, turns actions into source calls, keeps the status bar.
#include "mainwindow.h"

#include "attachdialog.h"
#include "cachedtextdelegate.h"
#include "clustercontroller.h"
#include "eventlogfilterproxy.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "failurebanner.h"
#include "fleetmodel.h"
#include "fleetview.h"
#include "monitorresources.h"
#include "newclusterdialog.h"
#include "outputview.h"
#include "refreshgate.h"
#include "remoteclustersource.h"
#include "requestchart.h"
#include "sendmessagedialog.h"
#include "sparklinedelegate.h"
#include "workeroutputlog.h"
#include "workertablemodel.h"

#include <libcluster/cluster.h>
#include <libcluster/controlclient.h>
#include <libcluster/supervisor.h>

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMetaEnum>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <csignal>

using namespace LibCluster;

namespace Monitor {

namespace {
QIcon icon(const char *name)
{
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

// The signals offered by Kill, mildest first.
const int KillSignals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGKILL };
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_controller(new ClusterController(this))
    , m_remote(new RemoteClusterSource(this))
    , m_workers(new WorkerTableModel(this))
    , m_workerProxy(new QSortFilterProxyModel(this))
    , m_eventLog(new EventLogModel(this))
    , m_outputLog(new WorkerOutputLog(this))
{
    MonitorResources::init();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Cluster Monitor"));
    setWindowIcon(icon("cluster-monitor"));
    // One view's batch per frame: all of them at once held the loop up for a frame or more.
    auto *refreshGate = new RefreshGate(this);
    m_workers->setRefreshGate(refreshGate);
    m_eventLog->setRefreshGate(refreshGate);
    m_outputLog->setRefreshGate(refreshGate);
    m_workerProxy->setSourceModel(m_workers);
    m_workerProxy->setSortRole(WorkerTableModel::SortRole);
    m_workerProxy->setDynamicSortFilter(true);

    createActions();
    createCentralWidget();
    createDocks();
    createMenus();
    createToolBar();
    createStatusBar();
    bindSelectionShortcuts();
    setDefaultColumnWidths();

    connect(m_controller, &ClusterController::clusterStarted, this, [this] {
        const ClusterConfig config = m_controller->config();
        m_eventLog->append(EventLogModel::Command, 0,
            tr("new cluster: %n worker(s) of %1", "", config.workers).arg(config.program));
    });
    // The monitor's own cluster stops also while the window shows an attached one.
    connect(m_controller, &ClusterController::stopped, this, [this] {
        if (m_source == m_controller)
            m_eventLog->append(EventLogModel::Command, 0, tr("cluster stopped"));
        if (m_closeWhenStopped)
            close();
    });
    connect(m_workers, &WorkerTableModel::flushed, this, [this] {
        updateActions();
        updateStatus();
    });
    connect(m_workers, &WorkerTableModel::ratesSampled, m_chart, &RequestChart::addSample);
    connect(m_workers, &WorkerTableModel::usageSampled, m_chart, &RequestChart::addUsage);
    connect(m_workers, &WorkerTableModel::ratesSampled, this, &MainWindow::updateStatus);
    connect(m_workers, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateWorkerFilterIds);
    connect(m_workers, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateWorkerFilterIds);
    connect(m_workers, &QAbstractItemModel::modelReset, this, &MainWindow::updateWorkerFilterIds);
    connect(m_workerView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MainWindow::updateActions);
    // Rows enough for a vertical scroll bar narrow the table without any resize.
    connect(m_workerView->verticalScrollBar(), &QScrollBar::rangeChanged, this,
        &MainWindow::scheduleFit);

    // Room for every column and the chart, but never more than the screen offers: on a laptop a
    // larger window would hide the toolbar's end and the banner's buttons off-screen.
    QSize size(1280, 820);
    if (const QScreen *screen = QGuiApplication::primaryScreen())
        size = size.boundedTo(screen->availableGeometry().size());
    resize(size);
    setSource(m_controller);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    m_newClusterAction = new QAction(icon("new-cluster"), tr("&New Cluster\u2026"), this);
    m_newClusterAction->setObjectName(QStringLiteral("newClusterAction"));
    m_newClusterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_newClusterAction->setToolTip(tr("Start a cluster with another program, workers or policy"));
    connect(m_newClusterAction, &QAction::triggered, this, &MainWindow::showNewClusterDialog);

    m_attachAction = new QAction(icon("attach"), tr("&Attach\u2026"), this);
    m_attachAction->setObjectName(QStringLiteral("attachAction"));
    m_attachAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    m_attachAction->setToolTip(
        tr("Show a cluster another primary runs (cluster-run --control NAME), through its "
           "control endpoint"));
    connect(m_attachAction, &QAction::triggered, this, &MainWindow::showAttachDialog);

    m_detachAction = new QAction(icon("detach"), tr("De&tach"), this);
    m_detachAction->setObjectName(QStringLiteral("detachAction"));
    m_detachAction->setToolTip(tr("Let go of the attached cluster; it runs on"));
    connect(m_detachAction, &QAction::triggered, this, &MainWindow::detach);

    m_forkAction = new QAction(icon("fork"), tr("&Fork"), this);
    m_forkAction->setObjectName(QStringLiteral("forkAction"));
    m_forkAction->setShortcuts(
        { QKeySequence(Qt::CTRL | Qt::Key_N), QKeySequence(Qt::Key_Insert) });
    m_forkAction->setToolTip(tr("Fork one more worker"));
    connect(m_forkAction, &QAction::triggered, this, [this] { m_source->forkWorker(); });

    m_disconnectAction = new QAction(icon("disconnect"), tr("&Disconnect"), this);
    m_disconnectAction->setObjectName(QStringLiteral("disconnectAction"));
    m_disconnectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_disconnectAction->setToolTip(
        tr("Let the selected workers finish their connections and exit"));
    connect(m_disconnectAction, &QAction::triggered, this,
        [this] { m_source->disconnectWorkers(selectedWorkerIds()); });

    m_killMenu = new QMenu(tr("&Kill With"), this);
    m_killMenu->setIcon(icon("kill"));
    for (int signal : KillSignals) {
        auto *action = new QAction(Cluster::signalName(signal), this);
        action->setObjectName(QStringLiteral("kill%1Action").arg(Cluster::signalName(signal)));
        action->setData(signal);
        if (signal == SIGKILL)
            action->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Delete));
        action->setToolTip(tr("Send %1 to the selected workers").arg(Cluster::signalName(signal)));
        connect(action, &QAction::triggered, this,
            [this, signal] { m_source->killWorkers(selectedWorkerIds(), signal); });
        m_killSignalActions.append(action);
        m_killMenu->addAction(action);
    }
    m_killAction = new QAction(icon("kill"), tr("&Kill"), this);
    m_killAction->setObjectName(QStringLiteral("killAction"));
    m_killAction->setShortcut(QKeySequence(Qt::Key_Delete));
    m_killAction->setToolTip(
        tr("Send SIGTERM to the selected workers (the arrow offers other signals)"));
    m_killAction->setMenu(m_killMenu);
    connect(m_killAction, &QAction::triggered, this,
        [this] { m_source->killWorkers(selectedWorkerIds(), SIGTERM); });

    m_scaleAction = new QAction(icon("scale"), tr("&Scale"), this);
    m_scaleAction->setObjectName(QStringLiteral("scaleAction"));
    m_scaleAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_scaleAction->setToolTip(
        tr("Fork or disconnect workers until as many run as the spin box says "
           "(the newest go first)"));
    connect(m_scaleAction, &QAction::triggered, this,
        [this] { m_source->scaleTo(m_scaleSpin->value()); });

    m_sendMessageAction = new QAction(icon("send-message"), tr("Send &Message\u2026"), this);
    m_sendMessageAction->setObjectName(QStringLiteral("sendMessageAction"));
    m_sendMessageAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    m_sendMessageAction->setToolTip(tr("Send a JSON message to one worker or to all"));
    connect(m_sendMessageAction, &QAction::triggered, this, &MainWindow::showSendMessageDialog);

    m_disconnectAllAction = new QAction(icon("disconnect-all"), tr("Disconnect &All"), this);
    m_disconnectAllAction->setObjectName(QStringLiteral("disconnectAllAction"));
    m_disconnectAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_disconnectAllAction->setToolTip(tr("Disconnect every worker gracefully"));
    connect(
        m_disconnectAllAction, &QAction::triggered, this, [this] { m_source->disconnectAll(); });

    m_restartAction = new QAction(icon("refresh"), tr("Rolling &Restart"), this);
    m_restartAction->setObjectName(QStringLiteral("rollingRestartAction"));
    m_restartAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_restartAction->setToolTip(
        tr("Replace every worker, one after the other, each once its successor listens: "
           "no request is lost"));
    connect(m_restartAction, &QAction::triggered, this, [this] { m_source->rollingRestart(); });

    m_resumeAction = new QAction(icon("resume"), tr("Res&ume"), this);
    m_resumeAction->setObjectName(QStringLiteral("resumeAction"));
    m_resumeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_resumeAction->setToolTip(
        tr("Respawn workers again after the supervisor gave up on a crash loop"));
    connect(m_resumeAction, &QAction::triggered, this, [this] { m_source->resume(); });

    m_hideExitedAction = new QAction(tr("&Hide Exited Workers"), this);
    m_hideExitedAction->setObjectName(QStringLiteral("hideExitedAction"));
    m_hideExitedAction->setCheckable(true);
    m_hideExitedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    m_hideExitedAction->setToolTip(tr("Show only the workers that still run"));
    connect(m_hideExitedAction, &QAction::toggled, this, [this](bool hide) {
        m_workerProxy->setFilterFixedString(hide ? QStringLiteral("false") : QString());
    });

    const struct
    {
        RequestChart::Metric metric;
        QString text;
    } metrics[] = {
        { RequestChart::Requests, tr("&Requests per Second") },
        { RequestChart::Cpu, tr("&CPU") },
        { RequestChart::Memory, tr("&Memory") },
    };
    auto *metricGroup = new QActionGroup(this);
    for (const auto &entry : metrics) {
        auto *action = new QAction(entry.text, metricGroup);
        action->setObjectName(
            QStringLiteral("chart%1Action")
                .arg(QLatin1String(
                    QMetaEnum::fromType<RequestChart::Metric>().valueToKey(entry.metric))));
        action->setCheckable(true);
        action->setChecked(entry.metric == RequestChart::Requests);
        action->setData(int(entry.metric));
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | (Qt::Key_1 + int(entry.metric))));
        connect(action, &QAction::triggered, this,
            [this, metric = entry.metric] { m_chart->setMetric(metric); });
        m_chartMetricActions.append(action);
    }

    m_removeFinishedAction = new QAction(icon("clear"), tr("&Remove Exited Workers"), this);
    m_removeFinishedAction->setObjectName(QStringLiteral("removeFinishedAction"));
    m_removeFinishedAction->setToolTip(
        tr("Remove the rows of workers that have exited from the table"));
    connect(
        m_removeFinishedAction, &QAction::triggered, m_workers, &WorkerTableModel::removeFinished);

    m_showEventsAction = new QAction(icon("filter"), tr("Show &Events of This Worker"), this);
    m_showEventsAction->setObjectName(QStringLiteral("showEventsAction"));
    m_showEventsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(m_showEventsAction, &QAction::triggered, this, [this] {
        const QList<int> ids = selectedWorkerIds();
        if (ids.isEmpty())
            return;
        m_eventLogView->setWorkerFilter(ids.first());
        m_logDock->show();
        m_logDock->raise();
    });

    m_showOutputAction = new QAction(icon("output"), tr("Show &Output of This Worker"), this);
    m_showOutputAction->setObjectName(QStringLiteral("showOutputAction"));
    m_showOutputAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    connect(m_showOutputAction, &QAction::triggered, this, [this] {
        const QList<int> ids = selectedWorkerIds();
        if (ids.isEmpty())
            return;
        m_outputView->showWorker(ids.first());
        m_outputDock->show();
        m_outputDock->raise();
    });

    m_exportLogAction = new QAction(icon("export"), tr("&Export Event Log\u2026"), this);
    m_exportLogAction->setObjectName(QStringLiteral("exportLogAction"));
    m_exportLogAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportLogAction->setToolTip(tr("Save the events shown in the log as CSV"));

    m_clearLogAction = new QAction(icon("clear"), tr("&Clear Event Log"), this);
    m_clearLogAction->setObjectName(QStringLiteral("clearLogAction"));
    m_clearLogAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_clearLogAction, &QAction::triggered, m_eventLog, &EventLogModel::clear);

    m_findAction = new QAction(icon("filter"), tr("&Filter Event Log"), this);
    m_findAction->setObjectName(QStringLiteral("findAction"));
    m_findAction->setShortcut(QKeySequence::Find);

    m_perWorkerAction = new QAction(tr("&Per-Worker Lines in Chart"), this);
    m_perWorkerAction->setCheckable(true);
    m_perWorkerAction->setChecked(true);

    m_chartAction = new QAction(icon("chart"), tr("Request &Chart"), this);
    m_chartAction->setCheckable(true);
    m_chartAction->setChecked(true);

    m_quitAction = new QAction(icon("quit"), tr("&Quit"), this);
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    // Shortcuts for the whole window...
    for (QAction *action :
        { m_forkAction, m_scaleAction, m_sendMessageAction, m_disconnectAllAction,
            m_newClusterAction, m_attachAction, m_exportLogAction, m_clearLogAction, m_findAction,
            m_quitAction, m_restartAction, m_resumeAction, m_hideExitedAction })
        addAction(action);
    addActions(m_chartMetricActions);
}

void MainWindow::bindSelectionShortcuts()
{
    // ...but those that act on the selected workers only where the workers are: Delete in the
    // log's filter field or table must never kill anything.
    QList<QAction *> actions { m_disconnectAction, m_killAction, m_showEventsAction,
        m_showOutputAction };
    actions += m_killSignalActions;
    for (QAction *action : std::as_const(actions)) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_workerView->addAction(action);
    }
}

void MainWindow::createCentralWidget()
{
    m_workerView = new QTableView(this);
    m_workerView->setObjectName(QStringLiteral("workerTable"));
    m_workerView->setModel(m_workerProxy);
    m_workerView->setSortingEnabled(true);
    m_workerView->sortByColumn(WorkerTableModel::IdColumn, Qt::AscendingOrder);
    m_workerView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_workerView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_workerView->setAlternatingRowColors(true);
    m_workerView->setShowGrid(false);
    m_workerView->setWordWrap(false);
    m_workerView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_workerView->setItemDelegate(new CachedTextDelegate(m_workerView));
    m_workerView->setItemDelegateForColumn(
        WorkerTableModel::RequestRateColumn, new SparklineDelegate(m_workerView));
    m_workerProxy->setFilterRole(WorkerTableModel::ExitedRole);
    m_workerView->verticalHeader()->hide();
    m_workerView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_workerView->verticalHeader()->setDefaultSectionSize(m_workerView->fontMetrics().height() + 8);
    m_workerView->horizontalHeader()->setHighlightSections(false);
    m_workerView->horizontalHeader()->setSectionsMovable(true);
    m_workerView->horizontalHeader()->setStretchLastSection(true);
    m_workerView->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_workerView, &QWidget::customContextMenuRequested, this,
        &MainWindow::showWorkerContextMenu);
    connect(m_workerView, &QAbstractItemView::doubleClicked, m_showEventsAction, &QAction::trigger);
    // Hide or show columns from the header's context menu.
    connect(m_workerView->horizontalHeader(), &QWidget::customContextMenuRequested, this,
        [this](const QPoint &position) {
            QMenu menu(this);
            QHeaderView *header = m_workerView->horizontalHeader();
            for (int column = 0; column < WorkerTableModel::ColumnCount; ++column) {
                QAction *action
                    = menu.addAction(m_workers->headerData(column, Qt::Horizontal).toString());
                action->setCheckable(true);
                action->setChecked(!header->isSectionHidden(column));
                action->setEnabled(column != WorkerTableModel::IdColumn);
                connect(action, &QAction::toggled, header,
                    [header, column](bool on) { header->setSectionHidden(column, !on); });
            }
            menu.exec(header->mapToGlobal(position));
        });

    m_chart = new RequestChart(this);
    m_chart->setObjectName(QStringLiteral("requestChart"));
    connect(m_perWorkerAction, &QAction::toggled, m_chart, &RequestChart::setShowsPerWorker);
    connect(m_chartAction, &QAction::toggled, m_chart, &QWidget::setVisible);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("centralSplitter"));
    // The banner sits right above the workers, where the operator looks.
    m_banner = new FailureBanner(this);
    auto *workerPane = new QWidget(this);
    auto *workerLayout = new QVBoxLayout(workerPane);
    workerLayout->setContentsMargins(0, 0, 0, 0);
    workerLayout->setSpacing(2);
    workerLayout->addWidget(m_banner);
    workerLayout->addWidget(m_workerView, 1);
    m_splitter->addWidget(workerPane);
    m_splitter->addWidget(m_chart);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    setCentralWidget(m_splitter);
}

void MainWindow::createDocks()
{
    m_eventLogView = new EventLogView(m_eventLog, this);
    m_logDock = new QDockWidget(tr("Event Log"), this);
    m_logDock->setObjectName(QStringLiteral("eventLogDock"));
    m_logDock->setWidget(m_eventLogView);
    addDockWidget(Qt::BottomDockWidgetArea, m_logDock);
    connect(m_exportLogAction, &QAction::triggered, m_eventLogView, &EventLogView::exportCsv);
    connect(m_findAction, &QAction::triggered, this, [this] {
        m_logDock->show();
        m_logDock->raise();
        m_eventLogView->textFilter()->setFocus(Qt::ShortcutFocusReason);
        m_eventLogView->textFilter()->selectAll();
    });

    m_outputView = new OutputView(m_outputLog, this);
    m_outputDock = new QDockWidget(tr("Output"), this);
    m_outputDock->setObjectName(QStringLiteral("outputDock"));
    m_outputDock->setWidget(m_outputView);
    addDockWidget(Qt::BottomDockWidgetArea, m_outputDock);
    tabifyDockWidget(m_logDock, m_outputDock);
    m_logDock->raise();
    resizeDocks({ m_logDock }, { 300 }, Qt::Vertical);

    m_fleet = new FleetModel(this);
    m_fleetView = new FleetView(m_fleet, this);
    m_fleetDock = new QDockWidget(tr("Fleet"), this);
    m_fleetDock->setObjectName(QStringLiteral("fleetDock"));
    m_fleetDock->setWidget(m_fleetView);
    addDockWidget(Qt::TopDockWidgetArea, m_fleetDock);
    m_fleetDock->hide();
    connect(m_fleetView, &FleetView::openRequested, this, &MainWindow::attach);
}

void MainWindow::createMenus()
{
    QMenu *cluster = menuBar()->addMenu(tr("&Cluster"));
    cluster->addAction(m_newClusterAction);
    cluster->addAction(m_attachAction);
    cluster->addAction(m_detachAction);
    cluster->addSeparator();
    cluster->addAction(m_forkAction);
    cluster->addAction(m_scaleAction);
    cluster->addAction(m_sendMessageAction);
    cluster->addAction(m_disconnectAllAction);
    cluster->addAction(m_restartAction);
    cluster->addAction(m_resumeAction);
    cluster->addSeparator();
    cluster->addAction(m_quitAction);

    QMenu *worker = menuBar()->addMenu(tr("&Worker"));
    worker->addAction(m_disconnectAction);
    worker->addAction(m_killAction);
    worker->addMenu(m_killMenu);
    worker->addSeparator();
    worker->addAction(m_showEventsAction);
    worker->addAction(m_showOutputAction);
    worker->addSeparator();
    worker->addAction(m_removeFinishedAction);

    QMenu *log = menuBar()->addMenu(tr("&Log"));
    log->addAction(m_findAction);
    log->addAction(m_exportLogAction);
    log->addAction(m_clearLogAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_chartAction);
    view->addAction(m_perWorkerAction);
    QMenu *metricMenu = view->addMenu(tr("Chart &Shows"));
    metricMenu->addActions(m_chartMetricActions);
    view->addAction(m_hideExitedAction);
    view->addSeparator();
    QAction *logToggle = m_logDock->toggleViewAction();
    logToggle->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    view->addAction(logToggle);
    QAction *outputToggle = m_outputDock->toggleViewAction();
    outputToggle->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    view->addAction(outputToggle);
    QAction *fleetToggle = m_fleetDock->toggleViewAction();
    fleetToggle->setShortcut(QKeySequence(Qt::ALT | Qt::Key_3));
    view->addAction(fleetToggle);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(
        icon("cluster-monitor"), tr("&About Cluster Monitor"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Cluster"));
    m_toolBar = bar;
    bar->setObjectName(QStringLiteral("clusterToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    bar->addAction(m_newClusterAction);
    bar->addAction(m_attachAction);
    bar->addSeparator();
    bar->addAction(m_forkAction);
    bar->addAction(m_disconnectAction);
    bar->addAction(m_killAction);
    if (auto *button = qobject_cast<QToolButton *>(bar->widgetForAction(m_killAction)))
        button->setPopupMode(QToolButton::MenuButtonPopup);
    bar->addSeparator();
    auto *label = new QLabel(tr("Workers:"), bar);
    label->setContentsMargins(4, 0, 4, 0);
    bar->addWidget(label);
    m_scaleSpin = new QSpinBox(bar);
    m_scaleSpin->setObjectName(QStringLiteral("scaleSpinBox"));
    m_scaleSpin->setRange(0, LibCluster::Supervisor::DefaultMaxWorkers);
    m_scaleSpin->setAccelerated(true);
    m_scaleSpin->setToolTip(tr("How many workers Scale keeps running; Enter applies it"));
    label->setBuddy(m_scaleSpin);
    connect(m_scaleSpin, &QSpinBox::editingFinished, this, [this] {
        if (m_scaleSpin->hasFocus())
            m_scaleAction->trigger();
    });
    bar->addWidget(m_scaleSpin);
    bar->addAction(m_scaleAction);
    bar->addSeparator();
    bar->addAction(m_sendMessageAction);
    bar->addAction(m_disconnectAllAction);
    bar->addAction(m_restartAction);
    bar->addAction(m_resumeAction);
}

void MainWindow::createStatusBar()
{
    const auto makeLabel = [this](const char *name, const QString &tip) {
        auto *label = new QLabel(this);
        label->setObjectName(QLatin1String(name));
        label->setToolTip(tip);
        label->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(label);
        return label;
    };
    m_stateLabel = makeLabel("stateLabel", tr("The cluster's state"));
    m_aliveLabel = makeLabel("aliveLabel", tr("Workers running and not asked to stop"));
    m_rateLabel = makeLabel("rateLabel", tr("Requests per second, all workers"));
    m_policyLabel = makeLabel("policyLabel", tr("How the workers share the port"));
    m_portLabel = makeLabel("portLabel", tr("The port the workers listen on"));
    m_endpointLabel = makeLabel("endpointLabel",
        tr("The control endpoint: where cluster-run ctl, or another monitor, reaches this "
           "cluster; or the one the monitor is attached to"));
}

void MainWindow::setDefaultColumnWidths()
{
    QHeaderView *header = m_workerView->horizontalHeader();
    const QFontMetrics metrics = m_workerView->fontMetrics();
    const QFontMetrics headerMetrics = header->fontMetrics();
    // Wide enough for a typical value and for the header with its sort arrow.
    const struct
    {
        int column;
        QString sample;
    } samples[] = {
        { WorkerTableModel::IdColumn, QStringLiteral("0000") },
        { WorkerTableModel::PidColumn, QStringLiteral("00000000") },
        { WorkerTableModel::StateColumn,
            WorkerTableModel::stateName(Worker::Disconnected) + QStringLiteral("MMM") },
        { WorkerTableModel::UptimeColumn, QStringLiteral("00:00:00") },
        { WorkerTableModel::AddressColumn, QStringLiteral("000.000.000.000:00000") },
        { WorkerTableModel::ConnectionsColumn, QStringLiteral("0,000 / 000,000") },
        { WorkerTableModel::RequestsColumn, QStringLiteral("00,000,000") },
        { WorkerTableModel::RequestRateColumn, QStringLiteral("000,000") },
        { WorkerTableModel::CpuColumn, QStringLiteral("000.0 %") },
        { WorkerTableModel::MemoryColumn, QStringLiteral("000.0 MiB") },
        { WorkerTableModel::ExitColumn, QStringLiteral("SIGKILL") },
        { WorkerTableModel::ExitRequestedColumn, QStringLiteral("yes") },
    };
    for (const auto &entry : samples) {
        const int forValue = metrics.horizontalAdvance(entry.sample) + 20;
        const int forHeader = headerMetrics.horizontalAdvance(
                                  m_workers->headerData(entry.column, Qt::Horizontal).toString())
            + 34;
        header->resizeSection(entry.column, qMax(forValue, forHeader));
    }
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    scheduleFit();
}

void MainWindow::scheduleFit()
{
    // Once the layouts have given the toolbar and the table their new sizes.
    if (m_fitPending)
        return;
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fitToWidth();
    });
}

void MainWindow::fitToWidth()
{
    // Texts beside the icons while they all fit, otherwise icons only (their tooltips name
    // them): an action in the overflow menu is one the operator does not see.
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    if (m_toolBar->sizeHint().width() > m_toolBar->width())
        m_toolBar->setToolButtonStyle(Qt::ToolButtonIconOnly);

    // The columns shrink towards their headers' width rather than scroll sideways.
    QHeaderView *header = m_workerView->horizontalHeader();
    const int available = m_workerView->viewport()->width();
    int lastVisible = -1;
    for (int visual = header->count() - 1; visual >= 0 && lastVisible < 0; --visual)
        if (!header->isSectionHidden(header->logicalIndex(visual)))
            lastVisible = header->logicalIndex(visual);
    if (lastVisible < 0 || header->length() <= available)
        return;
    const QFontMetrics metrics = header->fontMetrics();
    const auto least = [&](int column) {
        return qMin(header->sectionSize(column),
            metrics.horizontalAdvance(m_workers->headerData(column, Qt::Horizontal).toString())
                + 20);
    };
    // The last one stretches from its own width: it gives up all it can spare.
    header->resizeSection(lastVisible, least(lastVisible));
    // Each of the others gives up a share of what it has beyond its header.
    int total = 0;
    int spare = 0;
    for (int column = 0; column < header->count(); ++column) {
        if (!header->isSectionHidden(column) && column != lastVisible) {
            total += header->sectionSize(column);
            spare += header->sectionSize(column) - least(column);
        }
    }
    const int excess = total - (available - header->sectionSize(lastVisible));
    if (excess <= 0 || spare <= 0)
        return;
    const double share = qMin(1.0, double(excess) / spare);
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column) || column == lastVisible)
            continue;
        const int size = header->sectionSize(column);
        header->resizeSection(column, size - int(std::ceil((size - least(column)) * share)));
    }
}

void MainWindow::restoreSettings(bool geometry)
{
    QSettings settings;
    if (geometry)
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    const QByteArray header = settings.value(QStringLiteral("window/workerHeader")).toByteArray();
    if (!header.isEmpty())
        m_workerView->horizontalHeader()->restoreState(header);
    m_perWorkerAction->setChecked(settings.value(QStringLiteral("chart/perWorker"), true).toBool());
    if (QAction *metric = chartMetricAction(settings.value(QStringLiteral("chart/metric")).toInt()))
        metric->trigger();
    m_hideExitedAction->setChecked(
        settings.value(QStringLiteral("window/hideExited"), false).toBool());
    m_fleet->restore(settings);
    // A fleet saved by a window whose layout was not (or by a version without the view).
    if (m_fleet->rowCount() > 0 && !settings.contains(QStringLiteral("window/fleetShown"))) {
        m_fleetDock->show();
        resizeDocks({ m_fleetDock }, { 180 }, Qt::Vertical);
    }
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    settings.setValue(
        QStringLiteral("window/workerHeader"), m_workerView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("chart/perWorker"), m_perWorkerAction->isChecked());
    settings.setValue(QStringLiteral("chart/metric"), int(m_chart->metric()));
    settings.setValue(QStringLiteral("window/hideExited"), m_hideExitedAction->isChecked());
    m_fleet->save(settings);
    settings.setValue(QStringLiteral("window/fleetShown"), m_fleetDock->isVisible());
}

void MainWindow::startCluster(const ClusterConfig &config)
{
    m_remote->detach();
    m_eventLog->beginCluster();
    setSource(m_controller);
    m_controller->start(config);
    updateStatus();
}

void MainWindow::attach(const QString &endpointName)
{
    // One cluster at a time: the window's own goes, gracefully, in the background.
    m_controller->stop();
    m_eventLog->beginCluster();
    setSource(m_remote);
    m_remote->attach(endpointName);
}

void MainWindow::detach()
{
    m_remote->detach();
}

bool MainWindow::isAttached() const
{
    return m_source == m_remote && m_remote->status() != ClusterSource::Status::Stopped;
}

void MainWindow::setSource(ClusterSource *source)
{
    if (m_source == source)
        return;
    for (const QMetaObject::Connection &connection : std::as_const(m_sourceConnections))
        disconnect(connection);
    m_sourceConnections.clear();
    m_source = source;
    m_workers->setSource(source);
    m_eventLog->setSource(source);
    m_outputLog->setSource(source);
    m_sourceConnections = {
        connect(source, &ClusterSource::workersReset, this, &MainWindow::onSourceReset),
        connect(source, &ClusterSource::statusChanged, this,
            [this] {
                updateActions();
                updateStatus();
            }),
        connect(source, &ClusterSource::portChanged, this, &MainWindow::updateStatus),
        connect(source, &ClusterSource::targetWorkerCountChanged, this,
            [this] {
                // Not while the operator is typing a count of their own.
                if (!m_scaleSpin->hasFocus())
                    m_scaleSpin->setValue(m_source->targetWorkerCount());
            }),
        connect(source, &ClusterSource::endpointEventOccurred, this, &MainWindow::updateStatus),
        connect(source, &ClusterSource::workerExited, this, &MainWindow::onWorkerExited),
        connect(source, &ClusterSource::outputReceived, this,
            [this](int id, Worker::OutputChannel channel, const QByteArray &data) {
                onWorkerOutput(id, int(channel), data);
            }),
        connect(source, &ClusterSource::workerErrorOccurred, this,
            [this](int id, const QString &error) {
                // Also the cause of the exit that may follow (a program that cannot start).
                m_lastStderr.insert(id, error);
                m_lastCause = error;
                reportFailure(id, tr("Worker %1 failed").arg(id), error);
            }),
        connect(
            source, &ClusterSource::supervisionChanged, this, &MainWindow::onSupervisionChanged),
    };
    onSourceReset();
}

void MainWindow::onSourceReset()
{
    m_outputLog->clear();
    m_lastStderr.clear();
    m_lastCause.clear();
    m_bannerWorker = 0;
    m_banner->dismiss();
    // While an attached primary has not answered, nobody knows whether it captures output.
    const bool known
        = !m_source->isRemote() || m_source->status() == ClusterSource::Status::Running;
    m_outputView->setCapturing(!known || m_source->capturesOutput(), m_source->isRemote());
    m_chart->clear();
    m_scaleSpin->setValue(m_source->targetWorkerCount());
    updateTitle();
    updateActions();
    updateStatus();
}

void MainWindow::updateTitle()
{
    const QString program = QFileInfo(m_source->program()).fileName();
    if (!m_source->isRemote())
        setWindowTitle(program.isEmpty() ? tr("Cluster Monitor")
                                         : tr("%1 \u2014 Cluster Monitor").arg(program));
    else if (program.isEmpty())
        setWindowTitle(tr("%1 \u2014 Cluster Monitor").arg(m_source->endpointName()));
    else
        setWindowTitle(
            tr("%1 on %2 \u2014 Cluster Monitor").arg(program, m_source->endpointName()));
}

QAction *MainWindow::killAction(int signal) const
{
    for (QAction *action : m_killSignalActions)
        if (action->data().toInt() == signal)
            return action;
    return nullptr;
}

QList<int> MainWindow::selectedWorkerIds() const
{
    QList<int> ids;
    const QModelIndexList rows = m_workerView->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids.append(index.data(WorkerTableModel::WorkerIdRole).toInt());
    std::sort(ids.begin(), ids.end());
    return ids;
}

void MainWindow::selectWorkers(const QList<int> &ids)
{
    QItemSelection selection;
    for (int id : ids) {
        const int row = m_workers->rowOfWorker(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_workerProxy->mapFromSource(m_workers->index(row, 0));
        selection.select(index, index);
    }
    m_workerView->selectionModel()->select(
        selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void MainWindow::updateActions()
{
    const bool running = m_source->status() == ClusterSource::Status::Running;
    bool anyAlive = false;
    bool anyConnected = false;
    const QList<int> ids = selectedWorkerIds();
    for (int id : ids) {
        if (const std::optional<WorkerStatus> worker = m_source->worker(id)) {
            anyAlive = anyAlive || !worker->dead;
            anyConnected = anyConnected || worker->connected;
        }
    }
    // Disconnect and kill also while the monitor's own cluster stops; not while the window
    // waits for an attached primary to answer.
    const bool canSteer = running || m_source->status() == ClusterSource::Status::Stopping;
    anyAlive = anyAlive && canSteer;
    anyConnected = anyConnected && canSteer;
    m_forkAction->setEnabled(running);
    m_scaleAction->setEnabled(running);
    m_scaleSpin->setEnabled(running);
    m_sendMessageAction->setEnabled(running);
    m_disconnectAllAction->setEnabled(running);
    // An attached primary says itself whether it has a supervisor (the reply to the command).
    const bool supervised = m_source->isRemote() || m_source == m_controller;
    m_restartAction->setEnabled(running && supervised && !m_source->isRestarting());
    m_resumeAction->setEnabled(running && m_source->hasGivenUp());
    m_disconnectAction->setEnabled(anyConnected);
    m_killAction->setEnabled(anyAlive);
    m_killMenu->setEnabled(anyAlive);
    for (QAction *action : std::as_const(m_killSignalActions))
        action->setEnabled(anyAlive);
    m_showEventsAction->setEnabled(!ids.isEmpty());
    m_showOutputAction->setEnabled(!ids.isEmpty());
    m_detachAction->setEnabled(isAttached());
}

void MainWindow::updateStatus()
{
    const QLocale locale;
    const ClusterSource::Status status = m_source->status();
    const QString endpoint = m_source->endpointName();
    switch (status) {
    case ClusterSource::Status::Running:
        m_stateLabel->setText(m_source->isRemote() ? tr("Attached") : tr("Running"));
        break;
    case ClusterSource::Status::Connecting:
        // A name nobody serves (any more) is said as such, not as a wait that never ends.
        if (m_source == m_remote && m_remote->client()->error() == ControlClient::SshError)
            // ssh's own words: "Host key verification failed."
            m_stateLabel->setText(tr("ssh: %1").arg(m_remote->client()->errorString()));
        else
            m_stateLabel->setText(m_source == m_remote
                        && m_remote->client()->error() == ControlClient::EndpointNotFoundError
                    ? tr("No endpoint %1").arg(endpoint)
                    : tr("Connecting\u2026"));
        break;
    case ClusterSource::Status::Reconnecting:
        m_stateLabel->setText(tr("Reconnecting\u2026"));
        break;
    case ClusterSource::Status::Stopping:
        m_stateLabel->setText(tr("Stopping\u2026"));
        break;
    case ClusterSource::Status::Stopped:
        m_stateLabel->setText(m_source->isRemote() ? tr("Detached") : tr("Stopped"));
        break;
    }
    // Why an attached primary does not answer, when the window waits for it.
    const QString why = m_source == m_remote && status != ClusterSource::Status::Running
        ? m_remote->client()->errorString()
        : QString();
    m_stateLabel->setToolTip(why.isEmpty() ? tr("The cluster's state") : why);
    if (status == ClusterSource::Status::Connecting
        || status == ClusterSource::Status::Reconnecting)
        m_aliveLabel->setText(tr("Workers: unknown"));
    else
        m_aliveLabel->setText(workerSummary());
    // Trouble reads in red; the text says what it is. (Fewer workers than wanted is no trouble
    // by itself: they may be starting.)
    const bool trouble = m_source->hasGivenUp() || m_workers->crashedCount() > 0;
    m_aliveLabel->setStyleSheet(
        trouble ? QStringLiteral("color: #d32f2f; font-weight: bold;") : QString());
    m_rateLabel->setText(
        tr("%1 requests/s").arg(locale.toString(m_workers->totalRequestRate(), 'f', 0)));
    const QString policy = m_source->policyName();
    m_policyLabel->setText(policy.isEmpty() ? tr("Policy: -") : tr("Policy: %1").arg(policy));
    const quint16 port = m_source->port();
    m_portLabel->setText(port ? tr("Port: %1").arg(port) : tr("Port: -"));
    const qint64 primary = m_source == m_remote ? m_remote->primaryProcessId() : 0;
    if (endpoint.isEmpty())
        m_endpointLabel->setText(tr("Endpoint: -"));
    else if (primary > 0)
        m_endpointLabel->setText(tr("Endpoint: %1 (primary %2)").arg(endpoint).arg(primary));
    else
        m_endpointLabel->setText(tr("Endpoint: %1").arg(endpoint));
}

QString MainWindow::workerSummary() const
{
    const int live = m_source->liveWorkerCount();
    const int leaving = m_source->workerCount() - live;
    const int target = m_source->status() == ClusterSource::Status::Running
        ? qMax(live, m_source->targetWorkerCount())
        : live;
    QStringList parts { tr("%1 of %n worker(s)", "", target).arg(live) };
    if (leaving > 0)
        parts.append(tr("%1 stopping").arg(leaving));
    if (const int crashed = m_workers->crashedCount())
        parts.append(tr("%n crashed", "", crashed));
    if (m_source->isRestarting())
        parts.append(tr("restarting"));
    if (m_source->hasGivenUp())
        parts.append(tr("gave up"));
    return parts.join(QStringLiteral(" \u00b7 "));
}

QAction *MainWindow::chartMetricAction(int metric) const
{
    for (QAction *action : m_chartMetricActions)
        if (action->data().toInt() == metric)
            return action;
    return nullptr;
}

void MainWindow::onWorkerExited(int workerId, int exitCode, int signal, bool exitedAfterDisconnect)
{
    // Asked for, or part of stopping the cluster: nothing failed.
    if (exitedAfterDisconnect || m_source->status() != ClusterSource::Status::Running)
        return;
    const QString how = signal
        ? tr("Worker %1 was ended by %2 without being asked to")
              .arg(workerId)
              .arg(Cluster::signalName(signal))
        : tr("Worker %1 exited unexpectedly with code %2").arg(workerId).arg(exitCode);
    // After a give-up, what matters is the give-up (and Resume); the exit says why.
    if (m_source->hasGivenUp())
        reportFailure(0, giveUpText(), m_lastStderr.value(workerId), m_resumeAction);
    else
        reportFailure(workerId, how, m_lastStderr.value(workerId));
}

void MainWindow::onWorkerOutput(int workerId, int channel, const QByteArray &data)
{
    if (channel != int(Worker::StandardError))
        return;
    // The last complete line that says something; a worker that fails says why last.
    const QList<QByteArray> lines = data.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = QString::fromUtf8(it->trimmed()).left(300);
        if (line.isEmpty())
            continue;
        // A crash loop forks worker after worker: what is kept stays bounded.
        if (m_lastStderr.size() >= 256 && !m_lastStderr.contains(workerId))
            m_lastStderr.clear();
        m_lastStderr.insert(workerId, line);
        m_lastCause = line;
        if (!m_banner->isHidden()
            && (m_bannerWorker == workerId || (m_bannerWorker == 0 && m_source->hasGivenUp())))
            m_banner->setCause(line);
        break;
    }
}

void MainWindow::onSupervisionChanged()
{
    if (m_source->hasGivenUp())
        reportFailure(0, giveUpText(), m_lastCause, m_resumeAction);
    else if (m_bannerWorker == 0 && !m_banner->isHidden())
        m_banner->dismiss();
    updateActions();
    updateStatus();
}

QString MainWindow::giveUpText() const
{
    return tr("The workers keep crashing: respawning stopped");
}

void MainWindow::reportFailure(
    int workerId, const QString &text, const QString &cause, QAction *action)
{
    m_bannerWorker = workerId;
    m_banner->showFailure(text, cause, action);
    notifyFailure(cause.isEmpty() ? text : tr("%1: %2").arg(text, cause));
}

void MainWindow::notifyFailure(const QString &text)
{
    if (isActiveWindow())
        return;
    // A crash loop exits many times a second: one notification every few seconds is loud enough.
    if (m_lastNotification.isValid() && m_lastNotification.elapsed() < 5000)
        return;
    m_lastNotification.start();
    const QString title = windowTitle();
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon(), this);
            m_tray->setToolTip(title);
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
                showNormal();
                raise();
                activateWindow();
            });
        }
        m_tray->show();
        m_tray->showMessage(title, text, QSystemTrayIcon::Critical, 10000);
    }
    Q_EMIT failureNotified(title, text);
}

void MainWindow::updateWorkerFilterIds()
{
    QList<int> ids;
    for (int row = 0; row < m_workers->rowCount(); ++row)
        ids.append(m_workers->workerIdAt(row));
    std::sort(ids.begin(), ids.end());
    m_eventLogView->setWorkerIds(ids);
}

void MainWindow::showNewClusterDialog()
{
    auto *dialog = new NewClusterDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QSettings settings;
    dialog->setConfig(m_persistent ? ClusterConfig::load(settings) : m_controller->config());
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ClusterConfig config = dialog->config();
        if (m_persistent) {
            QSettings settings;
            config.save(settings);
        }
        startCluster(config);
    });
    // Window-modal and non-blocking: no nested event loop while the cluster keeps talking.
    dialog->open();
}

void MainWindow::showAttachDialog()
{
    auto *dialog = new AttachDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setExcludedEndpoint(m_controller->endpointName());
    // The one attached to, else the last one, if it is there (or there is none to pick).
    const QString last = isAttached()
        ? m_remote->endpointName()
        : (m_persistent ? QSettings().value(QStringLiteral("attach/last")).toString() : QString());
    if (!last.isEmpty() && (dialog->endpoints().contains(last) || dialog->endpointName().isEmpty()))
        dialog->setEndpointName(last);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString name = dialog->endpointName();
        if (m_persistent)
            QSettings().setValue(QStringLiteral("attach/last"), name);
        attach(name);
    });
    dialog->open();
}

void MainWindow::showSendMessageDialog()
{
    if (!m_sendDialog) {
        m_sendDialog = new SendMessageDialog(this);
        QSettings settings;
        m_sendDialog->setText(
            settings.value(QStringLiteral("message/last"), QStringLiteral("{\"cmd\": \"ping\"}"))
                .toString());
        connect(m_sendDialog, &SendMessageDialog::sendRequested, this,
            [this](int workerId, const QCborValue &message) {
                m_sendDialog->showResult(tr("Sending\u2026"));
                QPointer<SendMessageDialog> dialog = m_sendDialog;
                const bool remote = m_source->isRemote();
                // Right away for the monitor's own cluster; once the primary replies otherwise.
                m_source->sendMessage(workerId ? QList<int> { workerId } : QList<int>(), message,
                    [dialog, remote](int sent, const QString &error) {
                        if (!dialog)
                            return;
                        if (sent > 0)
                            dialog->showResult(tr("Sent to %n worker(s).", "", sent));
                        else if (remote && !error.isEmpty())
                            dialog->showResult(tr("Not sent: %1").arg(error));
                        else
                            dialog->showResult(tr("Not sent: no connected worker."));
                    });
                if (m_persistent)
                    QSettings().setValue(QStringLiteral("message/last"), m_sendDialog->text());
            });
    }
    QList<QPair<int, qint64>> workers;
    const QList<WorkerStatus> all = m_source->workers();
    for (const WorkerStatus &worker : all)
        if (worker.connected && !worker.dead)
            workers.append({ worker.id, worker.pid });
    const QList<int> selected = selectedWorkerIds();
    m_sendDialog->setWorkers(workers, selected.size() == 1 ? selected.first() : 0);
    m_sendDialog->show();
    m_sendDialog->raise();
    m_sendDialog->activateWindow();
}

void MainWindow::showWorkerContextMenu(const QPoint &position)
{
    QMenu menu(this);
    menu.addAction(m_disconnectAction);
    menu.addAction(m_killAction);
    menu.addMenu(m_killMenu);
    menu.addSeparator();
    menu.addAction(m_sendMessageAction);
    menu.addAction(m_showEventsAction);
    menu.addAction(m_showOutputAction);
    menu.addSeparator();
    menu.addAction(m_forkAction);
    menu.addAction(m_restartAction);
    menu.addAction(m_resumeAction);
    menu.addSeparator();
    menu.addAction(m_hideExitedAction);
    menu.addAction(m_removeFinishedAction);
    menu.exec(m_workerView->viewport()->mapToGlobal(position));
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About Cluster Monitor"),
        tr("<h3>Cluster Monitor</h3>"
           "<p>Watches and steers a libcluster cluster: Node's cluster module, "
           "re-made with Qt.</p>"
           "<p>Workers, their connections, requests, CPU and memory; every "
           "cluster event; the workers' output.</p>"));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_controller->status() != ClusterController::Status::Stopped && !m_forceClose) {
        // Stop the workers gracefully first; the window closes once they are gone.
        event->ignore();
        if (m_closeWhenStopped)
            return;
        m_closeWhenStopped = true;
        statusBar()->showMessage(tr("Stopping the workers before quitting\u2026"));
        m_controller->stop();
        // Whatever happens to the workers, the window does not hang on to them for ever.
        QTimer::singleShot(m_controller->gracePeriod() + 5000, this, [this] {
            if (!m_closeWhenStopped || !isVisible())
                return;
            m_forceClose = true;
            close();
        });
        return;
    }
    if (m_persistent)
        writeSettings();
    if (m_sendDialog)
        m_sendDialog->close();
    event->accept();
}

} // namespace Monitor
