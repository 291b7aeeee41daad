// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// NewClusterDialog: a form over ClusterConfig, opened from and saved to cluster-run's
// configuration file through RunnerOptions.
#include "newclusterdialog.h"

#include <libcluster/metricsserver.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

using LibCluster::SchedulingPolicy;

namespace Monitor {

NewClusterDialog::NewClusterDialog(QWidget *parent)
    : QDialog(parent)
    , m_program(new QLineEdit(this))
    , m_arguments(new QLineEdit(this))
    , m_workers(new QSpinBox(this))
    , m_policy(new QComboBox(this))
    , m_capture(new QCheckBox(tr("&Capture the workers' output (silent)"), this))
    , m_controlName(new QLineEdit(this))
    , m_respawn(new QCheckBox(tr("&Respawn workers that exit unexpectedly"), this))
    , m_crashLimit(new QSpinBox(this))
    , m_crashWindow(new QSpinBox(this))
    , m_shutdownTimeout(new QSpinBox(this))
    , m_disconnectTimeout(new QSpinBox(this))
    , m_memoryLimit(new QSpinBox(this))
    , m_requestLimit(new QSpinBox(this))
    , m_metricsAddress(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_fileMessage(new QLabel(this))
    , m_fileNote(new QLabel(this))
{
    setWindowTitle(tr("New Cluster"));
    setObjectName(QStringLiteral("newClusterDialog"));

    auto *browse = new QToolButton(this);
    browse->setText(tr("Browse\u2026"));
    browse->setToolTip(tr("Choose the worker program"));
    connect(browse, &QToolButton::clicked, this, &NewClusterDialog::browse);
    auto *programRow = new QHBoxLayout;
    programRow->addWidget(m_program, 1);
    programRow->addWidget(browse);
    m_program->setObjectName(QStringLiteral("program"));
    m_program->setToolTip(tr("The program every worker runs; it must use libcluster"));
    m_program->setMinimumWidth(380);

    m_arguments->setObjectName(QStringLiteral("arguments"));
    m_arguments->setToolTip(tr("The workers' arguments, quoted as in a shell, e.g. --port 8000"));
    m_arguments->setPlaceholderText(tr("e.g. --port 8000"));

    m_workers->setObjectName(QStringLiteral("workers"));
    // As cluster-run: 0 starts none (scale later through the control endpoint).
    m_workers->setRange(0, LibCluster::Supervisor::DefaultMaxWorkers);
    m_workers->setToolTip(tr("How many workers to fork at the start (this machine has %n core(s))",
        "", QThread::idealThreadCount()));

    m_policy->setObjectName(QStringLiteral("policy"));
    const struct
    {
        SchedulingPolicy policy;
        QString name;
        QString help;
    } policies[] = {
        { SchedulingPolicy::RoundRobin, tr("Round-robin"),
            tr("The primary accepts each connection and hands it to the next worker that is not "
               "busy") },
        { SchedulingPolicy::None, tr("Shared socket"),
            tr("Every worker accepts on the same socket; the kernel decides, often unevenly") },
        { SchedulingPolicy::ReusePort, tr("SO_REUSEPORT"),
            tr("Each worker listens on its own socket; the kernel balances") },
        { SchedulingPolicy::LeastConnections, tr("Least connections"),
            tr("The worker with the fewest open connections gets the next one") },
        { SchedulingPolicy::Sticky, tr("Sticky"),
            tr("Connections from one client address go to the same worker while it lives") },
    };
    for (const auto &entry : policies) {
        m_policy->addItem(QStringLiteral("%1 (%2)").arg(
                              entry.name, LibCluster::schedulingPolicyName(entry.policy)),
            int(entry.policy));
        m_policy->setItemData(m_policy->count() - 1, entry.help, Qt::ToolTipRole);
    }

    m_capture->setObjectName(QStringLiteral("captureOutput"));
    m_capture->setToolTip(tr("Show each worker's stdout and stderr in the Output panel instead "
                             "of passing them to the monitor's terminal"));

    m_controlName->setObjectName(QStringLiteral("controlName"));
    m_controlName->setPlaceholderText(ClusterConfig::defaultControlName());
    m_controlName->setToolTip(
        tr("The name of the cluster's control endpoint, for cluster-run ctl NAME or another "
           "monitor; empty: %1")
            .arg(ClusterConfig::defaultControlName()));

    m_metricsAddress->setObjectName(QStringLiteral("metricsAddress"));
    m_metricsAddress->setPlaceholderText(tr("off (e.g. 127.0.0.1:9464)"));
    m_metricsAddress->setToolTip(
        tr("Serve Prometheus metrics (/metrics) and health probes (/healthz, /readyz) on "
           "ADDRESS:PORT, or on loopback for a bare PORT; empty: off"));

    m_respawn->setObjectName(QStringLiteral("respawn"));
    m_respawn->setToolTip(tr("Keep the number of workers: one that crashes is replaced after a "
                             "growing delay; one that is killed or disconnected at once"));
    m_crashLimit->setObjectName(QStringLiteral("crashLimit"));
    m_crashLimit->setRange(1, LibCluster::Supervisor::MaxCrashLimit);
    m_crashLimit->setSuffix(tr(" crashes"));
    m_crashWindow->setObjectName(QStringLiteral("crashWindow"));
    m_crashWindow->setRange(1, LibCluster::Supervisor::MaxCrashWindow / 1000);
    m_crashWindow->setSuffix(tr(" s"));
    const QString crashHelp
        = tr("A crash loop stops the respawning: one worker slot crashing more often than this "
             "within the time given, or more workers in a row than this (at least as many as "
             "there are workers) dying before they are ready. Several workers dying together "
             "is no crash loop.");
    m_crashLimit->setToolTip(crashHelp);
    m_crashWindow->setToolTip(crashHelp);
    connect(m_respawn, &QCheckBox::toggled, m_crashLimit, &QWidget::setEnabled);
    connect(m_respawn, &QCheckBox::toggled, m_crashWindow, &QWidget::setEnabled);
    auto *crashRow = new QHBoxLayout;
    crashRow->addWidget(new QLabel(tr("Give up after"), this));
    crashRow->addWidget(m_crashLimit);
    crashRow->addWidget(new QLabel(tr("of one worker within"), this));
    crashRow->addWidget(m_crashWindow);
    crashRow->addStretch(1);

    m_shutdownTimeout->setObjectName(QStringLiteral("shutdownTimeout"));
    m_shutdownTimeout->setRange(0, ClusterConfig::MaxTimeout);
    m_shutdownTimeout->setSingleStep(1000);
    m_shutdownTimeout->setSuffix(tr(" ms"));
    m_shutdownTimeout->setToolTip(
        tr("When the cluster stops (New Cluster, Attach, Quit, cluster-run ctl shutdown): kill "
           "what still runs after this long (cluster-run --shutdown-timeout)"));
    m_disconnectTimeout->setObjectName(QStringLiteral("disconnectTimeout"));
    m_disconnectTimeout->setRange(0, ClusterConfig::MaxTimeout);
    m_disconnectTimeout->setSingleStep(1000);
    m_disconnectTimeout->setSuffix(tr(" ms"));
    m_disconnectTimeout->setSpecialValueText(tr("wait for ever"));
    m_disconnectTimeout->setToolTip(
        tr("Kill a disconnecting worker after this long: keep-alive connections may hold it "
           "for ever (cluster-run --disconnect-timeout)"));
    m_memoryLimit->setObjectName(QStringLiteral("memoryLimit"));
    m_memoryLimit->setRange(0, int(ClusterConfig::MaxMemoryLimit / (1024 * 1024)));
    m_memoryLimit->setSingleStep(64);
    m_memoryLimit->setSuffix(tr(" MiB"));
    m_memoryLimit->setSpecialValueText(tr("no limit"));
    m_memoryLimit->setToolTip(tr("Replace a worker, through a rolling restart of that worker, "
                                 "when its resident memory exceeds this (cluster-run "
                                 "--max-memory)"));
    m_requestLimit->setObjectName(QStringLiteral("requestLimit"));
    m_requestLimit->setRange(0, int(ClusterConfig::MaxRequestLimit));
    m_requestLimit->setSingleStep(1000);
    m_requestLimit->setSuffix(tr(" requests"));
    m_requestLimit->setSpecialValueText(tr("no limit"));
    m_requestLimit->setToolTip(tr("Replace a worker once it has served this many requests "
                                  "(cluster-run --max-requests)"));

    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->hide();
    m_fileMessage->setObjectName(QStringLiteral("fileMessage"));
    m_fileMessage->setWordWrap(true);
    m_fileMessage->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fileMessage->hide();
    m_fileNote->setObjectName(QStringLiteral("fileNote"));
    m_fileNote->setWordWrap(true);
    m_fileNote->hide();

    auto *form = new QFormLayout;
    auto *programLabel = new QLabel(tr("&Program:"), this);
    programLabel->setBuddy(m_program);
    form->addRow(programLabel, programRow);
    form->addRow(tr("&Arguments:"), m_arguments);
    form->addRow(tr("&Workers:"), m_workers);
    form->addRow(tr("Scheduling &policy:"), m_policy);
    form->addRow(QString(), m_capture);
    form->addRow(tr("Control &endpoint:"), m_controlName);
    form->addRow(QString(), m_respawn);
    form->addRow(QString(), crashRow);
    form->addRow(tr("S&hutdown timeout:"), m_shutdownTimeout);
    form->addRow(tr("D&isconnect timeout:"), m_disconnectTimeout);
    form->addRow(tr("Memory &limit:"), m_memoryLimit);
    form->addRow(tr("Re&quest limit:"), m_requestLimit);
    form->addRow(tr("Me&trics address:"), m_metricsAddress);

    auto *buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    m_startButton = buttons->button(QDialogButtonBox::Ok);
    m_startButton->setText(tr("&Start"));
    buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    buttons->button(QDialogButtonBox::RestoreDefaults)->setText(tr("Restore &Defaults"));
    buttons->button(QDialogButtonBox::RestoreDefaults)
        ->setToolTip(tr("hello-http, one worker per core, port 8000, round-robin"));
    // On the left, apart from Start and Cancel: they read and write a file, not the cluster.
    auto *openButton = new QPushButton(tr("&Open\u2026"), this);
    openButton->setObjectName(QStringLiteral("openConfig"));
    openButton->setToolTip(tr("Fill the form from a cluster-run configuration file "
                              "(cluster-run --config FILE)"));
    connect(openButton, &QPushButton::clicked, this, &NewClusterDialog::chooseFileToOpen);
    auto *saveButton = new QPushButton(tr("Sa&ve\u2026"), this);
    saveButton->setObjectName(QStringLiteral("saveConfig"));
    saveButton->setToolTip(tr("Write the form as a configuration file that cluster-run --config "
                              "FILE runs the same way"));
    connect(saveButton, &QPushButton::clicked, this, &NewClusterDialog::chooseFileToSave);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
        [this] { setConfig(ClusterConfig::defaults()); });

    auto *note = new QLabel(tr("The running cluster is stopped first: its workers are asked to "
                               "disconnect, and killed if they have not gone after a few seconds."),
        this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_fileMessage);
    layout->addWidget(m_fileNote);
    layout->addWidget(note);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(openButton);
    buttonRow->addWidget(saveButton);
    buttonRow->addWidget(buttons, 1);
    layout->addLayout(buttonRow);

    connect(m_program, &QLineEdit::textChanged, this, &NewClusterDialog::validate);
    connect(m_controlName, &QLineEdit::textChanged, this, &NewClusterDialog::validate);
    connect(m_metricsAddress, &QLineEdit::textChanged, this, &NewClusterDialog::validate);
    setConfig(ClusterConfig::defaults());
}

ClusterConfig NewClusterDialog::config() const
{
    ClusterConfig config;
    config.program = m_program->text().trimmed();
    config.arguments = splitArguments(m_arguments->text());
    config.workers = m_workers->value();
    config.policy = SchedulingPolicy(m_policy->currentData().toInt());
    config.captureOutput = m_capture->isChecked();
    config.controlName = m_controlName->text().trimmed();
    config.respawn = m_respawn->isChecked();
    config.crashLimit = m_crashLimit->value();
    config.crashWindow = m_crashWindow->value() == m_shownCrashWindow
        ? m_exactCrashWindow
        : m_crashWindow->value() * 1000;
    config.shutdownTimeout = m_shutdownTimeout->value();
    config.disconnectTimeout = m_disconnectTimeout->value();
    config.memoryLimit = m_memoryLimit->value() == m_shownMemoryLimit
        ? m_exactMemoryLimit
        : qint64(m_memoryLimit->value()) * 1024 * 1024;
    config.requestLimit = m_requestLimit->value() == m_shownRequestLimit ? m_exactRequestLimit
                                                                         : m_requestLimit->value();
    config.metricsAddress = m_metricsAddress->text().trimmed();
    config.fileOptions = m_fileOptions;
    return config;
}

void NewClusterDialog::setConfig(const ClusterConfig &config)
{
    m_program->setText(config.program);
    m_arguments->setText(joinArguments(config.arguments));
    m_workers->setValue(config.workers);
    m_policy->setCurrentIndex(qMax(0, m_policy->findData(int(config.policy))));
    m_capture->setChecked(config.captureOutput);
    m_controlName->setText(config.controlName);
    m_respawn->setChecked(config.respawn);
    m_crashLimit->setValue(config.crashLimit);
    m_crashWindow->setValue(qMax(1, config.crashWindow / 1000));
    m_exactCrashWindow = config.crashWindow;
    m_shownCrashWindow = m_crashWindow->value();
    m_shutdownTimeout->setValue(config.shutdownTimeout);
    m_disconnectTimeout->setValue(config.disconnectTimeout);
    // Rounded up: a limit set in bytes elsewhere is never loosened to "no limit".
    m_memoryLimit->setValue(int(qMin<qint64>(
        (config.memoryLimit + 1024 * 1024 - 1) / (1024 * 1024), m_memoryLimit->maximum())));
    m_exactMemoryLimit = config.memoryLimit;
    m_shownMemoryLimit = m_memoryLimit->value();
    m_requestLimit->setValue(int(qMin<qint64>(config.requestLimit, m_requestLimit->maximum())));
    m_exactRequestLimit = config.requestLimit;
    m_shownRequestLimit = m_requestLimit->value();
    m_metricsAddress->setText(config.metricsAddress);
    m_fileOptions = config.fileOptions;
    updateFileNote();
    m_crashLimit->setEnabled(config.respawn);
    m_crashWindow->setEnabled(config.respawn);
    validate();
}

QStringList NewClusterDialog::splitArguments(const QString &line)
{
    return QProcess::splitCommand(line);
}

QString NewClusterDialog::joinArguments(const QStringList &arguments)
{
    return RunnerOptions::joinArguments(arguments);
}

void NewClusterDialog::browse()
{
    const QString start = QFileInfo(m_program->text()).absolutePath();
    const QString program = QFileDialog::getOpenFileName(this, tr("Worker Program"), start);
    if (!program.isEmpty())
        m_program->setText(program);
}

namespace {
// A file with many mistakes must not push the dialog off the screen.
QString firstLines(const QString &text)
{
    constexpr int MaxLines = 8;
    const QStringList lines = text.split(QLatin1Char('\n'));
    if (lines.size() <= MaxLines)
        return text;
    return lines.mid(0, MaxLines).join(QLatin1Char('\n')) + QLatin1Char('\n')
        + NewClusterDialog::tr("\u2026 and %n more", "", int(lines.size() - MaxLines));
}
} // namespace

bool NewClusterDialog::openConfigFile(const QString &path, const QString &name)
{
    QStringList names;
    QString error;
    if (!RunnerOptions::configClusters(path, &names, &error)) {
        showFileMessage(tr("Not opened; the form is unchanged:\n%1").arg(firstLines(error)), true);
        return false;
    }
    if (name.isEmpty() && names.size() > 1) {
        // Window-modal without a nested event loop, as the dialog itself.
        auto *chooser = new QInputDialog(this);
        chooser->setObjectName(QStringLiteral("clusterChooser"));
        chooser->setAttribute(Qt::WA_DeleteOnClose);
        chooser->setWindowTitle(tr("Open Cluster Configuration"));
        chooser->setLabelText(
            tr("%1 holds several clusters. Which one?").arg(QFileInfo(path).fileName()));
        chooser->setComboBoxItems(names);
        chooser->setComboBoxEditable(false);
        chooser->setOkButtonText(tr("&Open"));
        connect(chooser, &QInputDialog::textValueSelected, this,
            [this, path](const QString &chosen) { openConfigFile(path, chosen); });
        chooser->open();
        return true;
    }
    const RunnerOptions::Result result = RunnerOptions::fromConfigFile(path, name);
    if (!result.ok()) {
        showFileMessage(
            tr("Not opened; the form is unchanged:\n%1").arg(firstLines(result.error)), true);
        return false;
    }
    ClusterConfig config = ClusterConfig::fromRunnerOptions(result.options);
    config.captureOutput = m_capture->isChecked(); // the monitor's own choice
    setConfig(config);
    rememberConfigFolder(path);
    showFileMessage(result.options.configName.isEmpty()
            ? tr("Opened %1.").arg(QDir::toNativeSeparators(path))
            : tr("Opened cluster %1 of %2.")
                  .arg(result.options.configName, QDir::toNativeSeparators(path)),
        false);
    return true;
}

bool NewClusterDialog::saveConfigFile(const QString &path)
{
    RunnerOptions options = config().toRunnerOptions();
    // The cluster keeps the name it was opened with; a new one is named for its endpoint.
    QString name = options.configName;
    if (name.isEmpty() && ClusterConfig::isValidEndpointName(options.control))
        name = options.control;
    QString error;
    // Other clusters in the file are kept; what is written is checked as cluster-run reads it.
    const QString content = options.configFileText(path, name, &error);
    const QString shown = QDir::toNativeSeparators(path);
    if (content.isEmpty()) {
        showFileMessage(tr("Not saved: %1").arg(firstLines(error)), true);
        return false;
    }
    const QByteArray text = content.toUtf8();
    const QString run = name.isEmpty()
        ? QStringLiteral("cluster-run --config %1").arg(path)
        : QStringLiteral("cluster-run --config %1 %2").arg(path, name);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        showFileMessage(tr("Not saved: %1: %2").arg(shown, file.errorString()), true);
        return false;
    }
    m_fileOptions.configFile = QFileInfo(path).absoluteFilePath();
    m_fileOptions.configName = name;
    rememberConfigFolder(path);
    showFileMessage(tr("Saved to %1; run it with %2").arg(shown, run), false);
    return true;
}

