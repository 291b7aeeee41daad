// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Cluster's private state: the primary's table of workers and its settings.
#pragma once

#include <libcluster/cluster.h>

#include "ports/portregistry.h"
#include "supervision/resourcesampler.h"

#include <QMap>
#include <QSet>

namespace LibCluster {

class ClusterPrivate
{
    Q_DECLARE_PUBLIC(Cluster)

public:
    explicit ClusterPrivate(Cluster *q)
        : q_ptr(q)
    { }

    static ClusterPrivate *get(Cluster *cluster) { return cluster->d_func(); }

    Worker *fork(const QProcessEnvironment &extraEnv);
    // Called by a worker when its last lifecycle event is about to be emitted.
    void removeWorker(Worker *worker);
    // Called by a worker after its last lifecycle signal (it has disconnected and exited).
    void workerFinished(Worker *worker);
    // A Worker is being deleted: drop every reference to it.
    void forgetWorker(Worker *worker);

    Cluster *q_ptr;
    Settings settings;
    QMap<int, Worker *> workers;
    int lastId = 0;
    // Workers that disconnectAll() is still waiting for (to leave workers()), and how many
    // calls are waiting.
    QSet<Worker *> awaitingDisconnect;
    int pendingDisconnectAll = 0;
    bool autoDeleteWorkers = true;

    SchedulingPolicy policy = SchedulingPolicy::RoundRobin;
    bool policyFrozen = false;
    // The shared servers the workers listen on.
    Internal::PortRegistry ports;

    Internal::ResourceSampler *sampler = nullptr;
};

} // namespace LibCluster
