// RemoteClusterSource: the control protocol's snapshot, events and stats as worker statuses.
#include "remoteclustersource.h"

#include <libcluster/controlclient.h>

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

Worker::State stateFromName(const QString &name)
{
    if (name == QLatin1String("online"))
        return Worker::Online;
    if (name == QLatin1String("listening"))
        return Worker::Listening;
    if (name == QLatin1String("disconnected"))
        return Worker::Disconnected;
    if (name == QLatin1String("dead"))
        return Worker::Dead;
    return Worker::None;
}

Address addressFromObject(const QJsonObject &object)
{
    const QString type = object.value(QLatin1String("addressType")).toString();
    Address::AddressType addressType = Address::IPv4;
    if (type == QLatin1String("6"))
        addressType = Address::IPv6;
    else if (type == QLatin1String("-1"))
        addressType = Address::Local;
    else if (type == QLatin1String("udp4"))
        addressType = Address::Udp4;
    else if (type == QLatin1String("udp6"))
        addressType = Address::Udp6;
    return Address(object.value(QLatin1String("address")).toString(),
        quint16(object.value(QLatin1String("port")).toInt()), addressType);
}

// CPU and memory are null until sampled.
double sampleOf(const QJsonValue &value)
{
    return value.isDouble() ? value.toDouble() : -1;
}

