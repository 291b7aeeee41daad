// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Owns the cluster the monitor runs itself and carries out the operator's commands on it.
#pragma once

#include "clusterconfig.h"
#include "clustersource.h"

#include <QMap>

#include <functional>

class QThread;

namespace Monitor {

class ClusterHost;

// The ClusterSource of a cluster in this process. One Cluster at a time. A new configuration
// needs a new Cluster (a cluster's scheduling policy is frozen at its first fork), so start()
// stops the running one first, gracefully: its workers are asked to disconnect, and those still
// there after the grace period are killed.
//
// The cluster runs in a thread of its own, in a ClusterHost: its workers' channels, output and
// exits are read there, away from the window's painting. This object, in the thread that made
// it, keeps what the host reported (workers(), port(), ...) and hands the commands over.
//
// Each cluster is also served on a control endpoint (ClusterConfig::controlName, by default
// "monitor-<pid>"), so that `cluster-run ctl`, or another monitor, can reach it.
class ClusterController : public ClusterSource
{
    Q_OBJECT

public:
    explicit ClusterController(QObject *parent = nullptr);
    // Stops the cluster's thread; the Cluster's destructor closes every channel, and the workers
    // then exit on their own.
    ~ClusterController() override;

    ClusterConfig config() const { return m_config; }

    // How long stop() waits for workers to disconnect before it kills them.
    int gracePeriod() const { return m_gracePeriod; }
    void setGracePeriod(int msecs) { m_gracePeriod = msecs; }

    // Starts a cluster with `config.workers` workers (after stopping the current one).
    void start(const ClusterConfig &config);
    // The supervisor's graceful shutdown: every worker disconnects, the ones left after
    // gracePeriod() are killed; stopped() follows.
    void stop();

    // Runs `function` in the cluster's thread, with the host that owns the library's objects,
    // and returns once it has run: for code that must see those objects themselves. Does
    // nothing once the thread has ended.
    void inspect(const std::function<void(Monitor::ClusterHost *host)> &function) const;

    // Kills every worker with `signal` at once, while the cluster runs or stops, without
    // logging each: a second Ctrl-C.
    void killAll(int signal);

    bool isRemote() const override { return false; }
    QList<WorkerStatus> workers() const override;
    std::optional<WorkerStatus> worker(int id) const override;
    QString program() const override { return m_config.program; }
    QString policyName() const override { return m_policy; }
    bool capturesOutput() const override { return m_config.captureOutput; }
    QString endpointName() const override { return m_endpointName; }
    int targetWorkerCount() const override;

Q_SIGNALS:
    // A new cluster is about to start.
    void clusterStarted();
    void stopped();

protected:
    void doFork() override;
    void doScaleTo(int count) override;
    void doDisconnectWorker(int id) override;
    void doKillWorker(int id, int signal) override;
    void doSendMessage(
        const QList<int> &ids, const QCborValue &message, const SendHandler &done) override;
    void doDisconnectAll() override;
    void doRollingRestart() override;
    void doResume() override;

private:
    void connectHost();
    void onHostStopped();
    // Runs `function` in the cluster's thread, later.
    void post(const std::function<void(Monitor::ClusterHost *host)> &function);

    QThread *m_thread = nullptr;
    ClusterHost *m_host = nullptr;
    ClusterConfig m_config;
    ClusterConfig m_nextConfig;
    bool m_startAfterStop = false;
    int m_gracePeriod = 3000;
    // What the host reported of the running cluster: its workers that have not exited, by id.
    QMap<int, WorkerStatus> m_workers;
    QString m_policy;
    QString m_endpointName;
    int m_target = 0;
};

} // namespace Monitor
