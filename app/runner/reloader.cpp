// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Reloader: parse again, compare, apply the difference, say what happened.
#include "reloader.h"

#include "terminal.h"

#include <libcluster/cluster.h>
#include <libcluster/controlserver.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>
#include <libcluster/supervisor.h>

#include <QDateTime>
#include <QDir>
#include <QJsonArray>

#include <csignal>

using namespace LibCluster;

Reloader::Reloader(const QStringList &arguments, const RunnerOptions &options,
    Supervisor *supervisor, ControlServer *control, QObject *parent)
    : QObject(parent)
    , m_arguments(arguments)
    , m_options(options)
    , m_supervisor(supervisor)
    , m_control(control)
{
    // A restart asked for while one runs follows it, so that every worker ends up with the
    // settings of the last reload.
    connect(m_supervisor, &Supervisor::rollingRestartFinished, this, [this] {
        if (std::exchange(m_restartAgain, false))
            m_supervisor->rollingRestart();
    });
}

void Reloader::watchHangUp()
{
    SignalHandler *handler = SignalHandler::instance();
    handler->watchSignal(SIGHUP);
    connect(handler, &SignalHandler::signalReceived, this, [this](int signal) {
        if (signal == SIGHUP)
            reload();
    });
}

namespace {

// How a reload applies a key that changed.
enum class How { RollingRestart, Scaled, AtOnce, KeptUntilRestart };

QString howName(How how)
{
    switch (how) {
    case How::RollingRestart:
        return QStringLiteral("rollingRestart");
    case How::Scaled:
        return QStringLiteral("scaled");
    case How::AtOnce:
        return QStringLiteral("applied");
    case How::KeptUntilRestart:
        break;
    }
    return QStringLiteral("keptUntilRestart");
}

QString howWords(How how)
{
    switch (how) {
    case How::RollingRestart:
        return QStringLiteral("by a rolling restart");
    case How::Scaled:
        return QStringLiteral("by scaling");
    case How::AtOnce:
        return QStringLiteral("at once");
    case How::KeptUntilRestart:
        break;
    }
    return QStringLiteral("kept as they were until cluster-run restarts");
}

// The keys whose values differ, each with how a reload applies it, in the order of --help.
QList<QPair<QString, How>> changedKeys(const RunnerOptions &before, const RunnerOptions &after)
{
    QList<QPair<QString, How>> keys;
    const auto check = [&](bool differs, const char *key, How how) {
        if (differs)
            keys.append({ QLatin1String(key), how });
    };
    check(before.program != after.program, "program", How::RollingRestart);
    check(before.arguments != after.arguments, "arguments", How::RollingRestart);
    check(before.workers != after.workers, "workers", How::Scaled);
    check(before.policy != after.policy, "policy", How::KeptUntilRestart);
    check(before.respawn != after.respawn, "respawn", How::AtOnce);
    check(before.crashLimit != after.crashLimit, "crash-limit", How::AtOnce);
    check(before.crashWindow != after.crashWindow, "crash-window", How::AtOnce);
    check(before.control != after.control, "control", How::KeptUntilRestart);
    check(before.maxMemory != after.maxMemory, "max-memory", How::AtOnce);
    check(before.maxRequests != after.maxRequests, "max-requests", How::AtOnce);
    check(before.heartbeat != after.heartbeat, "heartbeat", How::AtOnce);
    check(before.heartbeatTimeout != after.heartbeatTimeout, "heartbeat-timeout", How::AtOnce);
    check(before.disconnectTimeout != after.disconnectTimeout, "disconnect-timeout", How::AtOnce);
    check(before.shutdownTimeout != after.shutdownTimeout, "shutdown-timeout", How::AtOnce);
    check(before.listenWarning != after.listenWarning, "listen-warning", How::AtOnce);
    check(before.cwd != after.cwd, "cwd", How::RollingRestart);
    check(before.environment != after.environment, "env", How::RollingRestart);
    check(before.uid != after.uid, "user", How::RollingRestart);
    check(before.gid != after.gid, "group", How::RollingRestart);
    check(before.metrics != after.metrics, "metrics", How::KeptUntilRestart);
    check(before.logFile != after.logFile, "log-file", How::KeptUntilRestart);
    check(before.json != after.json, "json", How::KeptUntilRestart);
    return keys;
}

} // namespace

