// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor attached to a cluster it did not start: `cluster-run --control NAME` with real
// hello-http workers, shown and steered through the control endpoint; a restart of that primary;
// the monitor's own cluster reached by `cluster-run ctl` and by a second window; --attach.
#include "attachdialog.h"
#include "clustercontroller.h"
#include "clusterhost.h"
#include "eventlogfilterproxy.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "mainwindow.h"
#include "outputview.h"
#include "remoteclustersource.h"
#include "requestchart.h"
#include "sendmessagedialog.h"
#include "translations.h"
#include "workeroutputlog.h"
#include "workertablemodel.h"

#include <libcluster/controlclient.h>
#include <libcluster/controlserver.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolBar>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace LibCluster;
using namespace Monitor;

namespace {
constexpr int Timeout = 20000;

// Clients of the control endpoint `window`'s own cluster serves; -1 when it serves none.
int controlClients(MainWindow *window)
{
    int clients = -1;
    window->controller()->inspect([&clients](ClusterHost *host) {
        if (ControlServer *server = host->controlServer())
            clients = server->clientCount();
    });
    return clients;
}

int countEvents(
    EventLogModel *log, EventLogModel::Kind kind, int worker, const QString &text = QString())
{
    log->flush();
    int count = 0;
    for (int row = 0; row < log->rowCount(); ++row) {
        const EventLogModel::Entry &entry = log->entryAt(row);
        if (entry.kind == kind && (worker == 0 || entry.workerId == worker)
            && entry.text.contains(text))
            ++count;
    }
    return count;
}

bool processExists(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == 0;
}

QString labelText(QWidget *window, const char *name)
{
    auto *label = window->findChild<QLabel *>(QLatin1String(name));
    return label ? label->text() : QString();
}
} // namespace

class tst_Attach : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsAndSteersAttachedCluster();
    void reconnectsWhenPrimaryRestarts();
    void ownClusterServesAnEndpoint();
    void secondWindowAttachesToFirst();
    void disconnectAllKeepsTheSupervisorsCount();
    void attachDialogAndDetach();
    void attachOption();
    void translated();
    // The figures shown: the desired count as the primary keeps it; workers that exited before
    // the window attached.
    void spinBoxFollowsThePrimary();
    void exitedWorkersKeepTheirFigures();
    void eventLogSeparatesClusters();
    void eventLogShowsReloads();

private:
    QString uniqueName();
    // cluster-run --workers N [OPTIONS] --control NAME -- hello-http --port 0 (hello-http's
    // first worker picks a free port, the others share it); nullptr if it did not start. Its
    // output is kept, for readAllStandardOutput(), only if `keepOutput`.
    QProcess *startRunner(
        const QString &name, int workers, const QStringList &options = {}, bool keepOutput = false);
    void stopRunner(QProcess *runner);
    // `cluster-run ctl NAME ARGS...`; its exit code.
    int ctl(const QString &name, const QStringList &arguments);
    // A cluster of the monitor's own: N hello-http workers on a free port, with an endpoint
    // named for this test.
    ClusterConfig ownCluster(int workers);
    MainWindow *newWindow();
    int liveListening(MainWindow *window) const;
    qint64 requestsInTable(MainWindow *window) const;

    QTemporaryDir m_runtime;
    int m_names = 0;
    std::vector<std::unique_ptr<QProcess>> m_runners;
    std::vector<std::unique_ptr<MainWindow>> m_windows;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
};

void tst_Attach::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_attach"));
    // Endpoints of this test (and of the cluster-run processes it starts) live in a directory
    // of their own; QTemporaryDir makes it 0700.
    QVERIFY(m_runtime.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCOMPARE(ControlServer::runtimeDirectory(), m_runtime.path());
}

void tst_Attach::init()
{
    Translations::install(QStringLiteral("en"));
}

void tst_Attach::cleanup()
{
    m_testers.clear();
    for (const auto &window : m_windows) {
        window->controller()->setGracePeriod(2000);
        window->close();
        QTRY_COMPARE_WITH_TIMEOUT(
            window->controller()->status(), ClusterSource::Status::Stopped, Timeout);
    }
    m_windows.clear();
    for (const auto &runner : m_runners)
        stopRunner(runner.get());
    m_runners.clear();
    Translations::uninstall();
}

QString tst_Attach::uniqueName()
{
    return QStringLiteral("tst-attach-%1-%2")
        .arg(QCoreApplication::applicationPid())
        .arg(++m_names);
}

QProcess *tst_Attach::startRunner(
    const QString &name, int workers, const QStringList &options, bool keepOutput)
{
    auto runner = std::make_unique<QProcess>();
    runner->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    if (!keepOutput)
        runner->setStandardOutputFile(QProcess::nullDevice());
    runner->start(QStringLiteral(CLUSTER_RUN_PATH),
        QStringList { QStringLiteral("--workers"), QString::number(workers) } + options
            + QStringList { QStringLiteral("--control"), name, QStringLiteral("--"),
                QStringLiteral(BIN_DIR "/hello-http"), QStringLiteral("--port"),
                QStringLiteral("0") });
    if (!runner->waitForStarted())
        return nullptr;
    QProcess *started = runner.get();
    m_runners.push_back(std::move(runner));
    return started;
}

