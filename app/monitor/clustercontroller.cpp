// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterController: start, stop, fork, scale, disconnect, kill and send, through the public API.
#include "clustercontroller.h"

#include <libcluster/cluster.h>
#include <libcluster/controlserver.h>
#include <libcluster/metricsserver.h>
#include <libcluster/supervisor.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

using namespace LibCluster;

namespace Monitor {

ClusterController::ClusterController(QObject *parent)
    : ClusterSource(parent)
{ }

ClusterController::~ClusterController()
{
    // The endpoint first: it follows the cluster. The Cluster's destructor closes every
    // channel; workers then exit on their own.
    closeEndpoint();
    delete m_cluster;
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
    // Those who look at the new cluster before its first fork see the count it is to have.
    m_starting = true;
    createCluster();
    setStatus(Status::Running);
    openEndpoint();
    m_starting = false;
    // The supervisor forks a few per pass of the event loop, so the window stays responsive.
    m_supervisor->scaleTo(qBound(0, config.workers, m_supervisor->maxWorkers()));
}

WorkerStatus ClusterController::statusOf(const Worker *worker) const
{
    WorkerStatus status;
    status.id = worker->id();
    status.pid = worker->processId();
    status.state = worker->state();
    status.connected = worker->isConnected();
    status.dead = worker->isDead();
    status.exitedAfterDisconnect
        = worker->exitedAfterDisconnect() || m_killed.contains(worker->id());
    const auto addresses = worker->listeningAddresses();
    for (const Address &address : addresses)
        status.addresses.append(address.toString());
    status.openConnections = worker->openConnections();
    status.connectionsAccepted = worker->connectionsAccepted();
    status.requests = worker->counter(QStringLiteral("requests"));
    status.cpu = worker->cpuUsage();
    status.memory = worker->residentMemory();
    if (status.dead) {
        status.exitCode = worker->exitCode();
        status.exitSignal = worker->exitSignal();
    }
    return status;
}

void ClusterController::createCluster()
{
    setPort(0);
    m_cluster = new Cluster(this);
    m_killed.clear(); // ids start again from 1
    // What cluster-run would fork, from the same options (a configuration file's environment,
    // working directory and listen warning included), but as this user: a monitor is no root
    // service, and the output is shown here or passed through as the operator chose.
    RunnerOptions options = m_config.toRunnerOptions();
    options.uid = -1;
    options.gid = -1;
    Settings settings = options.settings();
    settings.setSilent(m_config.captureOutput);
    m_cluster->setupPrimary(settings);

    Cluster *cluster = m_cluster;
    const auto changed = [this](Worker *worker) { Q_EMIT workerChanged(statusOf(worker)); };
    connect(cluster, &Cluster::setupApplied, this, [this, cluster](const Settings &applied) {
        Q_EMIT setupApplied(applied.exec(), applied.args(), applied.silent(),
            schedulingPolicyName(cluster->schedulingPolicy()));
    });
    connect(cluster, &Cluster::workerForked, this, [this, changed](Worker *worker) {
        // What the cluster does not repeat at its own level.
        connect(worker, &Worker::stateChanged, this, [changed, worker] { changed(worker); });
        connect(
            worker, &Worker::connectionCountsChanged, this, [changed, worker] { changed(worker); });
        changed(worker);
        Q_EMIT workerForked(worker->id());
    });
    connect(cluster, &Cluster::workerOnline, this, [this, changed](Worker *worker) {
        changed(worker);
        Q_EMIT workerOnline(worker->id(), worker->processId());
    });
    connect(cluster, &Cluster::workerListening, this,
        [this, changed](Worker *worker, const Address &address) {
            if (port() == 0 && address.port() != 0)
                setPort(address.port());
            changed(worker);
            Q_EMIT workerListening(worker->id(), address);
        });
    connect(cluster, &Cluster::messageReceived, this,
        [this](Worker *worker, const QCborValue &message) {
            Q_EMIT messageReceived(worker->id(), message);
        });
    connect(cluster, &Cluster::workerListenOverdue, this,
        [this](Worker *worker, int msecs, bool exited) {
            Q_EMIT workerListenOverdue(worker->id(), msecs, exited);
        });
    connect(cluster, &Cluster::workerDisconnected, this, [this, changed](Worker *worker) {
        changed(worker);
        Q_EMIT workerDisconnected(worker->id());
    });
    connect(cluster, &Cluster::workerExited, this,
        [this, changed](Worker *worker, int code, int signal) {
            changed(worker);
            Q_EMIT workerExited(worker->id(), code, signal,
                worker->exitedAfterDisconnect() || m_killed.contains(worker->id()));
        });
    connect(cluster, &Cluster::workerErrorOccurred, this,
        [this, changed](Worker *worker, Worker::Error, const QString &errorString) {
            changed(worker);
            Q_EMIT workerErrorOccurred(worker->id(), errorString);
        });
    connect(cluster, &Cluster::workerOutputReceived, this,
        [this](Worker *worker, Worker::OutputChannel channel, const QByteArray &data) {
            Q_EMIT outputReceived(worker->id(), channel, data);
        });
    connect(cluster, &Cluster::workerCountersChanged, this, changed);
    connect(cluster, &Cluster::resourceUsageUpdated, this, &ClusterController::reportAllWorkers);
    // After every other slot has seen the worker's last signal.
    const auto checkLater
        = [this] { QTimer::singleShot(0, this, &ClusterController::checkStopped); };
    connect(cluster, &Cluster::workerExited, this, checkLater);
    connect(cluster, &Cluster::workerExited, this, [this](Worker *worker, int, int signal) {
        // The supervisor's shutdown kills what outlives the grace period; the log says why.
        if (status() == Status::Stopping && signal == SIGKILL
            && m_stopping.hasExpired(m_gracePeriod))
            Q_EMIT commandIssued(worker->id(),
                tr("still running after %1 s: killed with SIGKILL").arg(m_gracePeriod / 1000.0));
    });
    connect(cluster, &Cluster::workerDisconnected, this, checkLater);

    // The count, respawns and the crash-loop rule are the library's.
    m_supervisor = new Supervisor(cluster, cluster);
    // Respawn, crash loops, timeouts, limits and the heartbeat, as cluster-run sets them.
    options.configure(m_supervisor);
    using Event = Control::ClusterEvent;
    connect(m_supervisor, &Supervisor::rollingRestartFinished, this,
        [this](bool ok, const QString &error) {
            Event event(Event::RestartFinished);
            event.ok = ok;
            event.error = error;
            reportSupervisorEvent(event);
        });
    connect(m_supervisor, &Supervisor::workerReplaced, this,
        [this](int oldId, Worker *replacement, Supervisor::ReplaceReason reason) {
            Event event(Event::Replaced);
            event.id = replacement->id();
            event.oldId = oldId;
            event.reason = Control::replaceReasonName(reason);
            reportSupervisorEvent(event);
        });
    connect(m_supervisor, &Supervisor::respawnScheduled, this, [this](int delay) {
        Event event(Event::RespawnScheduled);
        event.delay = delay;
        reportSupervisorEvent(event);
    });
    connect(m_supervisor, &Supervisor::gaveUp, this, [this](const QString &reason) {
        Event event(Event::GaveUp);
        event.reason = reason;
        reportSupervisorEvent(event);
    });
    connect(m_supervisor, &Supervisor::resumed, this,
        [this] { reportSupervisorEvent(Event(Event::Resumed)); });
    connect(m_supervisor, &Supervisor::workerCountChanged, this,
        &ClusterSource::targetWorkerCountChanged);
    Q_EMIT clusterStarted(cluster);
    Q_EMIT workersReset();
}

void ClusterController::openEndpoint()
{
    closeEndpoint();
    const QString name = m_config.controlName.isEmpty() ? ClusterConfig::defaultControlName()
                                                        : m_config.controlName;
    m_controlServer = new ControlServer(m_cluster, m_supervisor, this);
    // A "shutdown" from outside stops the workers, not the monitor.
    m_controlServer->setShutdownQuitsApplication(false);
    m_controlServer->setShutdownTimeout(m_gracePeriod);
    // What others do to this cluster belongs in its log, next to what it caused.
    connect(m_controlServer, &ControlServer::commandReceived, this,
        [this](const QString &command, const QJsonObject &arguments) {
            const QString text = arguments.isEmpty() ? command
                                                     : command + QLatin1Char(' ')
                    + QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact));
            Q_EMIT endpointEventOccurred(
                tr("command from the control endpoint: %1").arg(text), false);
        });
    if (m_controlServer->listen(name)) {
        Q_EMIT endpointEventOccurred(
            tr("control endpoint %1 open (cluster-run ctl %1 status)").arg(name), false);
    } else {
        Q_EMIT endpointEventOccurred(
            tr("cannot open the control endpoint %1: %2").arg(name, m_controlServer->errorString()),
            true);
        delete m_controlServer;
        m_controlServer = nullptr;
    }
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (m_config.metricsAddress.isEmpty()) {
        return;
    } else if (!MetricsServer::parseAddress(m_config.metricsAddress, &address, &port, &error)) {
        Q_EMIT endpointEventOccurred(tr("cannot serve metrics: %1").arg(error), true);
        return;
    }
    m_metricsServer = new MetricsServer(m_cluster, m_supervisor, this);
    if (m_metricsServer->listen(address, port)) {
        Q_EMIT endpointEventOccurred(tr("metrics on http://%1:%2/metrics")
                                         .arg(m_metricsServer->serverAddress().toString())
                                         .arg(m_metricsServer->serverPort()),
            false);
    } else {
        Q_EMIT endpointEventOccurred(m_metricsServer->errorString(), true);
        delete m_metricsServer;
        m_metricsServer = nullptr;
    }
}