QString NewClusterDialog::fileMessage() const
{
    return m_fileMessage->text();
}

void NewClusterDialog::chooseFileToOpen()
{
    auto *chooser = new QFileDialog(this, tr("Open Cluster Configuration"), configFolder(),
        tr("Cluster configurations (*.conf *.ini);;All files (*)"));
    chooser->setObjectName(QStringLiteral("openConfigDialog"));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setAcceptMode(QFileDialog::AcceptOpen);
    chooser->setFileMode(QFileDialog::ExistingFile);
    connect(chooser, &QFileDialog::fileSelected, this,
        [this](const QString &path) { openConfigFile(path); });
    chooser->open();
}

void NewClusterDialog::chooseFileToSave()
{
    auto *chooser = new QFileDialog(this, tr("Save Cluster Configuration"), configFolder(),
        tr("Cluster configurations (*.conf *.ini);;All files (*)"));
    chooser->setObjectName(QStringLiteral("saveConfigDialog"));
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    // QFileDialog asks before it replaces a file.
    chooser->setAcceptMode(QFileDialog::AcceptSave);
    chooser->setDefaultSuffix(QStringLiteral("conf"));
    if (!m_fileOptions.configFile.isEmpty())
        chooser->selectFile(m_fileOptions.configFile);
    connect(chooser, &QFileDialog::fileSelected, this,
        [this](const QString &path) { saveConfigFile(path); });
    chooser->open();
}

