// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor's window, driven as an operator drives it: toolbar buttons, the Kill menu, the
// scale spin box, the log filter, Send message, a translation, closing. Real hello-http workers.
#include "clustercontroller.h"
#include "clusterhost.h"
#include "eventlogfilterproxy.h"
#include "eventlogmodel.h"
#include "eventlogview.h"
#include "mainwindow.h"
#include "newclusterdialog.h"
#include "outputview.h"
#include "readablecolor.h"
#include "sendmessagedialog.h"
#include "translations.h"
#include "workeroutputlog.h"
#include "workertablemodel.h"

#include <libcluster/metricsserver.h>
#include <libcluster/supervisor.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <future>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace LibCluster;
using namespace Monitor;

namespace {
constexpr int Timeout = 15000;

ClusterConfig helloConfig(int workers)
{
    ClusterConfig config;
    config.program = QStringLiteral(BIN_DIR "/hello-http");
    // --port 0: the first worker's listen picks a free port, the others share it.
    config.arguments = { QStringLiteral("--port"), QStringLiteral("0") };
    config.workers = workers;
    config.captureOutput = true;
    // Unsupervised (respawn is on by default): the count follows what the operator does.
    config.respawn = false;
    return config;
}

// Events in the log of this kind and worker (0: any worker) whose text contains `text`.
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

// Asks 127.0.0.1:`port` for "/" with a blocking socket (10 s at most for each step); the
// answer's status line, or what went wrong.
QByteArray httpStatusLine(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return "socket: " + QByteArray(::strerror(errno));
    const timeval timeout { 10, 0 };
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray answer;
    const QByteArray request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        answer = "connect: " + QByteArray(::strerror(errno));
    } else if (::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL)
        != request.size()) {
        answer = "send: " + QByteArray(::strerror(errno));
    } else {
        char buffer[4096];
        while (!answer.contains("\r\n")) {
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                answer = "recv: " + (n < 0 ? QByteArray(::strerror(errno)) : "closed") + " after "
                    + answer;
                break;
            }
            answer.append(buffer, n);
        }
    }
    ::close(fd);
    return answer.left(answer.indexOf("\r\n"));
}

// The policy of the window's own cluster, as the library's Cluster has it.
SchedulingPolicy schedulingPolicy(MainWindow *window)
{
    SchedulingPolicy policy = SchedulingPolicy::None;
    window->controller()->inspect([&policy](ClusterHost *host) {
        if (host->cluster())
            policy = host->cluster()->schedulingPolicy();
    });
    return policy;
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x2b, 0x2b, 0x2b);
    const QColor base(0x1e, 0x1e, 0x1e);
    const QColor text(0xe6, 0xe6, 0xe6);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    return palette;
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void forkButtonAddsListeningRow();
    void killWithSigkill();
    void scaleToN();
    void workerBoundsFromTheLibrary();
    void respawnKeepsTheCount();
    void disconnectSelected();
    void logFilter();
    void sendMessage();
    void capturedOutput();
    void newClusterDialogRestartsAndRemembers();
    void newClusterServesMetrics();
    void translationChangesStrings();
    void closeStopsWorkers();
    void servesWhileTheWindowIsBusy();
    // A laptop's 1024x700, a dark palette, German; figures that stay right.
    void toolbarActionsVisibleAtLaptopSize();
    void noHorizontalScrollBarAtLaptopSize();
    void spinBoxFollowsFork();
    void followAfterFilterCleared();
    void exportShortcutInFilterBox();
    void darkPaletteFollowed();
    void germanKillIsNotQuit();

private:
    MainWindow *startWindow(int workers);
    void waitListening(int workers);
    int liveListening() const;

    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QAbstractItemModelTester> m_workerTester;
    std::unique_ptr<QAbstractItemModelTester> m_logTester;
    std::unique_ptr<QAbstractItemModelTester> m_proxyTester;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void tst_MainWindow::init()
{
    Translations::install(QStringLiteral("en"));
}

void tst_MainWindow::cleanup()
{
    m_workerTester.reset();
    m_logTester.reset();
    m_proxyTester.reset();
    if (m_window) {
        m_window->controller()->setGracePeriod(2000);
        m_window->close();
        QTRY_COMPARE_WITH_TIMEOUT(
            m_window->controller()->status(), ClusterController::Status::Stopped, Timeout);
        m_window.reset();
    }
    QApplication::setPalette(QPalette());
    Translations::uninstall();
}

