// Supervision for a cluster: keep N workers alive, replace hung or bloated ones, restart them all
// without dropping a request, and shut down gracefully. Node leaves all of this to the user.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>

namespace LibCluster {

class Cluster;
class Worker;
class SupervisorPrivate;

// A Supervisor watches one Cluster. Everything is off until set, so a cluster without a
// Supervisor, or with a default one, behaves exactly like Node's.
class LIBCLUSTER_EXPORT Supervisor : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(Supervisor)

public:
    enum ReplaceReason {
        Crashed, // exited without being asked to (respawn)
        Unresponsive, // its event loop did not answer the heartbeat in time
        MemoryLimit, // its resident memory went over the limit
        RequestLimit, // it served its share of requests
        Restart, // a rolling restart
    };
    Q_ENUM(ReplaceReason)

    explicit Supervisor(Cluster *cluster, QObject *parent = nullptr);
    ~Supervisor() override;

    Cluster *cluster() const;

    // Keep N alive: a worker that exits without being asked to is replaced after a delay that
    // starts at initialBackoff and doubles up to maxBackoff; the delay resets once a worker has
    // stayed up for stableUptime. More than maxCrashes unasked exits within crashWindow is a
    // crash loop: the supervisor gives up (gaveUp()) and forks no more until resume().
    void setRespawn(bool on);
    bool respawn() const;
    void setBackoff(int initialMsecs, int maxMsecs);
    int initialBackoff() const;
    int maxBackoff() const;
    void setStableUptime(int msecs);
    void setCrashLimit(int maxCrashes, int windowMsecs);
    bool hasGivenUp() const;
    void resume();

    // The number of workers the supervisor keeps (respawn) and scales to. Forks or gracefully
    // disconnects (newest first) to reach it; during a rolling restart, once the restart is done.
    int workerCount() const;
    void scaleTo(int count);

    // A worker whose event loop does not answer a heartbeat within `timeoutMsecs` is killed
    // (SIGKILL) and replaced. 0 turns it off (the default).
    void setHeartbeat(int intervalMsecs, int timeoutMsecs);
    int heartbeatInterval() const;
    int heartbeatTimeout() const;

    // Replace, through a rolling restart of that worker, one whose resident memory exceeds
    // `bytes` (0: no limit), or one that has served `requests` requests (counter "requests"),
    // with up to `jitterPercent` % randomness so workers do not all restart together.
    void setMemoryLimit(qint64 bytes);
    qint64 memoryLimit() const;
    void setRequestLimit(qint64 requests, int jitterPercent = 10);
    qint64 requestLimit() const;

    // How long a disconnecting worker may take before it is killed (Node's disconnect() can
    // wait forever on keep-alive connections). Default 10000 ms; 0 waits forever.
    void setDisconnectTimeout(int msecs);
    int disconnectTimeout() const;

    // How long a replacement (rolling restart, limits) may take to get ready; one that is not
    // ready by then is killed, which fails a rolling restart. Default 30000 ms.
    void setReadinessTimeout(int msecs);
    int readinessTimeout() const;

    // Rolling restart: for each worker in turn, fork its replacement, wait until it listens (or
    // is online, for workers that never listen), then disconnect the old one. Stops and reports
    // (rollingRestartFinished(false, why)) if a replacement dies first.
    void rollingRestart();
    bool isRestarting() const;

    // Graceful shutdown: disconnect every worker, wait up to `timeoutMsecs`, kill what remains
    // (SIGKILL), then emit shutdownFinished(). With quitApplication, the application then quits.
    void shutdown(int timeoutMsecs = 10000, bool quitApplication = false);
    bool isShuttingDown() const;
    // Shut down gracefully on SIGTERM and SIGINT (then quit the application).
    void setHandleTerminationSignals(bool on, int shutdownTimeoutMsecs = 10000);

Q_SIGNALS:
    // `replacement` was forked to take over from the worker with id `oldId`.
    void workerReplaced(int oldId, LibCluster::Worker *replacement,
                        LibCluster::Supervisor::ReplaceReason reason);
    void respawnScheduled(int delayMsecs);
    void gaveUp(const QString &reason);
    void resumed();
    void heartbeatMissed(LibCluster::Worker *worker);
    void rollingRestartFinished(bool ok, const QString &error);
    void shutdownFinished();
    void workerCountChanged(int count);

private:
    QScopedPointer<SupervisorPrivate> d_ptr;
};

} // namespace LibCluster
