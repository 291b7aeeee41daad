// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Owns the cluster the monitor runs itself and carries out the operator's commands on it.
#pragma once

#include "clusterconfig.h"
#include "clustersource.h"

#include <libcluster/cluster.h>

#include <QCborValue>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QSet>

class QTimer;

namespace LibCluster {
class ControlServer;
class MetricsServer;
class Supervisor;
} // namespace LibCluster

namespace Monitor {

// The ClusterSource of a cluster in this process. One Cluster at a time. A new configuration
// needs a new Cluster (a cluster's scheduling policy is frozen at its first fork), so start()
// stops the running one first, gracefully: its workers are asked to disconnect, and those still
// there after the grace period are killed.
//
// Each cluster is also served on a control endpoint (ClusterConfig::controlName, by default
// "monitor-<pid>"), so that `cluster-run ctl`, or another monitor, can reach it.
class ClusterController : public ClusterSource
{
    Q_OBJECT

public:
    explicit ClusterController(QObject *parent = nullptr);
    ~ClusterController() override;

    LibCluster::Cluster *cluster() const { return m_cluster; }
    ClusterConfig config() const { return m_config; }

    // How long stop() waits for workers to disconnect before it kills them.
    int gracePeriod() const { return m_gracePeriod; }
    void setGracePeriod(int msecs) { m_gracePeriod = msecs; }

    // Starts a cluster with `config.workers` workers (after stopping the current one).
    void start(const ClusterConfig &config);
    // The supervisor's graceful shutdown: every worker disconnects, the ones left after
    // gracePeriod() are killed; stopped() follows.
    void stop();

    // One more worker, through the supervisor; nullptr when none was forked at once (the
    // supervisor forks it on a later pass, or the maximum is reached: commandFailed()).
    LibCluster::Worker *fork();
    // Workers that run and have not been asked to go: not dead, not disconnecting.
    QList<LibCluster::Worker *> liveWorkers() const;
    // Sends to the workers with these ids, or to every connected worker when `ids` is empty.
    // Returns how many sends were accepted.
    int sendMessage(const QList<int> &ids, const QCborValue &message);
    using ClusterSource::sendMessage;

    // What keeps the count, respawns (ClusterConfig::respawn) and gives up on crash loops;
    // nullptr while no cluster runs.
    LibCluster::Supervisor *supervisor() const;
    // The control endpoint's server, while one is open.
    LibCluster::ControlServer *controlServer() const { return m_controlServer; }
    // Serves the cluster's metrics when the config names an address; null otherwise.
    LibCluster::MetricsServer *metricsServer() const { return m_metricsServer; }

    bool isRemote() const override { return false; }
    QList<WorkerStatus> workers() const override;
    std::optional<WorkerStatus> worker(int id) const override;
    QString program() const override { return m_config.program; }
    QString policyName() const override;
    bool capturesOutput() const override { return m_config.captureOutput; }
    QString endpointName() const override;
    int targetWorkerCount() const override;
    int liveWorkerCount() const override { return int(liveWorkers().size()); }
    int workerCount() const override;

    // A worker as the models see it.
    WorkerStatus statusOf(const LibCluster::Worker *worker) const;

Q_SIGNALS:
    // A new Cluster exists and is about to fork: attach to its signals now.
    void clusterStarted(LibCluster::Cluster *cluster);
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
    void createCluster();
    void openEndpoint();
    void closeEndpoint();
    void checkStopped();
    // workerChanged() for every worker: after a change no signal of the cluster reports.
    void reportAllWorkers();

    QPointer<LibCluster::Cluster> m_cluster;
    LibCluster::ControlServer *m_controlServer = nullptr;
    LibCluster::MetricsServer *m_metricsServer = nullptr;
    ClusterConfig m_config;
    ClusterConfig m_nextConfig;
    bool m_startAfterStop = false;
    int m_gracePeriod = 3000;
    QPointer<LibCluster::Supervisor> m_supervisor;
    bool m_starting = false;
    // Workers this window killed: their end was asked for, though a kill is not a disconnect
    // (Worker::exitedAfterDisconnect() stays false, as in Node).
    QSet<int> m_killed;
    // Since stop(): a SIGKILL after the grace period is the shutdown's.
    QElapsedTimer m_stopping;
};

} // namespace Monitor