void tst_Attach::stopRunner(QProcess *runner)
{
    if (runner->state() == QProcess::NotRunning)
        return;
    // Gracefully, as a service manager would; its workers go with it.
    runner->terminate();
    QTRY_COMPARE_WITH_TIMEOUT(runner->state(), QProcess::NotRunning, Timeout);
}

ClusterConfig tst_Attach::ownCluster(int workers)
{
    ClusterConfig config;
    config.program = QStringLiteral(BIN_DIR "/hello-http");
    config.arguments = { QStringLiteral("--port"), QStringLiteral("0") };
    config.workers = workers;
    config.controlName = uniqueName();
    return config;
}

MainWindow *tst_Attach::newWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setPersistent(false);
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(window->workerModel(), Mode::QtTest));
    m_testers.push_back(
        std::make_unique<QAbstractItemModelTester>(window->eventLog(), Mode::QtTest));
    window->show();
    m_windows.push_back(std::move(window));
    return m_windows.back().get();
}

int tst_Attach::liveListening(MainWindow *window) const
{
    WorkerTableModel *model = window->workerModel();
    int count = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(WorkerTableModel::LiveRole).toBool()
            && index.data(WorkerTableModel::StateRole).toInt() == Worker::Listening)
            ++count;
    }
    return count;
}

qint64 tst_Attach::requestsInTable(MainWindow *window) const
{
    WorkerTableModel *model = window->workerModel();
    qint64 total = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        total += model->index(row, WorkerTableModel::RequestsColumn)
                     .data(WorkerTableModel::SortRole)
                     .toLongLong();
    return total;
}

