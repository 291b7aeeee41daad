// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The New Cluster dialog's Open and Save: the file is cluster-run's own, so a saved file passes
// `cluster-run --check-config` and `cluster-run --config` runs the cluster the dialog describes
// (seen through `cluster-run ctl NAME status`); a file with every key fills every field and comes
// back equivalent; a broken file changes nothing and says file:line: key; several clusters ask.
#include "clustercontroller.h"
#include "newclusterdialog.h"
#include "runneroptions.h"
#include "textfile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace Monitor;
using LibCluster::SchedulingPolicy;

namespace {
constexpr int Timeout = 15000;
const QString HelloHttp = QStringLiteral(BIN_DIR "/hello-http");

// `cluster-run ARGS`: exit code, and standard output then error. The event loop runs meanwhile,
// so that a cluster of this process can answer.
int clusterRun(const QStringList &arguments, QString *output = nullptr)
{
    QProcess process;
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(CLUSTER_RUN_PATH), arguments);
    if (!finished.wait(Timeout))
        return -1;
    if (output)
        *output
            = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// `cluster-run ctl NAME status --json`; empty until it answers.
QJsonObject status(const QString &name)
{
    QString output;
    if (clusterRun(
            { QStringLiteral("ctl"), name, QStringLiteral("status"), QStringLiteral("--json") },
            &output)
        != 0)
        return {};
    return QJsonDocument::fromJson(output.toUtf8()).object();
}

int listening(const QJsonObject &snapshot)
{
    int count = 0;
    for (const QJsonValue &worker : snapshot.value(QLatin1String("workers")).toArray())
        count += worker.toObject().value(QLatin1String("state")).toString()
            == QLatin1String("listening");
    return count;
}

template <typename T> T *child(QObject *parent, const char *name)
{
    return parent->findChild<T *>(QString::fromLatin1(name));
}
} // namespace

class tst_ConfigDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void saveRunsTheSameCluster();
    void openEveryKeyAndSaveBack();
    void openBrokenChangesNothing();
    void openSeveralAsksWhich();
    void saveRefusesWhatClusterRunWould();
    void buttonsRememberTheFolder();

private:
    QString write(const QString &name, const QString &text);
    QString uniqueName();

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_runners;
    int m_names = 0;
};

void tst_ConfigDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_configdialog"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void tst_ConfigDialog::cleanup()
{
    for (const auto &runner : m_runners) {
        runner->terminate();
        QTRY_COMPARE_WITH_TIMEOUT(runner->state(), QProcess::NotRunning, Timeout);
    }
    m_runners.clear();
}

QString tst_ConfigDialog::write(const QString &name, const QString &text)
{
    return writeTextFile(m_dir.filePath(name), text);
}

QString tst_ConfigDialog::uniqueName()
{
    return QStringLiteral("tst-configdialog-%1-%2")
        .arg(QCoreApplication::applicationPid())
        .arg(++m_names);
}