MainWindow *tst_MainWindow::startWindow(int workers)
{
    m_window = std::make_unique<MainWindow>();
    m_window->setPersistent(false);
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    m_workerTester
        = std::make_unique<QAbstractItemModelTester>(m_window->workerModel(), Mode::QtTest);
    m_logTester = std::make_unique<QAbstractItemModelTester>(m_window->eventLog(), Mode::QtTest);
    m_proxyTester = std::make_unique<QAbstractItemModelTester>(
        m_window->eventLogView()->proxy(), Mode::QtTest);
    m_window->show();
    m_window->startCluster(helloConfig(workers));
    return m_window.get();
}

int tst_MainWindow::liveListening() const
{
    WorkerTableModel *model = m_window->workerModel();
    int count = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(WorkerTableModel::LiveRole).toBool()
            && index.data(WorkerTableModel::StateRole).toInt() == Worker::Listening)
            ++count;
    }
    return count;
}

void tst_MainWindow::waitListening(int workers)
{
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(), workers, Timeout);
}

void tst_MainWindow::forkButtonAddsListeningRow()
{
    MainWindow *window = startWindow(1);
    waitListening(1);
    QCOMPARE(window->workerModel()->rowCount(), 1);

    // Press the toolbar's Fork button.
    auto *toolBar = window->findChild<QToolBar *>(QStringLiteral("clusterToolBar"));
    QVERIFY(toolBar);
    QWidget *forkButton = toolBar->widgetForAction(window->forkAction());
    QVERIFY(forkButton);
    QVERIFY(forkButton->isEnabled());
    QTest::mouseClick(forkButton, Qt::LeftButton);

    QTRY_COMPARE_WITH_TIMEOUT(window->workerModel()->rowCount(), 2, Timeout);
    const int row = window->workerModel()->rowOfWorker(2);
    QVERIFY(row >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        window->workerModel()->index(row, WorkerTableModel::StateColumn).data().toString(),
        QStringLiteral("listening"), Timeout);
    QVERIFY(!window->workerModel()
                 ->index(row, WorkerTableModel::PidColumn)
                 .data()
                 .toString()
                 .isEmpty());
    QVERIFY(countEvents(window->eventLog(), EventLogModel::Fork, 2) == 1);
    QCOMPARE(
        countEvents(window->eventLog(), EventLogModel::Setup, 0, QStringLiteral("policy rr")), 1);
    QCOMPARE(countEvents(window->eventLog(), EventLogModel::Online, 2), 1);
    QTRY_COMPARE(countEvents(window->eventLog(), EventLogModel::Listening, 2), 1);
    // Both share the port the first one picked; the status bar shows it.
    const quint16 port = window->controller()->port();
    QVERIFY(port != 0);
    QTRY_VERIFY(window->workerModel()
                    ->index(row, WorkerTableModel::AddressColumn)
                    .data()
                    .toString()
                    .endsWith(QStringLiteral(":%1").arg(port)));
    auto *portLabel = window->findChild<QLabel *>(QStringLiteral("portLabel"));
    QTRY_COMPARE(portLabel->text(), QStringLiteral("Port: %1").arg(port));
    auto *aliveLabel = window->findChild<QLabel *>(QStringLiteral("aliveLabel"));
    QTRY_COMPARE(aliveLabel->text(), QStringLiteral("2 of 2 workers"));
}

void tst_MainWindow::killWithSigkill()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    QVERIFY(!window->killAction()->isEnabled()); // nothing selected yet
    window->selectWorkers({ 2 });
    QCOMPARE(window->selectedWorkerIds(), QList<int> { 2 });
    QTRY_VERIFY(window->killAction(SIGKILL)->isEnabled());
    const qint64 pid = window->controller()->worker(2)->pid;
    QVERIFY(processExists(pid));

    window->killAction(SIGKILL)->trigger();

    EventLogModel *log = window->eventLog();
    QTRY_COMPARE_WITH_TIMEOUT(
        countEvents(log, EventLogModel::Exit, 2, QStringLiteral("SIGKILL")), 1, Timeout);
    WorkerTableModel *model = window->workerModel();
    const int row = model->rowOfWorker(2);
    QTRY_COMPARE(model->index(row, WorkerTableModel::ExitColumn).data().toString(),
        QStringLiteral("SIGKILL"));
    QCOMPARE(model->index(row, WorkerTableModel::StateColumn).data().toString(),
        QStringLiteral("exited"));
    QCOMPARE(model->index(row, WorkerTableModel::ExitRequestedColumn).data().toString(),
        QStringLiteral("yes"));
    QVERIFY(!processExists(pid));
    QCOMPARE(countEvents(log, EventLogModel::Command, 2, QStringLiteral("SIGKILL")), 1);
    // Worker 1 is untouched.
    QCOMPARE(liveListening(), 1);
    QTRY_VERIFY(!window->killAction()->isEnabled()); // the selection is a dead worker now
}

