// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterConfig: the embedded default and the remembered last choice.
#include "clusterconfig.h"

#include <libcluster/metricsserver.h>

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QThread>

namespace Monitor {

ClusterConfig ClusterConfig::defaults(quint16 port)
{
    ClusterConfig config;
    config.program = helloHttpPath();
    config.arguments = { QStringLiteral("--port"), QString::number(port) };
    config.workers = qMax(1, QThread::idealThreadCount());
    config.policy = LibCluster::SchedulingPolicy::RoundRobin;
    config.captureOutput = true;
    return config;
}

QString ClusterConfig::helloHttpPath()
{
    const QString name = QStringLiteral("hello-http");
    const QString besideUs = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
    if (QFileInfo(besideUs).isExecutable())
        return besideUs;
    const QString onPath = QStandardPaths::findExecutable(name);
    return onPath.isEmpty() ? name : onPath;
}

ClusterConfig ClusterConfig::load(QSettings &settings)
{
    ClusterConfig config = defaults();
    settings.beginGroup(QStringLiteral("cluster"));
    if (settings.contains(QStringLiteral("program"))) {
        config.program = settings.value(QStringLiteral("program")).toString();
        config.arguments = settings.value(QStringLiteral("arguments")).toStringList();
        config.workers
            = qBound(1, settings.value(QStringLiteral("workers"), config.workers).toInt(),
                LibCluster::Supervisor::DefaultMaxWorkers);
        LibCluster::SchedulingPolicy policy;
        if (LibCluster::schedulingPolicyFromName(
                settings.value(QStringLiteral("policy")).toString(), &policy))
            config.policy = policy;
        config.captureOutput = settings.value(QStringLiteral("captureOutput"), true).toBool();
        config.controlName = settings.value(QStringLiteral("controlName")).toString();
        config.respawn = settings.value(QStringLiteral("respawn"), true).toBool();
        config.crashLimit
            = qBound(1, settings.value(QStringLiteral("crashLimit"), config.crashLimit).toInt(),
                LibCluster::Supervisor::MaxCrashLimit);
        config.crashWindow
            = qBound(1, settings.value(QStringLiteral("crashWindow"), config.crashWindow).toInt(),
                LibCluster::Supervisor::MaxCrashWindow);
        config.shutdownTimeout = qBound(0,
            settings.value(QStringLiteral("shutdownTimeout"), config.shutdownTimeout).toInt(),
            MaxTimeout);
        config.disconnectTimeout = qBound(0,
            settings.value(QStringLiteral("disconnectTimeout"), config.disconnectTimeout).toInt(),
            MaxTimeout);
        config.memoryLimit = qBound(qint64(0),
            settings.value(QStringLiteral("memoryLimit"), 0).toLongLong(), MaxMemoryLimit);
        config.requestLimit = qBound(qint64(0),
            settings.value(QStringLiteral("requestLimit"), 0).toLongLong(), MaxRequestLimit);
        if (!isValidEndpointName(config.controlName))
            config.controlName.clear();
        config.metricsAddress = settings.value(QStringLiteral("metricsAddress")).toString();
        if (!LibCluster::MetricsServer::parseAddress(config.metricsAddress, nullptr, nullptr))
            config.metricsAddress.clear();
        const QString file = settings.value(QStringLiteral("configFile")).toString();
        if (!file.isEmpty()) {
            const RunnerOptions::Result read = RunnerOptions::fromConfigFile(
                file, settings.value(QStringLiteral("configName")).toString());
            if (read.ok())
                config.fileOptions = read.options;
        }
    }
    settings.endGroup();
    return config;
}

void ClusterConfig::save(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("cluster"));
    settings.setValue(QStringLiteral("program"), program);
    settings.setValue(QStringLiteral("arguments"), arguments);
    settings.setValue(QStringLiteral("workers"), workers);
    settings.setValue(QStringLiteral("policy"), LibCluster::schedulingPolicyName(policy));
    settings.setValue(QStringLiteral("captureOutput"), captureOutput);
    settings.setValue(QStringLiteral("controlName"), controlName);
    settings.setValue(QStringLiteral("respawn"), respawn);
    settings.setValue(QStringLiteral("crashLimit"), crashLimit);
    settings.setValue(QStringLiteral("crashWindow"), crashWindow);
    settings.setValue(QStringLiteral("shutdownTimeout"), shutdownTimeout);
    settings.setValue(QStringLiteral("disconnectTimeout"), disconnectTimeout);
    settings.setValue(QStringLiteral("memoryLimit"), memoryLimit);
    settings.setValue(QStringLiteral("requestLimit"), requestLimit);
    settings.setValue(QStringLiteral("metricsAddress"), metricsAddress);
    settings.setValue(QStringLiteral("configFile"), fileOptions.configFile);
    settings.setValue(QStringLiteral("configName"), fileOptions.configName);
    settings.endGroup();
}