// Saved from the form, checked and run by cluster-run: the same workers, policy, program,
// arguments and supervisor settings as the monitor's own cluster started from the same form.
void tst_ConfigDialog::saveRunsTheSameCluster()
{
    ClusterConfig config;
    config.program = HelloHttp;
    config.arguments = { QStringLiteral("--port"), QStringLiteral("0") };
    config.workers = 3;
    config.policy = SchedulingPolicy::LeastConnections;
    config.controlName = uniqueName();
    config.respawn = true;
    config.crashLimit = 7;
    config.crashWindow = 42000;
    config.shutdownTimeout = 5000;
    config.disconnectTimeout = 3000;
    config.memoryLimit = qint64(512) * 1024 * 1024;
    config.requestLimit = 100000;
    NewClusterDialog dialog;
    dialog.setConfig(config);
    const QString path = m_dir.filePath(QStringLiteral("saved.conf"));
    QVERIFY2(dialog.saveConfigFile(path), qPrintable(dialog.fileMessage()));
    QVERIFY2(dialog.fileMessage().startsWith(QStringLiteral("Saved to %1").arg(path)),
        qPrintable(dialog.fileMessage()));

    QString output;
    QCOMPARE(clusterRun({ QStringLiteral("--check-config"), path }, &output), 0);
    QCOMPARE(output.trimmed(), QStringLiteral("%1: valid (%2)").arg(path, config.controlName));

    auto runner = std::make_unique<QProcess>();
    runner->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    runner->setStandardOutputFile(QProcess::nullDevice());
    runner->start(
        QStringLiteral(CLUSTER_RUN_PATH), { QStringLiteral("--config"), path, config.controlName });
    QVERIFY(runner->waitForStarted());
    m_runners.push_back(std::move(runner));
    QJsonObject fromFile;
    QTRY_VERIFY_WITH_TIMEOUT(listening(fromFile = status(config.controlName)) == 3, Timeout);

    // The monitor's own cluster from the same form, on an endpoint of its own.
    ClusterConfig own = dialog.config();
    own.controlName = uniqueName();
    ClusterController controller;
    controller.start(own);
    QJsonObject fromMonitor;
    QTRY_VERIFY_WITH_TIMEOUT(listening(fromMonitor = status(own.controlName)) == 3, Timeout);

    QCOMPARE(fromFile.value(QLatin1String("policy")).toString(), QStringLiteral("leastconn"));
    const QJsonObject settings = fromFile.value(QLatin1String("settings")).toObject();
    QCOMPARE(settings.value(QLatin1String("exec")).toString(), HelloHttp);
    QCOMPARE(settings.value(QLatin1String("args")).toArray(),
        QJsonArray({ QStringLiteral("--port"), QStringLiteral("0") }));
    const QJsonObject supervisor = fromFile.value(QLatin1String("supervisor")).toObject();
    QCOMPARE(supervisor.value(QLatin1String("respawn")).toBool(), true);
    QCOMPARE(supervisor.value(QLatin1String("workerCount")).toInt(), 3);
    QCOMPARE(supervisor.value(QLatin1String("crashLimit")).toInt(), 7);
    QCOMPARE(supervisor.value(QLatin1String("crashWindow")).toInt(), 42000);
    QCOMPARE(supervisor.value(QLatin1String("disconnectTimeout")).toInt(), 3000);
    QCOMPARE(supervisor.value(QLatin1String("memoryLimit")).toInteger(), config.memoryLimit);
    QCOMPARE(supervisor.value(QLatin1String("requestLimit")).toInteger(), 100000);
    // What the monitor runs and what cluster-run runs are the same, silent (how output is
    // shown) aside.
    QCOMPARE(fromMonitor.value(QLatin1String("policy")), fromFile.value(QLatin1String("policy")));
    QJsonObject monitorSettings = fromMonitor.value(QLatin1String("settings")).toObject();
    QJsonObject fileSettings = settings;
    monitorSettings.remove(QLatin1String("silent"));
    fileSettings.remove(QLatin1String("silent"));
    QCOMPARE(monitorSettings, fileSettings);
    QCOMPARE(fromMonitor.value(QLatin1String("supervisor")).toObject(), supervisor);

    controller.setGracePeriod(2000);
    controller.stop();
    QTRY_COMPARE_WITH_TIMEOUT(controller.status(), ClusterSource::Status::Stopped, Timeout);
}

