// EventStream: Cluster and Supervisor signals turned into JSON objects, plus snapshots and stats.
#include <libcluster/eventstream.h>

#include <libcluster/cluster.h>
#include <libcluster/outputwriter.h>
#include <libcluster/supervisor.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QMetaEnum>
#include <QPointer>
#include <QStringDecoder>

#include <algorithm>
#include <deque>
#include <utility>

namespace LibCluster {

namespace {
// How many exited workers the snapshot remembers.
constexpr int ExitHistory = 32;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// "Listening" -> "listening", "MemoryLimit" -> "memoryLimit": JSON-style names for Q_ENUMs.
template <typename Enum> QString enumName(Enum value)
{
    QString name = QLatin1String(QMetaEnum::fromType<Enum>().valueToKey(int(value)));
    if (!name.isEmpty())
        name[0] = name.at(0).toLower();
    return name;
}

QJsonObject addressObject(const Address &address)
{
    return QJsonObject {
        { QStringLiteral("address"), address.address() },
        { QStringLiteral("port"), address.port() },
        { QStringLiteral("addressType"), address.addressTypeName() },
        { QStringLiteral("text"), address.toString() },
    };
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

// -1 ("not sampled yet") travels as null.
QJsonValue sample(double value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}
QJsonValue sample(qint64 value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

// How many bytes at the end of `bytes` are a UTF-8 character begun but not finished: a lead
// byte followed by fewer continuation bytes than it announces.
qsizetype unfinishedCharacter(QByteArrayView bytes)
{
    const qsizetype size = bytes.size();
    for (qsizetype back = 1; back <= qMin<qsizetype>(3, size); ++back) {
        const uchar byte = uchar(bytes.at(size - back));
        if ((byte & 0xc0) == 0x80)
            continue; // a continuation byte: its lead byte is further back
        const qsizetype length = byte >= 0xf8 ? 1 // never valid: nothing can finish it
            : byte >= 0xf0                    ? 4
            : byte >= 0xe0                    ? 3
            : byte >= 0xc0                    ? 2
                                              : 1;
        return length > back ? back : 0;
    }
    return 0;
}

// Output cut at a character boundary needs no state. A BOM at the start is kept, as
// QString::fromUtf8() would not: a chunk starts wherever a read ended, not where the output did.
QString decodeOutput(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8,
        QStringDecoder::Flag::Stateless | QStringDecoder::Flag::ConvertInitialBom);
    return decoder.decode(bytes);
}

QString streamName(OutputWriter::Stream stream)
{
    return stream == OutputWriter::StandardOutput ? QStringLiteral("stdout")
                                                  : QStringLiteral("stderr");
}

// What the primary's own OutputWriter did with each of its streams.
QJsonObject outputObject()
{
    const OutputWriter *writer = OutputWriter::instance();
    QJsonObject object;
    for (const auto stream : { OutputWriter::StandardOutput, OutputWriter::StandardError }) {
        object.insert(streamName(stream),
            QJsonObject {
                { QStringLiteral("written"), writer->bytesWritten(stream) },
                { QStringLiteral("pending"), writer->bytesPending(stream) },
                { QStringLiteral("dropped"), writer->bytesDropped(stream) },
                { QStringLiteral("droppedWrites"), writer->writesDropped(stream) },
                { QStringLiteral("closed"), writer->isClosed(stream) },
            });
    }
    return object;
}
} // namespace

class EventStreamPrivate
{
public:
    EventStreamPrivate(EventStream *q, Cluster *cluster, Supervisor *supervisor)
        : q(q)
        , cluster(cluster)
        , supervisor(supervisor)
    { }

    void emitEvent(const QString &name, QJsonObject fields)
    {
        fields.insert(QStringLiteral("event"), name);
        fields.insert(QStringLiteral("time"), now());
        emit q->eventOccurred(fields);
    }

    static QJsonObject workerFields(const Worker *worker)
    {
        return QJsonObject {
            { QStringLiteral("id"), worker->id() },
            { QStringLiteral("pid"), worker->processId() },
        };
    }

