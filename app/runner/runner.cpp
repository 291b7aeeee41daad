// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Runner: the cluster and its supervisor as the options say, the event printer, and when to stop.
#include "runner.h"

#include "clustergroup.h"
#include "eventformatter.h"
#include "reloader.h"
#include "runneroptions.h"
#include "terminal.h"

#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/controlserver.h>
#include <libcluster/eventstream.h>
#include <libcluster/metricsserver.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>
#include <libcluster/socketactivation.h>
#include <libcluster/supervisor.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <memory>
#include <unistd.h>

using namespace LibCluster;

namespace Runner {

using Terminal::printLine;
using Terminal::writeJson;
using Terminal::writeLine;
constexpr OutputWriter::Stream Out = OutputWriter::StandardOutput;
constexpr OutputWriter::Stream Err = OutputWriter::StandardError;

namespace {

// A usage error with the hint to --help; any other failure (an invalid configuration file) as
// it is, one line per mistake.
int reportError(const RunnerOptions::Result &result)
{
    if (result.exitCode == 2)
        return Terminal::usageError(QStringLiteral("cluster-run"), result.error);
    const QStringList lines = result.error.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        printLine(stderr, QStringLiteral("cluster-run: %1").arg(line));
    return result.exitCode;
}

// Each event as a JSON line, or as the lines a person reads (a worker's output on the stream
// it wrote to).
void printEvents(EventStream *stream, bool json)
{
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
}

// An operator's commands belong in the log next to what they caused.
void printCommands(ControlServer *control)
{
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

// Without respawn and without a control endpoint, nothing will start another worker once the
// last one has gone: stop then, successfully if they all ended well.
void stopWhenNoWorkerIsLeft(Supervisor *supervisor, bool json)
{
    Cluster *cluster = supervisor->cluster();
    auto allExitedWell = std::make_shared<bool>(true);
    auto stopping = std::make_shared<bool>(false);
    QObject::connect(
        cluster, &Cluster::workerExited, cluster, [allExitedWell](Worker *, int code, int signal) {
            if (code != 0 || signal != 0)
                *allExitedWell = false;
        });
    QObject::connect(cluster, &Cluster::workerExited, cluster, [=] {
        QTimer::singleShot(0, cluster, [=] {
            if (*stopping || supervisor->isShuttingDown())
                return;
            if (supervisor->respawn() && !supervisor->hasGivenUp())
                return;
            const auto all = cluster->workers();
            for (Worker *worker : all)
                if (!worker->isDead())
                    return;
            *stopping = true;
            if (supervisor->hasGivenUp())
                writeLine(Err, QStringLiteral("cluster-run: the workers keep crashing; giving up"));
            else if (!json)
                writeLine(Out, QStringLiteral("cluster-run: no worker left"));
            QCoreApplication::exit(*allExitedWell && !supervisor->hasGivenUp() ? 0 : 1);
        });
    });
}

void printStart(
    const RunnerOptions &options, Cluster *cluster, ControlServer *control, MetricsServer *metrics)
{
    const QString metricsUrl = metrics ? QStringLiteral("http://%1:%2/metrics")
                                             .arg(metrics->serverAddress().toString())
                                             .arg(metrics->serverPort())
                                       : QString();
    QStringList inherited;
    const auto sockets = SocketActivation::inheritedSockets();
    for (const Address &address : sockets)
        inherited.append(address.toString());
    const QString policy = schedulingPolicyName(cluster->schedulingPolicy());
    if (options.json) {
        writeJson(QJsonObject {
            { QStringLiteral("event"), QStringLiteral("start") },
            { QStringLiteral("pid"), QCoreApplication::applicationPid() },
            { QStringLiteral("exec"), options.program },
            { QStringLiteral("args"), QJsonArray::fromStringList(options.arguments) },
            { QStringLiteral("workers"), options.workers },
            { QStringLiteral("policy"), policy },
            { QStringLiteral("control"), control ? QJsonValue(control->name()) : QJsonValue() },
            { QStringLiteral("metrics"), metrics ? QJsonValue(metricsUrl) : QJsonValue() },
            { QStringLiteral("inheritedSockets"), QJsonArray::fromStringList(inherited) },
        });
        return;
    }
    writeLine(Out,
        QStringLiteral("cluster-run: primary %1 runs %2 with %3 workers (policy %4)%5")
            .arg(QCoreApplication::applicationPid())
            .arg(QFileInfo(options.program).fileName())
            .arg(options.workers)
            .arg(policy,
                control ? QStringLiteral(", control endpoint %1").arg(control->name())
                        : QString()));
    if (metrics)
        writeLine(Out, QStringLiteral("cluster-run: metrics on %1").arg(metricsUrl));
    if (!inherited.isEmpty())
        writeLine(Out,
            QStringLiteral("cluster-run: sockets from the service manager: %1")
                .arg(inherited.join(QStringLiteral(", "))));
}

// Everything printed goes to `path` from now on; SIGUSR1 opens it again, so that a file moved
// away (logrotate) is followed by a new one at the same path.
bool openLogFile(const QString &path)
{
    QString error;
    if (!OutputWriter::instance()->redirectToFile(path, &error)) {
        printLine(stderr, QStringLiteral("cluster-run: %1").arg(error));
        return false;
    }
    return true;
}

// SIGUSR1 re-opens the log file (`path`). Without one it is said and ignored: a logrotate rule
// written for another unit must not end a cluster whose output goes to the journal, as the
// signal's default action would.
void reopenLogFileOnSigusr1(const QString &path)
{
    SignalHandler *handler = SignalHandler::instance();
    handler->watchSignal(SIGUSR1);
    QObject::connect(handler, &SignalHandler::signalReceived, handler, [path](int signal) {
        if (signal != SIGUSR1)
            return;
        if (path.isEmpty()) {
            writeLine(Err,
                QStringLiteral("cluster-run: SIGUSR1 re-opens the log file, and there is none "
                               "(--log-file); nothing to do"));
            return;
        }
        QString error;
        if (OutputWriter::instance()->redirectToFile(path, &error))
            writeLine(Out, QStringLiteral("cluster-run: re-opened the log file %1").arg(path));
        else
            writeLine(Err,
                QStringLiteral("cluster-run: %1; writing on to the file opened before").arg(error));
    });
}

int runCluster(const QStringList &arguments, const RunnerOptions &options)
{
    // The library applies a user or group only for a primary that runs as root; anything else
    // would run the workers as someone the operator did not ask for.
    if ((options.uid >= 0 && uid_t(options.uid) != ::getuid())
        || (options.gid >= 0 && gid_t(options.gid) != ::getgid())) {
        if (::geteuid() != 0) {
            printLine(stderr,
                QStringLiteral("cluster-run: only root can run the workers as another user or "
                               "group (--user, --group)"));
            return 1;
        }
    }
    // From here on this is a primary: nothing it prints may hold up its event loop, Qt's own
    // messages included.
    OutputWriter::installMessageHandler();
    if (!options.logFile.isEmpty() && !openLogFile(options.logFile))
        return 1;
    reopenLogFileOnSigusr1(options.logFile);
    Cluster *cluster = Cluster::instance();
    cluster->setupPrimary(options.settings());
    auto *supervisor = new Supervisor(cluster, cluster);
    options.configure(supervisor);
    supervisor->setHandleTerminationSignals(true, options.shutdownTimeout);

    auto *stream = new EventStream(cluster, supervisor, cluster);
    MetricsServer *metrics = nullptr;
    if (!options.metrics.isEmpty()) {
        QHostAddress address;
        quint16 port = 0;
        MetricsServer::parseAddress(options.metrics, &address, &port);
        metrics = new MetricsServer(cluster, supervisor, cluster);
        if (!metrics->listen(address, port)) {
            writeLine(Err, QStringLiteral("cluster-run: %1").arg(metrics->errorString()));
            return 1;
        }
    }
    std::unique_ptr<ControlServer> control;
    if (!options.control.isEmpty()) {
        control = std::make_unique<ControlServer>(cluster, supervisor);
        control->setShutdownTimeout(options.shutdownTimeout);
        control->setShutdownQuitsApplication(true);
        if (!control->listen(options.control)) {
            writeLine(Err,
                QStringLiteral("cluster-run: cannot open the control endpoint: %1")
                    .arg(control->errorString()));
            return control->error() == ControlServer::InvalidNameError ? 2 : 1;
        }
        if (!options.json)
            printCommands(control.get());
    }
    printEvents(stream, options.json);
    auto *reloader = new Reloader(arguments, options, supervisor, control.get(), cluster);
    // Without a file, SIGHUP keeps its meaning for a program in a terminal: the terminal is gone.
    if (!options.configFile.isEmpty())
        reloader->watchHangUp();
    if (control)
        control->setCommandHandler(QStringLiteral("reload"),
            [reloader](const QJsonObject &) { return reloader->reload(); });
    if (!control)
        stopWhenNoWorkerIsLeft(supervisor, options.json);
    printStart(options, cluster, control.get(), metrics);
    supervisor->scaleTo(options.workers);
    return QCoreApplication::exec();
}

} // namespace

int run(const QStringList &arguments)
{
    const RunnerOptions::Result parsed = RunnerOptions::parse(arguments);
    if (!parsed.ok())
        return reportError(parsed);
    if (parsed.options.action == RunnerOptions::RunAll)
        return ClusterGroup::run(arguments, parsed.options);
    if (parsed.options.action != RunnerOptions::Run) {
        printLine(stdout, parsed.options.text);
        return 0;
    }
    return runCluster(arguments, parsed.options);
}

} // namespace Runner