// Every key: every field is filled, the keys without a field are named (applied or not), and
// Save writes a file cluster-run reads to the same options.
void tst_ConfigDialog::openEveryKeyAndSaveBack()
{
    const passwd *user = ::getpwuid(::getuid());
    QVERIFY(user);
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("srv")));
    const QString path = write(QStringLiteral("every.conf"),
        QStringLiteral("shutdown-timeout = 15000\n"
                       "[web]\n"
                       "program = %1\n"
                       "arguments = --port 0 --greeting \"hello world\"\n"
                       "env = APP_ENV=production\n"
                       "env = LOG_LEVEL=info\n"
                       "cwd = srv\n"
                       "user = %2\n"
                       "workers = 5\n"
                       "policy = sticky\n"
                       "respawn = false\n"
                       "crash-limit = 9\n"
                       "crash-window = 2500\n"
                       "max-memory = 1000\n"
                       "max-requests = 5000000000\n"
                       "heartbeat = 1000\n"
                       "heartbeat-timeout = 3500\n"
                       "disconnect-timeout = 0\n"
                       "listen-warning = 0\n"
                       "control = web-%3\n"
                       "metrics = 127.0.0.1:9464\n"
                       "log-file = logs/web.log\n"
                       "json = true\n"
                       "[jobs]\n"
                       "program = %1\n")
            .arg(HelloHttp, QString::fromLocal8Bit(user->pw_name))
            .arg(QCoreApplication::applicationPid()));
    NewClusterDialog dialog;
    dialog.setConfig(ClusterConfig::defaults());
    QVERIFY2(dialog.openConfigFile(path, QStringLiteral("web")), qPrintable(dialog.fileMessage()));
    QCOMPARE(dialog.fileMessage(), QStringLiteral("Opened cluster web of %1.").arg(path));
    QCOMPARE(child<QLineEdit>(&dialog, "program")->text(), HelloHttp);
    QCOMPARE(child<QLineEdit>(&dialog, "arguments")->text(),
        QStringLiteral("--port 0 --greeting \"hello world\""));
    QCOMPARE(child<QSpinBox>(&dialog, "workers")->value(), 5);
    QCOMPARE(
        child<QComboBox>(&dialog, "policy")->currentData().toInt(), int(SchedulingPolicy::Sticky));
    QCOMPARE(child<QCheckBox>(&dialog, "respawn")->isChecked(), false);
    QCOMPARE(child<QSpinBox>(&dialog, "crashLimit")->value(), 9);
    QCOMPARE(child<QSpinBox>(&dialog, "crashWindow")->value(), 2);
    QCOMPARE(child<QSpinBox>(&dialog, "shutdownTimeout")->value(), 15000);
    QCOMPARE(child<QSpinBox>(&dialog, "disconnectTimeout")->value(), 0);
    QCOMPARE(child<QSpinBox>(&dialog, "memoryLimit")->value(), 1); // MiB, rounded up
    QCOMPARE(child<QSpinBox>(&dialog, "requestLimit")->value(),
        child<QSpinBox>(&dialog, "requestLimit")->maximum());
    QCOMPARE(child<QLineEdit>(&dialog, "controlName")->text(),
        QStringLiteral("web-%1").arg(QCoreApplication::applicationPid()));
    QCOMPARE(child<QLineEdit>(&dialog, "metricsAddress")->text(), QStringLiteral("127.0.0.1:9464"));
    const QString note = child<QLabel>(&dialog, "fileNote")->text();
    QVERIFY2(note.contains(QStringLiteral(
                 "applied, with no field here: heartbeat, heartbeat-timeout, listen-warning, cwd, "
                 "env.")),
        qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("NOT applied by the monitor (cluster-run only): user, "
                                          "group, log-file, json.")),
        qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("Used exactly as given, shown rounded until you change "
                                          "it: crash-window, max-memory, max-requests.")),
        qPrintable(note));
    // Exact values survive the spin boxes' rounding while they are not edited.
    const ClusterConfig opened = dialog.config();
    QCOMPARE(opened.memoryLimit, 1000);
    QCOMPARE(opened.requestLimit, Q_INT64_C(5000000000));
    QCOMPARE(opened.crashWindow, 2500);

    const QString copy = m_dir.filePath(QStringLiteral("copy.conf"));
    QVERIFY2(dialog.saveConfigFile(copy), qPrintable(dialog.fileMessage()));
    const RunnerOptions::Result original
        = RunnerOptions::fromConfigFile(path, QStringLiteral("web"));
    const RunnerOptions::Result saved = RunnerOptions::fromConfigFile(copy);
    QVERIFY2(original.ok(), qPrintable(original.error));
    QVERIFY2(saved.ok(), qPrintable(saved.error));
    RunnerOptions expected = original.options;
    expected.configFile = copy;
    QCOMPARE(saved.options, expected);
    QString output;
    QCOMPARE(clusterRun({ QStringLiteral("--check-config"), copy }, &output), 0);

    // Opened again, then saved again: the same file.
    NewClusterDialog again;
    QVERIFY(again.openConfigFile(copy));
    const QString second = m_dir.filePath(QStringLiteral("second.conf"));
    QVERIFY(again.saveConfigFile(second));
    QFile a(copy), b(second);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(b.readAll()).section(QLatin1Char('\n'), 3),
        QString::fromUtf8(a.readAll()).section(QLatin1Char('\n'), 3));
}

