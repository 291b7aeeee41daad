// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterSource: the commands, checked and logged once for both kinds of cluster.
#include "clustersource.h"

#include <libcluster/cluster.h>

#include <QJsonObject>

namespace Monitor {

ClusterSource::ClusterSource(QObject *parent)
    : WorkerEvents(parent)
{
    qRegisterMetaType<Monitor::WorkerStatus>();
}

ClusterSource::~ClusterSource() = default;

void ClusterSource::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    if (status != Status::Running)
        setSupervision(false, false);
    Q_EMIT statusChanged(status);
}

void ClusterSource::setPort(quint16 port)
{
    if (m_port == port)
        return;
    m_port = port;
    Q_EMIT portChanged(port);
}

int ClusterSource::targetWorkerCount() const
{
    return liveWorkerCount();
}

int ClusterSource::liveWorkerCount() const
{
    int live = 0;
    const QList<WorkerStatus> all = workers();
    for (const WorkerStatus &status : all)
        live += status.isLive() ? 1 : 0;
    return live;
}

int ClusterSource::workerCount() const
{
    int count = 0;
    const QList<WorkerStatus> all = workers();
    for (const WorkerStatus &status : all)
        count += status.dead ? 0 : 1;
    return count;
}

void ClusterSource::forkWorker()
{
    if (m_status == Status::Running)
        doFork();
}

void ClusterSource::scaleTo(int count)
{
    if (m_status != Status::Running)
        return;
    count = qMax(0, count);
    Q_EMIT commandIssued(0, tr("scale from %1 to %2 workers").arg(liveWorkerCount()).arg(count));
    doScaleTo(count);
}

void ClusterSource::disconnectWorkers(const QList<int> &ids)
{
    // Also while stopping: the operator may not want to wait for the grace period.
    if (m_status != Status::Running && m_status != Status::Stopping)
        return;
    for (int id : ids) {
        if (const std::optional<WorkerStatus> status = worker(id); status && status->connected) {
            Q_EMIT commandIssued(id, tr("disconnect requested"));
            doDisconnectWorker(id);
        }
    }
}

void ClusterSource::killWorkers(const QList<int> &ids, int signal)
{
    if (m_status != Status::Running && m_status != Status::Stopping)
        return;
    for (int id : ids) {
        if (const std::optional<WorkerStatus> status = worker(id); status && !status->dead) {
            Q_EMIT commandIssued(
                id, tr("kill with %1 requested").arg(LibCluster::Cluster::signalName(signal)));
            doKillWorker(id, signal);
        }
    }
}

void ClusterSource::sendMessage(
    const QList<int> &ids, const QCborValue &message, const SendHandler &done)
{
    if (m_status != Status::Running) {
        done(0, tr("the cluster is not running"));
        return;
    }
    doSendMessage(ids, message, done);
}

void ClusterSource::disconnectAll()
{
    if (m_status != Status::Running)
        return;
    Q_EMIT commandIssued(0, tr("disconnect all workers"));
    doDisconnectAll();
}

void ClusterSource::reportMessageSent(int workerId, const QCborValue &message)
{
    Q_EMIT commandIssued(
        workerId, tr("message sent: %1").arg(message.toDiagnosticNotation().left(200)));
}

void ClusterSource::reportMessageSentToAll(int sent, const QCborValue &message)
{
    Q_EMIT commandIssued(0,
        tr("message sent to %n worker(s): %1", "", sent)
            .arg(message.toDiagnosticNotation().left(200)));
}

void ClusterSource::rollingRestart()
{
    if (m_status != Status::Running || m_restarting)
        return;
    Q_EMIT commandIssued(0, tr("rolling restart: every worker is replaced, one after the other"));
    setSupervision(m_gaveUp, true);
    doRollingRestart();
}

void ClusterSource::resume()
{
    if (m_status != Status::Running)
        return;
    Q_EMIT commandIssued(0, tr("resume respawning"));
    doResume();
}

void ClusterSource::setSupervision(bool gaveUp, bool restarting)
{
    if (m_gaveUp == gaveUp && m_restarting == restarting)
        return;
    m_gaveUp = gaveUp;
    m_restarting = restarting;
    Q_EMIT supervisionChanged();
}

void ClusterSource::noteSupervision(const LibCluster::Control::ClusterEvent &event)
{
    using Event = LibCluster::Control::ClusterEvent;
    if (event.type == Event::GaveUp)
        setSupervision(true, m_restarting);
    else if (event.type == Event::Resumed)
        setSupervision(false, m_restarting);
    else if (event.type == Event::RestartFinished)
        setSupervision(m_gaveUp, false);
}

void ClusterSource::reportSupervisorEvent(const LibCluster::Control::ClusterEvent &event)
{
    noteSupervision(event);
    using Event = LibCluster::Control::ClusterEvent;
    switch (event.type) {
    case Event::Replaced: {
        using Reason = LibCluster::Supervisor::ReplaceReason;
        const std::optional<Reason> reason
            = LibCluster::Control::replaceReasonFromName(event.reason);
        QString why = event.reason;
        switch (reason.value_or(Reason(-1))) {
        case Reason::Crashed:
            why = tr("it crashed");
            break;
        case Reason::Unresponsive:
            why = tr("it did not answer its heartbeat");
            break;
        case Reason::MemoryLimit:
            why = tr("it used too much memory");
            break;
        case Reason::RequestLimit:
            why = tr("it served its share of requests");
            break;
        case Reason::Restart:
            why = tr("rolling restart");
            break;
        case Reason::Removed:
            why = tr("it was asked to go, and the count stays");
            break;
        }
        Q_EMIT supervisorEventOccurred(event.id,
            tr("replaces worker %1 (%2)").arg(event.oldId).arg(why),
            reason == Reason::Crashed || reason == Reason::Unresponsive);
        break;
    }
    case Event::RespawnScheduled:
        Q_EMIT supervisorEventOccurred(
            0, tr("a worker that crashed is replaced in %1 ms").arg(event.delay), false);
        break;
    case Event::GaveUp:
        Q_EMIT supervisorEventOccurred(
            0, tr("the workers keep crashing; respawning stopped: %1").arg(event.reason), true);
        break;
    case Event::Resumed:
        Q_EMIT supervisorEventOccurred(0, tr("respawning resumed"), false);
        break;
    case Event::HeartbeatMissed:
        Q_EMIT supervisorEventOccurred(
            event.id, tr("missed its heartbeat: killed, to be replaced"), true);
        break;
    case Event::RestartFinished:
        if (event.ok)
            Q_EMIT supervisorEventOccurred(0, tr("rolling restart finished"), false);
        else
            Q_EMIT supervisorEventOccurred(
                0, tr("rolling restart failed: %1").arg(event.error), true);
        break;
    case Event::WorkerCount:
        Q_EMIT supervisorEventOccurred(0, tr("keeps %n worker(s)", "", event.count), false);
        break;
    case Event::ShutdownFinished:
        Q_EMIT supervisorEventOccurred(0, tr("shutdown finished: every worker is gone"), false);
        break;
    default:
        // The application's own events ("reload" of cluster-run) say what a person reads;
        // anything else comes from a newer primary: ignored, as the protocol asks.
        if (event.application && !event.text.isEmpty())
            Q_EMIT applicationEventOccurred(event.name, event.text, event.alert);
        break;
    }
}

} // namespace Monitor
