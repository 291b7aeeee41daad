// ClusterSource: the commands, checked and logged once for both kinds of cluster.
#include "clustersource.h"

#include <libcluster/cluster.h>

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

} // namespace Monitor