void applyCounts(WorkerStatus &status, const QJsonObject &object)
{
    const QJsonObject connections = object.value(QLatin1String("connections")).toObject();
    status.openConnections = connections.value(QLatin1String("open")).toInt();
    status.connectionsAccepted = connections.value(QLatin1String("accepted")).toInteger();
    status.requests = object.value(QLatin1String("requests")).toInteger();
    status.cpu = sampleOf(object.value(QLatin1String("cpu")));
    const QJsonValue rss = object.value(QLatin1String("rss"));
    status.memory = rss.isDouble() ? rss.toInteger() : -1;
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
    const QJsonArray exited = snapshot.value(QLatin1String("exited")).toArray();
    for (const QJsonValue &record : exited)
        remember(statusFromExitRecord(record.toObject()));
    quint16 port = 0;
    const QJsonArray workers = snapshot.value(QLatin1String("workers")).toArray();
    for (const QJsonValue &value : workers) {
        const QJsonObject object = value.toObject();
        const WorkerStatus status = statusFromWorkerObject(object);
        m_workers.insert(status.id, status);
        const QJsonArray addresses = object.value(QLatin1String("addresses")).toArray();
        for (const QJsonValue &address : addresses)
            if (port == 0)
                port = addressFromObject(address.toObject()).port();
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
    const QJsonObject supervisor = snapshot.value(QLatin1String("supervisor")).toObject();
    m_targetCount = supervisor.contains(QLatin1String("workerCount"))
        ? supervisor.value(QLatin1String("workerCount")).toInt()
        : -1;
    setPort(port);
    applySettings(snapshot);

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

void RemoteClusterSource::applySettings(const QJsonObject &snapshot)
{
    const QJsonObject settings = snapshot.value(QLatin1String("settings")).toObject();
    m_program = settings.value(QLatin1String("exec")).toString();
    m_arguments.clear();
    const QJsonArray arguments = settings.value(QLatin1String("args")).toArray();
    for (const QJsonValue &argument : arguments)
        m_arguments.append(argument.toString());
    m_policy = snapshot.value(QLatin1String("policy")).toString();
    m_outputCaptured = settings.value(QLatin1String("silent")).toBool();
}

WorkerStatus RemoteClusterSource::statusFromWorkerObject(const QJsonObject &object)
{
    WorkerStatus status;
    status.id = object.value(QLatin1String("id")).toInt();
    status.pid = object.value(QLatin1String("pid")).toInteger();
    status.state = stateFromName(object.value(QLatin1String("state")).toString());
    status.connected = object.value(QLatin1String("connected")).toBool();
    status.dead = object.value(QLatin1String("dead")).toBool();
    status.exitedAfterDisconnect = object.value(QLatin1String("exitedAfterDisconnect")).toBool();
    const QJsonArray addresses = object.value(QLatin1String("addresses")).toArray();
    for (const QJsonValue &address : addresses)
        status.addresses.append(address.toObject().value(QLatin1String("text")).toString());
    applyCounts(status, object);
    status.forkedAt = object.value(QLatin1String("forkedAt")).toInteger();
    if (status.dead) {
        status.exitCode = object.value(QLatin1String("exitCode")).toInt();
        status.exitSignal = object.value(QLatin1String("exitSignal")).toInt();
    }
    return status;
}

WorkerStatus RemoteClusterSource::statusFromExitRecord(const QJsonObject &record)
{
    WorkerStatus status;
    status.id = record.value(QLatin1String("id")).toInt();
    status.pid = record.value(QLatin1String("pid")).toInteger();
    status.state = Worker::Dead;
    status.dead = true;
    status.exitCode = record.value(QLatin1String("code")).toInt();
    status.exitSignal = record.value(QLatin1String("signal")).toInt();
    status.exitedAfterDisconnect = record.value(QLatin1String("exitedAfterDisconnect")).toBool();
    status.forkedAt = record.value(QLatin1String("forkedAt")).toInteger();
    status.exitedAt = record.value(QLatin1String("time")).toInteger();
    const QJsonArray addresses = record.value(QLatin1String("addresses")).toArray();
    for (const QJsonValue &address : addresses)
        status.addresses.append(address.toObject().value(QLatin1String("text")).toString());
    status.requests = record.value(QLatin1String("requests")).toInteger();
    status.connectionsAccepted = record.value(QLatin1String("connections"))
                                     .toObject()
                                     .value(QLatin1String("accepted"))
                                     .toInteger();
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

void RemoteClusterSource::applyEvent(const QJsonObject &event)
{
    const QString name = event.value(QLatin1String("event")).toString();
    const int id = event.value(QLatin1String("id")).toInt();
    const qint64 pid = event.value(QLatin1String("pid")).toInteger();
    if (name == QLatin1String("fork")) {
        WorkerStatus status
            = statusFromWorkerObject(event.value(QLatin1String("worker")).toObject());
        if (status.id == 0) {
            status.id = id;
            status.pid = pid;
        }
        m_workers.insert(status.id, status);
        Q_EMIT workerChanged(status);
        Q_EMIT workerForked(status.id);
    } else if (name == QLatin1String("online")) {
        if (WorkerStatus *status = runningWorker(id)) {
            status->pid = pid;
            status->connected = true;
            if (status->state == Worker::None)
                status->state = Worker::Online;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerOnline(id, pid);
    } else if (name == QLatin1String("listening")) {
        const Address address = addressFromObject(event.value(QLatin1String("address")).toObject());
        if (port() == 0 && address.port() != 0)
            setPort(address.port());
        if (WorkerStatus *status = runningWorker(id)) {
            if (!status->addresses.contains(address.toString()))
                status->addresses.append(address.toString());
            if (status->state == Worker::None || status->state == Worker::Online)
                status->state = Worker::Listening;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerListening(id, address);
    } else if (name == QLatin1String("disconnect")) {
        if (WorkerStatus *status = runningWorker(id)) {
            status->connected = false;
            if (!status->dead)
                status->state = Worker::Disconnected;
            Q_EMIT workerChanged(*status);
        }
        Q_EMIT workerDisconnected(id);
    } else if (name == QLatin1String("exit")) {
        WorkerStatus status;
        if (const WorkerStatus *running = runningWorker(id))
            status = *running;
        status.id = id;
        status.pid = pid;
        status.state = Worker::Dead;
        status.dead = true;
        status.exitCode = event.value(QLatin1String("code")).toInt();
        status.exitSignal = event.value(QLatin1String("signal")).toInt();
        status.exitedAfterDisconnect = event.value(QLatin1String("exitedAfterDisconnect")).toBool();
        status.exitedAt = event.value(QLatin1String("time")).toInteger();
        status.openConnections = 0;
        m_workers.insert(id, status);
        retire(id);
        Q_EMIT workerChanged(status);
        Q_EMIT workerExited(id, status.exitCode, status.exitSignal, status.exitedAfterDisconnect);
    } else if (name == QLatin1String("message")) {
        Q_EMIT messageReceived(
            id, QCborValue::fromJsonValue(event.value(QLatin1String("message"))));
    } else if (name == QLatin1String("error")) {
        Q_EMIT workerErrorOccurred(id, event.value(QLatin1String("errorString")).toString());
    } else if (name == QLatin1String("output")) {
        const Worker::OutputChannel channel
            = event.value(QLatin1String("channel")).toString() == QLatin1String("stderr")
            ? Worker::StandardError
            : Worker::StandardOutput;
        Q_EMIT outputReceived(id, channel, event.value(QLatin1String("data")).toString().toUtf8());
    } else if (name == QLatin1String("setup")) {
        // The event says only that the settings changed; the snapshot says how.
        QPointer<RemoteClusterSource> guard(this);
        m_client->sendCommand(QStringLiteral("snapshot"), {}, [guard](const QJsonObject &reply) {
            if (!guard || !reply.value(QLatin1String("ok")).toBool())
                return;
            guard->applySettings(reply.value(QLatin1String("snapshot")).toObject());
            Q_EMIT guard->setupApplied(
                guard->m_program, guard->m_arguments, guard->m_outputCaptured, guard->m_policy);
        });
    } else {
        applySupervisorEvent(name, event);
    }
}

void RemoteClusterSource::applySupervisorEvent(const QString &name, const QJsonObject &event)
{
    if (name == QLatin1String("workerCount")) {
        m_targetCount = event.value(QLatin1String("count")).toInt();
        Q_EMIT targetWorkerCountChanged();
    }
    reportSupervisorEvent(name, event);
}

void RemoteClusterSource::applyStats(const QJsonObject &stats)
{
    const QJsonArray workers = stats.value(QLatin1String("workers")).toArray();
    for (const QJsonValue &value : workers) {
        const QJsonObject object = value.toObject();
        WorkerStatus *status = runningWorker(object.value(QLatin1String("id")).toInt());
        if (!status)
            continue;
        applyCounts(*status, object);
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
    return [guard, workerId](const QJsonObject &reply) {
        if (guard && !reply.value(QLatin1String("ok")).toBool())
            Q_EMIT guard->commandFailed(workerId, reply.value(QLatin1String("error")).toString());
    };
}

void RemoteClusterSource::doFork()
{
    QPointer<RemoteClusterSource> guard(this);
    m_client->fork([guard](const QJsonObject &reply) {
        if (!guard)
            return;
        if (!reply.value(QLatin1String("ok")).toBool())
            Q_EMIT guard->commandFailed(0, reply.value(QLatin1String("error")).toString());
        else if (reply.value(QLatin1String("deferred")).toBool())
            Q_EMIT guard->commandIssued(
                0, tr("the new worker is forked once the rolling restart is over"));
    });
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
        m_client->sendMessageToAll(json, [guard, message, done](const QJsonObject &reply) {
            const int sent = reply.value(QLatin1String("sent")).toInt();
            if (guard && sent > 0)
                guard->reportMessageSentToAll(sent, message);
            done(sent,
                reply.value(QLatin1String("ok")).toBool()
                    ? QString()
                    : reply.value(QLatin1String("error")).toString());
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
            id, json, [guard, message, done, outcome, id](const QJsonObject &reply) {
                if (reply.value(QLatin1String("ok")).toBool()) {
                    ++outcome->sent;
                    if (guard)
                        guard->reportMessageSent(id, message);
                } else if (outcome->error.isEmpty()) {
                    outcome->error = reply.value(QLatin1String("error")).toString();
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
