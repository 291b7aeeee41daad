// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventStream: Cluster and Supervisor signals turned into JSON objects, plus snapshots and stats.
#include <libcluster/eventstream.h>

#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/outputwriter.h>
#include <libcluster/supervisor.h>

#include "runtime/worker_p.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
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

// What the primary's own OutputWriter did with each of its streams.
Control::OutputState outputState()
{
    const OutputWriter *writer = OutputWriter::instance();
    const auto stream = [writer](OutputWriter::Stream which) {
        Control::OutputState::Stream state;
        state.written = writer->bytesWritten(which);
        state.pending = writer->bytesPending(which);
        state.dropped = writer->bytesDropped(which);
        state.droppedWrites = writer->writesDropped(which);
        state.closed = writer->isClosed(which);
        return state;
    };
    Control::OutputState state;
    state.standardOutput = stream(OutputWriter::StandardOutput);
    state.standardError = stream(OutputWriter::StandardError);
    return state;
}

Control::WorkerCounts countsOf(const Worker *worker)
{
    Control::WorkerCounts counts;
    counts.connectionsAccepted = worker->connectionsAccepted();
    counts.openConnections = worker->openConnections();
    counts.requests = worker->counter(QStringLiteral("requests"));
    counts.counters = worker->counters();
    counts.cpu = worker->cpuUsage();
    counts.rss = worker->residentMemory();
    return counts;
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

    void emitEvent(Control::ClusterEvent event)
    {
        event.time = now();
        Q_EMIT q->eventOccurred(event.toJson());
    }
    void emitEvent(Control::ClusterEvent::Type type) { emitEvent(Control::ClusterEvent(type)); }

    static Control::ClusterEvent workerEvent(Control::ClusterEvent::Type type, const Worker *worker)
    {
        Control::ClusterEvent event(type);
        event.id = worker->id();
        event.pid = worker->processId();
        return event;
    }
    Control::WorkerSnapshot workerSnapshot(const Worker *worker) const;

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
    std::deque<Control::ExitRecord> exited;
    // By (worker id, channel): the first bytes of a character that the last chunk of output
    // ended in the middle of (a pipe read cuts anywhere), until the next chunk finishes it. Not a
    // stateful QStringDecoder each: Qt 6.4's swallows the character after a held sequence that
    // turns out invalid (0xc3, then 0xc3 0xa9, decodes to two U+FFFD, the "é" lost).
    QHash<std::pair<int, int>, QByteArray> unfinishedOutput;
    bool messageEvents = true;
};