ClusterConfig ClusterConfig::fromRunnerOptions(const RunnerOptions &options)
{
    ClusterConfig config;
    config.program = options.program;
    config.arguments = options.arguments;
    config.workers = options.workers;
    config.policy = options.policy.value_or(LibCluster::SchedulingPolicy::RoundRobin);
    config.controlName = options.control;
    config.respawn = options.respawn;
    config.crashLimit = options.crashLimit;
    config.crashWindow = options.crashWindow;
    config.shutdownTimeout = options.shutdownTimeout;
    config.disconnectTimeout = options.disconnectTimeout;
    config.memoryLimit = options.maxMemory;
    config.requestLimit = options.maxRequests;
    config.metricsAddress = options.metrics;
    config.fileOptions = options;
    return config;
}

RunnerOptions ClusterConfig::toRunnerOptions() const
{
    RunnerOptions options = fileOptions;
    options.action = RunnerOptions::Run;
    options.text.clear();
    options.program = program;
    options.arguments = arguments;
    options.workers = workers;
    options.policy = policy;
    options.control = controlName;
    options.respawn = respawn;
    options.crashLimit = crashLimit;
    options.crashWindow = crashWindow;
    options.shutdownTimeout = shutdownTimeout;
    options.disconnectTimeout = disconnectTimeout;
    options.maxMemory = memoryLimit;
    options.maxRequests = requestLimit;
    options.metrics = metricsAddress;
    return options;
}

namespace {
// The keys that tell `options` from the same with `reset` applied.
QStringList keysOf(const RunnerOptions &options, void (*reset)(RunnerOptions &))
{
    RunnerOptions without = options;
    reset(without);
    return RunnerOptions::differingKeys(options, without);
}
} // namespace

QStringList ClusterConfig::appliedFileKeys() const
{
    return keysOf(toRunnerOptions(), [](RunnerOptions &options) {
        const RunnerOptions none;
        options.environment = none.environment;
        options.cwd = none.cwd;
        options.heartbeat = none.heartbeat;
        options.heartbeatTimeout = none.heartbeatTimeout;
        options.listenWarning = none.listenWarning;
    });
}

QStringList ClusterConfig::unappliedFileKeys() const
{
    return keysOf(toRunnerOptions(), [](RunnerOptions &options) {
        const RunnerOptions none;
        options.uid = none.uid;
        options.gid = none.gid;
        options.logFile = none.logFile;
        options.json = none.json;
    });
}

quint16 ClusterConfig::portArgument() const
{
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        QString value;
        if (argument == QLatin1String("--port") && i + 1 < arguments.size())
            value = arguments.at(i + 1);
        else if (argument.startsWith(QLatin1String("--port=")))
            value = argument.mid(7);
        else
            continue;
        bool ok = false;
        const uint port = value.toUInt(&ok);
        return ok && port <= 65535 ? quint16(port) : 0;
    }
    return 0;
}

bool ClusterConfig::operator==(const ClusterConfig &other) const
{
    return program == other.program && arguments == other.arguments && workers == other.workers
        && policy == other.policy && captureOutput == other.captureOutput
        && controlName == other.controlName && respawn == other.respawn
        && crashLimit == other.crashLimit && crashWindow == other.crashWindow
        && shutdownTimeout == other.shutdownTimeout && disconnectTimeout == other.disconnectTimeout
        && memoryLimit == other.memoryLimit && requestLimit == other.requestLimit
        && metricsAddress == other.metricsAddress && toRunnerOptions() == other.toRunnerOptions();
}

QString ClusterConfig::defaultControlName()
{
    return QStringLiteral("monitor-%1").arg(QCoreApplication::applicationPid());
}

bool ClusterConfig::isValidEndpointName(const QString &name)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}\\z"));
    return pattern.match(name).hasMatch();
}

} // namespace Monitor
