// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Supervisor: respawn with backoff, scaling, heartbeat, limits, rolling restart, shutdown.
#include <libcluster/supervisor.h>

#include <libcluster/cluster.h>
#include <libcluster/signalhandler.h>

#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "supervision/supervisor_p.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>

namespace LibCluster {

using namespace Internal;

SupervisorPrivate::SupervisorPrivate(Supervisor *q, Cluster *cluster)
    : q_ptr(q)
    , cluster(cluster)
{
    clock.start();
}

QList<Worker *> SupervisorPrivate::liveWorkers() const
{
    QList<Worker *> live;
    const auto all = cluster->workers();
    for (Worker *worker : all)
        if (!worker->isDead() && !retiring.contains(worker))
            live.append(worker);
    return live;
}

int SupervisorPrivate::keptCount() const
{
    const QList<Worker *> live = liveWorkers();
    int count = int(live.size());
    for (auto it = replacements.cbegin(); it != replacements.cend(); ++it)
        if (it.value().old && live.contains(it.value().old) && live.contains(it.key()))
            --count;
    return count;
}

Worker *SupervisorPrivate::forkTracked(int slot)
{
    if (slot == 0) {
        slot = ++lastSlot;
        slotStates.insert(slot, Slot { {}, initialBackoff });
    }
    Worker *worker = cluster->fork();
    forkedAt.insert(worker, now());
    slotOf.insert(worker, slot);
    if (requestLimit > 0) {
        const qint64 jitter = requestLimit * requestJitter / 100;
        requestThreshold.insert(worker,
            requestLimit + (jitter > 0 ? QRandomGenerator::global()->bounded(jitter + 1) : 0));
    }
    return worker;
}

void SupervisorPrivate::adjust(bool onTimer)
{
    if (target < 0 || shuttingDown || restarting) {
        forkTimer->stop();
        return;
    }
    const int kept = keptCount();
    const int missing = target - kept - pendingRespawns;
    if (missing > 0) {
        // A few now, the rest on the next passes of the event loop (the timer calls back here).
        // While the timer runs, a call from elsewhere leaves the forking to it.
        if (!forkTimer->isActive() || onTimer) {
            for (int i = 0; i < qMin(missing, ForksPerPass); ++i)
                forkTracked();
        }
        if (missing > ForksPerPass)
            forkTimer->start();
        else
            forkTimer->stop();
        return;
    }
    forkTimer->stop();
    if (kept > target) {
        // The newest go first: the oldest have the warmest caches and the longest connections.
        // Workers in the middle of a replacement are left to it.
        QList<Worker *> candidates;
        const QList<Worker *> live = liveWorkers();
        for (Worker *worker : live)
            if (!replacements.contains(worker) && !isBeingReplaced(worker))
                candidates.append(worker);
        std::sort(candidates.begin(), candidates.end(),
            [](Worker *a, Worker *b) { return a->id() > b->id(); });
        for (int i = 0; i < kept - target && i < candidates.size(); ++i)
            retire(candidates.at(i));
    }
}

void SupervisorPrivate::retire(Worker *worker)
{
    if (retiring.contains(worker) || worker->isDead())
        return;
    retiring.insert(worker);
    qCDebug(lcPrimary) << "retiring worker" << worker->id();
    worker->disconnectFromCluster();
    if (disconnectTimeout > 0) {
        QPointer<Worker> guard(worker);
        // Precise: a coarse timer may fire up to 5 % early, and the worker was promised this long.
        QTimer::singleShot(disconnectTimeout, Qt::PreciseTimer, q_ptr, [guard, this] {
            if (guard && !guard->isDead()) {
                qCInfo(lcPrimary) << "worker" << guard->id() << "did not disconnect within"
                                  << disconnectTimeout << "ms; killing it";
                guard->kill(SIGKILL);
            }
        });
    }
}

void SupervisorPrivate::setTarget(int count)
{
    if (count == target)
        return;
    target = count;
    Q_EMIT q_ptr->workerCountChanged(count);
}

void SupervisorPrivate::onExited(Worker *worker, int, int)
{
    const bool wasRetiring = retiring.remove(worker);
    const qint64 startedAt = forkedAt.take(worker);
    const int slot = slotOf.take(worker);
    const bool wasReady
        = listened.remove(worker) || (WorkerPrivate::get(worker)->wentOnline && !workersListen);
    requestThreshold.remove(worker);
    if (replacements.contains(worker))
        replacementFailed(worker);
    if (shuttingDown) {
        slotStates.remove(slot);
        // From the event loop, so every other slot sees this exit before shutdownFinished().
        QTimer::singleShot(0, q_ptr, [this] { checkShutdownDone(); });
        return;
    }
    if (restarting && worker == restartOld)
        QTimer::singleShot(0, q_ptr, [this] { nextRestartStep(); });
    const WorkerPrivate *w = WorkerPrivate::get(worker);
    // A kill() from the primary is not a disconnect (exitedAfterDisconnect() stays false, as in
    // Node), but it was asked for all the same.
    const bool asked = w->exitedAfterDisconnect || w->killRequested;
    if (wasRetiring || w->leftWithAll || (respawn && asked && w->askedByPrimary)) {
        slotStates.remove(slot);
        if (!wasRetiring && !w->leftWithAll && target >= 0 && keptCount() + pendingRespawns < target
            && !restarting) {
            // Asked to go by the primary, not scaled down: the count stays, so a worker
            // takes its place at once.
            Worker *replacement = forkTracked();
            Q_EMIT q_ptr->workerReplaced(worker->id(), replacement, Supervisor::Removed);
        }
        return;
    }
    if (!respawn) {
        slotStates.remove(slot);
        // Nothing replaces it: the count kept is the count that runs.
        if (target > keptCount())
            setTarget(keptCount());
        return;
    }
    onCrashed(worker, slot, startedAt, wasReady);
}

void SupervisorPrivate::prune(QList<qint64> *times) const
{
    while (!times->isEmpty() && now() - times->first() > crashWindow)
        times->removeFirst();
}

int SupervisorPrivate::startFailureLimit() const
{
    return qMax(maxCrashes, target >= 0 ? target : keptCount());
}

void SupervisorPrivate::onCrashed(Worker *worker, int slot, qint64 startedAt, bool wasReady)
{
    if (slot == 0 || !slotStates.contains(slot)) {
        // Forked by someone else: it gets its place now.
        slot = ++lastSlot;
        slotStates.insert(slot, Slot { {}, initialBackoff });
    }
    Slot &place = slotStates[slot];
    if (now() - startedAt >= stableUptime)
        place.backoff = initialBackoff;
    place.crashTimes.append(now());
    prune(&place.crashTimes);
    if (!wasReady) {
        startFailures.append(now());
        prune(&startFailures);
    }
    if (gaveUp) {
        ++skippedRespawns;
        slotStates.remove(slot);
        return;
    }
    const double window = crashWindow / 1000.0;
    if (place.crashTimes.size() > maxCrashes) {
        giveUp(Supervisor::tr("the same worker slot exited unexpectedly %1 times within %2 s "
                              "(last: worker %3); a crash loop: not respawning until resumed")
                   .arg(place.crashTimes.size())
                   .arg(window)
                   .arg(worker->id()));
        slotStates.remove(slot);
        return;
    }
    if (startFailures.size() > startFailureLimit()) {
        giveUp(Supervisor::tr("%1 workers in a row exited within %2 s before they were ready "
                              "(last: worker %3); a crash loop: not respawning until resumed")
                   .arg(startFailures.size())
                   .arg(window)
                   .arg(worker->id()));
        slotStates.remove(slot);
        return;
    }
    scheduleRespawn(worker->id(), slot);
}

void SupervisorPrivate::giveUp(const QString &reason)
{
    gaveUp = true;
    ++skippedRespawns;
    qCWarning(lcPrimary).noquote() << reason;
    Q_EMIT q_ptr->gaveUp(reason);
}

void SupervisorPrivate::scheduleRespawn(int oldId, int slot)
{
    Slot &place = slotStates[slot];
    const int delay = place.backoff;
    place.backoff = qMin(place.backoff * 2, maxBackoff);
    ++pendingRespawns;
    qCDebug(lcPrimary) << "respawning worker" << oldId << "in" << delay << "ms";
    Q_EMIT q_ptr->respawnScheduled(delay);
    QTimer::singleShot(delay, Qt::PreciseTimer, q_ptr, [this, oldId, slot] {
        --pendingRespawns;
        if (gaveUp || shuttingDown || (target >= 0 && keptCount() >= target)) {
            slotStates.remove(slot);
            return;
        }
        Worker *replacement = forkTracked(slot);
        Q_EMIT q_ptr->workerReplaced(oldId, replacement, Supervisor::Crashed);
    });
}

void SupervisorPrivate::checkHeartbeats()
{
    const qint64 t = now();
    ++pingCounter;
    const auto all = cluster->workers();
    for (Worker *worker : all) {
        WorkerPrivate *d = WorkerPrivate::get(worker);
        if (!worker->isConnected() || d->state == Worker::None || retiring.contains(worker))
            continue;
        // lastPing/lastPong hold the clock time of the ping a pong answered.
        if (d->lastPing == 0) {
            d->lastPing = t;
            d->lastPong = t;
        }
        if (t - d->lastPong > heartbeatTimeout) {
            qCWarning(lcPrimary) << "worker" << worker->id() << "did not answer the heartbeat for"
                                 << (t - d->lastPong) << "ms; replacing it";
            Q_EMIT q_ptr->heartbeatMissed(worker);
            retiring.insert(worker);
            const int oldId = worker->id();
            worker->kill(SIGKILL);
            if (!shuttingDown) {
                Worker *replacement = forkTracked();
                Q_EMIT q_ptr->workerReplaced(oldId, replacement, Supervisor::Unresponsive);
            }
            continue;
        }
        QCborMap ping;
        ping.insert(QStringLiteral("n"), t);
        d->sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::ping(), ping));
        d->lastPing = t;
    }
}

