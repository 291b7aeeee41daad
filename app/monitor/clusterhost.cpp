// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterHost: start, stop, fork, scale, disconnect, kill and send, through the public API.
#include "clusterhost.h"

#include <libcluster/cluster.h>
#include <libcluster/controlserver.h>
#include <libcluster/metricsserver.h>
#include <libcluster/supervisor.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <csignal>
#include <utility>

using namespace LibCluster;

namespace Monitor {

ClusterHost::ClusterHost(QObject *parent)
    : WorkerEvents(parent)
    , m_dropReport(new QTimer(this))
{
    m_dropReport->setInterval(100);
    connect(m_dropReport, &QTimer::timeout, this, &ClusterHost::reportDropped);
}

ClusterHost::~ClusterHost()
{
    // The endpoint first: it follows the cluster. The Cluster's destructor closes every
    // channel; workers then exit on their own.
    closeEndpoint();
    delete m_cluster;
}

Supervisor *ClusterHost::supervisor() const
{
    return m_stopping ? nullptr : m_supervisor.data();
}

void ClusterHost::start(const ClusterConfig &config)
{
    Q_ASSERT(!m_cluster);
    m_config = config;
    m_stopping = false;
    createCluster();
    openEndpoint();
    // Before the endpoint's event is passed on, so that whoever shows it finds its name.
    Q_EMIT started(schedulingPolicyName(m_cluster->schedulingPolicy()),
        m_controlServer ? m_controlServer->name() : QString());
    releaseEndpointEvents();
    // The supervisor forks a few per pass of the event loop, so that this thread stays
    // responsive too.
    m_supervisor->scaleTo(qBound(0, config.workers, m_supervisor->maxWorkers()));
    Q_EMIT targetWorkerCountChanged(m_supervisor->workerCount());
}

WorkerStatus ClusterHost::statusOf(const Worker *worker) const
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

void ClusterHost::createCluster()
{
    m_port = 0;
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
            if (m_port == 0 && address.port() != 0) {
                m_port = address.port();
                Q_EMIT portChanged(m_port);
            }
            changed(worker);
            Q_EMIT workerListening(worker->id(), address);
        });
    connect(cluster, &Cluster::messageReceived, this,
        [this](Worker *worker, const QCborValue &message) {
            if (admit(0, false))
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
            if (admit(data.size(), true))
                Q_EMIT outputReceived(worker->id(), channel, data);
        });
    connect(cluster, &Cluster::workerCountersChanged, this, changed);
    connect(cluster, &Cluster::resourceUsageUpdated, this, &ClusterHost::reportAllWorkers);
    // After every other slot has seen the worker's last signal.
    const auto checkLater = [this] { QTimer::singleShot(0, this, &ClusterHost::checkStopped); };
    connect(cluster, &Cluster::workerExited, this, checkLater);
    connect(cluster, &Cluster::workerExited, this, [this](Worker *worker, int, int signal) {
        // The supervisor's shutdown kills what outlives the grace period; the log says why.
        if (m_stopping && signal == SIGKILL && m_stoppingClock.hasExpired(m_gracePeriod))
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
            Q_EMIT supervisorEventOccurred(event);
        });
    connect(m_supervisor, &Supervisor::workerReplaced, this,
        [this](int oldId, Worker *replacement, Supervisor::ReplaceReason reason) {
            Event event(Event::Replaced);
            event.id = replacement->id();
            event.oldId = oldId;
            event.reason = Control::replaceReasonName(reason);
            Q_EMIT supervisorEventOccurred(event);
        });
    connect(m_supervisor, &Supervisor::respawnScheduled, this, [this](int delay) {
        Event event(Event::RespawnScheduled);
        event.delay = delay;
        Q_EMIT supervisorEventOccurred(event);
    });
    connect(m_supervisor, &Supervisor::gaveUp, this, [this](const QString &reason) {
        Event event(Event::GaveUp);
        event.reason = reason;
        Q_EMIT supervisorEventOccurred(event);
    });
    connect(m_supervisor, &Supervisor::resumed, this,
        [this] { Q_EMIT supervisorEventOccurred(Event(Event::Resumed)); });
    Supervisor *supervisor = m_supervisor;
    connect(m_supervisor, &Supervisor::workerCountChanged, this,
        [this, supervisor] { Q_EMIT targetWorkerCountChanged(supervisor->workerCount()); });
    // Those the supervisor asked to go (a scale from the window or the control endpoint, a
    // replacement) are no longer live; the library says so only once they disconnect. Queued:
    // the supervisor announces the new count first and retires the workers after.
    connect(m_supervisor, &Supervisor::workerCountChanged, this, &ClusterHost::reportAllWorkers,
        Qt::QueuedConnection);
    connect(m_supervisor, &Supervisor::workerReplaced, this, &ClusterHost::reportAllWorkers,
        Qt::QueuedConnection);
}

void ClusterHost::openEndpoint()
{
    closeEndpoint();
    const QString name = m_config.controlName.isEmpty() ? ClusterConfig::defaultControlName()
                                                        : m_config.controlName;
    m_controlServer = new ControlServer(m_cluster, m_supervisor, this);
    // A "shutdown" from outside stops the workers, not the monitor.
    m_controlServer->setShutdownQuitsApplication(false);
    m_controlServer->setShutdownTimeout(m_config.shutdownTimeout);
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
        m_endpointEvents.append(
            { tr("control endpoint %1 open (cluster-run ctl %1 status)").arg(name), false });
    } else {
        m_endpointEvents.append({ tr("cannot open the control endpoint %1: %2")
                                      .arg(name, m_controlServer->errorString()),
            true });
        delete m_controlServer;
        m_controlServer = nullptr;
    }
    QHostAddress address;
    quint16 port = 0;
    QString error;
    if (m_config.metricsAddress.isEmpty()) {
        return;
    } else if (!MetricsServer::parseAddress(m_config.metricsAddress, &address, &port, &error)) {
        m_endpointEvents.append({ tr("cannot serve metrics: %1").arg(error), true });
        return;
    }
    m_metricsServer = new MetricsServer(m_cluster, m_supervisor, this);
    if (m_metricsServer->listen(address, port)) {
        m_endpointEvents.append({ tr("metrics on http://%1:%2/metrics")
                                      .arg(m_metricsServer->serverAddress().toString())
                                      .arg(m_metricsServer->serverPort()),
            false });
    } else {
        m_endpointEvents.append({ m_metricsServer->errorString(), true });
        delete m_metricsServer;
        m_metricsServer = nullptr;
    }
}