void tst_Attach::showsAndSteersAttachedCluster()
{
    const QString name = uniqueName();
    QProcess *runner = startRunner(name, 2);
    QVERIFY(runner);
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->attach(name);

    // Two workers, reaching listening, with every column filled in from the endpoint.
    QTRY_COMPARE_WITH_TIMEOUT(window->source()->status(), ClusterSource::Status::Running, Timeout);
    QVERIFY(window->isAttached());
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    WorkerTableModel *model = window->workerModel();
    QCOMPARE(model->rowCount(), 2);
    const quint16 port = window->source()->port();
    QVERIFY(port != 0);
    for (int id : { 1, 2 }) {
        const int row = model->rowOfWorker(id);
        QVERIFY(row >= 0);
        QVERIFY(processExists(model->index(row, WorkerTableModel::PidColumn).data().toLongLong()));
        QVERIFY(model->index(row, WorkerTableModel::AddressColumn)
                    .data()
                    .toString()
                    .endsWith(QStringLiteral(":%1").arg(port)));
        // Memory comes with the stats, about once a second.
        QTRY_VERIFY_WITH_TIMEOUT(
            !model->index(row, WorkerTableModel::MemoryColumn).data().toString().isEmpty(),
            Timeout);
    }
    QCOMPARE(labelText(window, "stateLabel"), QStringLiteral("Attached"));
    QTRY_COMPARE(labelText(window, "aliveLabel"), QStringLiteral("2 of 2 workers"));
    QCOMPARE(labelText(window, "portLabel"), QStringLiteral("Port: %1").arg(port));
    QCOMPARE(labelText(window, "policyLabel"), QStringLiteral("Policy: rr"));
    QCOMPARE(labelText(window, "endpointLabel"),
        QStringLiteral("Endpoint: %1 (primary %2)").arg(name).arg(runner->processId()));
    QVERIFY(window->windowTitle().startsWith(QStringLiteral("hello-http on %1").arg(name)));
    EventLogModel *log = window->eventLog();
    QCOMPARE(
        countEvents(log, EventLogModel::Endpoint, 0, QStringLiteral("attached to ") + name), 1);
    QCOMPARE(countEvents(log, EventLogModel::Setup, 0, QStringLiteral("policy rr")), 1);
    // cluster-run captures the workers' output, and the protocol carries it.
    QVERIFY(window->outputView()->notice().isEmpty());
    QCOMPARE(window->scaleSpinBox()->value(), 2);

    // Fork, from the toolbar.
    auto *toolBar = window->findChild<QToolBar *>(QStringLiteral("clusterToolBar"));
    QWidget *forkButton = toolBar->widgetForAction(window->forkAction());
    QVERIFY(forkButton->isEnabled());
    QTest::mouseClick(forkButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 3, Timeout);
    QCOMPARE(countEvents(log, EventLogModel::Fork, 3), 1);
    QCOMPARE(countEvents(log, EventLogModel::Online, 3), 1);
    // Its output, through the endpoint: hello-http says it started.
    const qint64 thirdPid
        = model->index(model->rowOfWorker(3), WorkerTableModel::PidColumn).data().toLongLong();
    QTRY_COMPARE_WITH_TIMEOUT(window->outputLog()->lines(3).value(0).text,
        QStringLiteral("Worker %1 started").arg(thirdPid), Timeout);

    // Kill worker 2 with SIGKILL, from the Kill menu.
    window->selectWorkers({ 2 });
    QTRY_VERIFY(window->killAction(SIGKILL)->isEnabled());
    const int row = model->rowOfWorker(2);
    const qint64 pid = model->index(row, WorkerTableModel::PidColumn).data().toLongLong();
    window->killAction(SIGKILL)->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(
        countEvents(log, EventLogModel::Exit, 2, QStringLiteral("ended by SIGKILL (asked for)")), 1,
        Timeout);
    QTRY_COMPARE(model->index(row, WorkerTableModel::ExitColumn).data().toString(),
        QStringLiteral("SIGKILL"));
    QCOMPARE(model->index(row, WorkerTableModel::StateColumn).data().toString(),
        QStringLiteral("exited"));
    QCOMPARE(model->index(row, WorkerTableModel::ExitRequestedColumn).data().toString(),
        QStringLiteral("yes"));
    QCOMPARE(countEvents(log, EventLogModel::Command, 2, QStringLiteral("SIGKILL")), 1);
    QTRY_VERIFY(!processExists(pid));
    QTRY_VERIFY(!window->killAction()->isEnabled()); // the selection is a dead worker now
    QCOMPARE(liveListening(window), 2);

    // Requests served show up in the requests column, exactly.
    const int requests = 12;
    int finished = 0;
    {
        // Its keep-alive connections close with it: a worker being disconnected waits for the
        // connections it serves.
        QNetworkAccessManager network;
        for (int i = 0; i < requests; ++i) {
            QNetworkReply *reply = network.get(
                QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))));
            connect(reply, &QNetworkReply::finished, this, [&finished, reply] {
                QCOMPARE(reply->error(), QNetworkReply::NoError);
                ++finished;
                reply->deleteLater();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, requests, Timeout);
    }
    QTRY_COMPARE_WITH_TIMEOUT(requestsInTable(window), qint64(requests), Timeout);
    QTRY_COMPARE(model->totalRequests(), qint64(requests));
    QVERIFY(window->requestChart()->sampleCount() > 0);

    // Send a message to all.
    window->selectWorkers({});
    window->sendMessageAction()->trigger();
    SendMessageDialog *dialog = window->sendMessageDialog();
    QVERIFY(dialog);
    dialog->setText(QStringLiteral("{\"cmd\": \"hello\"}"));
    auto *status = dialog->findChild<QLabel *>(QStringLiteral("status"));
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("send")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), QStringLiteral("Sent to 2 workers."), Timeout);
    dialog->close();

    // Scale to 1: the newest goes, gracefully.
    window->scaleSpinBox()->setValue(1);
    window->scaleAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(model->liveCount(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(window->source()->workerCount(), 1, Timeout);
    QCOMPARE(window->source()->liveWorkerCount(), 1);
    const int thirdRow = model->rowOfWorker(3);
    QTRY_COMPARE_WITH_TIMEOUT(
        model->index(thirdRow, WorkerTableModel::ExitColumn).data().toString(),
        QStringLiteral("code 0"), Timeout);
    QCOMPARE(liveListening(window), 1);
    QTRY_COMPARE(labelText(window, "aliveLabel"), QStringLiteral("1 of 1 worker"));
    QTRY_VERIFY(!processExists(thirdPid));

    // Letting go leaves the cluster running.
    window->close();
    QTRY_VERIFY(!window->isVisible());
    QCOMPARE(runner->state(), QProcess::Running);
}

void tst_Attach::reconnectsWhenPrimaryRestarts()
{
    const QString name = uniqueName();
    QProcess *first = startRunner(name, 2);
    QVERIFY(first);
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    QList<qint64> oldPids;
    WorkerTableModel *model = window->workerModel();
    for (int row = 0; row < model->rowCount(); ++row)
        oldPids.append(model->index(row, WorkerTableModel::PidColumn).data().toLongLong());

    // The primary dies (and its workers with it).
    first->kill();
    QTRY_COMPARE_WITH_TIMEOUT(
        window->source()->status(), ClusterSource::Status::Reconnecting, Timeout);
    QCOMPARE(labelText(window, "stateLabel"), QStringLiteral("Reconnecting\u2026"));
    QCOMPARE(labelText(window, "aliveLabel"), QStringLiteral("Workers: unknown"));
    QVERIFY(!window->forkAction()->isEnabled());
    // The rows say what was last seen, greyed out, until the primary is back.
    model->flush();
    QCOMPARE(model->index(0, WorkerTableModel::StateColumn).data(Qt::ToolTipRole).toString(),
        QStringLiteral("As last seen: the primary does not answer now"));
    window->selectWorkers({ 1 });
    QVERIFY(!window->killAction()->isEnabled());
    QCOMPARE(
        countEvents(window->eventLog(), EventLogModel::Endpoint, 0, QStringLiteral("went away")),
        1);
    for (qint64 pid : std::as_const(oldPids))
        QTRY_VERIFY_WITH_TIMEOUT(!processExists(pid), Timeout);

    // A new primary under the same name: the table is rebuilt from its snapshot.
    QProcess *second = startRunner(name, 3);
    QVERIFY(second);
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(window->source()->status(), ClusterSource::Status::Running, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 3, Timeout);
    QCOMPARE(model->rowCount(), 3);
    for (int row = 0; row < model->rowCount(); ++row)
        QVERIFY(
            !oldPids.contains(model->index(row, WorkerTableModel::PidColumn).data().toLongLong()));
    QCOMPARE(labelText(window, "stateLabel"), QStringLiteral("Attached"));
    QTRY_COMPARE(labelText(window, "endpointLabel"),
        QStringLiteral("Endpoint: %1 (primary %2)").arg(name).arg(second->processId()));
    QCOMPARE(countEvents(window->eventLog(), EventLogModel::Endpoint, 0,
                 QStringLiteral("reconnected to ") + name),
        1);
    QTRY_COMPARE(labelText(window, "aliveLabel"), QStringLiteral("3 of 3 workers"));
    QVERIFY(window->source()->port() != 0);
    // And it can be steered as before.
    window->forkAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 4, Timeout);
}