void SupervisorPrivate::checkLimits()
{
    if (shuttingDown || restarting)
        return;
    const auto all = liveWorkers();
    for (Worker *worker : all) {
        if (isBeingReplaced(worker))
            continue;
        if (memoryLimit > 0 && worker->residentMemory() > memoryLimit) {
            qCInfo(lcPrimary) << "worker" << worker->id() << "uses" << worker->residentMemory()
                              << "bytes, over the limit of" << memoryLimit;
            replace(worker, Supervisor::MemoryLimit);
        } else if (requestLimit > 0
            && worker->counter(QStringLiteral("requests"))
                >= requestThreshold.value(worker, requestLimit)) {
            replace(worker, Supervisor::RequestLimit);
        }
    }
}

bool SupervisorPrivate::isBeingReplaced(Worker *worker) const
{
    for (const Replacement &r : replacements)
        if (r.old == worker)
            return true;
    return false;
}

void SupervisorPrivate::replace(Worker *old, Supervisor::ReplaceReason reason)
{
    Worker *replacement = forkTracked();
    replacements.insert(replacement, Replacement { old, old->id(), reason });
    // Ready once it serves the ports the old one served, or simply online if the old one
    // served none.
    // A replacement that never gets ready must not hold everything up forever.
    QPointer<Worker> guard(replacement);
    QTimer::singleShot(readinessTimeout, Qt::PreciseTimer, q_ptr, [this, guard] {
        if (guard && replacements.contains(guard)) {
            qCWarning(lcPrimary) << "worker" << guard->id() << "was not ready within"
                                 << readinessTimeout << "ms; killing it";
            guard->kill(SIGKILL);
        }
    });
    const auto ready = [this, replacement] { replacementReady(replacement); };
    if (old->listeningAddresses().isEmpty())
        QObject::connect(replacement, &Worker::online, q_ptr, ready);
    else
        QObject::connect(replacement, &Worker::listening, q_ptr, ready);
}

