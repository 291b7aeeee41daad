// ClusterSource: the commands, checked and logged once for both kinds of cluster.
#include "clustersource.h"

#include <libcluster/cluster.h>

#include <QJsonObject>

namespace Monitor {

ClusterSource::ClusterSource(QObject *parent)
    : QObject(parent)
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

void ClusterSource::noteSupervision(const QString &name, const QJsonObject &event)
{
    Q_UNUSED(event);
    if (name == QLatin1String("gaveUp"))
        setSupervision(true, m_restarting);
    else if (name == QLatin1String("resumed"))
        setSupervision(false, m_restarting);
    else if (name == QLatin1String("restartFinished"))
        setSupervision(m_gaveUp, false);
}

void ClusterSource::reportSupervisorEvent(const QString &name, const QJsonObject &event)
{
    noteSupervision(name, event);
    const int id = event.value(QLatin1String("id")).toInt();
    if (name == QLatin1String("replaced")) {
        const QString reason = event.value(QLatin1String("reason")).toString();
        QString why;
        if (reason == QLatin1String("crashed"))
            why = tr("it crashed");
        else if (reason == QLatin1String("unresponsive"))
            why = tr("it did not answer its heartbeat");
        else if (reason == QLatin1String("memoryLimit"))
            why = tr("it used too much memory");
        else if (reason == QLatin1String("requestLimit"))
            why = tr("it served its share of requests");
        else if (reason == QLatin1String("restart"))
            why = tr("rolling restart");
        else if (reason == QLatin1String("removed"))
            why = tr("it was asked to go, and the count stays");
        else
            why = reason;
        Q_EMIT supervisorEventOccurred(id,
            tr("replaces worker %1 (%2)").arg(event.value(QLatin1String("oldId")).toInt()).arg(why),
            reason == QLatin1String("crashed") || reason == QLatin1String("unresponsive"));
    } else if (name == QLatin1String("respawnScheduled")) {
        Q_EMIT supervisorEventOccurred(0,
            tr("a worker that crashed is replaced in %1 ms")
                .arg(event.value(QLatin1String("delay")).toInt()),
            false);
    } else if (name == QLatin1String("gaveUp")) {
        Q_EMIT supervisorEventOccurred(0,
            tr("the workers keep crashing; respawning stopped: %1")
                .arg(event.value(QLatin1String("reason")).toString()),
            true);
    } else if (name == QLatin1String("resumed")) {
        Q_EMIT supervisorEventOccurred(0, tr("respawning resumed"), false);
    } else if (name == QLatin1String("heartbeatMissed")) {
        Q_EMIT supervisorEventOccurred(
            id, tr("missed its heartbeat: killed, to be replaced"), true);
    } else if (name == QLatin1String("restartFinished")) {
        if (event.value(QLatin1String("ok")).toBool())
            Q_EMIT supervisorEventOccurred(0, tr("rolling restart finished"), false);
        else
            Q_EMIT supervisorEventOccurred(0,
                tr("rolling restart failed: %1")
                    .arg(event.value(QLatin1String("error")).toString()),
                true);
    } else if (name == QLatin1String("workerCount")) {
        const int count = event.value(QLatin1String("count")).toInt();
        Q_EMIT supervisorEventOccurred(0, tr("keeps %n worker(s)", "", count), false);
    } else if (name == QLatin1String("shutdownFinished")) {
        Q_EMIT supervisorEventOccurred(0, tr("shutdown finished: every worker is gone"), false);
    }
    // Anything else comes from a newer primary: ignored, as the protocol asks.
}

} // namespace Monitor
