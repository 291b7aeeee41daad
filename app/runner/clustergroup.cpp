// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterGroup: one cluster-run per cluster of the file, their lines prefixed with its name,
// signals passed on, failed clusters started again.
#include "clustergroup.h"

#include "terminal.h"

#include <libcluster/cluster.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>
#include <libcluster/socketactivation.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <climits>
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

using namespace LibCluster;

namespace {
// A line longer than this is written in pieces: what is held for a cluster stays bounded.
constexpr qsizetype MaxLineLength = 64 * 1024;
} // namespace

struct ClusterGroup::Child
{
    QString name;
    std::unique_ptr<QProcess> process;
    QTimer *restartTimer = nullptr;
    QElapsedTimer running; // since the last start
    QByteArray partial[2]; // by QProcess::ProcessChannel: what waits for its newline
    qint64 pid = 0;
    int failures = 0; // in a row, for the back-off
    bool failed = false; // its last end was a failure
    bool done = false; // ended with 0 by itself, or stopped: not started again
    bool removed = false; // gone from the file: stopped, then forgotten
    bool startAgain = false; // back in the file while it was stopping
    bool writesLogFile = false; // takes SIGUSR1
    int shutdownTimeout = 0;
};

ClusterGroup::ClusterGroup(
    const QStringList &arguments, const RunnerOptions &options, QObject *parent)
    : QObject(parent)
    , m_arguments(arguments)
    , m_options(options)
{
    m_killTimer = new QTimer(this);
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        for (const auto &child : std::as_const(m_children))
            if (child->process && child->process->state() != QProcess::NotRunning) {
                say(true,
                    QStringLiteral("cluster %1 (pid %2) has not stopped in time: killing it")
                        .arg(child->name)
                        .arg(child->pid),
                    { { QStringLiteral("event"), QStringLiteral("clusterKilled") },
                        { QStringLiteral("cluster"), child->name },
                        { QStringLiteral("pid"), child->pid } });
                child->process->kill();
            }
    });
}

ClusterGroup::~ClusterGroup()
{
    // Children that still run (never on the way out of run()) are not left behind.
    for (const auto &child : std::as_const(m_children))
        if (child->process && child->process->state() != QProcess::NotRunning) {
            child->process->kill();
            child->process->waitForFinished(1000);
        }
}

int ClusterGroup::run(const QStringList &arguments, const RunnerOptions &options)
{
    // Nothing this process prints may hold up its event loop, nor Qt's own messages.
    OutputWriter::installMessageHandler();
    ClusterGroup group(arguments, options);
    // The clusters' own settings decide whether they print JSON; this process follows when all
    // of them do.
    group.m_json = true;
    for (const QString &name : options.clusters) {
        const std::optional<RunnerOptions> child = group.childOptions(name);
        group.m_json = group.m_json && child && child->json;
    }
    SignalHandler *handler = SignalHandler::instance();
    for (const int signal : { SIGTERM, SIGINT, SIGHUP, SIGUSR1 })
        handler->watchSignal(signal);
    connect(handler, &SignalHandler::signalReceived, &group, &ClusterGroup::signalReceived);
    group.say(false,
        QStringLiteral("running the %1 clusters of %2: %3")
            .arg(options.clusters.size())
            .arg(options.configFile, options.clusters.join(QStringLiteral(", "))),
        { { QStringLiteral("event"), QStringLiteral("group") },
            { QStringLiteral("pid"), QCoreApplication::applicationPid() },
            { QStringLiteral("file"), options.configFile },
            { QStringLiteral("clusters"), QJsonArray::fromStringList(options.clusters) } });
    // The library took them at load, close-on-exec: no cluster-run started here gets them.
    const QList<Address> sockets = SocketActivation::inheritedSockets();
    if (!sockets.isEmpty()) {
        QStringList addresses;
        for (const Address &address : sockets)
            addresses.append(address.toString());
        group.say(true,
            QStringLiteral("the sockets of the service manager (%1) reach no cluster when "
                           "cluster-run runs several: give the cluster that needs them a unit "
                           "of its own (--config FILE NAME)")
                .arg(addresses.join(QStringLiteral(", "))),
            { { QStringLiteral("event"), QStringLiteral("socketsUnused") },
                { QStringLiteral("sockets"), QJsonArray::fromStringList(addresses) } });
    }
    for (const QString &name : options.clusters)
        group.addCluster(name);
    return QCoreApplication::exec();
}