void EventStreamPrivate::connectCluster()
{
    using Event = Control::ClusterEvent;
    QObject::connect(cluster, &Cluster::setupApplied, q, [this] { emitEvent(Event::Setup); });
    QObject::connect(cluster, &Cluster::workerForked, q, [this](Worker *worker) {
        forkedAt.insert(worker->id(), now());
        running.insert(worker->id(), worker);
        Event event = workerEvent(Event::Fork, worker);
        event.worker = workerSnapshot(worker);
        emitEvent(event);
    });
    QObject::connect(cluster, &Cluster::workerOnline, q,
        [this](Worker *worker) { emitEvent(workerEvent(Event::Online, worker)); });
    QObject::connect(
        cluster, &Cluster::workerListening, q, [this](Worker *worker, const Address &address) {
            Event event = workerEvent(Event::Listening, worker);
            event.address = address;
            emitEvent(event);
        });
    QObject::connect(cluster, &Cluster::workerDisconnected, q,
        [this](Worker *worker) { emitEvent(workerEvent(Event::Disconnect, worker)); });
    QObject::connect(cluster, &Cluster::workerListenOverdue, q,
        [this](Worker *worker, int elapsed, bool exited) {
            Event event = workerEvent(Event::ListenOverdue, worker);
            event.elapsed = elapsed;
            event.exited = exited;
            emitEvent(event);
        });
    QObject::connect(
        cluster, &Cluster::workerExited, q, [this](Worker *worker) { reportExit(worker); });
    QObject::connect(
        cluster, &Cluster::messageReceived, q, [this](Worker *worker, const QCborValue &message) {
            if (!messageEvents)
                return;
            Event event = workerEvent(Event::Message, worker);
            event.message = message.toJsonValue();
            emitEvent(event);
        });
    QObject::connect(cluster, &Cluster::workerErrorOccurred, q,
        [this](Worker *worker, Worker::Error error, const QString &text) {
            Event event = workerEvent(Event::Error, worker);
            event.error = Control::workerErrorName(error);
            event.errorString = text;
            emitEvent(event);
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
    Control::ClusterEvent event = workerEvent(Control::ClusterEvent::Output, worker);
    event.channel = channel;
    event.data = decodeOutput(bytes);
    emitEvent(event);
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
    Control::ClusterEvent event = workerEvent(Control::ClusterEvent::Exit, worker);
    event.code = worker->exitCode();
    event.signal = worker->exitSignal();
    event.signalName = Cluster::signalName(worker->exitSignal());
    event.exitedAfterDisconnect = worker->exitedAfterDisconnect();
    event.killed = WorkerPrivate::get(worker)->killRequested;
    Control::ExitRecord record;
    record.id = event.id;
    record.pid = event.pid;
    record.code = event.code;
    record.signal = event.signal;
    record.signalName = event.signalName;
    record.exitedAfterDisconnect = event.exitedAfterDisconnect;
    record.killed = event.killed;
    record.time = now();
    record.forkedAt = forkedAt.take(worker->id());
    // What it did while it ran, for a client that attaches after it has gone: no counters
    // beyond requests, so that 32 records stay small whatever a worker counted.
    record.addresses = worker->listeningAddresses();
    record.requests = worker->counter(QStringLiteral("requests"));
    record.connectionsAccepted = worker->connectionsAccepted();
    exited.push_back(record);
    while (exited.size() > ExitHistory)
        exited.pop_front();
    emitEvent(event);
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
    using Event = Control::ClusterEvent;
    QObject::connect(supervisor, &Supervisor::workerReplaced, q,
        [this](int oldId, Worker *replacement, Supervisor::ReplaceReason reason) {
            Event event = workerEvent(Event::Replaced, replacement);
            event.oldId = oldId;
            event.reason = Control::replaceReasonName(reason);
            emitEvent(event);
        });
    QObject::connect(supervisor, &Supervisor::respawnScheduled, q, [this](int delay) {
        Event event(Event::RespawnScheduled);
        event.delay = delay;
        emitEvent(event);
    });
    QObject::connect(supervisor, &Supervisor::gaveUp, q, [this](const QString &reason) {
        Event event(Event::GaveUp);
        event.reason = reason;
        emitEvent(event);
    });
    QObject::connect(supervisor, &Supervisor::resumed, q, [this] { emitEvent(Event::Resumed); });
    QObject::connect(supervisor, &Supervisor::heartbeatMissed, q,
        [this](Worker *worker) { emitEvent(workerEvent(Event::HeartbeatMissed, worker)); });
    QObject::connect(
        supervisor, &Supervisor::rollingRestartFinished, q, [this](bool ok, const QString &error) {
            Event event(Event::RestartFinished);
            event.ok = ok;
            event.error = error;
            emitEvent(event);
        });
    QObject::connect(supervisor, &Supervisor::shutdownFinished, q, [this] {
        // The supervisor hears of the last exit before we do (it connected first): that exit
        // still comes first, as it happened.
        reportPendingExits();
        emitEvent(Event::ShutdownFinished);
    });
    QObject::connect(supervisor, &Supervisor::workerCountChanged, q, [this](int count) {
        Event event(Event::WorkerCount);
        event.count = count;
        emitEvent(event);
    });
}

void EventStreamPrivate::connectOutputWriter()
{
    QObject::connect(OutputWriter::instance(), &OutputWriter::outputDropped, q,
        [this](OutputWriter::Stream stream, qint64 bytes, qint64 writes) {
            const OutputWriter *writer = OutputWriter::instance();
            Control::ClusterEvent event(Control::ClusterEvent::OutputDropped);
            event.channel = stream == OutputWriter::StandardOutput ? Worker::StandardOutput
                                                                   : Worker::StandardError;
            event.bytes = bytes;
            event.writes = writes;
            event.totalBytes = writer->bytesDropped(stream);
            event.closed = writer->isClosed(stream);
            emitEvent(event);
        });
}

Control::WorkerSnapshot EventStreamPrivate::workerSnapshot(const Worker *worker) const
{
    Control::WorkerSnapshot snapshot;
    snapshot.id = worker->id();
    snapshot.pid = worker->processId();
    snapshot.state = worker->state();
    snapshot.connected = worker->isConnected();
    snapshot.dead = worker->isDead();
    snapshot.exitedAfterDisconnect = worker->exitedAfterDisconnect();
    snapshot.killed = WorkerPrivate::get(worker)->killRequested;
    snapshot.forkedAt = forkedAt.value(worker->id());
    snapshot.addresses = worker->listeningAddresses();
    snapshot.counts = countsOf(worker);
    if (worker->isDead()) {
        snapshot.exitCode = worker->exitCode();
        snapshot.exitSignal = worker->exitSignal();
        snapshot.signalName = Cluster::signalName(worker->exitSignal());
    }
    if (worker->error() != Worker::NoError) {
        snapshot.error = Control::workerErrorName(worker->error());
        snapshot.errorString = worker->errorString();
    }
    return snapshot;
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

bool EventStream::messageEventsEnabled() const
{
    return d_func()->messageEvents;
}

void EventStream::setMessageEventsEnabled(bool enabled)
{
    d_func()->messageEvents = enabled;
}

QJsonObject EventStream::workerObject(const Worker *worker) const
{
    return d_func()->workerSnapshot(worker).toJson();
}

bool EventStream::publish(const QString &name, const QJsonObject &fields)
{
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z][A-Za-z0-9._-]{0,63}\\z"));
    using Event = Control::ClusterEvent;
    if (!namePattern.match(name).hasMatch() || Event::typeFromName(name) != Event::Unknown) {
        qCWarning(Internal::lcPrimary).noquote()
            << "event not published: its name" << name
            << "is not 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter, or is the library's";
        return false;
    }
    Event event;
    event.name = name;
    event.application = true;
    event.fields = fields;
    event.time = now();
    const QJsonObject object = event.toJson();
    const qsizetype size = QJsonDocument(object).toJson(QJsonDocument::Compact).size();
    if (size > MaxPublishedEventSize) {
        qCWarning(Internal::lcPrimary).noquote()
            << "event" << name << "not published: it is" << size << "bytes, more than"
            << MaxPublishedEventSize;
        return false;
    }
    Q_EMIT eventOccurred(object);
    return true;
}

QJsonObject EventStream::snapshot() const
{
    Q_D(const EventStream);
    Control::ClusterSnapshot snapshot;
    snapshot.pid = QCoreApplication::applicationPid();
    snapshot.time = now();
    if (!d->cluster)
        return snapshot.toJson();
    const Settings settings = d->cluster->settings();
    snapshot.exec = settings.exec();
    snapshot.args = settings.args();
    snapshot.cwd = settings.cwd();
    snapshot.silent = settings.silent();
    snapshot.policy = schedulingPolicyName(d->cluster->schedulingPolicy());
    const auto all = d->cluster->workers();
    for (const Worker *worker : all)
        snapshot.workers.append(d->workerSnapshot(worker));
    snapshot.exited = QList<Control::ExitRecord>(d->exited.cbegin(), d->exited.cend());
    snapshot.output = outputState();
    if (const Supervisor *s = d->supervisor) {
        Control::SupervisorState state;
        state.respawn = s->respawn();
        state.workerCount = s->workerCount();
        state.maxWorkers = s->maxWorkers();
        state.crashLimit = s->crashLimit();
        state.crashWindow = s->crashWindow();
        state.initialBackoff = s->initialBackoff();
        state.maxBackoff = s->maxBackoff();
        state.heartbeatInterval = s->heartbeatInterval();
        state.heartbeatTimeout = s->heartbeatTimeout();
        state.memoryLimit = s->memoryLimit();
        state.requestLimit = s->requestLimit();
        state.disconnectTimeout = s->disconnectTimeout();
        state.gaveUp = s->hasGivenUp();
        state.restarting = s->isRestarting();
        state.shuttingDown = s->isShuttingDown();
        snapshot.supervisor = state;
    }
    return snapshot.toJson();
}

QJsonObject EventStream::stats() const
{
    Q_D(const EventStream);
    Control::ClusterStats stats;
    stats.time = now();
    if (d->cluster) {
        const auto all = d->cluster->workers();
        for (const Worker *worker : all) {
            Control::WorkerStats entry;
            entry.id = worker->id();
            entry.pid = worker->processId();
            entry.state = worker->state();
            entry.counts = countsOf(worker);
            stats.requests += entry.counts.requests;
            stats.connectionsAccepted += entry.counts.connectionsAccepted;
            stats.openConnections += entry.counts.openConnections;
            stats.rss += qMax<qint64>(0, entry.counts.rss);
            stats.cpu += qMax(0.0, entry.counts.cpu);
            stats.workers.append(entry);
        }
    }
    stats.workerCount = int(stats.workers.size());
    stats.output = outputState();
    return stats.toJson();
}

} // namespace LibCluster