void SupervisorPrivate::replacementReady(Worker *replacement)
{
    const auto it = replacements.find(replacement);
    if (it == replacements.end())
        return;
    const Replacement r = it.value();
    replacements.erase(it);
    Q_EMIT q_ptr->workerReplaced(r.oldId, replacement, r.reason);
    if (r.old)
        retire(r.old);
}

void SupervisorPrivate::replacementFailed(Worker *replacement)
{
    const Replacement r = replacements.take(replacement);
    const QString why = Supervisor::tr("worker %1, replacing worker %2, exited before it was ready")
                            .arg(replacement->id())
                            .arg(r.oldId);
    qCWarning(lcPrimary) << why;
    if (restarting)
        finishRestart(false, why);
}

void SupervisorPrivate::nextRestartStep()
{
    if (!restarting)
        return;
    while (!restartQueue.isEmpty() && (!restartQueue.first() || restartQueue.first()->isDead()))
        restartQueue.removeFirst();
    if (restartQueue.isEmpty()) {
        finishRestart(true, QString());
        return;
    }
    restartOld = restartQueue.takeFirst();
    qCDebug(lcPrimary) << "rolling restart: replacing worker" << restartOld->id();
    replace(restartOld, Supervisor::Restart);
}

void SupervisorPrivate::finishRestart(bool ok, const QString &error)
{
    restarting = false;
    restartQueue.clear();
    restartOld = nullptr;
    Q_EMIT q_ptr->rollingRestartFinished(ok, error);
    adjust();
}