void tst_Attach::ownClusterServesAnEndpoint()
{
    MainWindow *window = newWindow();
    ClusterConfig config = ownCluster(2);
    window->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    QCOMPARE(window->controller()->endpointName(), config.controlName);
    QCOMPARE(
        labelText(window, "endpointLabel"), QStringLiteral("Endpoint: %1").arg(config.controlName));
    QCOMPARE(countEvents(window->eventLog(), EventLogModel::Endpoint, 0, config.controlName), 1);

    QProcess ctl;
    ctl.start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("ctl"), config.controlName, QStringLiteral("status"),
            QStringLiteral("--json") });
    QSignalSpy finished(&ctl, &QProcess::finished);
    QVERIFY(finished.wait(Timeout));
    const QByteArray errors = ctl.readAllStandardError();
    QVERIFY2(ctl.exitStatus() == QProcess::NormalExit && ctl.exitCode() == 0, errors.constData());
    QJsonParseError error;
    const QJsonObject snapshot
        = QJsonDocument::fromJson(ctl.readAllStandardOutput(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(snapshot.value(QLatin1String("pid")).toInteger(), QCoreApplication::applicationPid());
    const QJsonArray workers = snapshot.value(QLatin1String("workers")).toArray();
    QCOMPARE(workers.size(), 2);
    for (const QJsonValue &worker : workers)
        QCOMPARE(worker.toObject().value(QLatin1String("state")).toString(),
            QStringLiteral("listening"));
    QVERIFY(snapshot.value(QLatin1String("settings"))
                .toObject()
                .value(QLatin1String("exec"))
                .toString()
                .endsWith(QStringLiteral("hello-http")));

    // Without a name: monitor-<pid>. Once the cluster is stopped, the endpoint is gone.
    config.controlName.clear();
    window->startCluster(config);
    const QString defaultName
        = QStringLiteral("monitor-%1").arg(QCoreApplication::applicationPid());
    QTRY_COMPARE_WITH_TIMEOUT(window->controller()->endpointName(), defaultName, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    QVERIFY(ControlClient::availableEndpoints().contains(defaultName));
    QVERIFY(!ControlClient::availableEndpoints().contains(uniqueName()));
    window->controller()->setGracePeriod(2000);
    window->controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(
        window->controller()->status(), ClusterSource::Status::Stopped, Timeout);
    QVERIFY(!ControlClient::availableEndpoints().contains(defaultName));
    QCOMPARE(labelText(window, "endpointLabel"), QStringLiteral("Endpoint: -"));
}

void tst_Attach::secondWindowAttachesToFirst()
{
    // One monitor runs a cluster without capturing its output; another attaches to it.
    MainWindow *owner = newWindow();
    ClusterConfig config = ownCluster(2);
    config.captureOutput = false;
    owner->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(owner), 2, Timeout);

    MainWindow *viewer = newWindow();
    viewer->attach(config.controlName);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(viewer), 2, Timeout);
    QTRY_COMPARE(controlClients(owner), 1);
    // Nothing to show in the Output panel, and the panel says why.
    QVERIFY(viewer->outputView()->notice().contains(QStringLiteral("attached primary")));

    // A command from the viewer reaches the owner's cluster, and both windows show it.
    viewer->forkAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(owner), 3, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(viewer), 3, Timeout);
    QCOMPARE(countEvents(owner->eventLog(), EventLogModel::Endpoint, 0,
                 QStringLiteral("command from the control endpoint: fork")),
        1);
    // Disconnect all: the workers go gracefully, as asked.
    viewer->disconnectAllAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(owner->controller()->workerCount(), 0, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(viewer->workerModel()->liveCount(), 0, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(viewer->eventLog(), EventLogModel::Exit, 0,
                                  QStringLiteral("exited with code 0 (asked for)")),
        3, Timeout);

    // The owner stops its cluster: the viewer waits for it to come back.
    owner->controller()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(
        viewer->source()->status(), ClusterSource::Status::Reconnecting, Timeout);
    owner->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(viewer->source()->status(), ClusterSource::Status::Running, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(viewer), 2, Timeout);
}

