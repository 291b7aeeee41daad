// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Supervisor's private state.
#pragma once

#include <libcluster/supervisor.h>

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

#include <csignal>

class QTimer;

namespace LibCluster {

class SupervisorPrivate
{
    Q_DECLARE_PUBLIC(Supervisor)

public:
    explicit SupervisorPrivate(Supervisor *q, Cluster *cluster);

    // Workers that are alive and not on their way out.
    QList<Worker *> liveWorkers() const;
    // How many places of workerCount() are filled: live workers, a worker and the replacement
    // it is waiting for counting once.
    int keptCount() const;
    // Forks a worker for `slot` (a new slot when 0).
    Worker *forkTracked(int slot = 0);
    // Forks (a few per event-loop pass) or retires workers until keptCount() is the target.
    void adjust(bool onTimer = false);
    void retire(Worker *worker);
    void setTarget(int count);
    void onExited(Worker *worker, int exitCode, int signal);
    // An exit that nobody asked for: counts towards the crash-loop rule, respawns with backoff.
    void onCrashed(Worker *worker, int slot, qint64 startedAt, bool wasReady);
    void giveUp(const QString &reason);
    void scheduleRespawn(int oldId, int slot);
    int startFailureLimit() const;
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
    void prune(QList<qint64> *times) const;

    // Forks per event-loop pass while scaling up: a fork+exec takes a few milliseconds, and a
    // scale to hundreds must not keep the primary from accepting, relaying and answering.
    static constexpr int ForksPerPass = 4;

    Supervisor *q_ptr;
    Cluster *cluster;
    QElapsedTimer clock;
    QString errorString;

    bool respawn = false;
    int initialBackoff = 100;
    int maxBackoff = 30000;
    int stableUptime = 10000;
    int maxCrashes = Supervisor::DefaultCrashLimit;
    int crashWindow = Supervisor::DefaultCrashWindow;
    // A place in the count, taken over by the worker respawned for the one that crashed.
    struct Slot
    {
        QList<qint64> crashTimes; // unasked exits within the crash window
        int backoff = 0; // the delay of its next respawn
    };
    QHash<Worker *, int> slotOf;
    QHash<int, Slot> slotStates;
    int lastSlot = 0;
    // Unasked exits of workers that never got ready, since a worker last got ready.
    QList<qint64> startFailures;
    bool workersListen = false;
    QSet<Worker *> listened;
    bool gaveUp = false;
    int skippedRespawns = 0; // unasked exits not answered while given up
    int pendingRespawns = 0;

    int maxWorkers = Supervisor::DefaultMaxWorkers;
    int target = -1; // -1: not set, follow the cluster
    QTimer *forkTimer = nullptr;
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
    // SIGTERM and SIGINT, through the process's SignalHandler, while termination signals are
    // handled.
    static constexpr int TerminationSignals[] = { SIGTERM, SIGINT };
    QMetaObject::Connection signalConnection;
    int signalShutdownTimeout = 10000;
};

} // namespace LibCluster