QString Reloader::reload()
{
    if (m_options.configFile.isEmpty()) {
        const QString why = QStringLiteral("cluster-run was started without --config: there is "
                                           "no file to reload");
        report(false, why, {});
        return why;
    }
    if (m_supervisor->isShuttingDown()) {
        const QString why = QStringLiteral("the cluster is shutting down");
        report(false, why, {});
        return why;
    }
    const RunnerOptions::Result result = RunnerOptions::parse(m_arguments);
    if (!result.ok()) {
        const QString why = QStringLiteral("%1 is not valid, nothing changed: %2")
                                .arg(m_options.configFile, result.error);
        report(false, why, {}, result.error);
        return why;
    }
    const QJsonArray changes = apply(result.options);
    report(true, QStringLiteral("reloaded %1").arg(m_options.configFile), changes);
    return QString();
}

QJsonArray Reloader::apply(const RunnerOptions &read)
{
    RunnerOptions next = read;
    QJsonArray changes;
    const auto keys = changedKeys(m_options, read);
    for (const auto &[key, how] : keys) {
        QJsonObject change { { QStringLiteral("key"), key },
            { QStringLiteral("how"), howName(how) } };
        if (key == QLatin1String("workers")) {
            change.insert(QStringLiteral("from"), m_supervisor->workerCount());
            change.insert(QStringLiteral("to"), read.workers);
        }
        changes.append(change);
    }
    // What needs cluster-run to restart stays as it runs (and each reload says so until then).
    next.policy = m_options.policy;
    next.control = m_options.control;
    next.metrics = m_options.metrics;
    next.logFile = m_options.logFile;
    next.json = m_options.json;

    Cluster *cluster = m_supervisor->cluster();
    Settings settings = next.settings();
    // Setting what the file no longer sets: merged settings would keep the old value.
    if (!settings.hasEnv())
        settings.setEnv(QProcessEnvironment::systemEnvironment());
    if (!settings.hasCwd())
        settings.setCwd(QDir::currentPath());
    if (!settings.hasUid())
        settings.setUid(-1);
    if (!settings.hasGid())
        settings.setGid(-1);
    if (!settings.hasListenWarningTimeout())
        settings.setListenWarningTimeout(Settings::DefaultListenWarningTimeout);
    cluster->setupPrimary(settings);
    next.configure(m_supervisor);
    m_supervisor->setHandleTerminationSignals(true, next.shutdownTimeout);
    if (m_control)
        m_control->setShutdownTimeout(next.shutdownTimeout);
    if (m_options.workersDiffer(next)) {
        if (m_supervisor->isRestarting())
            m_restartAgain = true;
        else
            m_supervisor->rollingRestart();
    }
    if (next.workers != m_supervisor->workerCount()) {
        // Also when only the running count differs (a `ctl scale` since): the file says.
        if (!keys.contains(QPair<QString, How>(QStringLiteral("workers"), How::Scaled)))
            changes.append(QJsonObject { { QStringLiteral("key"), QStringLiteral("workers") },
                { QStringLiteral("how"), howName(How::Scaled) },
                { QStringLiteral("from"), m_supervisor->workerCount() },
                { QStringLiteral("to"), next.workers } });
        // During a rolling restart, the supervisor scales once it is done.
        m_supervisor->scaleTo(next.workers);
    }
    m_options = next;
    return changes;
}