void SupervisorPrivate::checkShutdownDone()
{
    const auto all = cluster->workers();
    for (Worker *worker : all)
        if (!worker->isDead())
            return;
    if (shutdownTimer)
        shutdownTimer->stop();
    if (!shuttingDown)
        return;
    qCDebug(lcPrimary) << "shutdown complete";
    Q_EMIT q_ptr->shutdownFinished();
    if (quitWhenShutDown)
        QCoreApplication::exit(0);
}

Supervisor::Supervisor(Cluster *cluster, QObject *parent)
    : QObject(parent ? parent : cluster)
    , d_ptr(new SupervisorPrivate(this, cluster))
{
    Q_D(Supervisor);
    d->heartbeatTimer = new QTimer(this);
    connect(d->heartbeatTimer, &QTimer::timeout, this, [d] { d->checkHeartbeats(); });
    // Interval 0: once per pass of the event loop, after what else is ready in that pass.
    d->forkTimer = new QTimer(this);
    connect(d->forkTimer, &QTimer::timeout, this, [d] { d->adjust(true); });
    // Readiness, for the crash-loop rule.
    connect(cluster, &Cluster::workerOnline, this, [d] {
        if (!d->workersListen)
            d->startFailures.clear();
    });
    connect(cluster, &Cluster::workerListening, this, [d](Worker *worker) {
        d->workersListen = true;
        d->listened.insert(worker);
        d->startFailures.clear();
    });
    connect(cluster, &Cluster::workerExited, this,
        [d](Worker *worker, int code, int signal) { d->onExited(worker, code, signal); });
    connect(cluster, &Cluster::resourceUsageUpdated, this, [d] { d->checkLimits(); });
    connect(cluster, &Cluster::workerCountersChanged, this, [d] { d->checkLimits(); });
}

Supervisor::~Supervisor()
{
    setHandleTerminationSignals(false);
}

Cluster *Supervisor::cluster() const
{
    return d_func()->cluster;
}

void Supervisor::setRespawn(bool on)
{
    d_func()->respawn = on;
}
bool Supervisor::respawn() const
{
    return d_func()->respawn;
}

