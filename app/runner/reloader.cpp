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
        report(false, why, {});
        return why;
    }
    const QStringList changes = apply(result.options);
    report(true, QStringLiteral("reloaded %1").arg(m_options.configFile), changes);
    return QString();
}

QStringList Reloader::apply(const RunnerOptions &read)
{
    RunnerOptions next = read;
    QStringList changes;
    const auto keep = [&](auto RunnerOptions::*field, const QString &name) {
        if (next.*field != m_options.*field) {
            next.*field = m_options.*field;
            changes.append(QStringLiteral("%1 unchanged until cluster-run restarts").arg(name));
        }
    };
    keep(&RunnerOptions::policy, QStringLiteral("policy"));
    keep(&RunnerOptions::control, QStringLiteral("control"));
    keep(&RunnerOptions::metrics, QStringLiteral("metrics"));
    keep(&RunnerOptions::logFile, QStringLiteral("log-file"));
    keep(&RunnerOptions::json, QStringLiteral("json"));

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
        changes.append(QStringLiteral("rolling restart for the new workers"));
        if (m_supervisor->isRestarting())
            m_restartAgain = true;
        else
            m_supervisor->rollingRestart();
    }
    if (next.workers != m_supervisor->workerCount()) {
        changes.append(
            QStringLiteral("workers %1 -> %2").arg(m_supervisor->workerCount()).arg(next.workers));
        // During a rolling restart, the supervisor scales once it is done.
        m_supervisor->scaleTo(next.workers);
    }
    m_options = next;
    return changes;
}

void Reloader::report(bool ok, const QString &text, const QStringList &changes)
{
    if (m_options.json) {
        QJsonObject event { { QStringLiteral("event"), QStringLiteral("reload") },
            { QStringLiteral("ok"), ok }, { QStringLiteral("file"), m_options.configFile } };
        if (ok)
            event.insert(QStringLiteral("changes"), QJsonArray::fromStringList(changes));
        else
            event.insert(QStringLiteral("error"), text);
        Terminal::writeJson(event);
        return;
    }
    Terminal::writeLine(ok ? OutputWriter::StandardOutput : OutputWriter::StandardError,
        QStringLiteral("cluster-run: %1%2")
            .arg(text,
                changes.isEmpty()
                    ? QString()
                    : QStringLiteral(": %1").arg(changes.join(QStringLiteral("; ")))));
}
