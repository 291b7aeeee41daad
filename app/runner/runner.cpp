// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Runner: options, the cluster and its supervisor, the event printer, and when to stop.
#include "runner.h"

#include "eventformatter.h"
#include "terminal.h"

#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/controlserver.h>
#include <libcluster/eventstream.h>
#include <libcluster/metricsserver.h>
#include <libcluster/socketactivation.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <memory>

using namespace LibCluster;

namespace Runner {

using Terminal::printLine;
using Terminal::writeJson;
using Terminal::writeLine;
constexpr OutputWriter::Stream Out = OutputWriter::StandardOutput;
constexpr OutputWriter::Stream Err = OutputWriter::StandardError;

namespace {
int usageError(const QString &message)
{
    return Terminal::usageError(QStringLiteral("cluster-run"), message);
}

// A whole number of milliseconds, >= 0; -1 if it is not one.
int parseMsecs(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= 0 ? value : -1;
}

// A whole number from `min` (0 or more) to `max`; -1 if it is not one.
int parseInRange(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= min && value <= max ? value : -1;
}

// The program as a path: given with a slash, as is; otherwise looked up in PATH.
QString resolveProgram(const QString &program, QString *error)
{
    if (program.contains(QLatin1Char('/'))) {
        const QFileInfo info(program);
        if (!info.exists()) {
            *error = QStringLiteral("program not found: %1").arg(program);
            return QString();
        }
        if (!info.isFile() || !info.isExecutable()) {
            *error = QStringLiteral("not an executable program: %1").arg(program);
            return QString();
        }
        return info.absoluteFilePath();
    }
    const QString found = QStandardPaths::findExecutable(program);
    if (found.isEmpty())
        *error = QStringLiteral("program not found in PATH: %1").arg(program);
    return found;
}

const char Description[]
    = "Runs PROGRAM, a program built with libcluster, as a cluster of worker processes:\n"
      "the primary (this process) forks the workers, shares their server ports, prints\n"
      "their events, and shuts them down gracefully on SIGTERM or SIGINT.\n"
      "\n"
      "  cluster-run [options] -- PROGRAM [ARGS...]\n"
      "  cluster-run ctl [--json] NAME COMMAND [ARGS...]   control a primary started with\n"
      "                                                    --control NAME (cluster-run ctl "
      "--help)\n"
      "\n"
      "Without --respawn or --control, cluster-run ends once no worker is left: with 0 if\n"
      "they all exited with 0, else 1.\n"
      "Exit codes: 0 after a graceful shutdown, 1 on failure, 2 on a usage error.";
} // namespace

qint64 parseByteSize(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)(?:i?[bB])?\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    double value = match.captured(1).toDouble();
    const QChar unit = match.captured(2).isEmpty() ? QChar() : match.captured(2).at(0).toUpper();
    const QString units = QStringLiteral("KMGT");
    for (qsizetype i = 0; unit != QChar() && i <= units.indexOf(unit); ++i)
        value *= 1024;
    if (value > 9.0e18)
        return -1;
    return qint64(value);
}

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(Description));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption workersOption({ QStringLiteral("w"), QStringLiteral("workers") },
        QStringLiteral("Number of workers, 0 to %1 (default: one per CPU core).")
            .arg(Supervisor::DefaultMaxWorkers),
        QStringLiteral("COUNT"));
    const QCommandLineOption policyOption(QStringLiteral("policy"),
        QStringLiteral("How workers share ports: rr, none, reuseport, leastconn, sticky "
                       "(default: rr, or LIBCLUSTER_SCHED_POLICY)."),
        QStringLiteral("NAME"));
    const QCommandLineOption respawnOption(QStringLiteral("respawn"),
        QStringLiteral("Replace workers that exit unasked, with backoff; give up on a crash "
                       "loop."));
    const QCommandLineOption crashLimitOption(QStringLiteral("crash-limit"),
        QStringLiteral(
            "With --respawn: give up when one worker slot exits unexpectedly more than N "
            "times within --crash-window, or more than N (at least the number of "
            "workers) workers in a row die before they are ready (default %1).")
            .arg(Supervisor::DefaultCrashLimit),
        QStringLiteral("N"));
    const QCommandLineOption crashWindowOption(QStringLiteral("crash-window"),
        QStringLiteral("The time --crash-limit counts over, in milliseconds (default %1).")
            .arg(Supervisor::DefaultCrashWindow),
        QStringLiteral("MS"));
    const QCommandLineOption controlOption(QStringLiteral("control"),
        QStringLiteral("Expose the control endpoint NAME for 'cluster-run ctl NAME ...' and "
                       "the monitor."),
        QStringLiteral("NAME"));
    const QCommandLineOption maxMemoryOption(QStringLiteral("max-memory"),
        QStringLiteral("Replace a worker whose resident memory exceeds SIZE (bytes, or with "
                       "K, M, G)."),
        QStringLiteral("SIZE"));
    const QCommandLineOption maxRequestsOption(QStringLiteral("max-requests"),
        QStringLiteral("Replace a worker after it has served N requests."), QStringLiteral("N"));
    const QCommandLineOption heartbeatOption(QStringLiteral("heartbeat"),
        QStringLiteral("Ping each worker every MS milliseconds; replace one that does not "
                       "answer within --heartbeat-timeout."),
        QStringLiteral("MS"));
    const QCommandLineOption heartbeatTimeoutOption(QStringLiteral("heartbeat-timeout"),
        QStringLiteral("How long a worker may take to answer (default: 3 heartbeats)."),
        QStringLiteral("MS"));
    const QCommandLineOption disconnectTimeoutOption(QStringLiteral("disconnect-timeout"),
        QStringLiteral("Kill a disconnecting worker after MS milliseconds (default 10000; 0 "
                       "waits forever)."),
        QStringLiteral("MS"));
    const QCommandLineOption shutdownTimeoutOption(QStringLiteral("shutdown-timeout"),
        QStringLiteral("On SIGTERM/SIGINT or 'ctl shutdown', kill what still runs after MS "
                       "milliseconds (default 10000)."),
        QStringLiteral("MS"));
    const QCommandLineOption listenWarningOption(QStringLiteral("listen-warning"),
        QStringLiteral("Warn of a worker that has not listened on the cluster's port MS "
                       "milliseconds after it came online, 0 to %1 (default %2; 0 for workers "
                       "that do not listen).")
            .arg(Settings::MaxListenWarningTimeout)
            .arg(Settings::DefaultListenWarningTimeout),
        QStringLiteral("MS"));
    const QCommandLineOption cwdOption(QStringLiteral("cwd"),
        QStringLiteral("Working directory of the workers."), QStringLiteral("DIR"));
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        QStringLiteral("Print events as JSON lines (see docs/control-protocol.md)."));
    const QCommandLineOption metricsOption(QStringLiteral("metrics"),
        QStringLiteral("Serve Prometheus metrics (/metrics) and health probes (/healthz, "
                       "/readyz) on ADDR:PORT, or on loopback for a bare PORT."),
        QStringLiteral("ADDR:PORT"));
    parser.addOptions({ workersOption, policyOption, respawnOption, crashLimitOption,
        crashWindowOption, controlOption, maxMemoryOption, maxRequestsOption, heartbeatOption,
        heartbeatTimeoutOption, disconnectTimeoutOption, shutdownTimeoutOption, listenWarningOption,
        cwdOption, jsonOption, metricsOption });
    parser.addPositionalArgument(QStringLiteral("PROGRAM"), QStringLiteral("The program to run."),
        QStringLiteral("-- PROGRAM"));
    parser.addPositionalArgument(
        QStringLiteral("ARGS"), QStringLiteral("Its arguments."), QStringLiteral("[ARGS...]"));

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        // The usage line names the program as it was started; say it as the user types it.
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst() + QLatin1Char(' '),
            QStringLiteral("cluster-run "));
        printLine(stdout, help);
        return 0;
    }
    if (parser.isSet(versionOption)) {
        printLine(
            stdout, QStringLiteral("cluster-run %1").arg(QCoreApplication::applicationVersion()));
        return 0;
    }

    // Options first, so that a wrong one is reported whatever else is wrong.
    const bool json = parser.isSet(jsonOption);
    const QString controlName = parser.value(controlOption);
    int workers = QThread::idealThreadCount();
    if (parser.isSet(workersOption)) {
        workers = Supervisor::parseWorkerCount(parser.value(workersOption));
        if (workers < 0)
            return usageError(QStringLiteral("--workers: %1, not '%2'")
                                  .arg(Supervisor::workerCountError(QStringLiteral("COUNT")),
                                      parser.value(workersOption)));
        if (workers == 0 && controlName.isEmpty())
            return usageError(QStringLiteral("--workers 0 makes sense only with --control"));
    }
    int crashLimit = Supervisor::DefaultCrashLimit;
    if (parser.isSet(crashLimitOption)) {
        crashLimit = parseInRange(parser.value(crashLimitOption), 1, Supervisor::MaxCrashLimit);
        if (crashLimit < 0)
            return usageError(
                QStringLiteral("--crash-limit needs a whole number between 1 and %1, not '%2'")
                    .arg(Supervisor::MaxCrashLimit)
                    .arg(parser.value(crashLimitOption)));
    }
    int crashWindow = Supervisor::DefaultCrashWindow;
    if (parser.isSet(crashWindowOption)) {
        crashWindow = parseInRange(parser.value(crashWindowOption), 1, Supervisor::MaxCrashWindow);
        if (crashWindow < 0)
            return usageError(QStringLiteral("--crash-window needs a number of milliseconds "
                                             "between 1 and %1, not '%2'")
                                  .arg(Supervisor::MaxCrashWindow)
                                  .arg(parser.value(crashWindowOption)));
    }
    Settings settings;
    if (parser.isSet(policyOption)) {
        SchedulingPolicy policy;
        if (!schedulingPolicyFromName(parser.value(policyOption), &policy))
            return usageError(QStringLiteral("unknown policy '%1' (rr, none, reuseport, leastconn, "
                                             "sticky)")
                                  .arg(parser.value(policyOption)));
        settings.setSchedulingPolicy(policy);
    }
    qint64 maxMemory = 0;
    if (parser.isSet(maxMemoryOption)) {
        maxMemory = parseByteSize(parser.value(maxMemoryOption));
        if (maxMemory <= 0)
            return usageError(
                QStringLiteral("--max-memory needs a size such as 512M or 1G, not '%1'")
                    .arg(parser.value(maxMemoryOption)));
    }
    qint64 maxRequests = 0;
    if (parser.isSet(maxRequestsOption)) {
        bool ok = false;
        maxRequests = parser.value(maxRequestsOption).toLongLong(&ok);
        if (!ok || maxRequests <= 0)
            return usageError(QStringLiteral("--max-requests needs a positive number, not '%1'")
                                  .arg(parser.value(maxRequestsOption)));
    }
    struct MsecsOption
    {
        const QCommandLineOption *option;
        int value;
    };
    MsecsOption heartbeat { &heartbeatOption, 0 };
    MsecsOption heartbeatTimeout { &heartbeatTimeoutOption, -1 };
    MsecsOption disconnectTimeout { &disconnectTimeoutOption, 10000 };
    MsecsOption shutdownTimeout { &shutdownTimeoutOption, 10000 };
    for (MsecsOption *entry :
        { &heartbeat, &heartbeatTimeout, &disconnectTimeout, &shutdownTimeout }) {
        if (!parser.isSet(*entry->option))
            continue;
        entry->value = parseMsecs(parser.value(*entry->option));
        if (entry->value < 0)
            return usageError(
                QStringLiteral("--%1 needs a number of milliseconds, not '%2'")
                    .arg(entry->option->names().constLast(), parser.value(*entry->option)));
    }
    if (heartbeatTimeout.value < 0)
        heartbeatTimeout.value = heartbeat.value * 3;
    if (parser.isSet(listenWarningOption)) {
        const int msecs
            = parseInRange(parser.value(listenWarningOption), 0, Settings::MaxListenWarningTimeout);
        if (msecs < 0)
            return usageError(QStringLiteral("--listen-warning needs a number of milliseconds "
                                             "between 0 and %1, not '%2'")
                                  .arg(Settings::MaxListenWarningTimeout)
                                  .arg(parser.value(listenWarningOption)));
        settings.setListenWarningTimeout(msecs);
    }
    QHostAddress metricsAddress;
    quint16 metricsPort = 0;
    QString metricsError;
    if (parser.isSet(metricsOption)
        && !MetricsServer::parseAddress(
            parser.value(metricsOption), &metricsAddress, &metricsPort, &metricsError))
        return usageError(QStringLiteral("--metrics: %1").arg(metricsError));
    if (parser.isSet(cwdOption)) {
        if (!QFileInfo(parser.value(cwdOption)).isDir())
            return usageError(
                QStringLiteral("--cwd: no such directory: %1").arg(parser.value(cwdOption)));
        settings.setCwd(QDir(parser.value(cwdOption)).absolutePath());
    }

    QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(
            QStringLiteral("which program? Usage: cluster-run [options] -- PROGRAM [ARGS...]"));
    QString why;
    const QString program = resolveProgram(positional.takeFirst(), &why);
    if (program.isEmpty())
        return usageError(why);
    settings.setExec(program);
    settings.setArgs(positional);
    // The workers' output comes through the primary, one prefixed line at a time (or as JSON),
    // so that it never tears the event lines apart.
    settings.setSilent(true);

    // From here on this is a primary: nothing it prints may hold up its event loop, Qt's own
    // messages included.
    OutputWriter::installMessageHandler();
    Cluster *cluster = Cluster::instance();
    cluster->setupPrimary(settings);
    auto *supervisor = new Supervisor(cluster, cluster);
    supervisor->setRespawn(parser.isSet(respawnOption));
    supervisor->setCrashLimit(crashLimit, crashWindow);
    supervisor->setMemoryLimit(maxMemory);
    supervisor->setRequestLimit(maxRequests);
    supervisor->setHeartbeat(heartbeat.value, heartbeatTimeout.value);
    supervisor->setDisconnectTimeout(disconnectTimeout.value);
    supervisor->setHandleTerminationSignals(true, shutdownTimeout.value);

    auto *stream = new EventStream(cluster, supervisor, cluster);
    MetricsServer *metrics = nullptr;
    if (parser.isSet(metricsOption)) {
        metrics = new MetricsServer(cluster, supervisor, cluster);
        if (!metrics->listen(metricsAddress, metricsPort)) {
            writeLine(Err, QStringLiteral("cluster-run: %1").arg(metrics->errorString()));
            return 1;
        }
    }
    ControlServer *control = nullptr;
    if (!controlName.isEmpty()) {
        control = new ControlServer(cluster, supervisor, cluster);
        control->setShutdownTimeout(shutdownTimeout.value);
        control->setShutdownQuitsApplication(true);
        if (!control->listen(controlName)) {
            writeLine(Err,
                QStringLiteral("cluster-run: cannot open the control endpoint: %1")
                    .arg(control->errorString()));
            return control->error() == ControlServer::InvalidNameError ? 2 : 1;
        }
    }

    auto formatter = std::make_shared<EventFormatter>();
    QObject::connect(
        stream, &EventStream::eventOccurred, stream, [json, formatter](const QJsonObject &event) {
            if (json) {
                writeJson(event);
                return;
            }
            using Event = Control::ClusterEvent;
            const Event parsed = Event::fromJson(event);
            if (parsed.type == Event::OutputDropped) {
                // Said where it can still be read.
                const bool fromStdout = parsed.channel == Worker::StandardOutput;
                writeLine(fromStdout ? Err : Out, EventFormatter::format(event));
                return;
            }
            QStringList errLines;
            QStringList outLines;
            if (parsed.type == Event::Output) {
                outLines = formatter->output(event, &errLines);
            } else {
                if (parsed.type == Event::Exit)
                    outLines = formatter->flush(parsed.id, &errLines);
                const QString line = EventFormatter::format(event);
                if (!line.isEmpty())
                    outLines.append(line);
            }
            for (const QString &line : std::as_const(outLines))
                writeLine(Out, line);
            for (const QString &line : std::as_const(errLines))
                writeLine(Err, line);
        });

    // An operator's commands belong in the log next to what they caused.
    if (control && !json) {
        QObject::connect(control, &ControlServer::commandReceived, control,
            [](const QString &command, const QJsonObject &arguments) {
                writeLine(Out,
                    QStringLiteral("%1 control: %2 %3")
                        .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")),
                            command,
                            arguments.isEmpty() ? QString()
                                                : QString::fromUtf8(QJsonDocument(arguments).toJson(
                                                    QJsonDocument::Compact)))
                        .trimmed());
            });
    }

    // Without respawn and without a control endpoint, nothing will start another worker once
    // the last one has gone: stop then, successfully if they all ended well.
    bool allExitedWell = true;
    bool stopping = false;
    const bool respawn = parser.isSet(respawnOption);
    QObject::connect(
        cluster, &Cluster::workerExited, cluster, [&allExitedWell](Worker *, int code, int signal) {
            if (code != 0 || signal != 0)
                allExitedWell = false;
        });
    QObject::connect(cluster, &Cluster::workerExited, cluster, [=, &allExitedWell, &stopping] {
        QTimer::singleShot(0, cluster, [=, &allExitedWell, &stopping] {
            if (stopping || control || supervisor->isShuttingDown())
                return;
            if (respawn && !supervisor->hasGivenUp())
                return;
            const auto all = cluster->workers();
            for (Worker *worker : all)
                if (!worker->isDead())
                    return;
            stopping = true;
            if (supervisor->hasGivenUp())
                writeLine(Err, QStringLiteral("cluster-run: the workers keep crashing; giving up"));
            else if (!json)
                writeLine(Out, QStringLiteral("cluster-run: no worker left"));
            QCoreApplication::exit(allExitedWell && !supervisor->hasGivenUp() ? 0 : 1);
        });
    });

    const QJsonObject start {
        { QStringLiteral("event"), QStringLiteral("start") },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
        { QStringLiteral("exec"), program },
        { QStringLiteral("args"), QJsonArray::fromStringList(positional) },
        { QStringLiteral("workers"), workers },
        { QStringLiteral("policy"), schedulingPolicyName(cluster->schedulingPolicy()) },
        { QStringLiteral("control"), control ? QJsonValue(control->name()) : QJsonValue() },
        { QStringLiteral("metrics"),
            metrics ? QJsonValue(QStringLiteral("http://%1:%2/metrics")
                                     .arg(metrics->serverAddress().toString())
                                     .arg(metrics->serverPort()))
                    : QJsonValue() },
    };
    QStringList inherited;
    const auto sockets = SocketActivation::inheritedSockets();
    for (const Address &address : sockets)
        inherited.append(address.toString());
    if (json) {
        QJsonObject event = start;
        event.insert(QStringLiteral("inheritedSockets"), QJsonArray::fromStringList(inherited));
        writeJson(event);
    } else {
        writeLine(Out,
            QStringLiteral("cluster-run: primary %1 runs %2 with %3 workers (policy %4)%5")
                .arg(QCoreApplication::applicationPid())
                .arg(QFileInfo(program).fileName())
                .arg(workers)
                .arg(schedulingPolicyName(cluster->schedulingPolicy()),
                    control ? QStringLiteral(", control endpoint %1").arg(control->name())
                            : QString()));
        if (metrics)
            writeLine(Out,
                QStringLiteral("cluster-run: metrics on %1")
                    .arg(start.value(QLatin1String("metrics")).toString()));
        if (!inherited.isEmpty())
            writeLine(Out,
                QStringLiteral("cluster-run: sockets from the service manager: %1")
                    .arg(inherited.join(QStringLiteral(", "))));
    }

    supervisor->scaleTo(workers);
    const int code = QCoreApplication::exec();
    delete control;
    return code;
}

} // namespace Runner
