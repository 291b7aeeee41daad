// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// NewClusterDialog: a form over ClusterConfig.
#include "newclusterdialog.h"

#include <libcluster/metricsserver.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
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
    m_workers->setRange(1, LibCluster::Supervisor::DefaultMaxWorkers);
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
    layout->addWidget(note);
    layout->addWidget(buttons);

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
    config.crashWindow = m_crashWindow->value() * 1000;
    config.shutdownTimeout = m_shutdownTimeout->value();
    config.disconnectTimeout = m_disconnectTimeout->value();
    config.memoryLimit = qint64(m_memoryLimit->value()) * 1024 * 1024;
    config.requestLimit = m_requestLimit->value();
    config.metricsAddress = m_metricsAddress->text().trimmed();
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
    m_shutdownTimeout->setValue(config.shutdownTimeout);
    m_disconnectTimeout->setValue(config.disconnectTimeout);
    // Rounded up: a limit set in bytes elsewhere is never loosened to "no limit".
    m_memoryLimit->setValue(int((config.memoryLimit + 1024 * 1024 - 1) / (1024 * 1024)));
    m_requestLimit->setValue(int(config.requestLimit));
    m_metricsAddress->setText(config.metricsAddress);
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
    QStringList quoted;
    for (QString argument : arguments) {
        if (argument.isEmpty() || argument.contains(QLatin1Char(' '))
            || argument.contains(QLatin1Char('"')) || argument.contains(QLatin1Char('\t'))) {
            argument.replace(QLatin1String("\""), QLatin1String("\"\"\""));
            argument = QLatin1Char('"') + argument + QLatin1Char('"');
        }
        quoted.append(argument);
    }
    return quoted.join(QLatin1Char(' '));
}

void NewClusterDialog::browse()
{
    const QString start = QFileInfo(m_program->text()).absolutePath();
    const QString program = QFileDialog::getOpenFileName(this, tr("Worker Program"), start);
    if (!program.isEmpty())
        m_program->setText(program);
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