// Disconnect All on an attached cluster is the primary's own Cluster::disconnectAll(), as it is
// on the monitor's own cluster: the workers leave on request, and cluster-run's supervisor, even
// with --respawn, replaces none of them and keeps the count it was given (a scale to 0, which is
// what the monitor used to send, would have made it keep none).
void tst_Attach::disconnectAllKeepsTheSupervisorsCount()
{
    const QString name = uniqueName();
    QProcess *runner = startRunner(name, 3, { QStringLiteral("--respawn") }, true);
    QVERIFY(runner);
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 3, Timeout);
    QCOMPARE(window->source()->targetWorkerCount(), 3);
    WorkerTableModel *model = window->workerModel();
    QList<qint64> pids;
    for (int row = 0; row < model->rowCount(); ++row)
        pids.append(model->index(row, WorkerTableModel::PidColumn).data().toLongLong());
    QCOMPARE(pids.size(), 3);
    EventLogModel *log = window->eventLog();

    window->disconnectAllAction()->trigger();
    // Asked to go at once, as the monitor's own cluster shows them.
    QCOMPARE(window->source()->liveWorkerCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        countEvents(log, EventLogModel::Exit, 0, QStringLiteral("exited with code 0 (asked for)")),
        3, Timeout);
    QCOMPARE(countEvents(log, EventLogModel::Disconnect, 0), 3);
    QTRY_COMPARE_WITH_TIMEOUT(window->source()->workerCount(), 0, Timeout);
    for (qint64 pid : std::as_const(pids))
        QTRY_VERIFY_WITH_TIMEOUT(!processExists(pid), Timeout);
    // What the primary was told: disconnect, all of them; never a scale.
    QByteArray told;
    QTRY_VERIFY_WITH_TIMEOUT(
        (told += runner->readAllStandardOutput()).contains("control: disconnect"), Timeout);
    QVERIFY2(told.contains("\"worker\":\"all\""), told.constData());
    QVERIFY2(!told.contains("control: scale"), told.constData());
    // So the supervisor keeps 3, respawned nothing and logged nothing.
    QCOMPARE(window->source()->targetWorkerCount(), 3);
    QCOMPARE(countEvents(log, EventLogModel::Supervisor, 0), 0);
    QCOMPARE(runner->state(), QProcess::Running);

    // The log says it as it does for the monitor's own cluster.
    MainWindow *local = newWindow();
    ClusterConfig config = ownCluster(2);
    local->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(local), 2, Timeout);
    local->disconnectAllAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(local->controller()->workerCount(), 0, Timeout);
    const auto commands = [](EventLogModel *model) {
        model->flush();
        QStringList texts;
        for (int row = 0; row < model->rowCount(); ++row)
            if (model->entryAt(row).kind == EventLogModel::Command)
                texts.append(model->entryAt(row).text);
        return texts;
    };
    QCOMPARE(commands(log), QStringList { QStringLiteral("disconnect all workers") });
    // The local log starts with "new cluster: ..."; its last command is the one.
    QCOMPARE(commands(local->eventLog()).constLast(), commands(log).constLast());
}

