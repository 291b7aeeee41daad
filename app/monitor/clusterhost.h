// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The cluster the monitor runs itself, in the thread that serves it.
#pragma once

#include "clusterconfig.h"
#include "workerevents.h"
#include "workerstatus.h"

#include <libcluster/address.h>
#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/supervisor.h>
#include <libcluster/worker.h>

#include <QCborValue>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace LibCluster {
class ControlServer;
class MetricsServer;
} // namespace LibCluster

namespace Monitor {

// Owns the library's objects of the monitor's own cluster: the Cluster, its Supervisor, its
// control endpoint and metrics server, one cluster at a time. It lives in a thread of its own
// (ClusterController's): the workers' channels, output and process descriptors are polled
// there, so a storm of messages never holds up the window's painting, and a busy window never
// holds up the workers' connections.
//
// Everything here is called in that thread. What happens is told through WorkerEvents'
// signals, in values the window's thread can keep after the worker has gone.
class ClusterHost : public WorkerEvents
{
    Q_OBJECT

public:
    explicit ClusterHost(QObject *parent = nullptr);
    ~ClusterHost() override;

    // The library's objects, for code that runs in this thread; null while no cluster runs.
    LibCluster::Cluster *cluster() const { return m_cluster; }
    LibCluster::Supervisor *supervisor() const;
    LibCluster::ControlServer *controlServer() const { return m_controlServer; }
    LibCluster::MetricsServer *metricsServer() const { return m_metricsServer; }

    // A new cluster with `config.workers` workers, served on its control endpoint; the current
    // one must have stopped (stopped()).
    void start(const Monitor::ClusterConfig &config);
    // The supervisor's graceful shutdown: every worker disconnects, those left after
    // `gracePeriod` ms are killed; stopped() once none is left.
    void stop(int gracePeriod);

    void fork();
    void scaleTo(int count);
    void disconnectWorker(int id);
    void killWorker(int id, int signal);
    // To the workers with these ids, or to every connected worker when `ids` is empty; the ids
    // of those that took it.
    QList<int> sendMessage(const QList<int> &ids, const QCborValue &message);
    void disconnectAll();
    void rollingRestart();
    void resume();

Q_SIGNALS:
    // The cluster runs: its scheduling policy and its control endpoint (empty if none opened).
    void started(const QString &policy, const QString &endpointName);
    void stopped();
    void portChanged(quint16 port);
    // The number of workers the supervisor keeps.
    void targetWorkerCountChanged(int count);
    void supervisorEventOccurred(const LibCluster::Control::ClusterEvent &event);

private:
    void createCluster();
    void openEndpoint();
    void closeEndpoint();
    void checkStopped();
    // A worker as the models see it.
    WorkerStatus statusOf(const LibCluster::Worker *worker) const;
    // workerChanged() for every worker: after a change no signal of the cluster reports.
    void reportAllWorkers();

    QPointer<LibCluster::Cluster> m_cluster;
    QPointer<LibCluster::Supervisor> m_supervisor;
    LibCluster::ControlServer *m_controlServer = nullptr;
    LibCluster::MetricsServer *m_metricsServer = nullptr;
    ClusterConfig m_config;
    quint16 m_port = 0;
    bool m_stopping = false;
    int m_gracePeriod = 0;
    // Since stop(): a SIGKILL after the grace period is the shutdown's.
    QElapsedTimer m_stoppingClock;
    // Workers the operator killed: their end was asked for, though a kill is not a disconnect
    // (Worker::exitedAfterDisconnect() stays false, as in Node).
    QSet<int> m_killed;
};

} // namespace Monitor
