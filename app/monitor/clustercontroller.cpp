// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterController: the window's side of the monitor's own cluster.
#include "clustercontroller.h"

#include "clusterhost.h"

#include <libcluster/epolleventdispatcher.h>

#include <QThread>

namespace Monitor {

ClusterController::ClusterController(QObject *parent)
    : ClusterSource(parent)
    , m_thread(new QThread(this))
    , m_host(new ClusterHost)
{
    m_thread->setObjectName(QStringLiteral("cluster"));
    // One wait over the descriptors that are ready, however many workers there are (four
    // descriptors each), rather than a poll over all of them on every wake-up.
    m_thread->setEventDispatcher(new LibCluster::EpollEventDispatcher);
    m_host->moveToThread(m_thread);
    // Destroyed in its thread, as the thread ends: the library's objects with it.
    connect(m_thread, &QThread::finished, m_host, &QObject::deleteLater);
    connectHost();
    m_thread->start();
}

ClusterController::~ClusterController()
{
    m_thread->quit();
    m_thread->wait();
}

void ClusterController::connectHost()
{
    // Every connection is queued: the host reports from its thread, in the order things
    // happened, and the statuses are kept before the events that follow them are passed on.
    ClusterHost *host = m_host;
    connect(host, &WorkerEvents::workerChanged, this, [this](const WorkerStatus &status) {
        if (status.dead)
            m_workers.remove(status.id);
        else
            m_workers.insert(status.id, status);
        Q_EMIT workerChanged(status);
    });
    connect(host, &ClusterHost::started, this,
        [this](const QString &policy, const QString &endpointName) {
            m_policy = policy;
            m_endpointName = endpointName;
        });
    connect(host, &ClusterHost::stopped, this, &ClusterController::onHostStopped);
    connect(host, &ClusterHost::portChanged, this, &ClusterController::setPort);
    connect(host, &ClusterHost::targetWorkerCountChanged, this, [this](int count) {
        if (m_target == count)
            return;
        m_target = count;
        Q_EMIT targetWorkerCountChanged();
    });
    connect(host, &ClusterHost::supervisorEventOccurred, this,
        &ClusterController::reportSupervisorEvent);
    connect(host, &WorkerEvents::setupApplied, this, &WorkerEvents::setupApplied);
    connect(host, &WorkerEvents::workerForked, this, &WorkerEvents::workerForked);
    connect(host, &WorkerEvents::workerOnline, this, &WorkerEvents::workerOnline);
    connect(host, &WorkerEvents::workerListening, this, &WorkerEvents::workerListening);
    connect(host, &WorkerEvents::workerDisconnected, this, &WorkerEvents::workerDisconnected);
    connect(host, &WorkerEvents::workerListenOverdue, this, &WorkerEvents::workerListenOverdue);
    connect(host, &WorkerEvents::workerExited, this, &WorkerEvents::workerExited);
    connect(host, &WorkerEvents::workerErrorOccurred, this, &WorkerEvents::workerErrorOccurred);
    // Handed back to the host's backlog as they are handled here.
    const std::shared_ptr<ClusterHost::Backlog> backlog = host->backlog();
    connect(host, &WorkerEvents::messageReceived, this,
        [this, backlog](int id, const QCborValue &message) {
            backlog->release(0);
            Q_EMIT messageReceived(id, message);
        });
    connect(host, &WorkerEvents::outputReceived, this,
        [this, backlog](int id, LibCluster::Worker::OutputChannel channel, const QByteArray &data) {
            backlog->release(data.size());
            Q_EMIT outputReceived(id, channel, data);
        });
    connect(host, &WorkerEvents::eventsDropped, this, &WorkerEvents::eventsDropped);
    connect(host, &WorkerEvents::endpointEventOccurred, this, &WorkerEvents::endpointEventOccurred);
    connect(host, &WorkerEvents::commandIssued, this, &WorkerEvents::commandIssued);
    connect(host, &WorkerEvents::commandFailed, this, &WorkerEvents::commandFailed);
}

void ClusterController::post(const std::function<void(ClusterHost *)> &function)
{
    ClusterHost *host = m_host;
    QMetaObject::invokeMethod(
        host, [host, function] { function(host); }, Qt::QueuedConnection);
}

void ClusterController::inspect(const std::function<void(ClusterHost *)> &function) const
{
    ClusterHost *host = m_host;
    if (QThread::currentThread() == m_thread)
        function(host); // a blocking call into its own thread would wait for ever
    else if (m_thread->isRunning())
        QMetaObject::invokeMethod(
            host, [host, function] { function(host); }, Qt::BlockingQueuedConnection);
}

void ClusterController::killAll(int signal)
{
    if (status() == Status::Running || status() == Status::Stopping)
        post([signal](ClusterHost *host) { host->killAll(signal); });
}

void ClusterController::start(const ClusterConfig &config)
{
    if (status() != Status::Stopped) {
        m_nextConfig = config;
        m_startAfterStop = true;
        stop();
        return;
    }
    m_config = config;
    m_gracePeriod = config.shutdownTimeout;
    m_workers.clear();
    m_policy.clear();
    m_endpointName.clear();
    // Those who look at the new cluster before its first fork see the count it is to have.
    m_target = config.workers;
    setPort(0);
    Q_EMIT clusterStarted();
    Q_EMIT workersReset();
    setStatus(Status::Running);
    Q_EMIT targetWorkerCountChanged();
    post([config](ClusterHost *host) { host->start(config); });
}

void ClusterController::stop()
{
    if (status() != Status::Running) {
        if (status() == Status::Stopped && m_startAfterStop)
            onHostStopped();
        return;
    }
    setStatus(Status::Stopping);
    Q_EMIT commandIssued(0, tr("stopping the cluster"));
    const int gracePeriod = m_gracePeriod;
    post([gracePeriod](ClusterHost *host) { host->stop(gracePeriod); });
}

void ClusterController::onHostStopped()
{
    if (status() == Status::Stopping) {
        m_workers.clear();
        m_policy.clear();
        m_endpointName.clear();
        setStatus(Status::Stopped);
        Q_EMIT stopped();
    }
    if (status() == Status::Stopped && m_startAfterStop) {
        m_startAfterStop = false;
        start(m_nextConfig);
    }
}

QList<WorkerStatus> ClusterController::workers() const
{
    return m_workers.values();
}

std::optional<WorkerStatus> ClusterController::worker(int id) const
{
    const auto found = m_workers.constFind(id);
    if (found == m_workers.constEnd())
        return std::nullopt;
    return *found;
}

int ClusterController::targetWorkerCount() const
{
    return status() == Status::Running ? m_target : liveWorkerCount();
}

void ClusterController::doFork()
{
    post([](ClusterHost *host) { host->fork(); });
}

void ClusterController::doScaleTo(int count)
{
    post([count](ClusterHost *host) { host->scaleTo(count); });
}

void ClusterController::doDisconnectWorker(int id)
{
    post([id](ClusterHost *host) { host->disconnectWorker(id); });
}

void ClusterController::doKillWorker(int id, int signal)
{
    post([id, signal](ClusterHost *host) { host->killWorker(id, signal); });
}

void ClusterController::doSendMessage(
    const QList<int> &ids, const QCborValue &message, const SendHandler &done)
{
    // The answer comes back to this thread. This object outlives the cluster's thread (the
    // destructor waits for it), so the host may post to it.
    ClusterController *self = this;
    post([self, ids, message, done](ClusterHost *host) {
        const QList<int> sent = host->sendMessage(ids, message);
        QMetaObject::invokeMethod(
            self,
            [self, sent, message, done] {
                for (int id : sent)
                    self->reportMessageSent(id, message);
                done(int(sent.size()), sent.isEmpty() ? tr("no connected worker") : QString());
            },
            Qt::QueuedConnection);
    });
}

void ClusterController::doDisconnectAll()
{
    post([](ClusterHost *host) { host->disconnectAll(); });
}

void ClusterController::doRollingRestart()
{
    post([](ClusterHost *host) { host->rollingRestart(); });
}

void ClusterController::doResume()
{
    post([](ClusterHost *host) { host->resume(); });
}

} // namespace Monitor