QStringList ClusterGroup::childArguments(const QString &name) const
{
    // NAME follows FILE: before the "--" of -- PROGRAM [ARGS...] when there is one, else last.
    QStringList arguments = m_arguments.mid(1);
    const qsizetype dashes = arguments.indexOf(QStringLiteral("--"));
    arguments.insert(dashes >= 0 ? dashes : arguments.size(), name);
    return arguments;
}

std::optional<RunnerOptions> ClusterGroup::childOptions(const QString &name) const
{
    const RunnerOptions::Result result
        = RunnerOptions::parse(QStringList { m_arguments.value(0) } + childArguments(name));
    if (!result.ok())
        return std::nullopt;
    return result.options;
}

void ClusterGroup::addCluster(const QString &name)
{
    auto child = std::make_shared<Child>();
    child->name = name;
    child->restartTimer = new QTimer(this);
    child->restartTimer->setSingleShot(true);
    Child *raw = child.get();
    connect(child->restartTimer, &QTimer::timeout, this, [this, raw] { startChild(raw); });
    m_children.insert(name, child);
    if (!m_order.contains(name))
        m_order.append(name);
    startChild(raw);
}

void ClusterGroup::startChild(Child *child)
{
    if (m_stopping) {
        child->done = true; // stopping: what has not started stays down
        return;
    }
    if (const std::optional<RunnerOptions> options = childOptions(child->name)) {
        child->writesLogFile = !options->logFile.isEmpty();
        child->shutdownTimeout = options->shutdownTimeout;
    }
    child->done = false;
    child->partial[0].clear();
    child->partial[1].clear();
    child->process = std::make_unique<QProcess>();
    QProcess *process = child->process.get();
    process->setProgram(QCoreApplication::applicationFilePath());
    process->setArguments(childArguments(child->name));
    process->setStandardInputFile(QProcess::nullDevice());
    // A cluster never outlives this process: killed, it takes them down gracefully. If it died
    // before the request took effect, the new process ends at once instead of running orphaned.
    const pid_t parent = ::getpid();
    process->setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
    connect(process, &QProcess::readyReadStandardOutput, this,
        [this, child] { readOutput(child, QProcess::StandardOutput, false); });
    connect(process, &QProcess::readyReadStandardError, this,
        [this, child] { readOutput(child, QProcess::StandardError, false); });
    connect(
        process, &QProcess::finished, this, [this, child](int code, QProcess::ExitStatus status) {
            childFinished(child, code, status);
        });
    connect(process, &QProcess::errorOccurred, this, [this, child](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            say(true,
                QStringLiteral("cluster %1 could not be started: %2")
                    .arg(child->name, child->process ? child->process->errorString() : QString()),
                { { QStringLiteral("event"), QStringLiteral("clusterFailedToStart") },
                    { QStringLiteral("cluster"), child->name } });
            childFinished(child, 127, QProcess::NormalExit);
        }
    });
    child->pid = 0; // no pid of an earlier run in what is said of this one
    child->running.start();
    process->start();
    child->pid = process->processId();
    if (child->pid > 0)
        say(false, QStringLiteral("cluster %1 started (pid %2)").arg(child->name).arg(child->pid),
            { { QStringLiteral("event"), QStringLiteral("clusterStarted") },
                { QStringLiteral("cluster"), child->name },
                { QStringLiteral("pid"), child->pid } });
}

