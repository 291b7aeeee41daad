// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What the monitor starts a cluster with: program, arguments, worker count, policy, capture, and
// the name of its control endpoint; cluster-run's options (RunnerOptions) seen through a form.
#pragma once

#include "runneroptions.h"

#include <libcluster/schedulingpolicy.h>
#include <libcluster/supervisor.h>

#include <QString>
#include <QStringList>

#include <limits>

class QSettings;

namespace Monitor {

struct ClusterConfig
{
    QString program;
    QStringList arguments;
    int workers = 1;
    LibCluster::SchedulingPolicy policy = LibCluster::SchedulingPolicy::RoundRobin;
    // Settings::silent(): the workers' stdout and stderr are captured and shown per worker.
    bool captureOutput = true;
    // The control endpoint the cluster is served on; empty: defaultControlName().
    QString controlName;
    // Supervisor::setRespawn() and setCrashLimit(): replace workers that exit unasked, and give
    // up on a crash loop. On by default, as operators of process managers expect.
    bool respawn = true;
    int crashLimit = LibCluster::Supervisor::DefaultCrashLimit;
    int crashWindow = LibCluster::Supervisor::DefaultCrashWindow; // ms
    // cluster-run's --shutdown-timeout and --disconnect-timeout (0: wait for ever), in ms.
    int shutdownTimeout = DefaultTimeout;
    int disconnectTimeout = DefaultTimeout;
    // cluster-run's --max-memory (bytes) and --max-requests; 0: no limit.
    qint64 memoryLimit = 0;
    qint64 requestLimit = 0;
    // cluster-run's --metrics: where MetricsServer serves /metrics, /healthz and /readyz, as
    // MetricsServer::parseAddress() reads it; empty: off.
    QString metricsAddress;
    // The rest of cluster-run's options, which the New Cluster dialog has no field for (the
    // workers' environment, working directory, user and group, heartbeat, listen warning, log
    // file, JSON output), as a configuration file gave them, and the file and cluster it came
    // from: kept so that Save writes them back. The fields above win over theirs.
    RunnerOptions fileOptions;

    // cluster-run's default for both timeouts, and the bounds of what the dialog takes (the
    // timeouts' is cluster-run's).
    static constexpr int DefaultTimeout = 10000;
    static constexpr int MaxTimeout = std::numeric_limits<int>::max();
    static constexpr qint64 MaxMemoryLimit = qint64(1) << 40; // 1 TiB
    static constexpr qint64 MaxRequestLimit = 1000000000;

    // The embedded default: hello-http workers, one per core, on `port`, round-robin.
    static ClusterConfig defaults(quint16 port = 8000);
    // hello-http next to this program, else on PATH, else the bare name (start-up then fails
    // with a clear error in the event log).
    static QString helloHttpPath();

    // The last choice made in the New cluster dialog; defaults() when there is none. Of
    // fileOptions only the file and cluster are remembered: load() reads the rest from there
    // again (nothing if the file is gone or no longer valid).
    static ClusterConfig load(QSettings &settings);
    void save(QSettings &settings) const;

    // The one mapping between the two descriptions of a cluster: what a configuration file says
    // (RunnerOptions::fromConfigFile()) as this form, and back (RunnerOptions::toConfigText()).
    // captureOutput, which cluster-run has no option for, is left at its default.
    static ClusterConfig fromRunnerOptions(const RunnerOptions &options);
    RunnerOptions toRunnerOptions() const;
    // The keys of fileOptions that differ from cluster-run's defaults: those the monitor applies
    // when it starts the cluster (environment, working directory, heartbeat, listen warning),
    // and those only cluster-run does (user, group, log file, JSON output).
    QStringList appliedFileKeys() const;
    QStringList unappliedFileKeys() const;

    // "--port" followed by a number in the arguments, as hello-http takes it; 0 when absent.
    quint16 portArgument() const;

    // Whether `name` may name a control endpoint: 1 to 64 of A-Z a-z 0-9 . _ -, not starting
    // with a dot (docs/control-protocol.md).
    static bool isValidEndpointName(const QString &name);
    // "monitor-<pid of this process>".
    static QString defaultControlName();

    bool operator==(const ClusterConfig &other) const;
    bool operator!=(const ClusterConfig &other) const { return !(*this == other); }
};

} // namespace Monitor