    void connectCluster();
    void connectSupervisor();
    void connectOutputWriter();
    void reportOutput(Worker *worker, Worker::OutputChannel channel, const QByteArray &data);
    void emitOutput(Worker *worker, Worker::OutputChannel channel, QByteArrayView bytes);
    // What a worker's output ended in the middle of, before its exit: U+FFFD, as it is all there
    // will be.
    void flushOutput(Worker *worker);
    void reportExit(Worker *worker);
    // Exit events of workers that are dead but whose workerExited() has not reached us yet.
    void reportPendingExits();

    EventStream *q;
    QPointer<Cluster> cluster;
    QPointer<Supervisor> supervisor;
    QHash<int, qint64> forkedAt;
    // Workers whose exit has not been reported yet.
    QHash<int, QPointer<Worker>> running;
    std::deque<QJsonObject> exited;
    // By (worker id, channel): the first bytes of a character that the last chunk of output
    // ended in the middle of (a pipe read cuts anywhere), until the next chunk finishes it. Not a
    // stateful QStringDecoder each: Qt 6.4's swallows the character after a held sequence that
    // turns out invalid (0xc3, then 0xc3 0xa9, decodes to two U+FFFD, the "é" lost).
    QHash<std::pair<int, int>, QByteArray> unfinishedOutput;
};

void EventStreamPrivate::connectCluster()
{
    QObject::connect(
        cluster, &Cluster::setupApplied, q, [this] { emitEvent(QStringLiteral("setup"), {}); });
    QObject::connect(cluster, &Cluster::workerForked, q, [this](Worker *worker) {
        forkedAt.insert(worker->id(), now());
        running.insert(worker->id(), worker);
        QJsonObject fields = workerFields(worker);
        fields.insert(QStringLiteral("worker"), q->workerObject(worker));
        emitEvent(QStringLiteral("fork"), fields);
    });
    QObject::connect(cluster, &Cluster::workerOnline, q,
        [this](Worker *worker) { emitEvent(QStringLiteral("online"), workerFields(worker)); });
    QObject::connect(
        cluster, &Cluster::workerListening, q, [this](Worker *worker, const Address &address) {
            QJsonObject fields = workerFields(worker);
            fields.insert(QStringLiteral("address"), addressObject(address));
            emitEvent(QStringLiteral("listening"), fields);
        });
    QObject::connect(cluster, &Cluster::workerDisconnected, q,
        [this](Worker *worker) { emitEvent(QStringLiteral("disconnect"), workerFields(worker)); });
    QObject::connect(
        cluster, &Cluster::workerExited, q, [this](Worker *worker) { reportExit(worker); });
    QObject::connect(
        cluster, &Cluster::messageReceived, q, [this](Worker *worker, const QCborValue &message) {
            QJsonObject fields = workerFields(worker);
            fields.insert(QStringLiteral("message"), message.toJsonValue());
            emitEvent(QStringLiteral("message"), fields);
        });
    QObject::connect(cluster, &Cluster::workerErrorOccurred, q,
        [this](Worker *worker, Worker::Error error, const QString &text) {
            QJsonObject fields = workerFields(worker);
            fields.insert(QStringLiteral("error"), enumName(error));
            fields.insert(QStringLiteral("errorString"), text);
            emitEvent(QStringLiteral("error"), fields);
        });
    QObject::connect(cluster, &Cluster::workerOutputReceived, q,
        [this](Worker *worker, Worker::OutputChannel channel, const QByteArray &data) {
            reportOutput(worker, channel, data);
        });
}

void EventStreamPrivate::reportOutput(
    Worker *worker, Worker::OutputChannel channel, const QByteArray &data)
{
    const std::pair<int, int> key(worker->id(), channel);
    QByteArray bytes = unfinishedOutput.take(key) + data;
    // A dead worker's output is all there (Worker delivers what QProcess still buffers before it
    // reports the exit, and QProcess reads no more after): nothing would finish a character,
    // and a worker whose exit is reported keeps nothing here.
    if (!worker->isDead()) {
        if (const qsizetype unfinished = unfinishedCharacter(bytes)) {
            unfinishedOutput.insert(key, bytes.right(unfinished));
            bytes.chop(unfinished);
        }
    }
    // Only the start of a character: nothing to show yet.
    if (!bytes.isEmpty())
        emitOutput(worker, channel, bytes);
}

void EventStreamPrivate::emitOutput(
    Worker *worker, Worker::OutputChannel channel, QByteArrayView bytes)
{
    QJsonObject fields = workerFields(worker);
    fields.insert(QStringLiteral("channel"),
        channel == Worker::StandardOutput ? QStringLiteral("stdout") : QStringLiteral("stderr"));
    fields.insert(QStringLiteral("data"), decodeOutput(bytes));
    emitEvent(QStringLiteral("output"), fields);
}

void EventStreamPrivate::flushOutput(Worker *worker)
{
    for (const Worker::OutputChannel channel : { Worker::StandardOutput, Worker::StandardError }) {
        const QByteArray rest = unfinishedOutput.take({ worker->id(), channel });
        if (!rest.isEmpty())
            emitOutput(worker, channel, rest);
    }
}

void EventStreamPrivate::reportExit(Worker *worker)
{
    // Before the check: whatever is held is the worker's last output, and goes in any case.
    flushOutput(worker);
    if (!running.remove(worker->id()))
        return; // reported already
    QJsonObject fields = workerFields(worker);
    fields.insert(QStringLiteral("code"), worker->exitCode());
    fields.insert(QStringLiteral("signal"), worker->exitSignal());
    fields.insert(QStringLiteral("signalName"), Cluster::signalName(worker->exitSignal()));
    fields.insert(QStringLiteral("exitedAfterDisconnect"), worker->exitedAfterDisconnect());
    QJsonObject record = fields;
    record.insert(QStringLiteral("time"), now());
    if (const qint64 forked = forkedAt.take(worker->id()))
        record.insert(QStringLiteral("forkedAt"), forked);
    // What it did while it ran, for a client that attaches after it has gone: no counters
    // beyond requests, so that 32 records stay small whatever a worker counted.
    QJsonArray addresses;
    const auto listening = worker->listeningAddresses();
    for (const Address &address : listening)
        addresses.append(addressObject(address));
    record.insert(QStringLiteral("addresses"), addresses);
    record.insert(QStringLiteral("requests"), worker->counter(QStringLiteral("requests")));
    record.insert(QStringLiteral("connections"),
        QJsonObject { { QStringLiteral("accepted"), worker->connectionsAccepted() } });
    exited.push_back(record);
    while (exited.size() > ExitHistory)
        exited.pop_front();
    emitEvent(QStringLiteral("exit"), fields);
}

void EventStreamPrivate::reportPendingExits()
{
    // Not cluster->workers(): a worker that has both disconnected and exited has left it.
    const auto workers = running.values();
    for (const QPointer<Worker> &worker : workers)
        if (worker && worker->isDead())
            reportExit(worker);
}

void EventStreamPrivate::connectSupervisor()
{
    QObject::connect(supervisor, &Supervisor::workerReplaced, q,
        [this](int oldId, Worker *replacement, Supervisor::ReplaceReason reason) {
            QJsonObject fields = workerFields(replacement);
            fields.insert(QStringLiteral("oldId"), oldId);
            fields.insert(QStringLiteral("reason"), enumName(reason));
            emitEvent(QStringLiteral("replaced"), fields);
        });
    QObject::connect(supervisor, &Supervisor::respawnScheduled, q, [this](int delay) {
        emitEvent(QStringLiteral("respawnScheduled"), { { QStringLiteral("delay"), delay } });
    });
    QObject::connect(supervisor, &Supervisor::gaveUp, q, [this](const QString &reason) {
        emitEvent(QStringLiteral("gaveUp"), { { QStringLiteral("reason"), reason } });
    });
    QObject::connect(
        supervisor, &Supervisor::resumed, q, [this] { emitEvent(QStringLiteral("resumed"), {}); });
    QObject::connect(supervisor, &Supervisor::heartbeatMissed, q, [this](Worker *worker) {
        emitEvent(QStringLiteral("heartbeatMissed"), workerFields(worker));
    });
    QObject::connect(
        supervisor, &Supervisor::rollingRestartFinished, q, [this](bool ok, const QString &error) {
            QJsonObject fields { { QStringLiteral("ok"), ok } };
            if (!ok)
                fields.insert(QStringLiteral("error"), error);
            emitEvent(QStringLiteral("restartFinished"), fields);
        });
    QObject::connect(supervisor, &Supervisor::shutdownFinished, q, [this] {
        // The supervisor hears of the last exit before we do (it connected first): that exit
        // still comes first, as it happened.
        reportPendingExits();
        emitEvent(QStringLiteral("shutdownFinished"), {});
    });
    QObject::connect(supervisor, &Supervisor::workerCountChanged, q, [this](int count) {
        emitEvent(QStringLiteral("workerCount"), { { QStringLiteral("count"), count } });
    });
}

void EventStreamPrivate::connectOutputWriter()
{
    QObject::connect(OutputWriter::instance(), &OutputWriter::outputDropped, q,
        [this](OutputWriter::Stream stream, qint64 bytes, qint64 writes) {
            const OutputWriter *writer = OutputWriter::instance();
            emitEvent(QStringLiteral("outputDropped"),
                {
                    { QStringLiteral("channel"), streamName(stream) },
                    { QStringLiteral("bytes"), bytes },
                    { QStringLiteral("writes"), writes },
                    { QStringLiteral("totalBytes"), writer->bytesDropped(stream) },
                    { QStringLiteral("closed"), writer->isClosed(stream) },
                });
        });
}

EventStream::EventStream(Cluster *cluster, Supervisor *supervisor, QObject *parent)
    : QObject(parent)
    , d_ptr(new EventStreamPrivate(this, cluster, supervisor))
{
    Q_D(EventStream);
    const auto existing = cluster->workers();
    for (Worker *worker : existing)
        if (!worker->isDead())
            d->running.insert(worker->id(), worker);
    d->connectCluster();
    if (supervisor)
        d->connectSupervisor();
    d->connectOutputWriter();
}

EventStream::~EventStream() = default;

Cluster *EventStream::cluster() const
{
    return d_func()->cluster;
}
Supervisor *EventStream::supervisor() const
{
    return d_func()->supervisor;
}

QJsonObject EventStream::workerObject(const Worker *worker) const
{
    Q_D(const EventStream);
    QJsonArray addresses;
    const auto listening = worker->listeningAddresses();
    for (const Address &address : listening)
        addresses.append(addressObject(address));
    QJsonObject object {
        { QStringLiteral("id"), worker->id() },
        { QStringLiteral("pid"), worker->processId() },
        { QStringLiteral("state"), enumName(worker->state()) },
        { QStringLiteral("connected"), worker->isConnected() },
        { QStringLiteral("dead"), worker->isDead() },
        { QStringLiteral("exitedAfterDisconnect"), worker->exitedAfterDisconnect() },
        { QStringLiteral("addresses"), addresses },
        { QStringLiteral("connections"),
            QJsonObject { { QStringLiteral("accepted"), worker->connectionsAccepted() },
                { QStringLiteral("open"), worker->openConnections() } } },
        { QStringLiteral("requests"), worker->counter(QStringLiteral("requests")) },
        { QStringLiteral("counters"), countersObject(worker->counters()) },
        { QStringLiteral("cpu"), sample(worker->cpuUsage()) },
        { QStringLiteral("rss"), sample(worker->residentMemory()) },
    };
    if (const qint64 forked = d->forkedAt.value(worker->id()))
        object.insert(QStringLiteral("forkedAt"), forked);
    if (worker->isDead()) {
        object.insert(QStringLiteral("exitCode"), worker->exitCode());
        object.insert(QStringLiteral("exitSignal"), worker->exitSignal());
        object.insert(QStringLiteral("signalName"), Cluster::signalName(worker->exitSignal()));
    }
    if (worker->error() != Worker::NoError) {
        object.insert(QStringLiteral("error"), enumName(worker->error()));
        object.insert(QStringLiteral("errorString"), worker->errorString());
    }
    return object;
}

QJsonObject EventStream::snapshot() const
{
    Q_D(const EventStream);
    QJsonObject snapshot {
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
        { QStringLiteral("time"), now() },
    };
    if (!d->cluster)
        return snapshot;
    const Settings settings = d->cluster->settings();
    // The environment stays out: it is the primary's own and may hold secrets.
    snapshot.insert(QStringLiteral("settings"),
        QJsonObject {
            { QStringLiteral("exec"), settings.exec() },
            { QStringLiteral("args"), QJsonArray::fromStringList(settings.args()) },
            { QStringLiteral("cwd"), settings.cwd() },
            { QStringLiteral("silent"), settings.silent() },
        });
    snapshot.insert(QStringLiteral("policy"), schedulingPolicyName(d->cluster->schedulingPolicy()));
    QJsonArray workers;
    const auto all = d->cluster->workers();
    for (const Worker *worker : all)
        workers.append(workerObject(worker));
    snapshot.insert(QStringLiteral("workers"), workers);
    QJsonArray exited;
    for (const QJsonObject &record : d->exited)
        exited.append(record);
    snapshot.insert(QStringLiteral("exited"), exited);
    snapshot.insert(QStringLiteral("output"), outputObject());
    if (d->supervisor) {
        const Supervisor *s = d->supervisor;
        snapshot.insert(QStringLiteral("supervisor"),
            QJsonObject {
                { QStringLiteral("respawn"), s->respawn() },
                { QStringLiteral("workerCount"), s->workerCount() },
                { QStringLiteral("maxWorkers"), s->maxWorkers() },
                { QStringLiteral("crashLimit"), s->crashLimit() },
                { QStringLiteral("crashWindow"), s->crashWindow() },
                { QStringLiteral("initialBackoff"), s->initialBackoff() },
                { QStringLiteral("maxBackoff"), s->maxBackoff() },
                { QStringLiteral("heartbeatInterval"), s->heartbeatInterval() },
                { QStringLiteral("heartbeatTimeout"), s->heartbeatTimeout() },
                { QStringLiteral("memoryLimit"), s->memoryLimit() },
                { QStringLiteral("requestLimit"), s->requestLimit() },
                { QStringLiteral("disconnectTimeout"), s->disconnectTimeout() },
                { QStringLiteral("gaveUp"), s->hasGivenUp() },
                { QStringLiteral("restarting"), s->isRestarting() },
                { QStringLiteral("shuttingDown"), s->isShuttingDown() },
            });
    }
    return snapshot;
}

QJsonObject EventStream::stats() const
{
    Q_D(const EventStream);
    QJsonArray workers;
    qint64 requests = 0;
    qint64 accepted = 0;
    qint64 open = 0;
    qint64 rss = 0;
    double cpu = 0;
    if (d->cluster) {
        const auto all = d->cluster->workers();
        for (const Worker *worker : all) {
            const qint64 workerRequests = worker->counter(QStringLiteral("requests"));
            requests += workerRequests;
            accepted += worker->connectionsAccepted();
            open += worker->openConnections();
            rss += qMax<qint64>(0, worker->residentMemory());
            cpu += qMax(0.0, worker->cpuUsage());
            workers.append(QJsonObject {
                { QStringLiteral("id"), worker->id() },
                { QStringLiteral("pid"), worker->processId() },
                { QStringLiteral("state"), enumName(worker->state()) },
                { QStringLiteral("connections"),
                    QJsonObject { { QStringLiteral("accepted"), worker->connectionsAccepted() },
                        { QStringLiteral("open"), worker->openConnections() } } },
                { QStringLiteral("requests"), workerRequests },
                { QStringLiteral("counters"), countersObject(worker->counters()) },
                { QStringLiteral("cpu"), sample(worker->cpuUsage()) },
                { QStringLiteral("rss"), sample(worker->residentMemory()) },
            });
        }
    }
    return QJsonObject {
        { QStringLiteral("time"), now() },
        { QStringLiteral("workers"), workers },
        { QStringLiteral("totals"),
            QJsonObject {
                { QStringLiteral("workers"), workers.size() },
                { QStringLiteral("requests"), requests },
                { QStringLiteral("connections"),
                    QJsonObject { { QStringLiteral("accepted"), accepted },
                        { QStringLiteral("open"), open } } },
                { QStringLiteral("cpu"), cpu },
                { QStringLiteral("rss"), rss },
            } },
        { QStringLiteral("output"), outputObject() },
    };
}

} // namespace LibCluster