void ClusterGroup::readOutput(Child *child, QProcess::ProcessChannel channel, bool flush)
{
    QProcess *process = child->process.get();
    QByteArray &partial = child->partial[channel];
    process->setReadChannel(channel);
    partial += process->readAll();
    const OutputWriter::Stream stream = channel == QProcess::StandardOutput
        ? OutputWriter::StandardOutput
        : OutputWriter::StandardError;
    const auto write = [&](const QByteArray &line) {
        // A JSON line stays one: it says its cluster in a field of its own.
        if (line.startsWith('{')) {
            QJsonObject object = QJsonDocument::fromJson(line).object();
            if (!object.isEmpty()) {
                object.insert(QStringLiteral("cluster"), child->name);
                OutputWriter::instance()->write(stream,
                    QByteArray(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'));
                return;
            }
        }
        OutputWriter::instance()->write(
            stream, QByteArray(child->name.toUtf8() + " | " + line + '\n'));
    };
    qsizetype start = 0;
    qsizetype newline;
    while ((newline = partial.indexOf('\n', start)) >= 0) {
        write(partial.mid(start, newline - start));
        start = newline + 1;
    }
    partial.remove(0, start);
    while (partial.size() > MaxLineLength) {
        write(partial.left(MaxLineLength));
        partial.remove(0, MaxLineLength);
    }
    if (flush && !partial.isEmpty()) {
        write(partial);
        partial.clear();
    }
}

void ClusterGroup::childFinished(Child *child, int exitCode, QProcess::ExitStatus status)
{
    // Already handled: FailedToStart, then finished, or the other way round.
    if (!child->process || child->restartTimer->isActive() || child->done)
        return;
    readOutput(child, QProcess::StandardOutput, true);
    readOutput(child, QProcess::StandardError, true);
    const bool crashed = status == QProcess::CrashExit;
    const int signal = crashed ? exitCode : 0;
    child->failed = crashed || exitCode != 0;
    const QString how = crashed
        ? QStringLiteral("was killed by %1").arg(Cluster::signalName(signal))
        : QStringLiteral("exited with code %1").arg(exitCode);
    QJsonObject event { { QStringLiteral("event"), QStringLiteral("clusterExited") },
        { QStringLiteral("cluster"), child->name }, { QStringLiteral("pid"), child->pid },
        { QStringLiteral("code"), crashed ? -1 : exitCode }, { QStringLiteral("signal"), signal },
        { QStringLiteral("signalName"), Cluster::signalName(signal) } };
    // The QProcess goes once its signal has returned.
    child->process.release()->deleteLater();
    const QString name = child->name;
    if (m_stopping || child->removed) {
        say(child->failed,
            QStringLiteral("cluster %1 (pid %2) %3").arg(name).arg(child->pid).arg(how), event);
        child->done = true;
        if (child->removed) {
            m_failed = m_failed || child->failed;
            // Not erased here: the lambdas of its QProcess still refer to it until deleteLater.
            // Whether it starts again is decided then: a reload or a stop may come in between.
            QTimer::singleShot(0, this, [this, name] {
                const std::shared_ptr<Child> gone = m_children.value(name);
                if (!gone || !gone->removed || gone->process)
                    return;
                m_children.remove(name);
                delete gone->restartTimer;
                if (gone->startAgain && !m_stopping)
                    addCluster(name);
                else
                    m_order.removeAll(name);
                finishIfDone();
            });
            return;
        }
        finishIfDone();
        return;
    }
    if (!child->failed) {
        say(false,
            QStringLiteral("cluster %1 (pid %2) ended with code 0: it is done")
                .arg(name)
                .arg(child->pid),
            event);
        child->done = true;
        finishIfDone();
        return;
    }
    // A cluster that served for a while before it failed starts over with the shortest delay.
    if (child->running.elapsed() >= MaxBackoff)
        child->failures = 0;
    const int delay
        = int(qMin<qint64>(qint64(InitialBackoff) << qMin(child->failures, 16), MaxBackoff));
    ++child->failures;
    event.insert(QStringLiteral("restartIn"), delay);
    say(true,
        QStringLiteral("cluster %1 (pid %2) %3 unexpectedly; starting it again in %4 ms")
            .arg(name)
            .arg(child->pid)
            .arg(how)
            .arg(delay),
        event);
    child->restartTimer->start(delay);
}

void ClusterGroup::signalReceived(int signal)
{
    switch (signal) {
    case SIGHUP:
        reload();
        break;
    case SIGUSR1:
        // Only to clusters that write a log file: the others have nothing to re-open.
        for (const auto &child : std::as_const(m_children))
            if (child->writesLogFile && child->process && child->pid > 0)
                ::kill(pid_t(child->pid), SIGUSR1);
        break;
    case SIGTERM:
    case SIGINT:
        shutDown(signal);
        break;
    default:
        break;
    }
}

void ClusterGroup::reload()
{
    if (m_stopping)
        return;
    const RunnerOptions::Result result = RunnerOptions::parse(m_arguments);
    QStringList names;
    QString why;
    if (!result.ok())
        why = result.error;
    else if (result.options.action == RunnerOptions::RunAll)
        names = result.options.clusters;
    else if (!result.options.configName.isEmpty())
        names = QStringList { result.options.configName };
    else
        why = QStringLiteral("it has no [NAME] sections any more (restart cluster-run to run it)");
    if (!why.isEmpty()) {
        say(true,
            QStringLiteral("%1 is not valid, nothing changed: %2").arg(m_options.configFile, why),
            { { QStringLiteral("event"), QStringLiteral("reload") },
                { QStringLiteral("ok"), false }, { QStringLiteral("file"), m_options.configFile },
                { QStringLiteral("error"), why } });
        return;
    }
    QStringList added;
    QStringList removed;
    QStringList reloaded;
    const QStringList running = m_order;
    for (const QString &name : running) {
        const std::shared_ptr<Child> child = m_children.value(name);
        if (!child || names.contains(name))
            continue;
        removed.append(name);
        child->removed = true;
        child->startAgain = false;
        child->restartTimer->stop();
        if (child->process && child->pid > 0) {
            ::kill(pid_t(child->pid), SIGTERM);
        } else {
            // Waiting to start again, or done: nothing runs.
            m_children.remove(name);
            delete child->restartTimer;
            m_order.removeAll(name);
        }
    }
    for (const QString &name : std::as_const(names)) {
        const std::shared_ptr<Child> child = m_children.value(name);
        if (!child) {
            added.append(name);
            addCluster(name);
        } else if (child->removed) {
            // Removed by an earlier reload and still stopping: it starts again once it is gone.
            added.append(name);
            child->startAgain = true;
        } else if (child->process && child->pid > 0) {
            reloaded.append(name);
            // The cluster applies a new shutdown-timeout at once: so does the bound on its stop.
            if (const std::optional<RunnerOptions> options = childOptions(name))
                child->shutdownTimeout = options->shutdownTimeout;
            ::kill(pid_t(child->pid), SIGHUP);
        } else {
            // Failed and waiting, or done: the file may have what it needed.
            added.append(name);
            child->restartTimer->stop();
            child->failures = 0;
            startChild(child.get());
        }
    }
    m_order = names + m_order;
    m_order.removeDuplicates();
    QStringList parts;
    if (!added.isEmpty())
        parts.append(QStringLiteral("started %1").arg(added.join(QStringLiteral(", "))));
    if (!removed.isEmpty())
        parts.append(QStringLiteral("stopping %1").arg(removed.join(QStringLiteral(", "))));
    if (!reloaded.isEmpty())
        parts.append(QStringLiteral("reloading %1").arg(reloaded.join(QStringLiteral(", "))));
    say(false,
        QStringLiteral("reloaded %1: %2")
            .arg(m_options.configFile, parts.join(QStringLiteral("; "))),
        { { QStringLiteral("event"), QStringLiteral("reload") }, { QStringLiteral("ok"), true },
            { QStringLiteral("file"), m_options.configFile },
            { QStringLiteral("started"), QJsonArray::fromStringList(added) },
            { QStringLiteral("stopping"), QJsonArray::fromStringList(removed) },
            { QStringLiteral("reloading"), QJsonArray::fromStringList(reloaded) } });
}

void ClusterGroup::shutDown(int signal)
{
    const bool first = !m_stopping;
    m_stopping = true;
    qint64 timeout = 0;
    bool unbounded = false; // a cluster with shutdown-timeout 0 waits for its workers however long
    for (const auto &child : std::as_const(m_children)) {
        if (child->restartTimer->isActive()) {
            // Its last end was a failure, and it will not start again.
            child->restartTimer->stop();
            child->done = true;
        }
        if (child->process && child->pid > 0) {
            ::kill(pid_t(child->pid), signal);
            unbounded = unbounded || child->shutdownTimeout <= 0;
            timeout = qMax<qint64>(timeout, child->shutdownTimeout);
        }
    }
    if (first) {
        say(false,
            QStringLiteral("received %1: stopping every cluster").arg(Cluster::signalName(signal)),
            { { QStringLiteral("event"), QStringLiteral("groupStopping") },
                { QStringLiteral("signal"), signal } });
        if (!unbounded)
            m_killTimer->start(int(qMin<qint64>(timeout + ShutdownGrace, INT_MAX)));
    }
    finishIfDone();
}

void ClusterGroup::finishIfDone()
{
    bool failed = m_failed;
    for (const auto &child : std::as_const(m_children)) {
        if (child->process || child->restartTimer->isActive() || !child->done)
            return;
        failed = failed || child->failed;
    }
    m_killTimer->stop();
    say(failed,
        failed ? QStringLiteral("every cluster has ended; at least one failed")
               : QStringLiteral("every cluster has ended"),
        { { QStringLiteral("event"), QStringLiteral("groupFinished") },
            { QStringLiteral("ok"), !failed } });
    QCoreApplication::exit(failed ? 1 : 0);
}

void ClusterGroup::say(bool error, const QString &text, const QJsonObject &event)
{
    if (m_json) {
        QJsonObject object = event;
        object.insert(QStringLiteral("time"), QDateTime::currentMSecsSinceEpoch());
        Terminal::writeJson(object);
        return;
    }
    Terminal::writeLine(error ? OutputWriter::StandardError : OutputWriter::StandardOutput,
        QStringLiteral("%1 cluster-run: %2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss.zzz")), text));
}
