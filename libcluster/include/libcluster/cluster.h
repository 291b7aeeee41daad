// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief The cluster: forks workers in the primary, tells a worker who it is. Node's `cluster`
//! module.
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

//! \brief Everything of libcluster: the cluster and its workers, shared servers, supervision and
//! the control endpoint.
namespace LibCluster {

class ClusterPrivate;

//! \brief Node's `cluster` module: in the primary, a Cluster forks and tracks workers; in a worker,
//! it tells the process who it is.
//!
//! Most programs use the one from instance(), as Node programs use the `cluster` module; more than
//! one Cluster may live in one primary, each with its own workers and settings.
//!
//! Every signal is emitted from the event loop, never from inside the call that caused it, so a
//! slot connected right after fork() or setupPrimary() still sees the signal.
class LIBCLUSTER_EXPORT Cluster : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(Cluster)

public:
    //! \brief A cluster of its own, with no workers and default settings.
    explicit Cluster(QObject *parent = nullptr);
    //! \brief Ends every worker that still runs: closes its channel, so that it exits with code 0,
    //! and kills what has not exited within two seconds; the shared servers close.
    ~Cluster() override;

    //! \brief The process-wide cluster. Created on first use; deleted with the application.
    static Cluster *instance();

    //! \brief Whether this process is a primary or a worker.
    //!
    //! A process is a worker when a primary forked it (the bootstrap variables it received are
    //! removed from the environment before main() runs); every other process is a primary.
    //!@{
    static bool isPrimary();
    static bool isWorker();
    //!@}
    //! \brief In a worker: the worker itself, for send(), messageReceived(),
    //! disconnectFromCluster(). Needs a QCoreApplication. In the primary: nullptr.
    static Worker *worker();

    //! \brief Merges the fields set in `settings` into settings() (Node's setupPrimary()).
    //!
    //! Affects only later forks. Emits setupApplied() once per call, from the event loop.
    void setupPrimary(const LibCluster::Settings &settings);
    //! \brief The settings later forks use, defaults filled in.
    Settings settings() const;

    //! \brief Starts a worker.
    //!
    //! `extraEnv` adds to and overrides the settings' environment for this worker. The Worker is a
    //! child of the cluster. With autoDeleteWorkers() on (the default) it is deleted (deleteLater)
    //! after it has both disconnected and exited, once its last signal has been delivered: read
    //! what you need in a slot of exited(), or hold it in a QPointer<Worker>, which becomes null
    //! then.
    Worker *fork(const QProcessEnvironment &extraEnv = QProcessEnvironment());

    //! \brief Whether a Worker deletes itself once it has disconnected and exited (as
    //! QNetworkAccessManager::setAutoDeleteReplies() does for replies).
    //!
    //! On by default: a primary runs for months and replaces workers as they crash, restart or
    //! scale, and its memory must not grow with every worker it ever forked (Node's cluster.workers
    //! forgets a worker at that point too, and nothing else holds it there). Turn it off when code
    //! keeps the `Worker *` from fork(), as Node code keeps `worker`, and reads exitCode(),
    //! exitSignal() or exitedAfterDisconnect() after its end: every Worker then stays valid, out of
    //! workers(), until you delete it (deleteLater() in a slot of exited() once you are done with
    //! it) or the cluster is deleted. Deleting a Worker that is still running takes it out of
    //! workers() and ends its process (SIGKILL), without any further signal.
    //!
    //! A change applies to every worker that has not ended yet.
    //!@{
    bool autoDeleteWorkers() const;
    void setAutoDeleteWorkers(bool enable);
    //!@}

    //! \brief How workers share server ports: from the settings, else LIBCLUSTER_SCHED_POLICY, else
    //! RoundRobin.
    //!
    //! Frozen at the first fork, as in Node.
    SchedulingPolicy schedulingPolicy() const;

    //! \brief The workers that have not yet both disconnected and exited, in id order.
    QList<Worker *> workers() const;
    //! \brief The worker of workers() with id `id`; null if there is none.
    Worker *workerById(int id) const;

    //! \brief Node's cluster.disconnect(): calls disconnectFromCluster() on every connected worker.
    //!
    //! allDisconnected() follows once every worker in workers() at the call has left it
    //! (disconnected and exited), right after the last one's exited() or disconnected(): workers()
    //! is empty then, unless workers were forked since, so a slot can fork a fresh set. From the
    //! event loop when there are none.
    void disconnectAll();

    //! \brief How often the primary samples each worker's CPU use and memory (from /proc); 0 stops
    //! it.
    //!
    //! Default: 1000 ms. resourceUsageUpdated() follows each round of samples.
    //!@{
    int resourceSampleInterval() const;
    void setResourceSampleInterval(int msecs);
    //!@}

    //! \brief "SIGTERM" for SIGTERM; an empty string for 0 or an unknown number.
    static QString signalName(int signal);

Q_SIGNALS:
    //! \brief A setupPrimary() call was applied; `settings` are the merged settings (Node's
    //! 'setup').
    void setupApplied(const LibCluster::Settings &settings);
    //! \brief fork() made `worker` (Node's 'fork'); its process may not run yet.
    void workerForked(LibCluster::Worker *worker);
    //! \brief Worker::online() of `worker` (Node's 'online'): its event loop runs.
    void workerOnline(LibCluster::Worker *worker);
    //! \brief Worker::listening() of `worker` (Node's 'listening'): a shared server of it listens
    //! at `address`.
    void workerListening(LibCluster::Worker *worker, const LibCluster::Address &address);
    //! \brief Worker::messageReceived() of `worker` (Node's 'message'); `handle` is the
    //! descriptor sent with it, if any.
    void messageReceived(
        LibCluster::Worker *worker, const QCborValue &message, const LibCluster::Handle &handle);
    //! \brief Worker::disconnected() of `worker` (Node's 'disconnect'): its channel closed.
    void workerDisconnected(LibCluster::Worker *worker);
    //! \brief Worker::listenOverdue(): a worker that has not listened within the settings'
    //! listenWarningTimeout(), or exited with code 0 before then without listening.
    void workerListenOverdue(LibCluster::Worker *worker, int msecsOnline, bool exited);
    //! \brief Worker::exited() of `worker` (Node's 'exit'): its process ended with `exitCode`
    //! (-1 when a signal ended it) or `signal` (0 when it exited).
    //!
    //! With autoDeleteWorkers() on, `worker` is deleted soon after its last signal: read what you
    //! need here.
    void workerExited(LibCluster::Worker *worker, int exitCode, int signal);
    //! \brief Worker::errorOccurred() of `worker`: `error`, and in words `errorString`.
    void workerErrorOccurred(
        LibCluster::Worker *worker, LibCluster::Worker::Error error, const QString &errorString);
    //! \brief Worker::outputReceived() of `worker`: `data` it wrote to `channel` (only with silent
    //! settings).
    void workerOutputReceived(LibCluster::Worker *worker, LibCluster::Worker::OutputChannel channel,
        const QByteArray &data);
    //! \brief Worker::countersChanged() of `worker`: a batch of its counters arrived.
    void workerCountersChanged(LibCluster::Worker *worker);
    //! \brief A round of CPU and memory samples was taken (see setResourceSampleInterval()).
    void resourceUsageUpdated();
    //! \brief Every worker that was in workers() when disconnectAll() was called has left it
    //! (Node's disconnect() callback).
    void allDisconnected();

private:
    friend class Worker;
    friend class WorkerPrivate;
    QScopedPointer<ClusterPrivate> d_ptr;
};

} // namespace LibCluster
