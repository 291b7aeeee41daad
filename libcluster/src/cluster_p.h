// Cluster's private state: the primary's table of workers and its settings.
#pragma once

#include <libcluster/cluster.h>

#include <QMap>
#include <QSet>

namespace LibCluster {

class ClusterPrivate
{
    Q_DECLARE_PUBLIC(Cluster)

public:
    explicit ClusterPrivate(Cluster *q)
        : q_ptr(q)
    {
    }

    Worker *fork(const QProcessEnvironment &extraEnv);
    // Called by a worker when its last lifecycle event is about to be emitted.
    void removeWorker(Worker *worker);
    void workerDisconnected(Worker *worker);

    Cluster *q_ptr;
    Settings settings;
    QMap<int, Worker *> workers;
    int lastId = 0;
    // Workers that disconnectAll() is still waiting for, and how many calls are waiting.
    QSet<Worker *> awaitingDisconnect;
    int pendingDisconnectAll = 0;
};

} // namespace LibCluster