// "program, env by a rolling restart; workers 2 -> 3 by scaling; heartbeat at once"
QString Reloader::describe(const QJsonArray &changes)
{
    if (changes.isEmpty())
        return QStringLiteral("nothing changed");
    QStringList parts;
    for (const How how : { How::RollingRestart, How::Scaled, How::AtOnce, How::KeptUntilRestart }) {
        QStringList keys;
        for (const QJsonValue &value : changes) {
            const QJsonObject change = value.toObject();
            if (change.value(QLatin1String("how")).toString() != howName(how))
                continue;
            QString key = change.value(QLatin1String("key")).toString();
            if (change.contains(QLatin1String("from")))
                key += QStringLiteral(" %1 -> %2")
                           .arg(change.value(QLatin1String("from")).toInt())
                           .arg(change.value(QLatin1String("to")).toInt());
            keys.append(key);
        }
        if (!keys.isEmpty())
            parts.append(
                QStringLiteral("%1 %2").arg(keys.join(QStringLiteral(", ")), howWords(how)));
    }
    return parts.join(QStringLiteral("; "));
}

namespace {

// The reload event as clients get it: a file of many mistakes is still one line to show and the
// first of its errors, so the event stays far below what publish() takes and always arrives
// (the log keeps every error).
QJsonObject boundedForClients(QJsonObject fields)
{
    constexpr qsizetype MaxErrors = 20;
    constexpr qsizetype MaxLine = 1000; // a value quoted from a very long line
    const auto shortened = [](const QString &line) {
        return line.size() > MaxLine ? QString(line.left(MaxLine) + QStringLiteral("…")) : line;
    };
    const QString text = fields.value(QStringLiteral("text")).toString();
    const qsizetype lines = text.count(QLatin1Char('\n')) + 1;
    if (lines > 1) {
        fields.insert(QStringLiteral("text"),
            QStringLiteral("%1 (and %2 more lines)")
                .arg(shortened(text.section(QLatin1Char('\n'), 0, 0)))
                .arg(lines - 1));
    } else {
        fields.insert(QStringLiteral("text"), shortened(text));
    }
    const QJsonArray errors = fields.value(QStringLiteral("errors")).toArray();
    if (!errors.isEmpty()) {
        QJsonArray kept;
        for (qsizetype i = 0; i < errors.size() && i < MaxErrors; ++i)
            kept.append(shortened(errors.at(i).toString()));
        if (errors.size() > MaxErrors)
            fields.insert(QStringLiteral("errorsOmitted"), errors.size() - MaxErrors);
        fields.insert(QStringLiteral("errors"), kept);
    }
    if (fields.contains(QStringLiteral("error")))
        fields.insert(QStringLiteral("error"), fields.value(QStringLiteral("text")));
    return fields;
}

} // namespace

void Reloader::report(
    bool ok, const QString &text, const QJsonArray &changes, const QString &errors)
{
    // One event for the log (--json) and for the control endpoint's clients (`ctl NAME watch`,
    // the monitor).
    QJsonObject fields { { QStringLiteral("ok"), ok },
        { QStringLiteral("file"), m_options.configFile } };
    if (!m_options.configName.isEmpty())
        fields.insert(QStringLiteral("cluster"), m_options.configName);
    QString line = text;
    if (ok) {
        fields.insert(QStringLiteral("changes"), changes);
        line = QStringLiteral("%1: %2").arg(text, describe(changes));
    } else {
        fields.insert(QStringLiteral("error"), text);
        if (!errors.isEmpty())
            fields.insert(QStringLiteral("errors"),
                QJsonArray::fromStringList(errors.split(QLatin1Char('\n'))));
        fields.insert(QStringLiteral("alert"), true);
    }
    fields.insert(QStringLiteral("text"), line);
    if (m_control)
        m_control->publish(QStringLiteral("reload"), boundedForClients(fields));
    if (m_options.json) {
        QJsonObject event = fields;
        event.insert(QStringLiteral("event"), QStringLiteral("reload"));
        event.insert(QStringLiteral("time"), QDateTime::currentMSecsSinceEpoch());
        event.insert(QStringLiteral("application"), true);
        Terminal::writeJson(event);
        return;
    }
    Terminal::writeLine(ok ? OutputWriter::StandardOutput : OutputWriter::StandardError,
        QStringLiteral("cluster-run: %1").arg(line));
}
