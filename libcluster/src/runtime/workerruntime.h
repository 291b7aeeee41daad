// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker side's start-up: finds the bootstrap variables a primary set at fork, removes them
// before main() runs, and brings up Cluster::worker() with the application.
#pragma once

namespace LibCluster {

class Worker;
class WorkerPrivate;

class WorkerRuntime
{
public:
    // The variable a primary sets in a worker's environment: "<worker id>:<channel descriptor>".
    static const char *environmentVariable() { return "LIBCLUSTER_WORKER"; }
    // Set alongside it when the worker has extra stdio pipes: their descriptors, "4,5".
    static const char *extraPipesVariable() { return "LIBCLUSTER_PIPES"; }
    // Set alongside it: Settings::requestTimeout() and drainTimeout(), "<request ms>:<drain ms>".
    static const char *timeoutsVariable() { return "LIBCLUSTER_TIMEOUTS"; }

    static bool isWorker();
    // Null in a primary, or before a QCoreApplication exists.
    static Worker *self();
    static WorkerPrivate *selfPrivate();
    // Called with the QCoreApplication's construction.
    static void start();
};

} // namespace LibCluster