void ClusterController::closeEndpoint()
{
    delete m_metricsServer;
    m_metricsServer = nullptr;
    delete m_controlServer;
    m_controlServer = nullptr;
}

QString ClusterController::endpointName() const
{
    return m_controlServer ? m_controlServer->name() : QString();
}

void ClusterController::stop()
{
    if (status() != Status::Running) {
        if (status() == Status::Stopped && m_startAfterStop)
            checkStopped();
        return;
    }
    setStatus(Status::Stopping);
    Q_EMIT commandIssued(0, tr("stopping the cluster"));
    // Nothing is forked or replaced any more; what runs is asked to go, and what still runs
    // after the grace period is killed.
    m_stopping.start();
    if (m_supervisor)
        m_supervisor->shutdown(m_gracePeriod);
    reportAllWorkers();
    // From the event loop: there may be no worker left to report anything.
    QTimer::singleShot(0, this, &ClusterController::checkStopped);
}

void ClusterController::checkStopped()
{
    if (status() != Status::Stopping || (m_cluster && !m_cluster->workers().isEmpty()))
        return;
    closeEndpoint();
    if (m_cluster) {
        // The last worker's final signal is still being delivered; let it finish first.
        m_cluster->disconnect(this);
        m_cluster->deleteLater();
        m_cluster = nullptr;
    }
    setStatus(Status::Stopped);
    Q_EMIT stopped();
    if (m_startAfterStop) {
        m_startAfterStop = false;
        start(m_nextConfig);
    }
}

