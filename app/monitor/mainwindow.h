// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor's main window: workers table, request chart, event log and output, and the actions.
#pragma once

#include "clusterconfig.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QMetaObject>

class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QSortFilterProxyModel;
class QSpinBox;
class QSplitter;
class QSystemTrayIcon;
class QTableView;
class QToolBar;

namespace Monitor {

class ClusterController;
class ClusterSource;
class EventLogModel;
class EventLogView;
class FailureBanner;
class FleetModel;
class FleetView;
class OutputView;
class RemoteClusterSource;
class RequestChart;
class SendMessageDialog;
class WorkerOutputLog;
class WorkerTableModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Stops the running cluster, if any (or lets go of the attached one), then starts this one.
    void startCluster(const ClusterConfig &config);
    // Shows the cluster behind the control endpoint `name` of this user, through that endpoint,
    // and follows it across restarts of its primary. The monitor's own cluster, if any, is
    // stopped first.
    void attach(const QString &endpointName);
    // Lets go of the attached cluster, which runs on.
    void detach();
    bool isAttached() const;

    // The cluster the window shows: controller() or remoteSource().
    ClusterSource *source() const { return m_source; }
    // The cluster this monitor runs itself.
    ClusterController *controller() const { return m_controller; }
    // The cluster another primary runs, when attached.
    RemoteClusterSource *remoteSource() const { return m_remote; }
    WorkerTableModel *workerModel() const { return m_workers; }
    QSortFilterProxyModel *workerProxy() const { return m_workerProxy; }
    QTableView *workerView() const { return m_workerView; }
    EventLogModel *eventLog() const { return m_eventLog; }
    EventLogView *eventLogView() const { return m_eventLogView; }
    WorkerOutputLog *outputLog() const { return m_outputLog; }
    OutputView *outputView() const { return m_outputView; }
    RequestChart *requestChart() const { return m_chart; }
    QSpinBox *scaleSpinBox() const { return m_scaleSpin; }
    SendMessageDialog *sendMessageDialog() const { return m_sendDialog; }

    QAction *newClusterAction() const { return m_newClusterAction; }
    QAction *attachAction() const { return m_attachAction; }
    QAction *detachAction() const { return m_detachAction; }
    QAction *forkAction() const { return m_forkAction; }
    QAction *disconnectAction() const { return m_disconnectAction; }
    // Kill with SIGTERM; killAction(signal) for the others.
    QAction *killAction() const { return m_killAction; }
    QAction *killAction(int signal) const;
    QAction *scaleAction() const { return m_scaleAction; }
    QAction *sendMessageAction() const { return m_sendMessageAction; }
    QAction *disconnectAllAction() const { return m_disconnectAllAction; }
    QAction *rollingRestartAction() const { return m_restartAction; }
    QAction *resumeAction() const { return m_resumeAction; }
    // Hides the rows of workers that have exited.
    QAction *hideExitedAction() const { return m_hideExitedAction; }
    // View > Chart Shows: requests/s, CPU or memory (RequestChart::Metric).
    QAction *chartMetricAction(int metric) const;
    // The Fleet view: every cluster the monitor watches, a row each; opening a row attaches the
    // window to it. Its set of clusters is remembered with the window's settings.
    FleetModel *fleetModel() const { return m_fleet; }
    FleetView *fleetView() const { return m_fleetView; }
    QDockWidget *fleetDock() const { return m_fleetDock; }
    // Says what failed and why, above the table.
    FailureBanner *failureBanner() const { return m_banner; }
    // The summary in the status bar: "3 of 4 workers · 1 crashed · gave up".
    QString workerSummary() const;

    // The ids of the workers selected in the table, in table order.
    QList<int> selectedWorkerIds() const;
    void selectWorkers(const QList<int> &ids);