void tst_MainWindow::scaleToN()
{
    MainWindow *window = startWindow(1);
    waitListening(1);
    QSpinBox *spin = window->scaleSpinBox();
    QCOMPARE(spin->value(), 1);

    // Up: type the number, press Enter.
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QStringLiteral("4"));
    QTest::keyClick(spin, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(window->controller()->liveWorkerCount(), 4, Timeout);
    waitListening(4);

    // Down: the newest are disconnected gracefully, exit with code 0 as asked.
    spin->setValue(2);
    window->scaleAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->controller()->workerCount(), 2, Timeout);
    QCOMPARE(window->controller()->liveWorkerCount(), 2);
    WorkerTableModel *model = window->workerModel();
    QTRY_COMPARE(model->liveCount(), 2);
    for (int id : { 3, 4 }) {
        const int row = model->rowOfWorker(id);
        QTRY_COMPARE(model->index(row, WorkerTableModel::ExitColumn).data().toString(),
            QStringLiteral("code 0"));
        QCOMPARE(model->index(row, WorkerTableModel::ExitRequestedColumn).data().toString(),
            QStringLiteral("yes"));
    }
    int kept = 0;
    window->controller()->inspect([&kept](ClusterHost *host) {
        for (int id : { 1, 2 })
            kept += host->cluster() && host->cluster()->workerById(id) ? 1 : 0;
    });
    QCOMPARE(kept, 2);
    waitListening(2);
}

// Both spin boxes stop at the library's maximum; a scale above it is refused by the library
// (the log says why) and forks nothing.
void tst_MainWindow::workerBoundsFromTheLibrary()
{
    MainWindow *window = startWindow(1);
    waitListening(1);
    QCOMPARE(window->scaleSpinBox()->maximum(), LibCluster::Supervisor::DefaultMaxWorkers);
    NewClusterDialog dialog;
    auto *workers = dialog.findChild<QSpinBox *>(QStringLiteral("workers"));
    QVERIFY(workers);
    QCOMPARE(workers->maximum(), LibCluster::Supervisor::DefaultMaxWorkers);

    QSignalSpy failed(window->controller(), &ClusterSource::commandFailed);
    window->controller()->scaleTo(LibCluster::Supervisor::DefaultMaxWorkers + 1);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.first().at(1).toString().contains(
                 LibCluster::Supervisor::workerCountError(QStringLiteral("the number of workers"))),
        qPrintable(failed.first().at(1).toString()));
    QCOMPARE(window->controller()->targetWorkerCount(), 1);
    QCOMPARE(window->controller()->workerCount(), 1);

    // The crash-loop limits are part of what the dialog starts a cluster with.
    ClusterConfig config = helloConfig(2);
    config.respawn = true;
    config.crashLimit = 7;
    config.crashWindow = 42000;
    dialog.setConfig(config);
    QCOMPARE(dialog.findChild<QSpinBox *>(QStringLiteral("crashLimit"))->value(), 7);
    QVERIFY(dialog.findChild<QCheckBox *>(QStringLiteral("respawn"))->isChecked());
    QCOMPARE(dialog.config(), config);
}

// With respawn, the monitor's own cluster keeps its count: a worker killed from the window is
// replaced, and the scale box's count stays what runs. Six of eight killed from outside is no
// crash loop.
void tst_MainWindow::respawnKeepsTheCount()
{
    m_window = std::make_unique<MainWindow>();
    m_window->setPersistent(false);
    m_window->show();
    ClusterConfig config = helloConfig(8);
    config.respawn = true;
    config.crashLimit = 3;
    m_window->startCluster(config);
    MainWindow *window = m_window.get();
    waitListening(8);
    int crashLimit = 0;
    bool respawn = false;
    window->controller()->inspect([&](ClusterHost *host) {
        crashLimit = host->supervisor()->crashLimit();
        respawn = host->supervisor()->respawn();
    });
    QCOMPARE(crashLimit, 3);
    QVERIFY(respawn);

    window->controller()->killWorkers({ 2 }, SIGTERM);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(window->eventLog(), EventLogModel::Supervisor, 0,
                                  QStringLiteral("replaces worker 2")),
        1, Timeout);
    waitListening(8);
    QCOMPARE(window->controller()->targetWorkerCount(), 8);

    QList<qint64> pids;
    for (const WorkerStatus &worker : window->controller()->workers())
        if (worker.isLive())
            pids.append(worker.pid);
    for (int i = 0; i < 6; ++i)
        ::kill(pid_t(pids.at(i)), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(window->eventLog(), EventLogModel::Supervisor, 0,
                                  QStringLiteral("replaces worker")),
        7, Timeout);
    waitListening(8);
    bool gaveUp = true;
    window->controller()->inspect(
        [&gaveUp](ClusterHost *host) { gaveUp = host->supervisor()->hasGivenUp(); });
    QVERIFY(!gaveUp);
    QVERIFY(!window->controller()->hasGivenUp());
    QCOMPARE(countEvents(
                 window->eventLog(), EventLogModel::Supervisor, 0, QStringLiteral("keep crashing")),
        0);
}