void Supervisor::setBackoff(int initialMsecs, int maxMsecs)
{
    Q_D(Supervisor);
    d->initialBackoff = qMax(0, initialMsecs);
    d->maxBackoff = qMax(d->initialBackoff, maxMsecs);
    for (auto &slot : d->slotStates)
        slot.backoff = d->initialBackoff;
}
int Supervisor::initialBackoff() const
{
    return d_func()->initialBackoff;
}
int Supervisor::maxBackoff() const
{
    return d_func()->maxBackoff;
}
void Supervisor::setStableUptime(int msecs)
{
    // A negative uptime would make every exit look stable and never back off a crashing slot.
    d_func()->stableUptime = qMax(0, msecs);
}
int Supervisor::stableUptime() const
{
    return d_func()->stableUptime;
}

void Supervisor::setCrashLimit(int maxCrashes, int windowMsecs)
{
    Q_D(Supervisor);
    d->maxCrashes = qBound(1, maxCrashes, MaxCrashLimit);
    d->crashWindow = qBound(1, windowMsecs, MaxCrashWindow);
}
int Supervisor::crashLimit() const
{
    return d_func()->maxCrashes;
}
int Supervisor::crashWindow() const
{
    return d_func()->crashWindow;
}

bool Supervisor::hasGivenUp() const
{
    return d_func()->gaveUp;
}

void Supervisor::resume()
{
    Q_D(Supervisor);
    if (!d->gaveUp)
        return;
    d->gaveUp = false;
    d->startFailures.clear();
    const int skipped = d->skippedRespawns;
    d->skippedRespawns = 0;
    Q_EMIT resumed();
    if (d->target >= 0) {
        d->adjust();
        return;
    }
    // Without a count to keep, bring back the workers whose exits were not answered.
    for (int i = 0; i < skipped; ++i)
        d->forkTracked();
}

int Supervisor::workerCount() const
{
    Q_D(const Supervisor);
    return d->target >= 0 ? d->target : int(d->liveWorkers().size());
}

bool Supervisor::scaleTo(int count)
{
    Q_D(Supervisor);
    if (count < 0 || count > d->maxWorkers) {
        d->errorString = tr("cannot scale to %1: %2")
                             .arg(count)
                             .arg(workerCountError(tr("the number of workers"), d->maxWorkers));
        qCWarning(lcPrimary).noquote() << d->errorString;
        return false;
    }
    d->errorString.clear();
    d->setTarget(count);
    d->adjust();
    return true;
}

QString Supervisor::errorString() const
{
    return d_func()->errorString;
}

void Supervisor::setMaxWorkers(int count)
{
    d_func()->maxWorkers = qMax(1, count);
}
int Supervisor::maxWorkers() const
{
    return d_func()->maxWorkers;
}

QString Supervisor::workerCountError(const QString &subject, int maxWorkers)
{
    return tr("%1 must be a whole number between 0 and %2").arg(subject).arg(maxWorkers);
}