    // Whether the window remembers its layout and the last New cluster choice in QSettings.
    // Off by default (tests, benchmarks); the application turns it on.
    void setPersistent(bool persistent) { m_persistent = persistent; }
    // Restores the layout saved when the window last closed; the window's size and position
    // only when `geometry` is true (not when the command line gave -geometry).
    void restoreSettings(bool geometry = true);

Q_SIGNALS:
    // A failure was announced outside the window (the window was not active): a desktop
    // notification, where the desktop has a system tray.
    void failureNotified(const QString &title, const QString &text);

protected:
    void closeEvent(QCloseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBar();
    void createCentralWidget();
    void createDocks();
    void createStatusBar();
    void bindSelectionShortcuts();
    void setDefaultColumnWidths();
    // What a narrow window (a laptop's 1024 pixels) gives up so that every toolbar action and
    // every column stays in sight: the toolbar's texts, then width of the widest columns.
    void scheduleFit();
    void fitToWidth();
    void writeSettings();

    void setSource(ClusterSource *source);
    void onSourceReset();
    void updateTitle();
    void updateActions();
    void updateStatus();
    void updateWorkerFilterIds();
    void showNewClusterDialog();
    void showAttachDialog();
    void showSendMessageDialog();
    void showWorkerContextMenu(const QPoint &position);
    void showAbout();
    // Loud failures: the banner, and a notification when the window is not active.
    void reportFailure(
        int workerId, const QString &text, const QString &cause, QAction *action = nullptr);
    void notifyFailure(const QString &text);
    void onWorkerExited(int workerId, int exitCode, int signal, bool exitedAfterDisconnect);
    void onWorkerOutput(int workerId, int channel, const QByteArray &data);
    void onSupervisionChanged();
    QString giveUpText() const;

    ClusterController *m_controller;
    RemoteClusterSource *m_remote;
    ClusterSource *m_source = nullptr;
    QList<QMetaObject::Connection> m_sourceConnections;
    WorkerTableModel *m_workers;
    QSortFilterProxyModel *m_workerProxy;
    EventLogModel *m_eventLog;
    WorkerOutputLog *m_outputLog;

    QSplitter *m_splitter = nullptr;
    QTableView *m_workerView = nullptr;
    RequestChart *m_chart = nullptr;
    EventLogView *m_eventLogView = nullptr;
    OutputView *m_outputView = nullptr;
    QDockWidget *m_logDock = nullptr;
    QDockWidget *m_outputDock = nullptr;
    FleetModel *m_fleet = nullptr;
    FleetView *m_fleetView = nullptr;
    QDockWidget *m_fleetDock = nullptr;
    QSpinBox *m_scaleSpin = nullptr;
    QToolBar *m_toolBar = nullptr;
    bool m_fitPending = false;
    SendMessageDialog *m_sendDialog = nullptr;

    QAction *m_newClusterAction = nullptr;
    QAction *m_attachAction = nullptr;
    QAction *m_detachAction = nullptr;
    QAction *m_forkAction = nullptr;
    QAction *m_disconnectAction = nullptr;
    QAction *m_killAction = nullptr;
    QMenu *m_killMenu = nullptr;
    QList<QAction *> m_killSignalActions;
    QAction *m_scaleAction = nullptr;
    QAction *m_sendMessageAction = nullptr;
    QAction *m_disconnectAllAction = nullptr;
    QAction *m_restartAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_hideExitedAction = nullptr;
    QList<QAction *> m_chartMetricActions;
    QAction *m_removeFinishedAction = nullptr;
    QAction *m_showEventsAction = nullptr;
    QAction *m_showOutputAction = nullptr;
    QAction *m_exportLogAction = nullptr;
    QAction *m_clearLogAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_perWorkerAction = nullptr;
    QAction *m_chartAction = nullptr;
    QAction *m_quitAction = nullptr;

    QLabel *m_aliveLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QLabel *m_policyLabel = nullptr;
    QLabel *m_portLabel = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_endpointLabel = nullptr;

    FailureBanner *m_banner = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    // The last line each worker wrote to stderr: the likely cause of its exit.
    QHash<int, QString> m_lastStderr;
    QString m_lastCause;
    // The worker whose failure the banner shows (0: none, or the cluster).
    int m_bannerWorker = 0;
    QElapsedTimer m_lastNotification;

    bool m_persistent = false;
    bool m_closeWhenStopped = false;
    bool m_forceClose = false;
};

} // namespace Monitor
