// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RemoteClusterSource: the control protocol's snapshot, events and stats as worker statuses.
#include "remoteclustersource.h"

#include <libcluster/controlclient.h>
#include <libcluster/controlpackets.h>

#include <QJsonArray>
#include <QPointer>

#include <memory>

using namespace LibCluster;

namespace Monitor {

namespace {
// As many exited workers as the primary's snapshot keeps.
constexpr int ExitHistory = 32;
// ControlServer's default; the client does not tell what the welcome said.
constexpr int StatsInterval = 1000;

void applyCounts(WorkerStatus &status, const Control::WorkerCounts &counts)
{
    status.openConnections = counts.openConnections;
    status.connectionsAccepted = counts.connectionsAccepted;
    status.requests = counts.requests;
    status.cpu = counts.cpu;
    status.memory = counts.rss;
}
} // namespace

RemoteClusterSource::RemoteClusterSource(QObject *parent)
    : ClusterSource(parent)
    , m_client(new ControlClient(this))
{
    m_client->setAutoReconnect(true);
    connect(m_client, &ControlClient::stateChanged, this, [this](ControlClient::State state) {
        if (state != ControlClient::ConnectedState)
            m_welcomed = false;
        updateStatus();
    });
    connect(m_client, &ControlClient::connected, this, &RemoteClusterSource::onConnected);
    connect(m_client, &ControlClient::disconnected, this, &RemoteClusterSource::onDisconnected);
    connect(m_client, &ControlClient::errorOccurred, this,
        [this](ControlClient::Error error, const QString &text) {
            // A lost connection is reported by onDisconnected(), in the monitor's words.
            if (m_attached && error != ControlClient::ConnectionLostError)
                Q_EMIT endpointEventOccurred(text, true);
        });
    connect(m_client, &ControlClient::eventReceived, this, &RemoteClusterSource::applyEvent);
    connect(m_client, &ControlClient::statsReceived, this, &RemoteClusterSource::applyStats);
}

RemoteClusterSource::~RemoteClusterSource()
{
    // Before this object is half gone: the client calls no reply handler on its way out.
    delete m_client;
    m_client = nullptr;
}

void RemoteClusterSource::attach(const QString &name)
{
    detach();
    m_name = name;
    m_attached = true;
    m_everConnected = false;
    m_welcomed = false;
    m_workers.clear();
    m_exited.clear();
    m_program.clear();
    m_arguments.clear();
    m_policy.clear();
    m_outputCaptured = false;
    m_targetCount = -1;
    setPort(0);
    Q_EMIT endpointEventOccurred(tr("attaching to the control endpoint %1").arg(name), false);
    updateStatus();
    Q_EMIT workersReset();
    m_client->connectToEndpoint(name);
}

void RemoteClusterSource::detach()
{
    if (!m_attached)
        return;
    m_attached = false;
    m_client->disconnectFromEndpoint();
    m_workers.clear();
    m_exited.clear();
    Q_EMIT endpointEventOccurred(
        tr("detached from the control endpoint %1; its cluster runs on").arg(m_name), false);
    updateStatus();
}

qint64 RemoteClusterSource::primaryProcessId() const
{
    return m_welcomed ? m_client->primaryProcessId() : 0;
}

void RemoteClusterSource::updateStatus()
{
    if (!m_attached)
        setStatus(Status::Stopped);
    else if (m_welcomed)
        setStatus(Status::Running);
    else
        setStatus(m_everConnected ? Status::Reconnecting : Status::Connecting);
}

void RemoteClusterSource::onConnected(const QJsonObject &snapshot)
{
    if (!m_attached)
        return;
    const bool again = m_everConnected;
    m_everConnected = true;
    m_welcomed = true;
    m_workers.clear();
    m_exited.clear();
    const Control::ClusterSnapshot cluster = Control::ClusterSnapshot::fromJson(snapshot);
    for (const Control::ExitRecord &record : cluster.exited)
        remember(statusFromExitRecord(record));
    quint16 port = 0;
    for (const Control::WorkerSnapshot &worker : cluster.workers) {
        m_workers.insert(worker.id, statusFromWorkerSnapshot(worker));
        for (const Address &address : worker.addresses)
            if (port == 0)
                port = address.port();
    }
    // A worker that exited but has not disconnected yet is in both lists; only the record says
    // when it exited.
    for (auto it = m_exited.begin(); it != m_exited.end();) {
        if (WorkerStatus *running = runningWorker(it->id)) {
            running->exitedAt = it->exitedAt;
            it = m_exited.erase(it);
        } else {
            ++it;
        }
    }
    m_targetCount = cluster.supervisor ? cluster.supervisor->workerCount : -1;
    setSupervision(cluster.supervisor && cluster.supervisor->gaveUp,
        cluster.supervisor && cluster.supervisor->restarting);
    setPort(port);
    applySettings(cluster);

    Q_EMIT endpointEventOccurred(again
            ? tr("reconnected to %1: primary %2").arg(m_name).arg(m_client->primaryProcessId())
            : tr("attached to %1: primary %2").arg(m_name).arg(m_client->primaryProcessId()),
        false);
    updateStatus();
    Q_EMIT workersReset();
    Q_EMIT setupApplied(m_program, m_arguments, m_outputCaptured, m_policy);
}

void RemoteClusterSource::onDisconnected()
{
    if (!m_attached)
        return;
    Q_EMIT endpointEventOccurred(
        tr("the primary behind %1 went away; waiting for it to come back").arg(m_name), true);
    updateStatus();
}

void RemoteClusterSource::applySettings(const Control::ClusterSnapshot &snapshot)
{
    m_program = snapshot.exec;
    m_arguments = snapshot.args;
    m_policy = snapshot.policy;
    m_outputCaptured = snapshot.silent;
}

WorkerStatus RemoteClusterSource::statusFromWorkerSnapshot(const Control::WorkerSnapshot &worker)
{
    WorkerStatus status;
    status.id = worker.id;
    status.pid = worker.pid;
    status.state = worker.state;
    status.connected = worker.connected;
    status.dead = worker.dead;
    status.exitedAfterDisconnect = worker.exitedAfterDisconnect || worker.killed;
    for (const Address &address : worker.addresses)
        status.addresses.append(address.toString());
    applyCounts(status, worker.counts);
    status.forkedAt = worker.forkedAt;
    if (status.dead) {
        status.exitCode = worker.exitCode;
        status.exitSignal = worker.exitSignal;
    }
    return status;
}

WorkerStatus RemoteClusterSource::statusFromExitRecord(const Control::ExitRecord &record)
{
    WorkerStatus status;
    status.id = record.id;
    status.pid = record.pid;
    status.state = Worker::Dead;
    status.dead = true;
    status.exitCode = record.code;
    status.exitSignal = record.signal;
    status.exitedAfterDisconnect = record.exitedAfterDisconnect || record.killed;
    status.forkedAt = record.forkedAt;
    status.exitedAt = record.time;
    for (const Address &address : record.addresses)
        status.addresses.append(address.toString());
    status.requests = record.requests;
    status.connectionsAccepted = record.connectionsAccepted;
    return status;
}

WorkerStatus *RemoteClusterSource::runningWorker(int id)
{
    const auto it = m_workers.find(id);
    return it == m_workers.end() ? nullptr : &*it;
}

void RemoteClusterSource::remember(const WorkerStatus &status)
{
    m_exited.push_back(status);
    while (m_exited.size() > ExitHistory)
        m_exited.pop_front();
}

void RemoteClusterSource::retire(int id)
{
    const auto it = m_workers.find(id);
    if (it == m_workers.end())
        return;
    remember(*it);
    m_workers.erase(it);
}

void RemoteClusterSource::applyEvent(const QJsonObject &object)
{
    using Event = Control::ClusterEvent;
    const Event event = Event::fromJson(object);
    const int id = event.id;
    switch (event.type) {
    case Event::Fork: {
        WorkerStatus status
            = statusFromWorkerSnapshot(event.worker.value_or(Control::WorkerSnapshot()));
        if (status.id == 0) {
            status.id = id;
            status.pid = event.pid;
        }
        m_workers.insert(status.id, status);
        Q_EMIT workerChanged(status);
        Q_EMIT workerForked(status.id);
        break;
    }
    case Event::Online:
        if (WorkerStatus *status = runningWorker(id)) {
            status->pid = event.pid;
            status->connected = true;
            if (status->state == Worker::None)
                status->state = Worker::Online;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerOnline(id, event.pid);
        break;
    case Event::Listening:
        if (port() == 0 && event.address.port() != 0)
            setPort(event.address.port());
        if (WorkerStatus *status = runningWorker(id)) {
            if (!status->addresses.contains(event.address.toString()))
                status->addresses.append(event.address.toString());
            if (status->state == Worker::None || status->state == Worker::Online)
                status->state = Worker::Listening;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerListening(id, event.address);
        break;
    case Event::Disconnect:
        if (WorkerStatus *status = runningWorker(id)) {
            status->connected = false;
            if (!status->dead)
                status->state = Worker::Disconnected;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerDisconnected(id);
        break;
    case Event::Exit: {
        WorkerStatus status;
        if (const WorkerStatus *running = runningWorker(id))
            status = *running;
        status.id = id;
        status.pid = event.pid;
        status.state = Worker::Dead;
        status.dead = true;
        status.exitCode = event.code;
        status.exitSignal = event.signal;
        // Asked to go: a disconnect, or a kill (by this monitor or another client).
        status.exitedAfterDisconnect = event.exitedAfterDisconnect || event.killed;
        status.exitedAt = event.time;
        status.openConnections = 0;
        m_workers.insert(id, status);
        retire(id);
        Q_EMIT workerChanged(status);
        Q_EMIT workerExited(id, status.exitCode, status.exitSignal, status.exitedAfterDisconnect);
        break;
    }
    case Event::ListenOverdue:
        Q_EMIT workerListenOverdue(id, event.elapsed, event.exited);
        break;
    case Event::Message:
        Q_EMIT messageReceived(id, QCborValue::fromJsonValue(event.message));
        break;
    case Event::Error:
        Q_EMIT workerErrorOccurred(id, event.errorString);
        break;
    case Event::Output:
        Q_EMIT outputReceived(id, event.channel, event.data.toUtf8());
        break;
    case Event::Setup: {
        // The event says only that the settings changed; the snapshot says how.
        QPointer<RemoteClusterSource> guard(this);
        m_client->requestSnapshot([guard](const QJsonObject &object) {
            const Control::CommandReply reply = Control::CommandReply::fromJson(object);
            if (!guard || !reply.ok)
                return;
            guard->applySettings(
                Control::ClusterSnapshot::fromJson(reply.snapshot.value_or(QJsonObject())));
            Q_EMIT guard->setupApplied(
                guard->m_program, guard->m_arguments, guard->m_outputCaptured, guard->m_policy);
        });
        break;
    }
    default:
        if (event.type == Event::WorkerCount) {
            m_targetCount = event.count;
            Q_EMIT targetWorkerCountChanged();
        }
        reportSupervisorEvent(event);
        break;
    }
}

void RemoteClusterSource::applyStats(const QJsonObject &object)
{
    const Control::ClusterStats stats = Control::ClusterStats::fromJson(object);
    for (const Control::WorkerStats &worker : stats.workers) {
        WorkerStatus *status = runningWorker(worker.id);
        if (!status)
            continue;
        applyCounts(*status, worker.counts);
        if (status->dead)
            status->openConnections = 0;
        Q_EMIT workerChanged(*status);
    }
}

QList<WorkerStatus> RemoteClusterSource::workers() const
{
    QMap<int, WorkerStatus> all;
    for (const WorkerStatus &status : m_exited)
        all.insert(status.id, status);
    for (const WorkerStatus &status : m_workers)
        all.insert(status.id, status);
    return all.values();
}

std::optional<WorkerStatus> RemoteClusterSource::worker(int id) const
{
    const auto it = m_workers.constFind(id);
    if (it == m_workers.cend())
        return std::nullopt;
    return *it;
}

int RemoteClusterSource::targetWorkerCount() const
{
    return m_targetCount >= 0 ? m_targetCount : liveWorkerCount();
}

int RemoteClusterSource::reportInterval() const
{
    return StatsInterval;
}

std::function<void(const QJsonObject &)> RemoteClusterSource::failureLogger(int workerId)
{
    QPointer<RemoteClusterSource> guard(this);
    return [guard, workerId](const QJsonObject &object) {
        const Control::CommandReply reply = Control::CommandReply::fromJson(object);
        if (guard && !reply.ok)
            Q_EMIT guard->commandFailed(workerId, reply.error);
    };
}

void RemoteClusterSource::doFork()
{
    QPointer<RemoteClusterSource> guard(this);
    m_client->fork([guard](const QJsonObject &object) {
        const Control::CommandReply reply = Control::CommandReply::fromJson(object);
        if (!guard)
            return;
        if (!reply.ok)
            Q_EMIT guard->commandFailed(0, reply.error);
        else if (reply.deferred.value_or(false))
            Q_EMIT guard->commandIssued(
                0, tr("the new worker is forked once the rolling restart is over"));
    });
}

void RemoteClusterSource::doRollingRestart()
{
    QPointer<RemoteClusterSource> guard(this);
    // The reply comes when the restart is over (the event log has it from the event).
    m_client->rollingRestart([guard](const QJsonObject &object) {
        if (!guard)
            return;
        const Control::CommandReply reply = Control::CommandReply::fromJson(object);
        if (!reply.ok)
            Q_EMIT guard->commandFailed(0, reply.error);
        guard->setSupervision(guard->hasGivenUp(), false);
    });
}

void RemoteClusterSource::doResume()
{
    m_client->resume(failureLogger(0));
}

void RemoteClusterSource::doScaleTo(int count)
{
    m_client->scaleTo(count, failureLogger(0));
}

void RemoteClusterSource::doDisconnectWorker(int id)
{
    // Asked to go: no longer live, as in the primary.
    if (WorkerStatus *status = runningWorker(id)) {
        status->exitedAfterDisconnect = true;
        Q_EMIT workerChanged(*status);
    }
    m_client->disconnectWorker(id, false, failureLogger(id));
}

void RemoteClusterSource::doKillWorker(int id, int signal)
{
    if (WorkerStatus *status = runningWorker(id)) {
        status->exitedAfterDisconnect = true;
        Q_EMIT workerChanged(*status);
    }
    m_client->killWorker(id, signal, false, failureLogger(id));
}

void RemoteClusterSource::doSendMessage(
    const QList<int> &ids, const QCborValue &message, const SendHandler &done)
{
    const QJsonValue json = message.toJsonValue();
    QPointer<RemoteClusterSource> guard(this);
    if (ids.isEmpty()) {
        m_client->sendMessageToAll(json, [guard, message, done](const QJsonObject &object) {
            const Control::CommandReply reply = Control::CommandReply::fromJson(object);
            const int sent = reply.sent.value_or(0);
            if (guard && sent > 0)
                guard->reportMessageSentToAll(sent, message);
            done(sent, reply.ok ? QString() : reply.error);
        });
        return;
    }
    // One command per worker; `done` once all have answered.
    struct Outcome
    {
        int pending = 0;
        int sent = 0;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>();
    outcome->pending = int(ids.size());
    for (int id : ids) {
        m_client->sendMessage(
            id, json, [guard, message, done, outcome, id](const QJsonObject &object) {
                const Control::CommandReply reply = Control::CommandReply::fromJson(object);
                if (reply.ok) {
                    ++outcome->sent;
                    if (guard)
                        guard->reportMessageSent(id, message);
                } else if (outcome->error.isEmpty()) {
                    outcome->error = reply.error;
                }
                if (--outcome->pending == 0)
                    done(outcome->sent, outcome->sent > 0 ? QString() : outcome->error);
            });
    }
}

void RemoteClusterSource::doDisconnectAll()
{
    // The primary's own Cluster::disconnectAll(), as ClusterController calls it, and not a scale
    // to 0, which would change the number of workers a supervisor keeps. Shown as asked to go at
    // once, as the primary marks them: those still connected.
    for (WorkerStatus &status : m_workers) {
        if (status.connected && !status.dead) {
            status.exitedAfterDisconnect = true;
            Q_EMIT workerChanged(status);
        }
    }
    m_client->disconnectAll(false, failureLogger(0));
}

} // namespace Monitor
