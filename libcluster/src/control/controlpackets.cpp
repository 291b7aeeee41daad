// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The control protocol's values: every key of a snapshot, a stats message and an event is spelled
// here, once for writing and once for reading.
#include <libcluster/controlpackets.h>

#include <QJsonArray>
#include <QMetaEnum>

#include <algorithm>

namespace LibCluster::Control {

namespace {
QLatin1String key(const char *name)
{
    return QLatin1String(name);
}

// "Listening" -> "listening", "MemoryLimit" -> "memoryLimit": the protocol's names for Q_ENUMs.
template <typename Enum> QString enumName(Enum value)
{
    QString name = QLatin1String(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
    if (!name.isEmpty())
        name[0] = name.at(0).toLower();
    return name;
}

// -1 ("not sampled yet") travels as null.
QJsonValue sample(double value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}
QJsonValue sample(qint64 value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

QJsonObject countersObject(const QHash<QString, qint64> &counters)
{
    // In key order: a QJsonObject keeps its keys sorted, so each key inserted out of order moves
    // every key after it, which makes a hash's order quadratic in the number of names.
    QList<QString> names = counters.keys();
    std::sort(names.begin(), names.end());
    QJsonObject object;
    for (const QString &name : std::as_const(names))
        object.insert(name, counters.value(name));
    return object;
}

QJsonObject addressObject(const Address &address)
{
    return QJsonObject {
        { key("address"), address.address() },
        { key("port"), address.port() },
        { key("addressType"), address.addressTypeName() },
        { key("text"), address.toString() },
    };
}

Address addressFromObject(const QJsonObject &object)
{
    const QString type = object.value(key("addressType")).toString();
    Address::AddressType addressType = Address::IPv4;
    if (type == QLatin1String("6"))
        addressType = Address::IPv6;
    else if (type == QLatin1String("-1"))
        addressType = Address::Local;
    else if (type == QLatin1String("udp4"))
        addressType = Address::Udp4;
    else if (type == QLatin1String("udp6"))
        addressType = Address::Udp6;
    return Address(object.value(key("address")).toString(),
        quint16(object.value(key("port")).toInt()), addressType);
}

QJsonObject streamObject(const OutputState::Stream &stream)
{
    return QJsonObject {
        { key("written"), stream.written },
        { key("pending"), stream.pending },
        { key("dropped"), stream.dropped },
        { key("droppedWrites"), stream.droppedWrites },
        { key("closed"), stream.closed },
    };
}

OutputState::Stream streamFromObject(const QJsonObject &object)
{
    OutputState::Stream stream;
    stream.written = object.value(key("written")).toInteger();
    stream.pending = object.value(key("pending")).toInteger();
    stream.dropped = object.value(key("dropped")).toInteger();
    stream.droppedWrites = object.value(key("droppedWrites")).toInteger();
    stream.closed = object.value(key("closed")).toBool();
    return stream;
}

template <typename T> QList<T> listFromArray(const QJsonValue &value)
{
    QList<T> list;
    const QJsonArray array = value.toArray();
    list.reserve(array.size());
    for (const QJsonValue &item : array)
        list.append(T::fromJson(item.toObject()));
    return list;
}

template <typename T> QJsonArray arrayFromList(const QList<T> &list)
{
    QJsonArray array;
    for (const T &item : list)
        array.append(item.toJson());
    return array;
}

// The wire names of ClusterEvent::Type, in its order.
constexpr const char *EventNames[ClusterEvent::TypeCount]
    = { "", "setup", "fork", "online", "listening", "disconnect", "exit", "message", "error",
          "output", "replaced", "respawnScheduled", "gaveUp", "resumed", "heartbeatMissed",
          "restartFinished", "workerCount", "shutdownFinished", "outputDropped", "listenOverdue" };
} // namespace

CommandReply CommandReply::success()
{
    CommandReply reply;
    reply.ok = true;
    return reply;
}

CommandReply CommandReply::failure(const QString &error)
{
    CommandReply reply;
    reply.error = error;
    return reply;
}

QJsonObject CommandReply::toJson() const
{
    QJsonObject object { { key("ok"), ok } };
    if (!ok)
        object.insert(key("error"), error);
    const auto put = [&object](const char *name, const auto &value) {
        if (value)
            object.insert(key(name), *value);
    };
    put("worker", worker);
    put("pid", pid);
    put("count", count);
    put("deferred", deferred);
    put("code", code);
    put("signal", signal);
    put("signalName", signalName);
    put("sent", sent);
    put("snapshot", snapshot);
    put("stats", stats);
    if (workers) {
        QJsonArray array;
        for (int id : *workers)
            array.append(id);
        object.insert(key("workers"), array);
    }
    if (failed) {
        QJsonArray array;
        for (const Failure &failure : *failed)
            array.append(QJsonObject {
                { key("worker"), failure.worker },
                { key("error"), failure.error },
            });
        object.insert(key("failed"), array);
    }
    return object;
}

CommandReply CommandReply::fromJson(const QJsonObject &object)
{
    CommandReply reply;
    reply.ok = object.value(key("ok")).toBool();
    reply.error = object.value(key("error")).toString();
    if (object.contains(key("worker")))
        reply.worker = object.value(key("worker")).toInt();
    if (object.contains(key("pid")))
        reply.pid = object.value(key("pid")).toInteger();
    if (object.contains(key("count")))
        reply.count = object.value(key("count")).toInt();
    if (object.contains(key("deferred")))
        reply.deferred = object.value(key("deferred")).toBool();
    if (object.contains(key("code")))
        reply.code = object.value(key("code")).toInt();
    if (object.contains(key("signal")))
        reply.signal = object.value(key("signal")).toInt();
    if (object.contains(key("signalName")))
        reply.signalName = object.value(key("signalName")).toString();
    if (object.contains(key("sent")))
        reply.sent = object.value(key("sent")).toInt();
    if (object.value(key("snapshot")).isObject())
        reply.snapshot = object.value(key("snapshot")).toObject();
    if (object.value(key("stats")).isObject())
        reply.stats = object.value(key("stats")).toObject();
    if (object.value(key("workers")).isArray()) {
        QList<int> ids;
        const QJsonArray array = object.value(key("workers")).toArray();
        for (const QJsonValue &id : array)
            ids.append(id.toInt());
        reply.workers = ids;
    }
    if (object.value(key("failed")).isArray()) {
        QList<Failure> failures;
        const QJsonArray array = object.value(key("failed")).toArray();
        for (const QJsonValue &value : array)
            failures.append(Failure { value.toObject().value(key("worker")).toInt(),
                value.toObject().value(key("error")).toString() });
        reply.failed = failures;
    }
    return reply;
}

QString channelName(Worker::OutputChannel channel)
{
    return channel == Worker::StandardError ? QStringLiteral("stderr") : QStringLiteral("stdout");
}

QString workerStateName(Worker::State state)
{
    return enumName(state);
}

QString workerErrorName(Worker::Error error)
{
    return enumName(error);
}

QString replaceReasonName(Supervisor::ReplaceReason reason)
{
    return enumName(reason);
}

std::optional<Supervisor::ReplaceReason> replaceReasonFromName(const QString &name)
{
    const QMetaEnum reasons = QMetaEnum::fromType<Supervisor::ReplaceReason>();
    for (int i = 0; i < reasons.keyCount(); ++i) {
        const auto reason = Supervisor::ReplaceReason(reasons.value(i));
        if (enumName(reason) == name)
            return reason;
    }
    return std::nullopt;
}

Worker::State workerStateFromName(const QString &name)
{
    for (const Worker::State state :
        { Worker::None, Worker::Online, Worker::Listening, Worker::Disconnected, Worker::Dead })
        if (workerStateName(state) == name)
            return state;
    return Worker::None;
}

void WorkerCounts::writeTo(QJsonObject *object) const
{
    object->insert(key("connections"),
        QJsonObject {
            { key("accepted"), connectionsAccepted },
            { key("open"), openConnections },
        });
    object->insert(key("requests"), requests);
    object->insert(key("counters"), countersObject(counters));
    object->insert(key("cpu"), sample(cpu));
    object->insert(key("rss"), sample(rss));
}

WorkerCounts WorkerCounts::fromJson(const QJsonObject &object)
{
    WorkerCounts counts;
    const QJsonObject connections = object.value(key("connections")).toObject();
    counts.connectionsAccepted = connections.value(key("accepted")).toInteger();
    counts.openConnections = connections.value(key("open")).toInt();
    counts.requests = object.value(key("requests")).toInteger();
    const QJsonObject counters = object.value(key("counters")).toObject();
    for (auto it = counters.begin(); it != counters.end(); ++it)
        counts.counters.insert(it.key(), it.value().toInteger());
    const QJsonValue cpu = object.value(key("cpu"));
    counts.cpu = cpu.isDouble() ? cpu.toDouble() : -1;
    const QJsonValue rss = object.value(key("rss"));
    counts.rss = rss.isDouble() ? rss.toInteger() : -1;
    return counts;
}

bool WorkerCounts::operator==(const WorkerCounts &other) const
{
    return connectionsAccepted == other.connectionsAccepted
        && openConnections == other.openConnections && requests == other.requests
        && counters == other.counters && cpu == other.cpu && rss == other.rss;
}

QJsonObject WorkerSnapshot::toJson() const
{
    QJsonArray addressArray;
    for (const Address &address : addresses)
        addressArray.append(addressObject(address));
    QJsonObject object {
        { key("id"), id },
        { key("pid"), pid },
        { key("state"), workerStateName(state) },
        { key("connected"), connected },
        { key("dead"), dead },
        { key("exitedAfterDisconnect"), exitedAfterDisconnect },
        { key("killed"), killed },
        { key("addresses"), addressArray },
    };
    counts.writeTo(&object);
    if (forkedAt)
        object.insert(key("forkedAt"), forkedAt);
    if (dead) {
        object.insert(key("exitCode"), exitCode);
        object.insert(key("exitSignal"), exitSignal);
        object.insert(key("signalName"), signalName);
    }
    if (!error.isEmpty()) {
        object.insert(key("error"), error);
        object.insert(key("errorString"), errorString);
    }
    return object;
}

WorkerSnapshot WorkerSnapshot::fromJson(const QJsonObject &object)
{
    WorkerSnapshot worker;
    worker.id = object.value(key("id")).toInt();
    worker.pid = object.value(key("pid")).toInteger();
    worker.state = workerStateFromName(object.value(key("state")).toString());
    worker.connected = object.value(key("connected")).toBool();
    worker.dead = object.value(key("dead")).toBool();
    worker.exitedAfterDisconnect = object.value(key("exitedAfterDisconnect")).toBool();
    worker.killed = object.value(key("killed")).toBool();
    worker.forkedAt = object.value(key("forkedAt")).toInteger();
    const QJsonArray addresses = object.value(key("addresses")).toArray();
    for (const QJsonValue &address : addresses)
        worker.addresses.append(addressFromObject(address.toObject()));
    worker.counts = WorkerCounts::fromJson(object);
    worker.exitCode = object.value(key("exitCode")).toInt();
    worker.exitSignal = object.value(key("exitSignal")).toInt();
    worker.signalName = object.value(key("signalName")).toString();
    worker.error = object.value(key("error")).toString();
    worker.errorString = object.value(key("errorString")).toString();
    return worker;
}

QJsonObject ExitRecord::toJson() const
{
    QJsonObject object {
        { key("id"), id },
        { key("pid"), pid },
        { key("code"), code },
        { key("signal"), signal },
        { key("signalName"), signalName },
        { key("exitedAfterDisconnect"), exitedAfterDisconnect },
        { key("killed"), killed },
        { key("time"), time },
    };
    if (forkedAt)
        object.insert(key("forkedAt"), forkedAt);
    QJsonArray addressArray;
    for (const Address &address : addresses)
        addressArray.append(addressObject(address));
    object.insert(key("addresses"), addressArray);
    object.insert(key("requests"), requests);
    object.insert(key("connections"), QJsonObject { { key("accepted"), connectionsAccepted } });
    return object;
}

ExitRecord ExitRecord::fromJson(const QJsonObject &object)
{
    ExitRecord record;
    record.id = object.value(key("id")).toInt();
    record.pid = object.value(key("pid")).toInteger();
    record.code = object.value(key("code")).toInt();
    record.signal = object.value(key("signal")).toInt();
    record.signalName = object.value(key("signalName")).toString();
    record.exitedAfterDisconnect = object.value(key("exitedAfterDisconnect")).toBool();
    record.killed = object.value(key("killed")).toBool();
    record.time = object.value(key("time")).toInteger();
    record.forkedAt = object.value(key("forkedAt")).toInteger();
    const QJsonArray addressArray = object.value(key("addresses")).toArray();
    for (const QJsonValue &address : addressArray)
        record.addresses.append(addressFromObject(address.toObject()));
    record.requests = object.value(key("requests")).toInteger();
    record.connectionsAccepted
        = object.value(key("connections")).toObject().value(key("accepted")).toInteger();
    return record;
}

QJsonObject SupervisorState::toJson() const
{
    return QJsonObject {
        { key("respawn"), respawn },
        { key("workerCount"), workerCount },
        { key("maxWorkers"), maxWorkers },
        { key("crashLimit"), crashLimit },
        { key("crashWindow"), crashWindow },
        { key("initialBackoff"), initialBackoff },
        { key("maxBackoff"), maxBackoff },
        { key("heartbeatInterval"), heartbeatInterval },
        { key("heartbeatTimeout"), heartbeatTimeout },
        { key("memoryLimit"), memoryLimit },
        { key("requestLimit"), requestLimit },
        { key("disconnectTimeout"), disconnectTimeout },
        { key("gaveUp"), gaveUp },
        { key("restarting"), restarting },
        { key("shuttingDown"), shuttingDown },
    };
}

SupervisorState SupervisorState::fromJson(const QJsonObject &object)
{
    SupervisorState state;
    state.respawn = object.value(key("respawn")).toBool();
    state.workerCount = object.value(key("workerCount")).toInt();
    state.maxWorkers = object.value(key("maxWorkers")).toInt();
    state.crashLimit = object.value(key("crashLimit")).toInt();
    state.crashWindow = object.value(key("crashWindow")).toInt();
    state.initialBackoff = object.value(key("initialBackoff")).toInt();
    state.maxBackoff = object.value(key("maxBackoff")).toInt();
    state.heartbeatInterval = object.value(key("heartbeatInterval")).toInt();
    state.heartbeatTimeout = object.value(key("heartbeatTimeout")).toInt();
    state.memoryLimit = object.value(key("memoryLimit")).toInteger();
    state.requestLimit = object.value(key("requestLimit")).toInteger();
    state.disconnectTimeout = object.value(key("disconnectTimeout")).toInt();
    state.gaveUp = object.value(key("gaveUp")).toBool();
    state.restarting = object.value(key("restarting")).toBool();
    state.shuttingDown = object.value(key("shuttingDown")).toBool();
    return state;
}

QJsonObject OutputState::toJson() const
{
    return QJsonObject {
        { channelName(Worker::StandardOutput), streamObject(standardOutput) },
        { channelName(Worker::StandardError), streamObject(standardError) },
    };
}

OutputState OutputState::fromJson(const QJsonObject &object)
{
    OutputState state;
    state.standardOutput
        = streamFromObject(object.value(channelName(Worker::StandardOutput)).toObject());
    state.standardError
        = streamFromObject(object.value(channelName(Worker::StandardError)).toObject());
    return state;
}

QJsonObject ClusterSnapshot::toJson() const
{
    QJsonObject object {
        { key("pid"), pid },
        { key("time"), time },
        { key("policy"), policy },
        // The environment stays out: it is the primary's own and may hold secrets.
        { key("settings"),
            QJsonObject {
                { key("exec"), exec },
                { key("args"), QJsonArray::fromStringList(args) },
                { key("cwd"), cwd },
                { key("silent"), silent },
            } },
        { key("workers"), arrayFromList(workers) },
        { key("exited"), arrayFromList(exited) },
        { key("output"), output.toJson() },
    };
    if (supervisor)
        object.insert(key("supervisor"), supervisor->toJson());
    return object;
}

ClusterSnapshot ClusterSnapshot::fromJson(const QJsonObject &object)
{
    ClusterSnapshot snapshot;
    snapshot.pid = object.value(key("pid")).toInteger();
    snapshot.time = object.value(key("time")).toInteger();
    snapshot.policy = object.value(key("policy")).toString();
    const QJsonObject settings = object.value(key("settings")).toObject();
    snapshot.exec = settings.value(key("exec")).toString();
    const QJsonArray args = settings.value(key("args")).toArray();
    for (const QJsonValue &arg : args)
        snapshot.args.append(arg.toString());
    snapshot.cwd = settings.value(key("cwd")).toString();
    snapshot.silent = settings.value(key("silent")).toBool();
    snapshot.workers = listFromArray<WorkerSnapshot>(object.value(key("workers")));
    snapshot.exited = listFromArray<ExitRecord>(object.value(key("exited")));
    if (object.value(key("supervisor")).isObject())
        snapshot.supervisor = SupervisorState::fromJson(object.value(key("supervisor")).toObject());
    snapshot.output = OutputState::fromJson(object.value(key("output")).toObject());
    return snapshot;
}

QJsonObject WorkerStats::toJson() const
{
    QJsonObject object {
        { key("id"), id },
        { key("pid"), pid },
        { key("state"), workerStateName(state) },
    };
    counts.writeTo(&object);
    return object;
}

WorkerStats WorkerStats::fromJson(const QJsonObject &object)
{
    WorkerStats stats;
    stats.id = object.value(key("id")).toInt();
    stats.pid = object.value(key("pid")).toInteger();
    stats.state = workerStateFromName(object.value(key("state")).toString());
    stats.counts = WorkerCounts::fromJson(object);
    return stats;
}

QJsonObject ClusterStats::toJson() const
{
    return QJsonObject {
        { key("time"), time },
        { key("workers"), arrayFromList(workers) },
        { key("totals"),
            QJsonObject {
                { key("workers"), workerCount },
                { key("requests"), requests },
                { key("connections"),
                    QJsonObject {
                        { key("accepted"), connectionsAccepted },
                        { key("open"), openConnections },
                    } },
                { key("cpu"), cpu },
                { key("rss"), rss },
            } },
        { key("output"), output.toJson() },
    };
}

ClusterStats ClusterStats::fromJson(const QJsonObject &object)
{
    ClusterStats stats;
    stats.time = object.value(key("time")).toInteger();
    stats.workers = listFromArray<WorkerStats>(object.value(key("workers")));
    const QJsonObject totals = object.value(key("totals")).toObject();
    stats.workerCount = totals.value(key("workers")).toInt();
    stats.requests = totals.value(key("requests")).toInteger();
    const QJsonObject connections = totals.value(key("connections")).toObject();
    stats.connectionsAccepted = connections.value(key("accepted")).toInteger();
    stats.openConnections = connections.value(key("open")).toInteger();
    stats.cpu = totals.value(key("cpu")).toDouble();
    stats.rss = totals.value(key("rss")).toInteger();
    stats.output = OutputState::fromJson(object.value(key("output")).toObject());
    return stats;
}

ClusterEvent::ClusterEvent(Type type)
    : type(type)
    , name(typeName(type))
{ }

bool ClusterEvent::isWorkerEvent() const
{
    switch (type) {
    case Fork:
    case Online:
    case Listening:
    case Disconnect:
    case Exit:
    case Message:
    case Error:
    case Output:
    case Replaced:
    case HeartbeatMissed:
    case ListenOverdue:
        return true;
    default:
        return false;
    }
}

QString ClusterEvent::typeName(Type type)
{
    return type > Unknown && type < TypeCount ? QLatin1String(EventNames[type]) : QString();
}

ClusterEvent::Type ClusterEvent::typeFromName(const QString &name)
{
    for (int type = Unknown + 1; type < TypeCount; ++type)
        if (name == QLatin1String(EventNames[type]))
            return Type(type);
    return Unknown;
}

QJsonObject ClusterEvent::toJson() const
{
    // An application's fields first: its name, its time and its mark are the library's.
    QJsonObject object = type == Unknown && application ? fields : QJsonObject();
    object.insert(key("event"), type == Unknown ? name : typeName(type));
    object.insert(key("time"), time);
    if (type == Unknown && application) {
        object.insert(key("application"), true);
        if (!text.isEmpty())
            object.insert(key("text"), text);
        if (alert)
            object.insert(key("alert"), true);
    }
    if (isWorkerEvent()) {
        object.insert(key("id"), id);
        object.insert(key("pid"), pid);
    }
    switch (type) {
    case Fork:
        if (worker)
            object.insert(key("worker"), worker->toJson());
        break;
    case Listening:
        object.insert(key("address"), addressObject(address));
        break;
    case Exit:
        object.insert(key("code"), code);
        object.insert(key("signal"), signal);
        object.insert(key("signalName"), signalName);
        object.insert(key("exitedAfterDisconnect"), exitedAfterDisconnect);
        object.insert(key("killed"), killed);
        break;
    case Message:
        object.insert(key("message"), message);
        break;
    case Error:
        object.insert(key("error"), error);
        object.insert(key("errorString"), errorString);
        break;
    case Output:
        object.insert(key("channel"), channelName(channel));
        object.insert(key("data"), data);
        break;
    case Replaced:
        object.insert(key("oldId"), oldId);
        object.insert(key("reason"), reason);
        break;
    case RespawnScheduled:
        object.insert(key("delay"), delay);
        break;
    case GaveUp:
        object.insert(key("reason"), reason);
        break;
    case RestartFinished:
        object.insert(key("ok"), ok);
        if (!ok)
            object.insert(key("error"), error);
        break;
    case WorkerCount:
        object.insert(key("count"), count);
        break;
    case ListenOverdue:
        object.insert(key("elapsed"), elapsed);
        object.insert(key("exited"), exited);
        break;
    case OutputDropped:
        object.insert(key("channel"), channelName(channel));
        object.insert(key("bytes"), bytes);
        object.insert(key("writes"), writes);
        object.insert(key("totalBytes"), totalBytes);
        object.insert(key("closed"), closed);
        break;
    default:
        break;
    }
    return object;
}

ClusterEvent ClusterEvent::fromJson(const QJsonObject &object)
{
    ClusterEvent event(typeFromName(object.value(key("event")).toString()));
    event.name = object.value(key("event")).toString();
    event.time = object.value(key("time")).toInteger();
    event.id = object.value(key("id")).toInt();
    event.pid = object.value(key("pid")).toInteger();
    if (object.value(key("worker")).isObject())
        event.worker = WorkerSnapshot::fromJson(object.value(key("worker")).toObject());
    if (object.value(key("address")).isObject())
        event.address = addressFromObject(object.value(key("address")).toObject());
    event.code = object.value(key("code")).toInt();
    event.signal = object.value(key("signal")).toInt();
    event.signalName = object.value(key("signalName")).toString();
    event.exitedAfterDisconnect = object.value(key("exitedAfterDisconnect")).toBool();
    event.killed = object.value(key("killed")).toBool();
    event.message = object.value(key("message"));
    event.error = object.value(key("error")).toString();
    event.errorString = object.value(key("errorString")).toString();
    event.channel = object.value(key("channel")).toString() == channelName(Worker::StandardError)
        ? Worker::StandardError
        : Worker::StandardOutput;
    event.data = object.value(key("data")).toString();
    event.oldId = object.value(key("oldId")).toInt();
    event.reason = object.value(key("reason")).toString();
    event.delay = object.value(key("delay")).toInt();
    event.ok = object.value(key("ok")).toBool();
    event.count = object.value(key("count")).toInt();
    event.bytes = object.value(key("bytes")).toInteger();
    event.writes = object.value(key("writes")).toInteger();
    event.totalBytes = object.value(key("totalBytes")).toInteger();
    event.closed = object.value(key("closed")).toBool();
    event.elapsed = object.value(key("elapsed")).toInt();
    event.exited = object.value(key("exited")).toBool();
    event.application = event.type == Unknown && object.value(key("application")).toBool();
    if (event.application) {
        event.text = object.value(key("text")).toString();
        event.alert = object.value(key("alert")).toBool();
        event.fields = object;
        for (const char *own : { "event", "time", "application", "type", "text", "alert" })
            event.fields.remove(key(own));
    }
    return event;
}

} // namespace LibCluster::Control