void tst_Attach::attachDialogAndDetach()
{
    const QString name = uniqueName();
    QProcess *runner = startRunner(name, 1);
    QVERIFY(runner);
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    // The window runs a cluster of its own first; attaching stops it.
    MainWindow *window = newWindow();
    ClusterConfig config = ownCluster(1);
    window->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
    const qint64 ownPid
        = window->workerModel()->index(0, WorkerTableModel::PidColumn).data().toLongLong();

    window->attachAction()->trigger();
    AttachDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window->findChild<AttachDialog *>()) && dialog->isVisible());
    // The live endpoints, but not the monitor's own.
    QVERIFY(dialog->endpoints().contains(name));
    QVERIFY(!dialog->endpoints().contains(config.controlName));
    QListWidget *list = dialog->endpointList();
    list->setCurrentRow(int(dialog->endpoints().indexOf(name)));
    QCOMPARE(dialog->endpointName(), name);
    auto *attach = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    // A name that cannot be one is refused.
    dialog->setEndpointName(QStringLiteral(".hidden"));
    QVERIFY(!attach->isEnabled());
    dialog->setEndpointName(name);
    QVERIFY(attach->isEnabled());
    QTest::mouseClick(attach, Qt::LeftButton);

    QTRY_COMPARE_WITH_TIMEOUT(window->source()->status(), ClusterSource::Status::Running, Timeout);
    QVERIFY(window->source()->isRemote());
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
    // The window's own cluster went, gracefully.
    QTRY_COMPARE_WITH_TIMEOUT(
        window->controller()->status(), ClusterSource::Status::Stopped, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(!processExists(ownPid), Timeout);
    QVERIFY(window->detachAction()->isEnabled());

    window->detachAction()->trigger();
    QCOMPARE(window->source()->status(), ClusterSource::Status::Stopped);
    QCOMPARE(labelText(window, "stateLabel"), QStringLiteral("Detached"));
    QVERIFY(!window->detachAction()->isEnabled());
    QVERIFY(!window->forkAction()->isEnabled());
    QCOMPARE(countEvents(window->eventLog(), EventLogModel::Endpoint, 0,
                 QStringLiteral("detached from the control endpoint ") + name),
        1);
    QCOMPARE(runner->state(), QProcess::Running);

    // A new cluster of its own after that.
    window->startCluster(config);
    QVERIFY(!window->source()->isRemote());
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
}

void tst_Attach::attachOption()
{
    // The monitor program with --attach: a client of this process's own endpoint.
    MainWindow *owner = newWindow();
    ClusterConfig config = ownCluster(1);
    owner->startCluster(config);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(owner), 1, Timeout);

    QProcess monitor;
    monitor.setProcessChannelMode(QProcess::ForwardedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // It remembers its layout on closing: not in the user's settings.
    QTemporaryDir settingsHome;
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), settingsHome.path());
    monitor.setProcessEnvironment(env);
    monitor.start(QStringLiteral(MONITOR_PATH),
        { QStringLiteral("--lang"), QStringLiteral("en"), QStringLiteral("--attach"),
            config.controlName });
    QVERIFY(monitor.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(controlClients(owner), 1, Timeout);
    // Started no cluster of its own: it offers no endpoint.
    QCOMPARE(ControlClient::availableEndpoints(), QStringList { config.controlName });
    // SIGTERM closes it at once: there is nothing of its own to stop.
    QSignalSpy finished(&monitor, &QProcess::finished);
    monitor.terminate();
    QVERIFY(finished.wait(Timeout));
    QCOMPARE(monitor.exitStatus(), QProcess::NormalExit);
    QCOMPARE(monitor.exitCode(), 0);
    QTRY_COMPARE(controlClients(owner), 0);

    // Mistakes in the option.
    for (const QStringList &arguments :
        { QStringList { QStringLiteral("--attach"), QStringLiteral(".bad") },
            QStringList {
                QStringLiteral("--headless"), QStringLiteral("--attach"), config.controlName } }) {
        QProcess wrong;
        wrong.setProcessEnvironment(env);
        wrong.start(QStringLiteral(MONITOR_PATH),
            QStringList { QStringLiteral("--lang"), QStringLiteral("en") } + arguments);
        QSignalSpy done(&wrong, &QProcess::finished);
        QVERIFY(done.wait(Timeout));
        QCOMPARE(wrong.exitCode(), 2);
        QVERIFY(!wrong.readAllStandardError().isEmpty());
    }
}

void tst_Attach::translated()
{
    QCOMPARE(Translations::install(QStringLiteral("de")), QStringLiteral("de"));
    {
        MainWindow german;
        german.setPersistent(false);
        QCOMPARE(german.attachAction()->text(), QStringLiteral("&Anhängen\u2026"));
        QCOMPARE(EventLogModel::kindName(EventLogModel::Endpoint), QStringLiteral("Endpunkt"));
        QCOMPARE(EventLogModel::kindName(EventLogModel::Application), QStringLiteral("Anwendung"));
    }
    QCOMPARE(Translations::install(QStringLiteral("fr")), QStringLiteral("fr"));
    {
        MainWindow french;
        french.setPersistent(false);
        QCOMPARE(french.attachAction()->text(), QStringLiteral("&Attacher\u2026"));
        QCOMPARE(EventLogModel::kindName(EventLogModel::Supervisor), QStringLiteral("Superviseur"));
    }
}

int tst_Attach::ctl(const QString &name, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start(
        QStringLiteral(CLUSTER_RUN_PATH), QStringList { QStringLiteral("ctl"), name } + arguments);
    QSignalSpy finished(&process, &QProcess::finished);
    if (!process.waitForStarted() || !finished.wait(Timeout))
        return -1;
    return process.exitCode();
}

