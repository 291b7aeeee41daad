// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Reloader: re-reads cluster-run's configuration file (SIGHUP, `ctl NAME reload`) and applies
// what changed to the running cluster, as nginx and gunicorn do on SIGHUP.
#pragma once

#include "runneroptions.h"

#include <QJsonArray>
#include <QObject>
#include <QStringList>

namespace LibCluster {
class ControlServer;
class Supervisor;
} // namespace LibCluster

// What changed is applied without dropping a request: other workers (program, arguments,
// environment, working directory, user, group) by a rolling restart, the count by scaling, the
// supervisor's limits and timeouts at once. The policy, the control endpoint and --json stay as
// they are until cluster-run restarts (a policy is frozen at the first fork; the others are
// where operators are reading). An invalid file changes nothing.
class Reloader : public QObject
{
    Q_OBJECT

public:
    // `arguments`: cluster-run's command line, re-parsed on each reload so that its options
    // still override the file. Neither `supervisor` nor `control` (may be null) is owned.
    Reloader(const QStringList &arguments, const RunnerOptions &options,
        LibCluster::Supervisor *supervisor, LibCluster::ControlServer *control,
        QObject *parent = nullptr);

    // Re-reads the file and applies it; returns why nothing changed, or an empty string. Says
    // what it did on cluster-run's output either way.
    QString reload();
    // Reloads on SIGHUP.
    void watchHangUp();

    const RunnerOptions &options() const { return m_options; }

private:
    // What changed, as the "reload" event's "changes" say it: {"key", "how", "from", "to"}.
    QJsonArray apply(const RunnerOptions &next);
    static QString describe(const QJsonArray &changes);
    // Writes the outcome and publishes it as the "reload" event (docs/control-protocol.md).
    void report(
        bool ok, const QString &text, const QJsonArray &changes, const QString &errors = QString());

    QStringList m_arguments;
    RunnerOptions m_options;
    LibCluster::Supervisor *m_supervisor;
    LibCluster::ControlServer *m_control;
    bool m_restartAgain = false;
};
