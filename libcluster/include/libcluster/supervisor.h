// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief Supervision for a cluster: keep N workers alive, replace hung or bloated ones, restart
//! them all without dropping a request, and shut down gracefully. Node leaves all of this to the
//! user.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>

namespace LibCluster {

class Cluster;
class Worker;
class SupervisorPrivate;

//! \brief Supervision for a cluster: keeps N workers alive, replaces hung or bloated ones, restarts
//! them all without dropping a request, and shuts down gracefully.
//!
//! A Supervisor watches one Cluster. Node leaves all of this to the user. Everything is off until
//! set, so a cluster without a Supervisor, or with a default one, behaves
//! exactly like Node's.
class LIBCLUSTER_EXPORT Supervisor : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(Supervisor)

public:
    //! \brief Why a worker was replaced: the `reason` of workerReplaced().
    enum ReplaceReason {
        Crashed, //!< exited without being asked to (respawn)
        Unresponsive, //!< its event loop did not answer the heartbeat in time
        MemoryLimit, //!< its resident memory went over the limit
        RequestLimit, //!< it served its share of requests
        Restart, //!< a rolling restart
        Removed, //!< asked to go (kill(), disconnectFromCluster()) without a scale down
    };
    Q_ENUM(ReplaceReason)

    //! \brief A supervisor of `cluster`, which it does not own; everything is off until set.
    explicit Supervisor(Cluster *cluster, QObject *parent = nullptr);
    //! \brief Stops supervising; the workers run on. Termination signals are no longer handled.
    ~Supervisor() override;

    //! \brief The cluster this supervisor watches.
    Cluster *cluster() const;

    //! \brief The most workers a supervisor keeps: scaleTo() refuses more.
    //!
    //! 1024 covers twice the hardware threads of the largest two-socket servers sold today, while a
    //! typo (a scale to 1000000000) cannot fork the machine to a halt. setMaxWorkers() changes it
    //! for this supervisor (at least 1); cluster-run and the monitor use the default.
    //!@{
    static constexpr int DefaultMaxWorkers = 1024;
    void setMaxWorkers(int count);
    int maxWorkers() const;
    //!@}
    //! \brief The one message for a worker count out of bounds, wherever it was typed:
    //! "SUBJECT must be a whole number between 0 and MAXWORKERS".
    static QString workerCountError(const QString &subject, int maxWorkers = DefaultMaxWorkers);
    //! \brief A worker count as an operator typed it: a whole number from 0 to `maxWorkers` (digits
    //! only, no sign); -1 otherwise.
    static int parseWorkerCount(const QString &text, int maxWorkers = DefaultMaxWorkers);

    //! \brief Keep N alive: whether a worker that exits without the supervisor retiring it is
    //! replaced. Off by default.
    //!
    //! With respawn on, the count given to scaleTo() is the truth: a worker that exits without the
    //! supervisor retiring it is replaced.
    //! - An exit asked for by the primary (Worker::kill(), Worker::disconnectFromCluster()) is
    //!   replaced at once (workerReplaced(..., Removed)); to have fewer workers, scale down.
    //!   Cluster::disconnectAll() is the exception: Node's cluster.disconnect() replaces nobody.
    //! - Any other exit (a crash, an exit of the worker's own, a kill from outside) is replaced
    //!   after a delay that starts at initialBackoff() and doubles up to maxBackoff(), per worker
    //!   slot (a slot is a place in the count; a respawned worker takes over the slot of the one
    //!   it replaces); a slot's delay resets once its worker has stayed up for the stable uptime
    //!   (setStableUptime()).
    //!
    //! The crash-loop rule tells a crash loop from an incident (many unrelated workers dying at
    //! once, which is answered by replacing them all). Within crashWindow(), the supervisor gives
    //! up (gaveUp(), no more respawns until resume()) when
    //! - one slot has had more than crashLimit() such exits (the same worker failing again and
    //!   again), or
    //! - more than max(crashLimit(), workerCount()) such exits in a row were of workers that never
    //!   got ready, with no worker getting ready in between (every replacement dies before it
    //!   listens). Ready: listening; online, while no worker of the cluster has ever listened.
    //!
    //! Both limits grow with the cluster: each slot has its own allowance, and killing 6 of 16
    //! ready workers at once is 6 slots with one exit each.
    //!
    //! With respawn off nothing is replaced, and workerCount() follows: it drops by one for each
    //! worker that exits without being retired.
    //!@{
    void setRespawn(bool on);
    bool respawn() const;
    //!@}
    //! \brief The delay before a crashed worker's slot is respawned: from `initialMsecs`, doubling
    //! up to `maxMsecs` (see setRespawn()). Default 100 ms to 30000 ms.
    //!@{
    void setBackoff(int initialMsecs, int maxMsecs);
    int initialBackoff() const;
    int maxBackoff() const;
    //!@}
    //! \brief How long a worker must stay up for its slot's backoff to start again from
    //! initialBackoff(). Default 10000 ms; negative values count as 0.
    //!@{
    void setStableUptime(int msecs);
    int stableUptime() const;
    //!@}
    //! \brief The crash-loop rule's defaults: more than 5 exits within 60 s (see setRespawn()).
    //!@{
    static constexpr int DefaultCrashLimit = 5;
    static constexpr int DefaultCrashWindow = 60000;
    //!@}
    //! \brief The bounds of what setCrashLimit() takes (1 to 1000 exits, 1 ms to a day).
    //!@{
    static constexpr int MaxCrashLimit = 1000;
    static constexpr int MaxCrashWindow = 24 * 3600 * 1000;
    //!@}
    //! \brief The crash-loop rule: more than `maxCrashes` exits within `windowMsecs` (see
    //! setRespawn()); values are clamped to MaxCrashLimit and MaxCrashWindow.
    //!@{
    void setCrashLimit(int maxCrashes, int windowMsecs);
    int crashLimit() const;
    int crashWindow() const;
    //!@}
    //! \brief True once the crash-loop rule stopped respawning (gaveUp()), until resume().
    bool hasGivenUp() const;
    //! \brief Respawns again after gaveUp(): resumed() is emitted, then the workers missing from
    //! workerCount() are forked. Nothing happens when the supervisor has not given up.
    void resume();