void NewClusterDialog::showFileMessage(const QString &text, bool error)
{
    m_fileMessage->setText(text);
    m_fileMessage->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
    m_fileMessage->setVisible(!text.isEmpty());
}

void NewClusterDialog::updateFileNote()
{
    ClusterConfig config;
    config.fileOptions = m_fileOptions;
    const QStringList applied = config.appliedFileKeys();
    const QStringList unapplied = config.unappliedFileKeys();
    QStringList lines;
    if (!applied.isEmpty())
        lines.append(tr("Also from the file, applied, with no field here: %1.")
                         .arg(applied.join(QStringLiteral(", "))));
    if (!unapplied.isEmpty())
        lines.append(tr("Kept for Save, NOT applied by the monitor (cluster-run only): %1.")
                         .arg(unapplied.join(QStringLiteral(", "))));
    // A value a field can only show rounded or capped (1000 bytes as 1 MiB) is used exactly.
    ClusterConfig shown;
    shown.memoryLimit = qint64(m_shownMemoryLimit) * 1024 * 1024;
    shown.requestLimit = m_shownRequestLimit;
    shown.crashWindow = m_shownCrashWindow * 1000;
    ClusterConfig exact;
    exact.memoryLimit = m_exactMemoryLimit;
    exact.requestLimit = m_exactRequestLimit;
    exact.crashWindow = m_exactCrashWindow;
    const QStringList rounded
        = RunnerOptions::differingKeys(exact.toRunnerOptions(), shown.toRunnerOptions());
    if (!rounded.isEmpty())
        lines.append(tr("Used exactly as given, shown rounded until you change it: %1.")
                         .arg(rounded.join(QStringLiteral(", "))));
    m_fileNote->setText(lines.join(QLatin1Char('\n')));
    m_fileNote->setVisible(!lines.isEmpty());
}