void tst_ConfigDialog::openBrokenChangesNothing()
{
    NewClusterDialog dialog;
    ClusterConfig before = ClusterConfig::defaults();
    before.workers = 2;
    dialog.setConfig(before);

    const QString badValues = write(QStringLiteral("bad.conf"),
        QStringLiteral("[web]\nprogram = %1\ncrash-limit = 0\nworkers = 2\ncolour = blue\n")
            .arg(HelloHttp));
    QVERIFY(!dialog.openConfigFile(badValues));
    QString message = dialog.fileMessage();
    QVERIFY2(message.startsWith(QStringLiteral("Not opened; the form is unchanged:\n")),
        qPrintable(message));
    QVERIFY2(
        message.contains(
            QStringLiteral("%1:3: crash-limit needs a whole number between 1 and").arg(badValues)),
        qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("%1:5: colour: unknown key").arg(badValues)),
        qPrintable(message));
    QVERIFY(child<QLabel>(&dialog, "fileMessage")->isVisibleTo(&dialog));
    QCOMPARE(dialog.config(), before);

    const QString badSyntax
        = write(QStringLiteral("syntax.conf"), QStringLiteral("[web]\nworkers 4\n"));
    QVERIFY(!dialog.openConfigFile(badSyntax));
    QVERIFY2(dialog.fileMessage().contains(
                 QStringLiteral("%1:2: expected 'key = value' or '[name]', not 'workers 4'")
                     .arg(badSyntax)),
        qPrintable(dialog.fileMessage()));
    QCOMPARE(dialog.config(), before);

    QVERIFY(!dialog.openConfigFile(m_dir.filePath(QStringLiteral("missing.conf"))));
    QVERIFY(dialog.fileMessage().contains(QStringLiteral("cannot read the configuration file")));
    QCOMPARE(dialog.config(), before);
}

void tst_ConfigDialog::openSeveralAsksWhich()
{
    const QString path = write(QStringLiteral("two.conf"),
        QStringLiteral("program = %1\n[web]\nworkers = 2\n[api]\nworkers = 6\nenv = MODE=api\n")
            .arg(HelloHttp));
    NewClusterDialog dialog;
    dialog.show();
    QVERIFY(dialog.openConfigFile(path));
    QInputDialog *chooser = nullptr;
    QTRY_VERIFY((chooser = child<QInputDialog>(&dialog, "clusterChooser")) && chooser->isVisible());
    QCOMPARE(
        chooser->comboBoxItems(), (QStringList { QStringLiteral("web"), QStringLiteral("api") }));
    QVERIFY(chooser->labelText().contains(QStringLiteral("two.conf holds several clusters")));
    chooser->setTextValue(QStringLiteral("api"));
    chooser->accept();
    QTRY_COMPARE(child<QSpinBox>(&dialog, "workers")->value(), 6);
    QCOMPARE(dialog.fileMessage(), QStringLiteral("Opened cluster api of %1.").arg(path));
    QCOMPARE(dialog.config().fileOptions.configName, QStringLiteral("api"));
    // Saved, it stays [api].
    const QString saved = m_dir.filePath(QStringLiteral("api.conf"));
    QVERIFY(dialog.saveConfigFile(saved));
    QString output;
    QCOMPARE(clusterRun({ QStringLiteral("--check-config"), saved }, &output), 0);
    QCOMPARE(output.trimmed(), QStringLiteral("%1: valid (api)").arg(saved));
    // Saved over the file it came from, with one more worker: [web] is still there.
    child<QSpinBox>(&dialog, "workers")->setValue(7);
    QVERIFY2(dialog.saveConfigFile(path), qPrintable(dialog.fileMessage()));
    QCOMPARE(clusterRun({ QStringLiteral("--check-config"), path }, &output), 0);
    QCOMPARE(output.trimmed(), QStringLiteral("%1: valid (web, api)").arg(path));
    QCOMPARE(RunnerOptions::fromConfigFile(path, QStringLiteral("api")).options.workers, 7);
    QCOMPARE(RunnerOptions::fromConfigFile(path, QStringLiteral("web")).options.workers, 2);

    // Remembered as the last choice: the file's part is read from the file again.
    {
        QSettings settings;
        dialog.config().save(settings);
    }
    QSettings settings;
    const ClusterConfig remembered = ClusterConfig::load(settings);
    QCOMPARE(remembered, dialog.config());
    QCOMPARE(
        remembered.fileOptions.environment.value(QStringLiteral("MODE")), QStringLiteral("api"));

    // Cancelled: nothing changes.
    QVERIFY(dialog.openConfigFile(path));
    QTRY_VERIFY((chooser = child<QInputDialog>(&dialog, "clusterChooser")) && chooser->isVisible());
    chooser->setTextValue(QStringLiteral("web"));
    chooser->reject();
    QTRY_VERIFY(!child<QInputDialog>(&dialog, "clusterChooser"));
    QCOMPARE(child<QSpinBox>(&dialog, "workers")->value(), 7);
}

