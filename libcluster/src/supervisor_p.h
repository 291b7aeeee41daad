// Supervisor's private state.
#pragma once

#include <libcluster/supervisor.h>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

class QTimer;

namespace LibCluster {

namespace Internal {
class TerminationSignalWatcher;
}

class SupervisorPrivate
{
    Q_DECLARE_PUBLIC(Supervisor)

public:
    explicit SupervisorPrivate(Supervisor *q, Cluster *cluster);

    // Workers that count towards workerCount(): alive and not on their way out.
    QList<Worker *> liveWorkers() const;
    Worker *forkTracked();
    void adjust();
    void retire(Worker *worker);
    void onExited(Worker *worker, int exitCode, int signal);
    void scheduleRespawn(Worker *worker);
    void checkHeartbeats();
    void checkLimits();
    // Starts a replacement for `old`, then retires `old` once the replacement is ready.
    void replace(Worker *old, Supervisor::ReplaceReason reason);
    void replacementReady(Worker *replacement);
    bool isBeingReplaced(Worker *worker) const;
    void replacementFailed(Worker *replacement);
    void nextRestartStep();
    void finishRestart(bool ok, const QString &error);
    void checkShutdownDone();
    qint64 now() const { return clock.elapsed(); }

    Supervisor *q_ptr;
    Cluster *cluster;
    QElapsedTimer clock;

    bool respawn = false;
    int initialBackoff = 100;
    int maxBackoff = 30000;
    int currentBackoff = 100;
    int stableUptime = 10000;
    int maxCrashes = 5;
    int crashWindow = 60000;
    QList<qint64> crashTimes;
    bool gaveUp = false;
    int skippedRespawns = 0; // unasked exits not answered while given up
    int pendingRespawns = 0;

    int target = -1; // -1: not set, follow the cluster
    QHash<Worker *, qint64> forkedAt;
    QSet<Worker *> retiring;

    int heartbeatInterval = 0;
    int heartbeatTimeout = 0;
    QTimer *heartbeatTimer = nullptr;
    qint64 pingCounter = 0;

    qint64 memoryLimit = 0;
    qint64 requestLimit = 0;
    int requestJitter = 10;
    QHash<Worker *, qint64> requestThreshold;

    int disconnectTimeout = 10000;
    int readinessTimeout = 30000;

    // Replacements in progress: new worker -> (old worker, reason).
    struct Replacement
    {
        QPointer<Worker> old;
        int oldId;
        Supervisor::ReplaceReason reason;
    };
    QHash<Worker *, Replacement> replacements;

    bool restarting = false;
    QList<QPointer<Worker>> restartQueue;
    QPointer<Worker> restartOld;

    bool shuttingDown = false;
    bool quitWhenShutDown = false;
    QTimer *shutdownTimer = nullptr;
    Internal::TerminationSignalWatcher *signalWatcher = nullptr;
    int signalShutdownTimeout = 10000;
};

} // namespace LibCluster
