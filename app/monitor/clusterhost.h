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

#include <atomic>
#include <memory>

namespace LibCluster {
class ControlServer;
class MetricsServer;
} // namespace LibCluster

class QTimer;

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
    // The messages and output this host passed on that the window's thread has not handled
    // yet. Shared with that thread, which gives back what it handled (release()).
    struct Backlog
    {
        std::atomic<int> events { 0 };
        std::atomic<qint64> bytes { 0 };
        void release(qint64 size)
        {
            events.fetch_sub(1, std::memory_order_relaxed);
            bytes.fetch_sub(size, std::memory_order_relaxed);
        }
    };
    // Beyond these, messages and output are not passed on (eventsDropped()): a window that
    // does not keep up must not make this process grow without bound.
    static constexpr int MaxBacklogEvents = 10000;
    static constexpr qint64 MaxBacklogBytes = 16 * 1024 * 1024;

    explicit ClusterHost(QObject *parent = nullptr);
    ~ClusterHost() override;

    // The library's objects, for code that runs in this thread; null while no cluster runs.
    LibCluster::Cluster *cluster() const { return m_cluster; }
    LibCluster::Supervisor *supervisor() const;
    LibCluster::ControlServer *controlServer() const { return m_controlServer; }
    LibCluster::MetricsServer *metricsServer() const { return m_metricsServer; }
    std::shared_ptr<Backlog> backlog() const { return m_backlog; }
    // Messages and pieces of output not passed on since the host began.
    qint64 droppedEvents() const { return m_droppedTotal; }

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
    // Kills every worker with `signal`, without a word: for a second Ctrl-C.
    void killAll(int signal);
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
    // Opens the control endpoint and the metrics server; what became of them waits in
    // m_endpointEvents for releaseEndpointEvents().
    void openEndpoint();
    void releaseEndpointEvents();
    void closeEndpoint();
    void checkStopped();
    // A worker as the models see it.
    WorkerStatus statusOf(const LibCluster::Worker *worker) const;
    // workerChanged() for every worker: after a change no signal of the cluster reports.
    void reportAllWorkers();
    // Whether an event of `size` bytes may be passed on; counts it in the backlog if so, and as
    // dropped if not.
    bool admit(qint64 size, bool output);
    // eventsDropped() once the window has caught up with half the backlog.
    void reportDropped();

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
    QList<std::pair<QString, bool>> m_endpointEvents;
    std::shared_ptr<Backlog> m_backlog = std::make_shared<Backlog>();
    qint64 m_droppedMessages = 0;
    qint64 m_droppedOutput = 0;
    qint64 m_droppedTotal = 0;
    QTimer *m_dropReport = nullptr;
};

} // namespace Monitor
