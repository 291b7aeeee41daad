// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterGroup: `cluster-run --config FILE` for a file of several clusters runs every one of
// them, as supervisord runs every program of its file.
#pragma once

#include "runneroptions.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

#include <memory>
#include <optional>

class QTimer;

// Each cluster runs in a cluster-run of its own (`--config FILE NAME`), so that it keeps its own
// primary, control endpoint, signals and reload. This process only passes signals on, prefixes
// the lines of each with its name ("web | ..."; a JSON line gets "cluster": NAME), and starts a
// cluster again when it fails.
//
// SIGTERM and SIGINT go to every cluster (a graceful shutdown each); SIGUSR1 to those that write
// a log file; SIGHUP re-reads the file: clusters added start, clusters removed stop gracefully,
// the others get SIGHUP and reload themselves. An invalid file changes nothing.
//
// A cluster that exits non-zero or is killed is reported and started again after a back-off (1 s,
// doubling to 60 s; back to 1 s once it has run for 60 s): the other clusters keep serving, as
// under supervisord's autorestart. One that ends with 0 by itself is done. The group ends when
// every cluster has, with 0 if each ended with 0, else 1.
class ClusterGroup : public QObject
{
    Q_OBJECT

public:
    // Back-off before a failed cluster starts again: the first, and the most.
    static constexpr int InitialBackoff = 1000;
    static constexpr int MaxBackoff = 60000;
    // How long the group waits for its clusters past their own shutdown timeout before it kills
    // what is left.
    static constexpr int ShutdownGrace = 5000;

    // `arguments`: cluster-run's command line (the program first), `options` what it parsed to
    // (RunnerOptions::RunAll).
    ClusterGroup(
        const QStringList &arguments, const RunnerOptions &options, QObject *parent = nullptr);
    ~ClusterGroup() override;

    // Runs every cluster until they have all ended; the exit code.
    static int run(const QStringList &arguments, const RunnerOptions &options);

private:
    struct Child;

    // The command line of the cluster `name`: this one with NAME after FILE.
    QStringList childArguments(const QString &name) const;
    // The options `name` runs with, or nothing if they cannot be read.
    std::optional<RunnerOptions> childOptions(const QString &name) const;
    void addCluster(const QString &name);
    void startChild(Child *child);
    void readOutput(Child *child, QProcess::ProcessChannel channel, bool flush);
    void childFinished(Child *child, int exitCode, QProcess::ExitStatus status);
    void signalReceived(int signal);
    void reload();
    void shutDown(int signal);
    void finishIfDone();
    void say(bool error, const QString &text, const QJsonObject &event);

    QStringList m_arguments;
    RunnerOptions m_options;
    QHash<QString, std::shared_ptr<Child>> m_children;
    QStringList m_order; // the names in the file's order
    bool m_json = false;
    bool m_stopping = false;
    bool m_failed = false;
    QTimer *m_killTimer = nullptr;
};