Worker *ClusterController::fork()
{
    if (status() != Status::Running || !m_supervisor)
        return nullptr;
    // Through the supervisor, so that the worker counts towards what it keeps.
    const int before = m_cluster->workers().isEmpty() ? 0 : m_cluster->workers().constLast()->id();
    if (!m_supervisor->scaleTo(m_supervisor->workerCount() + 1)) {
        Q_EMIT commandFailed(0, m_supervisor->errorString());
        return nullptr;
    }
    const auto workers = m_cluster->workers();
    return !workers.isEmpty() && workers.constLast()->id() > before ? workers.constLast() : nullptr;
}

void ClusterController::doFork()
{
    fork();
}

QList<Worker *> ClusterController::liveWorkers() const
{
    QList<Worker *> live;
    if (!m_cluster)
        return live;
    const auto workers = m_cluster->workers();
    for (Worker *worker : workers) {
        const Worker::State state = worker->state();
        if ((state == Worker::None || state == Worker::Online || state == Worker::Listening)
            && !worker->exitedAfterDisconnect() && !m_killed.contains(worker->id()))
            live.append(worker);
    }
    return live;
}

int ClusterController::workerCount() const
{
    return m_cluster ? int(m_cluster->workers().size()) : 0;
}

int ClusterController::targetWorkerCount() const
{
    if (m_starting)
        return m_config.workers;
    return m_supervisor && status() == Status::Running ? m_supervisor->workerCount()
                                                       : liveWorkerCount();
}