void tst_MainWindow::disconnectSelected()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    window->selectWorkers({ 1 });
    QTRY_VERIFY(window->disconnectAction()->isEnabled());
    // The shortcut, pressed in the table (and only there: it acts on the table's selection).
    window->activateWindow();
    window->workerView()->setFocus();
    QVERIFY(QTest::qWaitForWindowActive(window));
    QTRY_VERIFY(window->workerView()->hasFocus());
    QTest::keySequence(window->workerView(), QKeySequence(Qt::CTRL | Qt::Key_D));
    EventLogModel *log = window->eventLog();
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(log, EventLogModel::Disconnect, 1), 1, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        countEvents(log, EventLogModel::Exit, 1, QStringLiteral("code 0")), 1, Timeout);
    QCOMPARE(window->controller()->liveWorkerCount(), 1);
}

void tst_MainWindow::logFilter()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    window->selectWorkers({ 2 });
    QTRY_VERIFY(window->killAction()->isEnabled());
    window->killAction()->trigger(); // SIGTERM
    EventLogModel *log = window->eventLog();
    QTRY_COMPARE_WITH_TIMEOUT(countEvents(log, EventLogModel::Exit, 2), 1, Timeout);

    EventLogView *view = window->eventLogView();
    EventLogFilterProxy *proxy = view->proxy();
    QCOMPARE(proxy->rowCount(), log->rowCount());
    // By worker, from the combo box the window fills with the table's workers.
    QComboBox *workers = view->workerFilter();
    QTRY_VERIFY(workers->findData(2) >= 0);
    workers->setCurrentIndex(workers->findData(2));
    QVERIFY(proxy->rowCount() > 0);
    for (int row = 0; row < proxy->rowCount(); ++row)
        QCOMPARE(proxy->index(row, EventLogModel::WorkerColumn).data().toInt(), 2);
    // And by text, typed into the filter field.
    QTest::keyClicks(view->textFilter(), QStringLiteral("sigterm"));
    QTRY_COMPARE(proxy->text(), QStringLiteral("sigterm"));
    QVERIFY(proxy->rowCount() >= 1);
    for (int row = 0; row < proxy->rowCount(); ++row)
        QVERIFY(proxy->index(row, EventLogModel::DetailsColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("SIGTERM")));
    // And by kind: no commands.
    view->setKindShown(EventLogModel::Command, false);
    for (int row = 0; row < proxy->rowCount(); ++row)
        QVERIFY(proxy->index(row, EventLogModel::KindColumn).data(EventLogModel::KindRole).toInt()
            != EventLogModel::Command);
    QCOMPARE(proxy->rowCount(), 1);

    // Export writes what is shown.
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("events.csv"));
    QString error;
    QVERIFY2(view->exportCsvTo(file, &error), qPrintable(error));
    QFile csv(file);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(1).contains("SIGTERM"));

    workers->setCurrentIndex(0);
    view->textFilter()->clear();
    view->setKindShown(EventLogModel::Command, true);
    QTRY_COMPARE(proxy->rowCount(), log->rowCount());
}

void tst_MainWindow::sendMessage()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    window->selectWorkers({ 2 });
    QTRY_VERIFY(window->sendMessageAction()->isEnabled());
    window->sendMessageAction()->trigger();
    SendMessageDialog *dialog = window->sendMessageDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->targetWorker(), 2);
    auto *send = dialog->findChild<QPushButton *>(QStringLiteral("send"));
    auto *status = dialog->findChild<QLabel *>(QStringLiteral("status"));

    dialog->setText(QStringLiteral("{\"cmd\": \"reload\", "));
    QVERIFY(!send->isEnabled());
    QVERIFY(status->text().startsWith(QStringLiteral("Line 1, column")));

    dialog->setText(QStringLiteral("{\"cmd\": \"reload\", \"n\": 2}"));
    QVERIFY(send->isEnabled());
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(status->text(), QStringLiteral("Sent to 1 worker."));
    QCOMPARE(
        countEvents(window->eventLog(), EventLogModel::Command, 2, QStringLiteral("reload")), 1);

    // To all.
    auto *target = dialog->findChild<QComboBox *>(QStringLiteral("target"));
    target->setCurrentIndex(0);
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE(status->text(), QStringLiteral("Sent to 2 workers."));
    QCOMPARE(
        countEvents(window->eventLog(), EventLogModel::Command, 0, QStringLiteral("reload")), 3);
    dialog->close();
}