QString NewClusterDialog::configFolder() const
{
    const QString folder = QSettings().value(QStringLiteral("newCluster/configFolder")).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

void NewClusterDialog::rememberConfigFolder(const QString &path)
{
    QSettings().setValue(QStringLiteral("newCluster/configFolder"), QFileInfo(path).absolutePath());
}

void NewClusterDialog::validate()
{
    const QString program = m_program->text().trimmed();
    QString problem;
    if (program.isEmpty()) {
        problem = tr("Choose the program the workers run.");
    } else {
        const QFileInfo info(program);
        bool found = info.isFile() && info.isExecutable();
        if (!found && !program.contains(QLatin1Char('/')))
            found = !QStandardPaths::findExecutable(program).isEmpty();
        if (!found)
            problem = tr("%1 is not an executable program.").arg(program);
    }
    const QString controlName = m_controlName->text().trimmed();
    const bool nameOk = controlName.isEmpty() || ClusterConfig::isValidEndpointName(controlName);
    if (!nameOk)
        problem = tr("An endpoint name is 1 to 64 letters, digits, dots, dashes and "
                     "underscores, not starting with a dot.");
    const QString metrics = m_metricsAddress->text().trimmed();
    QString metricsError;
    const bool metricsOk = metrics.isEmpty()
        || LibCluster::MetricsServer::parseAddress(metrics, nullptr, nullptr, &metricsError);
    if (!metricsOk)
        problem = tr("Metrics address: %1").arg(metricsError);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (m_startButton)
        m_startButton->setEnabled(!program.isEmpty() && nameOk && metricsOk);
}

} // namespace Monitor