Supervisor *ClusterController::supervisor() const
{
    return status() == Status::Running ? m_supervisor : nullptr;
}

QList<WorkerStatus> ClusterController::workers() const
{
    QList<WorkerStatus> statuses;
    if (!m_cluster)
        return statuses;
    const auto workers = m_cluster->workers();
    for (const Worker *worker : workers)
        statuses.append(statusOf(worker));
    return statuses;
}

std::optional<WorkerStatus> ClusterController::worker(int id) const
{
    if (const Worker *found = m_cluster ? m_cluster->workerById(id) : nullptr)
        return statusOf(found);
    return std::nullopt;
}

QString ClusterController::policyName() const
{
    return m_cluster ? schedulingPolicyName(m_cluster->schedulingPolicy()) : QString();
}

void ClusterController::doScaleTo(int count)
{
    if (!m_supervisor)
        return;
    const QList<Worker *> before = liveWorkers();
    if (!m_supervisor->scaleTo(count)) {
        Q_EMIT commandFailed(0, m_supervisor->errorString());
        return;
    }
    // Those asked to go are no longer live, before anything else happens to them.
    for (Worker *worker : before)
        if (worker->exitedAfterDisconnect())
            Q_EMIT workerChanged(statusOf(worker));
}

void ClusterController::doDisconnectWorker(int id)
{
    if (Worker *worker = m_cluster ? m_cluster->workerById(id) : nullptr) {
        worker->disconnectFromCluster();
        Q_EMIT workerChanged(statusOf(worker));
    }
}

void ClusterController::doKillWorker(int id, int signal)
{
    if (Worker *worker = m_cluster ? m_cluster->workerById(id) : nullptr) {
        m_killed.insert(id);
        worker->kill(signal);
        Q_EMIT workerChanged(statusOf(worker));
    }
}

int ClusterController::sendMessage(const QList<int> &ids, const QCborValue &message)
{
    if (!m_cluster)
        return 0;
    QList<Worker *> targets;
    if (ids.isEmpty()) {
        const auto workers = m_cluster->workers();
        for (Worker *worker : workers)
            if (worker->isConnected())
                targets.append(worker);
    } else {
        for (int id : ids)
            if (Worker *worker = m_cluster->workerById(id))
                targets.append(worker);
    }
    int sent = 0;
    for (Worker *worker : std::as_const(targets)) {
        // A failed send reports itself through workerErrorOccurred, which the log shows.
        if (worker->send(message)) {
            ++sent;
            reportMessageSent(worker->id(), message);
        }
    }
    return sent;
}

void ClusterController::doSendMessage(
    const QList<int> &ids, const QCborValue &message, const SendHandler &done)
{
    const int sent = sendMessage(ids, message);
    done(sent, sent > 0 ? QString() : tr("no connected worker"));
}

void ClusterController::doDisconnectAll()
{
    if (!m_cluster)
        return;
    m_cluster->disconnectAll();
    reportAllWorkers();
}

void ClusterController::doRollingRestart()
{
    if (m_supervisor)
        m_supervisor->rollingRestart();
}

void ClusterController::doResume()
{
    if (m_supervisor && m_supervisor->hasGivenUp())
        m_supervisor->resume();
}

void ClusterController::reportAllWorkers()
{
    if (!m_cluster)
        return;
    const auto workers = m_cluster->workers();
    for (const Worker *worker : workers)
        Q_EMIT workerChanged(statusOf(worker));
}

} // namespace Monitor
