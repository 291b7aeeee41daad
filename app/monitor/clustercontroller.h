// Owns the monitored cluster and carries out the operator's commands on it.
#pragma once

#include "clusterconfig.h"

#include <libcluster/cluster.h>

#include <QCborValue>
#include <QList>
#include <QObject>
#include <QPointer>

class QTimer;

namespace Monitor {

// One Cluster at a time. A new configuration needs a new Cluster (a cluster's scheduling policy
// is frozen at its first fork), so start() stops the running one first, gracefully: its workers
// are asked to disconnect, and those still there after the grace period are killed.
class ClusterController : public QObject
{
    Q_OBJECT

public:
    enum class Status { Stopped, Running, Stopping };
    Q_ENUM(Status)

    explicit ClusterController(QObject *parent = nullptr);
    ~ClusterController() override;

    LibCluster::Cluster *cluster() const { return m_cluster; }
    ClusterConfig config() const { return m_config; }
    Status status() const { return m_status; }

    // How long stop() waits for workers to disconnect before it kills them.
    int gracePeriod() const { return m_gracePeriod; }
    void setGracePeriod(int msecs) { m_gracePeriod = msecs; }

    // Starts a cluster with `config.workers` workers (after stopping the current one).
    void start(const ClusterConfig &config);
    // Disconnects every worker, kills the ones left after gracePeriod(); stopped() follows.
    void stop();

    LibCluster::Worker *fork();
    // Forks (a few per event-loop pass, so the window stays responsive) or disconnects the
    // newest workers until liveWorkerCount() is `count`.
    void scaleTo(int count);
    // Workers that run and have not been asked to go: not dead, not disconnecting.
    QList<LibCluster::Worker *> liveWorkers() const;
    int liveWorkerCount() const { return int(liveWorkers().size()); }
    // Workers still known to the cluster, live or on their way out.
    int workerCount() const;

    void disconnectWorkers(const QList<int> &ids);
    void killWorkers(const QList<int> &ids, int signal);
    // Sends to the workers with these ids, or to every connected worker when `ids` is empty.
    // Returns how many sends were accepted.
    int sendMessage(const QList<int> &ids, const QCborValue &message);
    void disconnectAll();

    // The port the workers listen on, as their first 'listening' said; 0 before.
    quint16 port() const { return m_port; }

Q_SIGNALS:
    // A new Cluster exists and is about to fork: attach to its signals now.
    void clusterStarted(LibCluster::Cluster *cluster);
    void statusChanged(Monitor::ClusterController::Status status);
    void stopped();
    void portChanged(quint16 port);
    // Something the operator asked for, in words for the event log.
    void commandIssued(int workerId, const QString &description);

private:
    void createCluster();
    void forkPending();
    void checkStopped();
    void setStatus(Status status);

    QPointer<LibCluster::Cluster> m_cluster;
    ClusterConfig m_config;
    ClusterConfig m_nextConfig;
    bool m_startAfterStop = false;
    Status m_status = Status::Stopped;
    int m_gracePeriod = 3000;
    int m_pendingForks = 0;
    bool m_forkScheduled = false;
    quint16 m_port = 0;
    QTimer *m_graceTimer;
};

} // namespace Monitor