void tst_MainWindow::capturedOutput()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    // hello-http prints "Worker <pid> started"; captured, per worker.
    WorkerOutputLog *output = window->outputLog();
    QTRY_COMPARE_WITH_TIMEOUT(output->workerIds(), (QList<int> { 1, 2 }), Timeout);
    const qint64 pid = window->controller()->worker(2)->pid;
    QCOMPARE(output->lines(2).value(0).text, QStringLiteral("Worker %1 started").arg(pid));
    window->outputView()->showWorker(2);
    QTRY_COMPARE(window->outputView()->textView()->toPlainText(),
        QStringLiteral("Worker %1 started").arg(pid));
    window->outputView()->showWorker(0);
    QTRY_COMPARE(window->outputView()->textView()->document()->blockCount(), 2);
}

// The New Cluster dialog's metrics address: refused while it cannot be read, then served by the
// monitor's own cluster for Prometheus, and remembered.
void tst_MainWindow::newClusterServesMetrics()
{
    QSettings().clear();
    MainWindow *window = startWindow(1);
    window->setPersistent(true);
    waitListening(1);
    window->newClusterAction()->trigger();
    auto *dialog = window->findChild<NewClusterDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    dialog->findChild<QLineEdit *>(QStringLiteral("program"))
        ->setText(QStringLiteral(BIN_DIR "/hello-http"));
    dialog->findChild<QLineEdit *>(QStringLiteral("arguments"))
        ->setText(QStringLiteral("--port 0"));
    dialog->findChild<QSpinBox *>(QStringLiteral("workers"))->setValue(2);
    auto *metrics = dialog->findChild<QLineEdit *>(QStringLiteral("metricsAddress"));
    QVERIFY(metrics);
    QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    metrics->setText(QStringLiteral("127.0.0.1:99999"));
    QVERIFY(!ok->isEnabled());
    metrics->setText(QStringLiteral("127.0.0.1:0"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(window->controller()->config().workers == 2, Timeout);
    waitListening(2);
    QHostAddress address;
    quint16 port = 0;
    window->controller()->inspect([&](ClusterHost *host) {
        if (MetricsServer *server = host->metricsServer()) {
            address = server->serverAddress();
            port = server->serverPort();
        }
    });
    QCOMPARE(address, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(port != 0);
    QTcpSocket socket;
    QByteArray answer;
    bool done = false;
    connect(&socket, &QTcpSocket::connected, &socket,
        [&] { socket.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"); });
    connect(&socket, &QTcpSocket::readyRead, &socket, [&] { answer += socket.readAll(); });
    connect(&socket, &QTcpSocket::disconnected, &socket, [&] { done = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    QTRY_VERIFY_WITH_TIMEOUT(done, Timeout);
    QVERIFY2(answer.startsWith("HTTP/1.1 200 OK"), answer.constData());
    QVERIFY2(answer.contains("\nlibcluster_workers_listening 2\n"), answer.constData());
    QVERIFY(
        countEvents(window->eventLog(), EventLogModel::Endpoint, 0, QStringLiteral("metrics on"))
        >= 1);

    QSettings settings;
    QCOMPARE(ClusterConfig::load(settings).metricsAddress, QStringLiteral("127.0.0.1:0"));
    settings.clear();
    window->setPersistent(false);
}

void tst_MainWindow::newClusterDialogRestartsAndRemembers()
{
    QSettings().clear();
    MainWindow *window = startWindow(1);
    window->setPersistent(true);
    waitListening(1);
    QCOMPARE(window->controller()->policyName(), QStringLiteral("rr"));
    QCOMPARE(schedulingPolicy(window), SchedulingPolicy::RoundRobin);
    const QList<qint64> oldPids { window->controller()->worker(1)->pid };

    window->newClusterAction()->trigger();
    auto *dialog = window->findChild<NewClusterDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    // Nothing remembered yet: the embedded default.
    QCOMPARE(dialog->config(), ClusterConfig::defaults());
    dialog->findChild<QLineEdit *>(QStringLiteral("program"))
        ->setText(QStringLiteral(BIN_DIR "/hello-http"));
    dialog->findChild<QLineEdit *>(QStringLiteral("arguments"))
        ->setText(QStringLiteral("--port 0"));
    dialog->findChild<QSpinBox *>(QStringLiteral("workers"))->setValue(2);
    auto *policy = dialog->findChild<QComboBox *>(QStringLiteral("policy"));
    policy->setCurrentIndex(policy->findData(int(SchedulingPolicy::LeastConnections)));
    dialog->findChild<QCheckBox *>(QStringLiteral("captureOutput"))->setChecked(false);
    QTest::mouseClick(
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);

    // The old cluster goes first (its worker gracefully), then the new one starts.
    QTRY_VERIFY_WITH_TIMEOUT(
        window->controller()->config().policy == SchedulingPolicy::LeastConnections, Timeout);
    waitListening(2);
    QCOMPARE(schedulingPolicy(window), SchedulingPolicy::LeastConnections);
    QCOMPARE(window->controller()->policyName(), QStringLiteral("leastconn"));
    QVERIFY(!processExists(oldPids.first()));
    auto *policyLabel = window->findChild<QLabel *>(QStringLiteral("policyLabel"));
    QTRY_COMPARE(policyLabel->text(), QStringLiteral("Policy: leastconn"));
    QCOMPARE(window->workerModel()->rowCount(), 2);
    QCOMPARE(
        countEvents(window->eventLog(), EventLogModel::Exit, 1, QStringLiteral("(asked for)")), 1);

    // Remembered: the next dialog opens with this choice.
    QSettings settings;
    const ClusterConfig remembered = ClusterConfig::load(settings);
    QCOMPARE(remembered.workers, 2);
    QCOMPARE(remembered.policy, SchedulingPolicy::LeastConnections);
    QCOMPARE(remembered.arguments, QStringList({ QStringLiteral("--port"), QStringLiteral("0") }));
    QVERIFY(!remembered.captureOutput);
    window->newClusterAction()->trigger();
    NewClusterDialog *second = nullptr;
    QTRY_VERIFY((second = window->findChild<NewClusterDialog *>()) && second->isVisible());
    QCOMPARE(second->config(), remembered);
    second->reject();
    settings.clear();
    window->setPersistent(false);
}

void tst_MainWindow::translationChangesStrings()
{
    QVERIFY(Translations::available().contains(QStringLiteral("de")));
    QVERIFY(Translations::available().contains(QStringLiteral("fr")));

    MainWindow english;
    english.setPersistent(false);
    QCOMPARE(english.forkAction()->text(), QStringLiteral("&Fork"));

    QCOMPARE(Translations::install(QStringLiteral("de")), QStringLiteral("de"));
    MainWindow german;
    german.setPersistent(false);
    QCOMPARE(german.forkAction()->text(), QStringLiteral("&Forken"));
    QCOMPARE(
        german.workerModel()->headerData(WorkerTableModel::StateColumn, Qt::Horizontal).toString(),
        QStringLiteral("Zustand"));
    QCOMPARE(WorkerTableModel::stateName(Worker::Listening), QStringLiteral("lauscht"));

    QCOMPARE(Translations::install(QStringLiteral("fr")), QStringLiteral("fr"));
    MainWindow french;
    french.setPersistent(false);
    QCOMPARE(french.disconnectAllAction()->text(), QStringLiteral("&Tout déconnecter"));
    QCOMPARE(EventLogModel::kindName(EventLogModel::Exit), QStringLiteral("Sortie"));

    Translations::install(QStringLiteral("en"));
    QCOMPARE(WorkerTableModel::stateName(Worker::Listening), QStringLiteral("listening"));
}

void tst_MainWindow::closeStopsWorkers()
{
    MainWindow *window = startWindow(3);
    waitListening(3);
    QList<qint64> pids;
    for (const WorkerStatus &worker : window->controller()->workers())
        pids.append(worker.pid);
    QCOMPARE(pids.size(), 3);
    // Closing asks the workers to go first; the window closes once they have.
    window->close();
    QVERIFY(window->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(
        window->controller()->status(), ClusterController::Status::Stopped, Timeout);
    QTRY_VERIFY(!window->isVisible());
    for (qint64 pid : pids)
        QTRY_VERIFY(!processExists(pid));
    EventLogModel *log = window->eventLog();
    QCOMPARE(countEvents(log, EventLogModel::Exit, 0, QStringLiteral("code 0 (asked for)")), 3);
}

// The cluster runs in a thread of its own: while the window's thread does not return to its
// event loop (a long paint, a modal wait), the primary still hands connections to its workers,
// and their answers come.
void tst_MainWindow::servesWhileTheWindowIsBusy()
{
    MainWindow *window = startWindow(2);
    waitListening(2);
    const quint16 port = window->controller()->port();
    QVERIFY(port != 0);
    QCOMPARE(schedulingPolicy(window), SchedulingPolicy::RoundRobin);

    // Requests from another thread, with blocking sockets; this thread waits for their answers
    // without running its event loop.
    auto answers = std::async(std::launch::async, [port] {
        QStringList statusLines;
        for (int i = 0; i < 4; ++i)
            statusLines.append(QString::fromLatin1(httpStatusLine(port)));
        return statusLines;
    });
    QCOMPARE(answers.wait_for(std::chrono::seconds(20)), std::future_status::ready);
    const QStringList statusLines = answers.get();
    QCOMPARE(statusLines.size(), 4);
    for (const QString &line : statusLines)
        QCOMPARE(line, QStringLiteral("HTTP/1.1 200 OK"));
}

void tst_MainWindow::toolbarActionsVisibleAtLaptopSize()
{
    // A desktop's usual 11-point font, in English and in German's longer words.
    const QFont font = QApplication::font();
    QFont larger = font;
    larger.setPointSize(11);
    QApplication::setFont(larger);
    for (const QString &language : { QStringLiteral("en"), QStringLiteral("de") }) {
        Translations::install(language);
        MainWindow *window = startWindow(1);
        window->resize(1024, 700);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        auto *toolBar = window->findChild<QToolBar *>(QStringLiteral("clusterToolBar"));
        QVERIFY(toolBar);
        const auto allShown = [toolBar] {
            const auto actions = toolBar->actions();
            for (QAction *action : actions) {
                if (action->isSeparator())
                    continue;
                QWidget *widget = toolBar->widgetForAction(action);
                if (!widget || !widget->isVisible()
                    || !toolBar->rect().contains(widget->geometry()))
                    return false;
            }
            return true;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(allShown(), qPrintable(language), Timeout);
        QVERIFY(toolBar->widgetForAction(window->disconnectAllAction())->isVisible());
        // Nothing is left for the overflow button.
        auto *extension
            = toolBar->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY(!extension || !extension->isVisible());

        // A wide window has room for the texts again.
        window->resize(1920, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(
            toolBar->toolButtonStyle(), Qt::ToolButtonTextBesideIcon, Timeout);
        QTRY_VERIFY(allShown());
        cleanup();
    }
    QApplication::setFont(font);
}

void tst_MainWindow::noHorizontalScrollBarAtLaptopSize()
{
    MainWindow *window = startWindow(2);
    window->resize(1024, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(), 2, Timeout);
    QTableView *table = window->workerView();
    QHeaderView *header = table->horizontalHeader();
    QTRY_VERIFY_WITH_TIMEOUT(header->length() <= table->viewport()->width(), Timeout);
    QVERIFY(!table->horizontalScrollBar()->isVisible());
    // Every column is still there, and wide enough for its header.
    for (int column = 0; column < WorkerTableModel::ColumnCount; ++column) {
        QVERIFY(!header->isSectionHidden(column));
        const QString title = window->workerModel()->headerData(column, Qt::Horizontal).toString();
        QVERIFY2(header->sectionSize(column) >= header->fontMetrics().horizontalAdvance(title),
            qPrintable(title));
    }
}

void tst_MainWindow::spinBoxFollowsFork()
{
    MainWindow *window = startWindow(1);
    window->resize(1024, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(), 1, Timeout);
    QCOMPARE(window->scaleSpinBox()->value(), 1);
    window->forkAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(), 2, Timeout);
    // The supervisor keeps one more now, and the box says so: Scale would not undo the Fork.
    QTRY_COMPARE_WITH_TIMEOUT(window->scaleSpinBox()->value(), 2, Timeout);
    QCOMPARE(window->controller()->targetWorkerCount(), 2);
    window->scaleAction()->trigger();
    QCOMPARE(window->controller()->targetWorkerCount(), 2);
}

void tst_MainWindow::followAfterFilterCleared()
{
    MainWindow *window = startWindow(1);
    window->resize(1024, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    EventLogModel *log = window->eventLog();
    for (int i = 0; i < 300; ++i)
        log->append(EventLogModel::Command, 0, QStringLiteral("entry %1").arg(i));
    log->flush();
    EventLogView *view = window->eventLogView();
    QVERIFY(view->follows());
    QScrollBar *bar = view->tableView()->verticalScrollBar();
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() == bar->maximum(), Timeout);

    // A filter that leaves one row, then cleared: the newest row is in sight again.
    view->textFilter()->setText(QStringLiteral("entry 7"));
    QTRY_VERIFY_WITH_TIMEOUT(view->proxy()->rowCount() < 20, Timeout);
    view->textFilter()->clear();
    QTRY_COMPARE_WITH_TIMEOUT(view->proxy()->rowCount(), log->rowCount(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0 && bar->value() == bar->maximum(), Timeout);
    const QModelIndex newest = view->proxy()->index(view->proxy()->rowCount() - 1, 0);
    QVERIFY(
        view->tableView()->viewport()->rect().intersects(view->tableView()->visualRect(newest)));
}

void tst_MainWindow::exportShortcutInFilterBox()
{
    MainWindow *window = startWindow(1);
    window->resize(1024, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window));
    auto *exportAction = window->findChild<QAction *>(QStringLiteral("exportLogAction"));
    QVERIFY(exportAction);
    QCOMPARE(exportAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    QSignalSpy exported(exportAction, &QAction::triggered);
    // The action asks for a file name; no file is wanted here.
    QTimer dismiss;
    connect(&dismiss, &QTimer::timeout, this, [] {
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
    dismiss.start(20);
    QLineEdit *filter = window->eventLogView()->textFilter();
    filter->setFocus();
    QTRY_VERIFY(filter->hasFocus());
    QTest::keyClick(filter, Qt::Key_E, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, Timeout);
    // The filter box kept its text and other keys.
    QTest::keyClicks(filter, QStringLiteral("exit"));
    QCOMPARE(filter->text(), QStringLiteral("exit"));
}

void tst_MainWindow::darkPaletteFollowed()
{
    QApplication::setPalette(darkPalette());
    MainWindow *window = startWindow(2);
    window->resize(1024, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QTRY_COMPARE_WITH_TIMEOUT(liveListening(), 2, Timeout);
    // A crash: its row and its log line are drawn in red, which must read on a dark base.
    WorkerTableModel *model = window->workerModel();
    const int row = model->rowOfWorker(1);
    const qint64 pid = model->index(row, WorkerTableModel::PidColumn).data().toLongLong();
    QVERIFY(pid > 0);
    ::kill(pid_t(pid), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(row, WorkerTableModel::ExitColumn).data().toString(),
        QStringLiteral("SIGKILL"), Timeout);
    const QColor base = QApplication::palette().color(QPalette::Base);
    QVERIFY(base.lightness() < 64);
    int checked = 0;
    for (int r = 0; r < model->rowCount(); ++r) {
        for (int role : { int(Qt::ForegroundRole), int(Qt::DecorationRole) }) {
            const QVariant value = model->index(r, WorkerTableModel::StateColumn).data(role);
            if (!value.isValid())
                continue;
            const QColor color = value.value<QColor>();
            QVERIFY2(ReadableColor::contrast(color, base) >= ReadableColor::MinimumContrast,
                qPrintable(color.name()));
            ++checked;
        }
    }
    QVERIFY(checked >= 3);
    EventLogModel *log = window->eventLog();
    log->flush();
    int alerts = 0;
    for (int r = 0; r < log->rowCount(); ++r) {
        const QVariant value = log->index(r, EventLogModel::DetailsColumn).data(Qt::ForegroundRole);
        if (!value.isValid())
            continue;
        ++alerts;
        QVERIFY(
            ReadableColor::contrast(value.value<QColor>(), base) >= ReadableColor::MinimumContrast);
    }
    QVERIFY(alerts >= 1);

    // The light palette keeps the colours as they were chosen.
    QApplication::setPalette(QPalette(Qt::white));
    const QColor green(0x38, 0x8e, 0x3c);
    QCOMPARE(ReadableColor::onBase(green), green);
}

void tst_MainWindow::germanKillIsNotQuit()
{
    QCOMPARE(Translations::install(QStringLiteral("de")), QStringLiteral("de"));
    MainWindow window;
    window.setPersistent(false);
    auto *quit = window.findChild<QAction *>(QStringLiteral("quitAction"));
    QVERIFY(quit);
    const auto plain = [](QString text) { return text.remove(QLatin1Char('&')); };
    QCOMPARE(plain(quit->text()), QStringLiteral("Beenden"));
    QVERIFY(!plain(window.killAction()->text()).contains(QStringLiteral("Beenden")));
    QVERIFY(plain(window.killAction()->text()) != plain(quit->text()));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