void tst_Attach::spinBoxFollowsThePrimary()
{
    const QString name = uniqueName();
    QVERIFY(startRunner(name, 2));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    QSpinBox *spin = window->scaleSpinBox();
    QCOMPARE(spin->value(), 2);

    // Another client scales the cluster: the box says what the primary keeps now.
    QCOMPARE(ctl(name, { QStringLiteral("scale"), QStringLiteral("3") }), 0);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 3, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(spin->value(), 3, Timeout);

    // Fork from the window: one more kept.
    window->forkAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 4, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(spin->value(), 4, Timeout);

    // And down again from outside.
    QCOMPARE(ctl(name, { QStringLiteral("scale"), QStringLiteral("1") }), 0);
    QTRY_COMPARE_WITH_TIMEOUT(spin->value(), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
}

void tst_Attach::exitedWorkersKeepTheirFigures()
{
    const QString name = uniqueName();
    QVERIFY(startRunner(name, 2));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);

    // Before any window: a client learns the port, requests are served, worker 2 goes.
    ControlClient client;
    QSignalSpy welcomed(&client, &ControlClient::connected);
    client.connectToEndpoint(name);
    QVERIFY(welcomed.wait(Timeout));
    quint16 port = 0;
    QString address;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            bool answered = false;
            client.sendCommand(QStringLiteral("snapshot"), {}, [&](const QJsonObject &reply) {
                answered = true;
                const QJsonArray workers = reply.value(QLatin1String("snapshot"))
                                               .toObject()
                                               .value(QLatin1String("workers"))
                                               .toArray();
                int listening = 0;
                for (const QJsonValue &worker : workers) {
                    const QJsonArray addresses
                        = worker.toObject().value(QLatin1String("addresses")).toArray();
                    if (addresses.isEmpty())
                        continue;
                    ++listening;
                    const QJsonObject first = addresses.first().toObject();
                    port = quint16(first.value(QLatin1String("port")).toInt());
                    address = first.value(QLatin1String("text")).toString();
                }
                if (listening < 2)
                    port = 0;
            });
            return QTest::qWaitFor([&] { return answered; }, Timeout) && port != 0;
        }(),
        Timeout);

    qint64 served = 0;
    QSignalSpy stats(&client, &ControlClient::statsReceived);
    {
        QNetworkAccessManager network;
        int finished = 0;
        const int requests = 20;
        for (int i = 0; i < requests; ++i) {
            QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
            // A connection each, so that round-robin gives worker 2 its share.
            request.setRawHeader("Connection", "close");
            QNetworkReply *reply = network.get(request);
            connect(reply, &QNetworkReply::finished, this, [&finished, reply] {
                ++finished;
                reply->deleteLater();
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished, requests, Timeout);
    }
    // What the primary counted for worker 2, once its stats have it.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &arguments : std::as_const(stats)) {
                const QJsonArray workers
                    = arguments.at(0).toJsonObject().value(QLatin1String("workers")).toArray();
                for (const QJsonValue &worker : workers)
                    if (worker.toObject().value(QLatin1String("id")).toInt() == 2)
                        served = worker.toObject().value(QLatin1String("requests")).toInteger();
            }
            return served > 0;
        }(),
        Timeout);
    // Settled: two stats in a row say the same.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const qint64 before = served;
            stats.clear();
            if (!stats.wait(Timeout))
                return false;
            const QJsonArray workers
                = stats.last().at(0).toJsonObject().value(QLatin1String("workers")).toArray();
            for (const QJsonValue &worker : workers)
                if (worker.toObject().value(QLatin1String("id")).toInt() == 2)
                    served = worker.toObject().value(QLatin1String("requests")).toInteger();
            return served == before;
        }(),
        Timeout);

    QSignalSpy events(&client, &ControlClient::eventReceived);
    QCOMPARE(ctl(name, { QStringLiteral("disconnect"), QStringLiteral("2") }), 0);
    qint64 exitedAt = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const QList<QVariant> &arguments : std::as_const(events)) {
                const QJsonObject event = arguments.at(0).toJsonObject();
                if (event.value(QLatin1String("event")).toString() == QLatin1String("exit")
                    && event.value(QLatin1String("id")).toInt() == 2)
                    exitedAt = event.value(QLatin1String("time")).toInteger();
            }
            return exitedAt > 0;
        }(),
        Timeout);
    // Some time passes between the exit and the attach: a stats tick.
    stats.clear();
    QVERIFY(stats.wait(Timeout));
    client.disconnectFromEndpoint();

    // Now the window.
    MainWindow *window = newWindow();
    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
    WorkerTableModel *model = window->workerModel();
    const int row = model->rowOfWorker(2);
    QVERIFY(row >= 0);
    QCOMPARE(model->index(row, WorkerTableModel::StateColumn).data().toString(),
        QStringLiteral("exited"));
    QCOMPARE(model->index(row, WorkerTableModel::RequestsColumn)
                 .data(WorkerTableModel::SortRole)
                 .toLongLong(),
        served);
    QCOMPARE(model->index(row, WorkerTableModel::AddressColumn).data().toString(), address);
    // Its uptime ended when it exited: less than the time from the start to now.
    const qint64 uptime = model->index(row, WorkerTableModel::UptimeColumn)
                              .data(WorkerTableModel::SortRole)
                              .toLongLong();
    QVERIFY2(uptime > 0, qPrintable(QString::number(uptime)));
    const int first = model->rowOfWorker(1);
    const qint64 running = model->index(first, WorkerTableModel::UptimeColumn)
                               .data(WorkerTableModel::SortRole)
                               .toLongLong();
    const qint64 sinceExit = QDateTime::currentMSecsSinceEpoch() - exitedAt;
    QVERIFY2(uptime <= running - sinceExit + 100,
        qPrintable(QStringLiteral("%1 %2 %3").arg(uptime).arg(running).arg(sinceExit)));
}