    //! \brief The number of workers the supervisor keeps (respawn) and scales to.
    int workerCount() const;
    //! \brief Forks or gracefully disconnects (newest first) to reach `count` workers; during a
    //! rolling restart, once the restart is done.
    //!
    //! Forks are spread over event-loop passes, a few per pass, so the primary keeps serving and
    //! answering while it scales. Returns false, and changes nothing, for a count outside 0 to
    //! maxWorkers() (errorString() says so).
    bool scaleTo(int count);
    //! \brief Why the last scaleTo() was refused.
    QString errorString() const;

    //! \brief A worker whose event loop does not answer a heartbeat, sent every `intervalMsecs`,
    //! within `timeoutMsecs` is killed (SIGKILL) and replaced. 0 turns it off (the default).
    //!@{
    void setHeartbeat(int intervalMsecs, int timeoutMsecs);
    int heartbeatInterval() const;
    int heartbeatTimeout() const;
    //!@}

    //! \brief Replace, through a rolling restart of that worker, one whose resident memory exceeds
    //! `bytes` (0: no limit), or one that has served `requests` requests (counter "requests"), with
    //! up to `jitterPercent` % randomness so workers do not all restart together.
    //!@{
    void setMemoryLimit(qint64 bytes);
    qint64 memoryLimit() const;
    void setRequestLimit(qint64 requests, int jitterPercent = 10);
    qint64 requestLimit() const;
    //!@}

    //! \brief How long a disconnecting worker may take before it is killed (Node's disconnect() can
    //! wait forever on keep-alive connections). Default 10000 ms; 0 waits forever.
    //!@{
    void setDisconnectTimeout(int msecs);
    int disconnectTimeout() const;
    //!@}

    //! \brief How long a replacement (rolling restart, limits) may take to get ready; one that is
    //! not ready by then is killed, which fails a rolling restart. Default 30000 ms.
    //!@{
    void setReadinessTimeout(int msecs);
    int readinessTimeout() const;
    //!@}

    //! \brief Rolling restart: for each worker in turn, fork its replacement, wait until it listens
    //! (or is online, for workers that never listen), then disconnect the old one.
    //!
    //! Stops and reports (rollingRestartFinished(false, why)) if a replacement dies first.
    void rollingRestart();
    //! \brief True while a rolling restart runs.
    bool isRestarting() const;

    //! \brief Graceful shutdown: disconnect every worker, wait up to `timeoutMsecs`, kill what
    //! remains (SIGKILL), then emit shutdownFinished().
    //!
    //! With `quitApplication`, the application then quits.
    void shutdown(int timeoutMsecs = 10000, bool quitApplication = false);
    //! \brief True from shutdown() on.
    bool isShuttingDown() const;
    //! \brief Shut down gracefully on SIGTERM and SIGINT (then quit the application), waiting at
    //! most `shutdownTimeoutMsecs` for the workers; `on` false stops handling them.
    void setHandleTerminationSignals(bool on, int shutdownTimeoutMsecs = 10000);

Q_SIGNALS:
    //! \brief `replacement` was forked to take over from the worker with id `oldId`, for `reason`.
    void workerReplaced(
        int oldId, LibCluster::Worker *replacement, LibCluster::Supervisor::ReplaceReason reason);
    //! \brief A crashed worker will be replaced in `delayMsecs` (its slot's backoff).
    void respawnScheduled(int delayMsecs);
    //! \brief The crash-loop rule stopped respawning; `reason` says which limit was hit. resume()
    //! starts again.
    void gaveUp(const QString &reason);
    //! \brief resume() was called after gaveUp(): respawning again.
    void resumed();
    //! \brief `worker`'s event loop did not answer the heartbeat in time; it is killed and
    //! replaced.
    void heartbeatMissed(LibCluster::Worker *worker);
    //! \brief A rolling restart ended: `ok`, or not and `error` says why (a replacement died or
    //! was not ready in time).
    void rollingRestartFinished(bool ok, const QString &error);
    //! \brief Every worker is gone after shutdown().
    void shutdownFinished();
    //! \brief workerCount() changed to `count` (scaleTo(), fork, or an exit with respawn off).
    void workerCountChanged(int count);

private:
    QScopedPointer<SupervisorPrivate> d_ptr;
};

} // namespace LibCluster