void ClusterHost::releaseEndpointEvents()
{
    const auto events = std::exchange(m_endpointEvents, {});
    for (const auto &[text, alert] : events)
        Q_EMIT endpointEventOccurred(text, alert);
}

void ClusterHost::closeEndpoint()
{
    delete m_metricsServer;
    m_metricsServer = nullptr;
    delete m_controlServer;
    m_controlServer = nullptr;
}

void ClusterHost::stop(int gracePeriod)
{
    if (!m_cluster || m_stopping)
        return;
    m_stopping = true;
    m_gracePeriod = gracePeriod;
    // Nothing is forked or replaced any more; what runs is asked to go, and what still runs
    // after the grace period is killed.
    m_stoppingClock.start();
    if (m_supervisor)
        m_supervisor->shutdown(gracePeriod);
    reportAllWorkers();
    // From the event loop: there may be no worker left to report anything.
    QTimer::singleShot(0, this, &ClusterHost::checkStopped);
}

void ClusterHost::checkStopped()
{
    if (!m_stopping || (m_cluster && !m_cluster->workers().isEmpty()))
        return;
    closeEndpoint();
    if (m_cluster) {
        // The last worker's final signal is still being delivered; let it finish first. Nothing
        // of this cluster is passed on any more: the next one's ids start from 1 again.
        m_cluster->disconnect(this);
        if (m_supervisor)
            m_supervisor->disconnect(this);
        const auto workers = m_cluster->findChildren<Worker *>();
        for (Worker *worker : workers)
            worker->disconnect(this);
        m_cluster->deleteLater();
        m_cluster = nullptr;
    }
    m_stopping = false;
    Q_EMIT stopped();
}

void ClusterHost::fork()
{
    if (!supervisor())
        return;
    // Through the supervisor, so that the worker counts towards what it keeps.
    if (!m_supervisor->scaleTo(m_supervisor->workerCount() + 1))
        Q_EMIT commandFailed(0, m_supervisor->errorString());
}

void ClusterHost::scaleTo(int count)
{
    if (!supervisor())
        return;
    if (!m_supervisor->scaleTo(count))
        Q_EMIT commandFailed(0, m_supervisor->errorString());
}

void ClusterHost::disconnectWorker(int id)
{
    if (Worker *worker = m_cluster ? m_cluster->workerById(id) : nullptr) {
        worker->disconnectFromCluster();
        Q_EMIT workerChanged(statusOf(worker));
    }
}

void ClusterHost::killWorker(int id, int signal)
{
    if (Worker *worker = m_cluster ? m_cluster->workerById(id) : nullptr) {
        m_killed.insert(id);
        worker->kill(signal);
        Q_EMIT workerChanged(statusOf(worker));
    }
}

void ClusterHost::killAll(int signal)
{
    if (!m_cluster)
        return;
    const auto workers = m_cluster->workers();
    for (const Worker *worker : workers)
        killWorker(worker->id(), signal);
}

QList<int> ClusterHost::sendMessage(const QList<int> &ids, const QCborValue &message)
{
    QList<int> sent;
    if (!m_cluster)
        return sent;
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
    for (Worker *worker : std::as_const(targets)) {
        // A failed send reports itself through workerErrorOccurred, which the log shows.
        if (worker->send(message))
            sent.append(worker->id());
    }
    return sent;
}

void ClusterHost::disconnectAll()
{
    if (!m_cluster)
        return;
    m_cluster->disconnectAll();
    reportAllWorkers();
}

void ClusterHost::rollingRestart()
{
    if (supervisor())
        m_supervisor->rollingRestart();
}

void ClusterHost::resume()
{
    if (supervisor() && m_supervisor->hasGivenUp())
        m_supervisor->resume();
}

bool ClusterHost::admit(qint64 size, bool output)
{
    Backlog &backlog = *m_backlog;
    if (backlog.events.load(std::memory_order_relaxed) < MaxBacklogEvents
        && backlog.bytes.load(std::memory_order_relaxed) + size <= MaxBacklogBytes) {
        backlog.events.fetch_add(1, std::memory_order_relaxed);
        backlog.bytes.fetch_add(size, std::memory_order_relaxed);
        return true;
    }
    (output ? m_droppedOutput : m_droppedMessages) += 1;
    ++m_droppedTotal;
    if (!m_dropReport->isActive())
        m_dropReport->start();
    return false;
}

void ClusterHost::reportDropped()
{
    if (m_backlog->events.load(std::memory_order_relaxed) > MaxBacklogEvents / 2)
        return; // still behind: one report once it has caught up, not one per tick
    m_dropReport->stop();
    Q_EMIT eventsDropped(std::exchange(m_droppedMessages, 0), std::exchange(m_droppedOutput, 0));
}

void ClusterHost::reportAllWorkers()
{
    if (!m_cluster)
        return;
    const auto workers = m_cluster->workers();
    for (const Worker *worker : workers)
        Q_EMIT workerChanged(statusOf(worker));
}

} // namespace Monitor