// Worker 2 of the window's own cluster is not worker 2 of the one it attaches to next: the log
// tells them apart, and the worker filter shows the one of the cluster shown.
void tst_Attach::eventLogSeparatesClusters()
{
    const QString name = uniqueName();
    QVERIFY(startRunner(name, 1));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->startCluster(ownCluster(2));
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    EventLogModel *log = window->eventLog();
    QCOMPARE(countEvents(log, EventLogModel::Fork, 2), 1);
    const int own = log->currentCluster();

    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
    window->forkAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 2, Timeout);
    // Two worker 2s in the log, one of each cluster.
    QCOMPARE(countEvents(log, EventLogModel::Fork, 2), 2);
    QVERIFY(log->currentCluster() != own);
    int firstOfAttached = -1;
    for (int row = 0; row < log->rowCount(); ++row) {
        const EventLogModel::Entry &entry = log->entryAt(row);
        if (entry.cluster == log->currentCluster() && firstOfAttached < 0)
            firstOfAttached = row;
        QVERIFY(entry.cluster == own || entry.cluster == log->currentCluster());
    }
    QVERIFY(firstOfAttached > 0);
    // Where the attached cluster begins stands out.
    QVERIFY(log->entryAt(firstOfAttached).startsCluster);
    QVERIFY(log->index(firstOfAttached, EventLogModel::DetailsColumn)
                .data(Qt::FontRole)
                .value<QFont>()
                .bold());
    QVERIFY(!log->entryAt(firstOfAttached + 1).startsCluster);

    // The worker filter: the attached cluster's worker 2 only.
    EventLogView *view = window->eventLogView();
    view->setWorkerFilter(2);
    EventLogFilterProxy *proxy = view->proxy();
    int forks = 0;
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QModelIndex index = proxy->mapToSource(proxy->index(row, 0));
        const EventLogModel::Entry &entry = log->entryAt(index.row());
        QCOMPARE(entry.workerId, 2);
        QCOMPARE(entry.cluster, log->currentCluster());
        forks += entry.kind == EventLogModel::Fork ? 1 : 0;
    }
    QCOMPARE(forks, 1);
}

// cluster-run's reloads reach the event log of a monitor attached to it: what was applied, and,
// in red, a file refused.
void tst_Attach::eventLogShowsReloads()
{
    const QString name = uniqueName();
    const QString config = m_runtime.filePath(name + QStringLiteral(".conf"));
    const auto writeConfig = [&](const QByteArray &text) {
        QFile file(config);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) > 0;
    };
    QVERIFY(writeConfig("respawn = false\n"));
    QVERIFY(startRunner(name, 1, { QStringLiteral("--config"), config }));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    window->attach(name);
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(window), 1, Timeout);
    EventLogModel *log = window->eventLog();

    QVERIFY(writeConfig("respawn = true\n"));
    QCOMPARE(ctl(name, { QStringLiteral("reload") }), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        countEvents(log, EventLogModel::Application, 0,
            QStringLiteral("reload: reloaded %1: respawn at once").arg(config)),
        1, Timeout);

    QVERIFY(writeConfig("respawn = sometimes\n"));
    QCOMPARE(ctl(name, { QStringLiteral("reload") }), 1);
    const QString refused = QStringLiteral("reload: %1 is not valid, nothing changed: %1:1: "
                                           "respawn needs true or false, not 'sometimes'")
                                .arg(config);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(log, EventLogModel::Application, 0, refused), 1, Timeout);
    log->flush();
    for (int row = 0; row < log->rowCount(); ++row)
        if (log->entryAt(row).text.contains(refused))
            QVERIFY(log->entryAt(row).alert);
    QCOMPARE(liveListening(window), 1);
}

QTEST_MAIN(tst_Attach)
#include "tst_attach.moc"