// What cluster-run would refuse is not written, and an existing file stays as it was.
void tst_ConfigDialog::saveRefusesWhatClusterRunWould()
{
    const QString path = write(QStringLiteral("keep.conf"), QStringLiteral("# keep me\n"));
    NewClusterDialog dialog;
    ClusterConfig config = ClusterConfig::defaults();
    config.program = HelloHttp;
    config.workers = 0;
    config.controlName.clear();
    dialog.setConfig(config);
    QVERIFY(!dialog.saveConfigFile(path));
    QVERIFY2(dialog.fileMessage().startsWith(QStringLiteral("Not saved: %1:").arg(path)),
        qPrintable(dialog.fileMessage()));
    QVERIFY2(dialog.fileMessage().contains(QStringLiteral("workers 0 makes sense only with")),
        qPrintable(dialog.fileMessage()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("# keep me\n"));

    // A value that cannot be written on one line names its key.
    config.workers = 1;
    config.fileOptions.environment.insert(QStringLiteral("TWO"), QStringLiteral("a\nb"));
    dialog.setConfig(config);
    QVERIFY(!dialog.saveConfigFile(path));
    QVERIFY2(dialog.fileMessage().startsWith(QStringLiteral("Not saved: env: 'TWO=a\nb'")),
        qPrintable(dialog.fileMessage()));

    // Into a folder that does not exist: the reason, no crash.
    config.fileOptions.environment.clear();
    dialog.setConfig(config);
    QVERIFY(!dialog.saveConfigFile(m_dir.filePath(QStringLiteral("no/such/dir/x.conf"))));
    QVERIFY2(dialog.fileMessage().startsWith(QStringLiteral("Not saved: ")),
        qPrintable(dialog.fileMessage()));
}

// The buttons open file dialogs in the folder used last.
void tst_ConfigDialog::buttonsRememberTheFolder()
{
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("configs")));
    const QString path = write(QStringLiteral("configs/one.conf"),
        QStringLiteral("program = %1\nworkers = 4\n").arg(HelloHttp));
    NewClusterDialog dialog;
    dialog.show();
    QVERIFY(dialog.openConfigFile(path));
    child<QPushButton>(&dialog, "openConfig")->click();
    QFileDialog *chooser = nullptr;
    QTRY_VERIFY(
        (chooser = child<QFileDialog>(&dialog, "openConfigDialog")) && chooser->isVisible());
    QCOMPARE(chooser->directory().absolutePath(), QFileInfo(path).absolutePath());
    chooser->reject();
    QTRY_VERIFY(!child<QFileDialog>(&dialog, "openConfigDialog"));

    NewClusterDialog later;
    later.show();
    child<QPushButton>(&later, "saveConfig")->click();
    QTRY_VERIFY((chooser = child<QFileDialog>(&later, "saveConfigDialog")) && chooser->isVisible());
    QCOMPARE(chooser->directory().absolutePath(), QFileInfo(path).absolutePath());
    QCOMPARE(chooser->acceptMode(), QFileDialog::AcceptSave);
    chooser->reject();
}

QTEST_MAIN(tst_ConfigDialog)
#include "tst_configdialog.moc"