int Supervisor::parseWorkerCount(const QString &text, int maxWorkers)
{
    // Digits only: toInt() would take " 7", "+7" and "0x7" too.
    if (text.isEmpty() || text.size() > 10
        || !std::all_of(text.cbegin(), text.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return -1;
    const qint64 value = text.toLongLong();
    return value <= maxWorkers ? int(value) : -1;
}

void Supervisor::setHeartbeat(int intervalMsecs, int timeoutMsecs)
{
    Q_D(Supervisor);
    d->heartbeatInterval = qMax(0, intervalMsecs);
    d->heartbeatTimeout = qMax(intervalMsecs, timeoutMsecs);
    // Only pings sent from now on count: a pause must not make healthy workers look hung.
    const auto all = d->cluster->workers();
    for (Worker *worker : all) {
        WorkerPrivate::get(worker)->lastPing = 0;
        WorkerPrivate::get(worker)->lastPong = 0;
    }
    if (d->heartbeatInterval > 0)
        d->heartbeatTimer->start(d->heartbeatInterval);
    else
        d->heartbeatTimer->stop();
}
int Supervisor::heartbeatInterval() const
{
    return d_func()->heartbeatInterval;
}
int Supervisor::heartbeatTimeout() const
{
    return d_func()->heartbeatTimeout;
}

void Supervisor::setMemoryLimit(qint64 bytes)
{
    d_func()->memoryLimit = qMax<qint64>(0, bytes);
}
qint64 Supervisor::memoryLimit() const
{
    return d_func()->memoryLimit;
}

void Supervisor::setRequestLimit(qint64 requests, int jitterPercent)
{
    Q_D(Supervisor);
    d->requestLimit = qMax<qint64>(0, requests);
    d->requestJitter = qBound(0, jitterPercent, 100);
}
qint64 Supervisor::requestLimit() const
{
    return d_func()->requestLimit;
}

void Supervisor::setReadinessTimeout(int msecs)
{
    d_func()->readinessTimeout = qMax(1, msecs);
}
int Supervisor::readinessTimeout() const
{
    return d_func()->readinessTimeout;
}

void Supervisor::setDisconnectTimeout(int msecs)
{
    d_func()->disconnectTimeout = qMax(0, msecs);
}
int Supervisor::disconnectTimeout() const
{
    return d_func()->disconnectTimeout;
}

void Supervisor::rollingRestart()
{
    Q_D(Supervisor);
    if (d->restarting || d->shuttingDown)
        return;
    d->restarting = true;
    const auto live = d->liveWorkers();
    for (Worker *worker : live)
        d->restartQueue.append(worker);
    d->nextRestartStep();
}

bool Supervisor::isRestarting() const
{
    return d_func()->restarting;
}

void Supervisor::shutdown(int timeoutMsecs, bool quitApplication)
{
    Q_D(Supervisor);
    d->quitWhenShutDown = d->quitWhenShutDown || quitApplication;
    if (d->shuttingDown)
        return;
    d->shuttingDown = true;
    d->heartbeatTimer->stop();
    if (d->restarting)
        d->finishRestart(false, tr("the cluster is shutting down"));
    qCInfo(lcPrimary) << "shutting down" << d->cluster->workers().size() << "workers";
    const auto all = d->cluster->workers();
    for (Worker *worker : all) {
        d->retiring.insert(worker);
        worker->disconnectFromCluster();
    }
    if (!d->shutdownTimer) {
        d->shutdownTimer = new QTimer(this);
        d->shutdownTimer->setSingleShot(true);
        d->shutdownTimer->setTimerType(Qt::PreciseTimer);
        connect(d->shutdownTimer, &QTimer::timeout, this, [d] {
            const auto remaining = d->cluster->workers();
            for (Worker *worker : remaining) {
                if (!worker->isDead()) {
                    qCInfo(lcPrimary) << "worker" << worker->id() << "still running; killing it";
                    worker->kill(SIGKILL);
                }
            }
        });
    }
    if (timeoutMsecs > 0)
        d->shutdownTimer->start(timeoutMsecs);
    QTimer::singleShot(0, this, [d] { d->checkShutdownDone(); });
}

bool Supervisor::isShuttingDown() const
{
    return d_func()->shuttingDown;
}

void Supervisor::setHandleTerminationSignals(bool on, int shutdownTimeoutMsecs)
{
    Q_D(Supervisor);
    d->signalShutdownTimeout = shutdownTimeoutMsecs;
    if (on == bool(d->signalConnection))
        return;
    SignalHandler *handler = SignalHandler::instance();
    if (!on) {
        disconnect(d->signalConnection);
        d->signalConnection = {};
        for (int signal : SupervisorPrivate::TerminationSignals)
            handler->unwatchSignal(signal);
        return;
    }
    for (int signal : SupervisorPrivate::TerminationSignals)
        handler->watchSignal(signal);
    d->signalConnection
        = connect(handler, &SignalHandler::signalReceived, this, [this, d](int signal) {
              if (signal != SIGTERM && signal != SIGINT)
                  return;
              qCInfo(lcPrimary).noquote()
                  << "received" << Cluster::signalName(signal) << "- shutting down";
              shutdown(d->signalShutdownTimeout, true);
          });
}

} // namespace LibCluster
