// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The cluster: forks workers in the primary, tells a worker who it is. Node's `cluster` module.
#pragma once

#include <libcluster/address.h>
#include <libcluster/handle.h>
#include <libcluster/libcluster_export.h>
#include <libcluster/schedulingpolicy.h>
#include <libcluster/settings.h>
#include <libcluster/worker.h>

#include <QCborValue>
#include <QList>
#include <QObject>
#include <QProcessEnvironment>

namespace LibCluster {

class ClusterPrivate;

// In the primary, a Cluster forks and tracks workers. Most programs use the one from instance(),
// as Node programs use the `cluster` module; more than one Cluster may live in one primary, each
// with its own workers and settings.
//
// Every signal is emitted from the event loop, never from inside the call that caused it, so a
// slot connected right after fork() or setupPrimary() still sees the signal.
class LIBCLUSTER_EXPORT Cluster : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(Cluster)

public:
    explicit Cluster(QObject *parent = nullptr);
    ~Cluster() override;

    // The process-wide cluster. Created on first use; deleted with the application.
    static Cluster *instance();

    // A process is a worker when a primary forked it (the bootstrap variables it received are
    // removed from the environment before main() runs); every other process is a primary.
    static bool isPrimary();
    static bool isWorker();
    // In a worker: the worker itself, for send(), messageReceived(), disconnectFromCluster().
    // Needs a QCoreApplication. In the primary: nullptr.
    static Worker *worker();

    // Merges the fields set in `settings` into settings() (Node's setupPrimary()); affects only
    // later forks. Emits setupApplied() once per call, from the event loop.
    void setupPrimary(const LibCluster::Settings &settings);
    // The settings later forks use, defaults filled in.
    Settings settings() const;

    // Starts a worker. `extraEnv` adds to and overrides the settings' environment for this
    // worker. The Worker is a child of the cluster. With autoDeleteWorkers() on (the default) it
    // is deleted (deleteLater) after it has both disconnected and exited, once its last signal
    // has been delivered: read what you need in a slot of exited(), or hold it in a
    // QPointer<Worker>, which becomes null then.
    Worker *fork(const QProcessEnvironment &extraEnv = QProcessEnvironment());

    // Whether a Worker deletes itself once it has disconnected and exited (as QNetworkAccessManager
    // ::setAutoDeleteReplies() does for replies). On by default: a primary runs for months and
    // replaces workers as they crash, restart or scale, and its memory must not grow with every
    // worker it ever forked (Node's cluster.workers forgets a worker at that point too, and
    // nothing else holds it there). Turn it off when code keeps the Worker * from fork(), as Node
    // code keeps `worker`, and reads exitCode(), exitSignal() or exitedAfterDisconnect() after its
    // end: every Worker then stays valid, out of workers(), until you delete it (deleteLater() in
    // a slot of exited() once you are done with it) or the cluster is deleted. Deleting a Worker
    // that is still running takes it out of workers() and ends its process (SIGKILL), without
    // any further signal.
    // A change applies to every worker that has not ended yet.
    bool autoDeleteWorkers() const;
    void setAutoDeleteWorkers(bool enable);

    // How workers share server ports: from the settings, else LIBCLUSTER_SCHED_POLICY, else
    // RoundRobin. Frozen at the first fork, as in Node.
    SchedulingPolicy schedulingPolicy() const;

    // The workers that have not yet both disconnected and exited, in id order.
    QList<Worker *> workers() const;
    Worker *workerById(int id) const;

    // Calls disconnectFromCluster() on every connected worker; allDisconnected() follows once
    // every worker in workers() at the call has left it (disconnected and exited), right after
    // the last one's exited() or disconnected(): workers() is empty then, unless workers were
    // forked since, so a slot can fork a fresh set. From the event loop when there are none.
    void disconnectAll();

    // How often the primary samples each worker's CPU use and memory (from /proc); 0 stops it.
    // Default: 1000 ms. resourceUsageUpdated() follows each round of samples.
    int resourceSampleInterval() const;
    void setResourceSampleInterval(int msecs);

    // "SIGTERM" for SIGTERM; an empty string for 0 or an unknown number.
    static QString signalName(int signal);

Q_SIGNALS:
    void setupApplied(const LibCluster::Settings &settings);
    void workerForked(LibCluster::Worker *worker);
    void workerOnline(LibCluster::Worker *worker);
    void workerListening(LibCluster::Worker *worker, const LibCluster::Address &address);
    void messageReceived(
        LibCluster::Worker *worker, const QCborValue &message, const LibCluster::Handle &handle);
    void workerDisconnected(LibCluster::Worker *worker);
    // Worker::listenOverdue(): a worker that has not listened within the settings'
    // listenWarningTimeout(), or exited with code 0 before then without listening.
    void workerListenOverdue(LibCluster::Worker *worker, int msecsOnline, bool exited);
    void workerExited(LibCluster::Worker *worker, int exitCode, int signal);
    void workerErrorOccurred(
        LibCluster::Worker *worker, LibCluster::Worker::Error error, const QString &errorString);
    void workerOutputReceived(LibCluster::Worker *worker, LibCluster::Worker::OutputChannel channel,
        const QByteArray &data);
    void workerCountersChanged(LibCluster::Worker *worker);
    void resourceUsageUpdated();
    void allDisconnected();

private:
    friend class Worker;
    friend class WorkerPrivate;
    QScopedPointer<ClusterPrivate> d_ptr;
};

} // namespace LibCluster
