// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Worker: lifecycle, messages and the runtime protocol, on both sides of the channel.
#include <libcluster/worker.h>

#include "runtime/cluster_p.h"
#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "util/logging.h"

#include <QCborArray>
#include <QCoreApplication>
#include <QTimer>
#include <QVarLengthArray>

#include <algorithm>
#include <csignal>
#include <limits>
#include <unistd.h>
#include <utility>

namespace LibCluster {

using namespace Internal;

namespace {
// Closes what a frame brought and nobody took; -1 stands for one that never arrived.
void closeDescriptors(const QList<int> &descriptors)
{
    for (int fd : descriptors)
        if (fd >= 0)
            ::close(fd);
}

} // namespace

Worker::Worker(int id, QObject *parent)
    : QObject(parent)
    , d_ptr(new WorkerPrivate(this, id))
{ }

Worker::~Worker()
{
    Q_D(Worker);
    // A worker going away still reports what it counted.
    if (!d->cluster) {
        d->flushCounters();
        return;
    }
    // Deleted by the application while the cluster still knows it (autoDeleteWorkers() off,
    // or a worker that is still running): nothing in the primary may keep pointing at it.
    d->cluster->forgetWorker(this);
}

int Worker::id() const
{
    return d_func()->id;
}
qint64 Worker::processId() const
{
    return d_func()->pid;
}
Worker::State Worker::state() const
{
    return d_func()->state;
}
bool Worker::isConnected() const
{
    Q_D(const Worker);
    return d->channel && d->channel->isOpen() && !d->disconnectedDone;
}
bool Worker::isDead() const
{
    return d_func()->exitedDone;
}
bool Worker::exitedAfterDisconnect() const
{
    return d_func()->exitedAfterDisconnect;
}
int Worker::exitCode() const
{
    return d_func()->exitCode;
}
int Worker::exitSignal() const
{
    return d_func()->exitSignal;
}
Worker::Error Worker::error() const
{
    return d_func()->error;
}
QString Worker::errorString() const
{
    return d_func()->errorString;
}

QList<Address> Worker::listeningAddresses() const
{
    return d_func()->addresses;
}
qint64 Worker::connectionsAccepted() const
{
    return d_func()->connectionsAccepted;
}
int Worker::openConnections() const
{
    return d_func()->openConnections;
}

bool Worker::addToCounter(const QString &name, qint64 amount)
{
    Q_D(Worker);
    auto counter = d->counters.find(name);
    if (counter == d->counters.end()) {
        if (const QString why = d->counterRefusal(name); !why.isEmpty()) {
            d->reportCounterRefusal(
                tr("counter \"%1\" refused: %2; count a fixed set of names (one per status code, "
                   "not one per URL, user or request)")
                    .arg(name.left(64), why));
            return false;
        }
        counter = d->counters.insert(name, 0);
    }
    *counter += amount;
    if (!d->cluster)
        d->unsentCounters[name] += amount;
    if (d->cluster) {
        // Counting in the primary's own copy is allowed too; it shows up at once.
        Q_EMIT countersChanged();
        Q_EMIT d->cluster->q_ptr->workerCountersChanged(this);
        return true;
    }
    if (!d->counterFlushScheduled) {
        d->counterFlushScheduled = true;
        QTimer::singleShot(WorkerPrivate::CounterFlushInterval, this, [d] { d->flushCounters(); });
    }
    return true;
}

qint64 Worker::counter(const QString &name) const
{
    return d_func()->counters.value(name);
}
QHash<QString, qint64> Worker::counters() const
{
    return d_func()->counters;
}
double Worker::cpuUsage() const
{
    return d_func()->cpuUsage;
}
qint64 Worker::residentMemory() const
{
    return d_func()->residentMemory;
}

QLocalSocket *Worker::extraPipe(int descriptor)
{
    Q_D(Worker);
    if (QLocalSocket *socket = d->extraPipes.value(descriptor))
        return socket;
    if (d->cluster || !d->extraPipeDescriptors.contains(descriptor))
        return nullptr;
    auto *socket = new QLocalSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcWorker) << "cannot use extra pipe" << descriptor << ":"
                            << socket->errorString();
        delete socket;
        return nullptr;
    }
    d->extraPipes.insert(descriptor, socket);
    return socket;
}

qint64 Worker::bytesToWrite() const
{
    Q_D(const Worker);
    return d->channel ? d->channel->bytesToWrite() : 0;
}

qint64 Worker::maxPendingBytes() const
{
    return d_func()->maxPendingBytes;
}
void Worker::setMaxPendingBytes(qint64 bytes)
{
    d_func()->maxPendingBytes = bytes;
}

bool Worker::send(const QCborValue &message, const Handle &handle)
{
    Q_D(Worker);
    if (!isConnected() || d->channel->isClosing()) {
        d->reportError(
            NotConnected, tr("cannot send to worker %1: the channel is closed").arg(d->id));
        return false;
    }
    const auto queueFull = [d] {
        return tr("cannot send: %1 bytes are already waiting for the reader (limit %2)")
            .arg(d->channel->bytesToWrite())
            .arg(d->maxPendingBytes);
    };
    // A queue with no room even for the smallest frame refuses any message: said before the
    // message is encoded, so a sender that keeps trying against a stalled reader costs little.
    // (An empty queue is left to the checks below, which name a limit too small for any frame.)
    if (d->channel->bytesToWrite() > 0
        && d->channel->bytesToWrite() + FrameHeaderSize >= d->maxPendingBytes) {
        d->reportError(QueueFull, queueFull());
        return false;
    }
    if (!d->encoder)
        d->encoder = std::make_unique<MessageEncoder>();
    // Without a handle, the message is encoded straight into the channel's write queue and taken
    // back whole if it is refused; a handle goes with its own frame, sent at once.
    QByteArray *buffer = handle.isValid() ? &d->encoded : d->channel->beginFrame();
    if (!buffer) { // the peer is gone; its end of the stream is on its way
        d->reportError(
            NotConnected, tr("cannot send to worker %1: the channel is closed").arg(d->id));
        return false;
    }
    const qsizetype start = buffer->size();
    auto refuse = [&](Worker::Error error, const QString &text) {
        if (handle.isValid())
            d->encoded.resize(0);
        else
            d->channel->abandonFrame();
        d->reportError(error, text);
        return false;
    };
    QString why;
    if (!d->encoder->encode(message, *buffer, &why))
        return refuse(InvalidMessage, tr("cannot send: %1").arg(why));
    const qsizetype payloadSize = buffer->size() - start;
    if (quint64(payloadSize) > MaxFramePayload) {
        return refuse(InvalidMessage,
            tr("cannot send: the message is %1 bytes, more than the limit of %2")
                .arg(payloadSize)
                .arg(MaxFramePayload));
    }
    const qint64 frameSize = FrameHeaderSize + payloadSize;
    if (frameSize > d->maxPendingBytes) {
        return refuse(QueueFull,
            tr("cannot send: the message (%1 bytes) is larger than the send queue "
               "limit (%2 bytes)")
                .arg(frameSize)
                .arg(d->maxPendingBytes));
    }
    if (d->channel->bytesToWrite() + frameSize > d->maxPendingBytes)
        return refuse(QueueFull, queueFull());
    if (!handle.isValid()) {
        d->channel->commitFrame(FrameKind::Message);
        return true;
    }
    const QList<int> descriptors { int(handle.descriptor()) };
    const bool written = d->channel->write(FrameKind::Message, d->encoded, descriptors);
    // A buffer grown by one large message is not kept for the small ones that follow.
    if (d->encoded.capacity() > 1024 * 1024)
        d->encoded = QByteArray();
    else
        d->encoded.resize(0);
    if (!written) {
        d->reportError(NotConnected, tr("cannot send: the handle could not be attached"));
        return false;
    }
    return true;
}

void Worker::disconnectFromCluster()
{
    Q_D(Worker);
    if (!isConnected() || d->channel->isClosing())
        return;
    d->exitedAfterDisconnect = true;
    if (d->cluster) {
        d->askedByPrimary = true;
        qCDebug(lcPrimary) << "asking worker" << d->id << "to disconnect";
        d->sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::disconnect()));
    } else {
        d->beginDisconnect(false);
    }
}

void Worker::kill(int signal)
{
    Q_D(Worker);
    d->askedByPrimary = d->cluster != nullptr;
    if (!d->cluster) {
        // In a worker: a disconnect of its own (as Node's worker-side destroy()). Tell the primary
        // this is on purpose, close the channel, then exit(0) (done when the channel reports it
        // has closed).
        d->exitedAfterDisconnect = true;
        if (isConnected() && !d->channel->isClosing()) {
            d->sendFrame(
                FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::disconnecting()));
            d->channel->closeAfterWriting();
        } else {
            QCoreApplication::exit(0);
        }
        return;
    }
    // As Node (since 15) does, a kill from the primary is not a disconnect: exitedAfterDisconnect()
    // stays as it was, so a crash-restart policy can tell a worker it killed (a hung one) from
    // one it asked to leave.
    d->killRequested = true;
    // Signal first: a libcluster worker whose channel closes exits with 0 on its own, which
    // would race with the signal the caller asked for.
    if (d->process && d->process->state() != QProcess::NotRunning && d->pid > 0) {
        qCDebug(lcPrimary) << "sending" << Cluster::signalName(signal) << "to worker" << d->id;
        ::kill(pid_t(d->pid), signal);
    }
    if (d->channel && d->channel->isOpen())
        d->channel->abort();
}

bool WorkerPrivate::sendFrame(FrameKind kind, const QByteArray &payload, Channel::Timing timing)
{
    return channel && channel->write(kind, payload, {}, timing);
}

void WorkerPrivate::attachChannel(int fd)
{
    channel = new Channel(fd, q_ptr);
    channel->setFrameHandler([this](Frame &&frame) { handleFrame(std::move(frame)); });
    channel->setClosedHandler([this](const QString &error) { onChannelClosed(error); });
}

void WorkerPrivate::setState(Worker::State newState)
{
    Q_Q(Worker);
    if (state == newState)
        return;
    state = newState;
    Q_EMIT q->stateChanged(newState);
}

void WorkerPrivate::reportError(Worker::Error newError, const QString &text)
{
    Q_Q(Worker);
    error = newError;
    errorString = text;
    qCDebug(cluster ? lcPrimary() : lcWorker()) << "worker" << id << "error:" << text;
    Q_EMIT q->errorOccurred(newError, text);
    if (cluster)
        Q_EMIT cluster->q_ptr->workerErrorOccurred(q, newError, text);
}

void WorkerPrivate::handleFrame(Frame &&frame)
{
    Q_Q(Worker);
    QCborParserError parseError;
    const QCborValue value = (frame.kind == FrameKind::Runtime ? runtimeDecoder : messageDecoder)
                                 .decode(frame.payload, &parseError);
    if (parseError.error != QCborError::NoError) {
        closeDescriptors(frame.descriptors);
        channel->abort(QStringLiteral("invalid CBOR in a frame: %1").arg(parseError.errorString()));
        return;
    }
    if (frame.kind == FrameKind::Runtime) {
        handleRuntimeMessage(value.toMap(), frame.descriptors);
        closeDescriptors(frame.descriptors);
        return;
    }
    // The API carries one handle per message; a frame with more is from a peer we don't know.
    Handle handle;
    if (!frame.descriptors.isEmpty()) {
        handle = Handle::adopt(frame.descriptors.takeFirst());
        if (!handle.isValid())
            reportError(Worker::HandleNotReceived,
                Worker::tr("a message's handle could not be received: this process is "
                           "out of file descriptors (raise RLIMIT_NOFILE); the message "
                           "is delivered without it"));
        closeDescriptors(frame.descriptors);
    }
    QPointer<Worker> guard(q);
    Q_EMIT q->messageReceived(value, handle);
    if (guard && cluster)
        Q_EMIT cluster->q_ptr->messageReceived(q, value, handle);
}

void WorkerPrivate::handleRuntimeMessage(const QCborMap &message, QList<int> &descriptors)
{
    Q_Q(Worker);
    const QString command = message.value(RuntimeProtocol::commandKey()).toString();
    if (cluster) {
        if (command == RuntimeProtocol::online()) {
            if (state != Worker::None)
                return;
            wentOnline = true;
            qCDebug(lcPrimary) << "worker" << id << "online";
            setState(Worker::Online);
            startListenWatch();
            QPointer<Worker> guard(q);
            Q_EMIT q->online();
            if (guard)
                Q_EMIT cluster->q_ptr->workerOnline(q);
        } else if (command == RuntimeProtocol::listen()) {
            cluster->ports.listen(this, message, cluster->policy);
        } else if (command == RuntimeProtocol::listening()) {
            handleListening(message);
        } else if (command == RuntimeProtocol::close()) {
            cluster->ports.close(this, int(message.value(QStringLiteral("key")).toInteger()));
        } else if (command == RuntimeProtocol::acknowledge()) {
            cluster->ports.acknowledge(this, message);
        } else if (command == RuntimeProtocol::room()) {
            cluster->ports.room(this, int(message.value(QStringLiteral("key")).toInteger()));
        } else if (command == RuntimeProtocol::connectionCounts()) {
            handleConnectionCounts(message);
        } else if (command == RuntimeProtocol::pong()) {
            lastPong = message.value(QStringLiteral("n")).toInteger();
        } else if (command == RuntimeProtocol::counters()) {
            handleCounters(message);
        } else if (command == RuntimeProtocol::disconnecting()) {
            exitedAfterDisconnect = true;
        } else {
            qCWarning(lcPrimary) << "worker" << id << "sent an unknown command" << command;
        }
        return;
    }
    if (command == RuntimeProtocol::newConnection()) {
        deliverConnection(message, descriptors);
    } else if (command == RuntimeProtocol::ping()) {
        QCborMap pong;
        pong.insert(QStringLiteral("n"), message.value(QStringLiteral("n")));
        sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::pong(), pong));
    } else if (command == RuntimeProtocol::disconnect()) {
        exitedAfterDisconnect = true;
        beginDisconnect(true);
    } else if (command == RuntimeProtocol::reply()) {
        // The answer to a request that timed out (a primary that was stopped): the server it
        // opened for this worker is given back, or the primary would count the worker among
        // that port's listeners. Its descriptor is closed with the frame.
        const int key = int(message.value(QStringLiteral("key")).toInteger());
        qCInfo(lcWorker) << "late answer from the primary to request"
                         << message.value(QStringLiteral("seq")).toInteger();
        if (message.value(QStringLiteral("ok")).toBool() && key > 0 && !links.contains(key)) {
            QCborMap close;
            close.insert(QStringLiteral("key"), key);
            sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::close(), close));
        }
    } else {
        qCWarning(lcWorker) << "the primary sent an unknown command" << command;
    }
}

void WorkerPrivate::handleListening(const QCborMap &message)
{
    Q_Q(Worker);
    const Address address(message.value(QStringLiteral("address")).toString(),
        quint16(message.value(QStringLiteral("port")).toInteger()),
        Address::AddressType(message.value(QStringLiteral("addressType")).toInteger()));
    addresses.append(address);
    if (state == Worker::Online || state == Worker::None)
        setState(Worker::Listening);
    qCDebug(lcPrimary) << "worker" << id << "listening on" << address.toString();
    QPointer<Worker> guard(q);
    Q_EMIT q->listening(address);
    if (guard)
        Q_EMIT cluster->q_ptr->workerListening(q, address);
}

void WorkerPrivate::startListenWatch()
{
    if (listenWarningTimeout <= 0)
        return;
    onlineClock.start();
    QTimer::singleShot(listenWarningTimeout, q_ptr, [this] {
        if (!disconnectedDone && !exitedDone)
            warnIfNotListening(false);
    });
}

void WorkerPrivate::warnIfNotListening(bool exiting)
{
    Q_Q(Worker);
    if (listenWarned || !onlineClock.isValid() || !addresses.isEmpty())
        return;
    // Asked to go before it listened, by either side: nothing is missing.
    if (askedByPrimary || exitedAfterDisconnect || killRequested)
        return;
    listenWarned = true;
    const int elapsed = int(qMin<qint64>(onlineClock.elapsed(), std::numeric_limits<int>::max()));
    if (exiting) {
        // Only the signal and the event: a worker that does its job and ends at once (Node's
        // examples do) is common, and a primary's stderr is no place to second-guess it. A
        // cluster whose listen failed in all but one worker hears of that one in time.
        qCDebug(lcPrimary) << "worker" << id << "exited with code 0" << elapsed
                           << "ms after it came online, without listening on a shared server";
    } else {
        qCWarning(lcPrimary).noquote()
            << Worker::tr("worker %1 has been online for %2 ms without listening on a shared "
                          "server: a server the cluster does not see (a plain QTcpServer, "
                          "QHttpServer::listen()) gets none of the cluster's connections. Listen "
                          "through LibCluster::TcpServer (QHttpServer::bind()) or "
                          "LibCluster::listen(). For workers that are not meant to listen, turn "
                          "this warning off: Settings::setListenWarningTimeout(0).")
                   .arg(id)
                   .arg(elapsed);
    }
    QPointer<Worker> guard(q);
    Q_EMIT q->listenOverdue(elapsed, exiting);
    if (guard)
        Q_EMIT cluster->q_ptr->workerListenOverdue(q, elapsed, exiting);
}

void WorkerPrivate::handleConnectionCounts(const QCborMap &message)
{
    Q_Q(Worker);
    connectionsAccepted = message.value(QStringLiteral("accepted")).toInteger();
    openConnections = int(message.value(QStringLiteral("open")).toInteger());
    Q_EMIT q->connectionCountsChanged();
}

QString WorkerPrivate::counterRefusal(const QString &name) const
{
    if (name.size() > Worker::MaxCounterNameLength)
        return Worker::tr("a counter name is at most %1 characters (Worker::MaxCounterNameLength)")
            .arg(Worker::MaxCounterNameLength);
    if (counters.size() >= Worker::MaxCounterNames)
        return Worker::tr("a worker keeps at most %1 counter names (Worker::MaxCounterNames)")
            .arg(Worker::MaxCounterNames);
    return QString();
}

void WorkerPrivate::reportCounterRefusal(const QString &text)
{
    // Once: a loop over new names would otherwise log, and signal, once per call.
    if (counterLimitReported)
        return;
    counterLimitReported = true;
    qCWarning(cluster ? lcPrimary() : lcWorker()).noquote() << text;
    reportError(Worker::CounterLimitReached, text);
}

void WorkerPrivate::handleCounters(const QCborMap &message)
{
    Q_Q(Worker);
    const QCborMap added = message.value(QStringLiteral("add")).toMap();
    // The worker's own limit, kept here too: a worker built otherwise must not make the primary
    // hold, and put in every stats message, names without bound.
    qsizetype refused = 0;
    for (auto it = added.cbegin(); it != added.cend(); ++it) {
        const QString name = it.key().toString();
        auto counter = counters.find(name);
        if (counter == counters.end()) {
            if (!counterRefusal(name).isEmpty()) {
                ++refused;
                continue;
            }
            counter = counters.insert(name, 0);
        }
        *counter += it.value().toInteger();
    }
    if (refused > 0)
        reportCounterRefusal(
            Worker::tr("worker %1 sent %2 counter names beyond its limits (at most %3 names of at "
                       "most %4 characters); they are dropped")
                .arg(id)
                .arg(refused)
                .arg(Worker::MaxCounterNames)
                .arg(Worker::MaxCounterNameLength));
    QPointer<Worker> guard(q);
    Q_EMIT q->countersChanged();
    if (guard)
        Q_EMIT cluster->q_ptr->workerCountersChanged(q);
}

void WorkerPrivate::flushCounters()
{
    counterFlushScheduled = false;
    if (unsentCounters.isEmpty())
        return;
    sendFrame(FrameKind::Runtime, RuntimeProtocol::encodeCounters(unsentCounters));
    unsentCounters.clear();
}

QCborMap WorkerPrivate::request(
    const QString &command, QCborMap fields, Handle *handle, QString *error)
{
    if (!channel || !channel->isOpen() || channel->isClosing()) {
        *error = QStringLiteral("the worker is not connected to its primary");
        return QCborMap();
    }
    const qint64 seq = ++lastRequest;
    fields.insert(QStringLiteral("seq"), seq);
    channel->write(FrameKind::Runtime, RuntimeProtocol::encode(command, fields));
    const auto isReply = [seq](const Frame &frame) {
        if (frame.kind != FrameKind::Runtime)
            return false;
        const QCborMap map = QCborValue::fromCbor(frame.payload).toMap();
        return map.value(RuntimeProtocol::commandKey()).toString() == RuntimeProtocol::reply()
            && map.value(QStringLiteral("seq")).toInteger() == seq;
    };
    Frame reply;
    if (!channel->waitForFrame(isReply, requestTimeout, &reply, error)) {
        *error = QStringLiteral("no answer from the primary to \"%1\" within %2 ms (%3); is the "
                                "primary stopped or its event loop blocked? "
                                "Settings::setRequestTimeout() sets the wait")
                     .arg(command)
                     .arg(requestTimeout)
                     .arg(*error);
        return QCborMap();
    }
    if (!reply.descriptors.isEmpty())
        *handle = Handle::adopt(reply.descriptors.takeFirst());
    closeDescriptors(reply.descriptors);
    return QCborValue::fromCbor(reply.payload).toMap();
}

void WorkerPrivate::deliverConnection(const QCborMap &message, QList<int> &descriptors)
{
    using Answer = Internal::SharedServer::Answer;
    const int key = int(message.value(QStringLiteral("key")).toInteger());
    const qint64 first = message.value(QStringLiteral("conn")).toInteger();
    // The frame says how many it carries; the header's count is what arrived with it.
    const qsizetype count = qsizetype(std::clamp(
        message.value(QStringLiteral("n")).toInteger(1), qint64(1), qint64(MaxFrameDescriptors)));
    ServerLink *link = links.value(key);
    const bool serving = link && link->isAccepting();
    // Every answer is decided, and sent, before any handler runs, as Node does for its one
    // connection: the primary can count on these while the server sets them up, and a worker
    // that dies in a handler does not have the connection handed to another worker after it
    // read from it.
    QVarLengthArray<Answer, MaxFrameDescriptors> answers;
    int taking = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const int fd = i < descriptors.size() ? descriptors.at(i) : -2;
        if (fd == -1) {
            // The primary sent it, but this process had no descriptor left to receive it in: not
            // closing the server; the primary passes this worker over for a while and gives the
            // connection to another one, and the connections it has live on.
            answers.append(Answer::Full);
        } else if (fd < 0 || !serving) {
            answers.append(Answer::Closed);
        } else if (link->refusesAtLimit(taking)) {
            // At its maxConnections, as Node's worker does: the primary gives it to another
            // worker and passes this server over until it has room.
            answers.append(Answer::AtLimit);
        } else {
            answers.append(Answer::Taken);
            ++taking;
        }
    }
    // One acknowledgement per run of equal answers: one for the whole frame, as a rule.
    for (qsizetype from = 0; from < count;) {
        qsizetype to = from + 1;
        while (to < count && answers.at(to) == answers.at(from))
            ++to;
        QCborMap ack;
        ack.insert(QStringLiteral("key"), key);
        ack.insert(QStringLiteral("conn"), first + from);
        if (to - from > 1)
            ack.insert(QStringLiteral("n"), to - from);
        ack.insert(QStringLiteral("accepted"), answers.at(from) == Answer::Taken);
        if (answers.at(from) == Answer::Full)
            ack.insert(QStringLiteral("full"), true);
        if (answers.at(from) == Answer::AtLimit)
            ack.insert(QStringLiteral("limit"), true);
        sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::acknowledge(), ack),
            Channel::Timing::Now);
        from = to;
    }
    for (qsizetype i = 0; i < count && i < descriptors.size(); ++i) {
        const int fd = std::exchange(descriptors[i], -1);
        if (fd < 0)
            continue;
        // A handler of an earlier connection may have closed or deleted the server: then the
        // rest are closed, as the connections waiting in a closed server's backlog are.
        link = links.value(key);
        if (answers.at(i) == Answer::Taken && link && link->isAccepting())
            link->take(fd);
        else
            ::close(fd);
    }
}

void WorkerPrivate::connectionOpened()
{
    ++connectionsAccepted;
    ++openConnections;
    scheduleCountsReport();
}

void WorkerPrivate::connectionClosed()
{
    --openConnections;
    scheduleCountsReport();
    if (draining && openConnections <= 0)
        finishDisconnect();
}

void WorkerPrivate::scheduleCountsReport()
{
    // One report per interval, however many connections came and went in it: under a
    // connection-per-request load a report per event-loop pass is a message per connection.
    if (countsReportScheduled || cluster)
        return;
    countsReportScheduled = true;
    QTimer::singleShot(CountsReportInterval, q_ptr, [this] {
        countsReportScheduled = false;
        QCborMap counts;
        counts.insert(QStringLiteral("accepted"), connectionsAccepted);
        counts.insert(QStringLiteral("open"), openConnections);
        sendFrame(FrameKind::Runtime,
            RuntimeProtocol::encode(RuntimeProtocol::connectionCounts(), counts));
    });
}

void WorkerPrivate::beginDisconnect(bool primaryInitiated)
{
    Q_Q(Worker);
    if (!channel || !channel->isOpen() || channel->isClosing() || disconnecting)
        return;
    disconnecting = true;
    qCDebug(lcWorker) << "disconnecting from the primary";
    if (!primaryInitiated)
        sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::disconnecting()));
    // Node's order: close every server, let what they accepted finish, then close the channel.
    // The servers close first, so that they already say isClosing() to whoever hears the signal.
    const auto open = links.values();
    for (ServerLink *link : open)
        link->closeServer();
    // Without this, a keep-alive connection never ends on its own and every disconnect would
    // sit out the drain timeout, then drop what is still open.
    Q_EMIT q->disconnectStarted();
    // A handler may have ended the worker's channel already (kill()).
    if (!channel || !channel->isOpen() || channel->isClosing())
        return;
    if (openConnections <= 0) {
        finishDisconnect();
        return;
    }
    qCDebug(lcWorker) << "waiting for" << openConnections << "connections to close";
    draining = true;
    QTimer::singleShot(drainTimeout, q_ptr, [this] {
        if (draining) {
            qCInfo(lcWorker) << openConnections << "connections still open after" << drainTimeout
                             << "ms; disconnecting anyway";
            finishDisconnect();
        }
    });
}

void WorkerPrivate::finishDisconnect()
{
    draining = false;
    flushCounters();
    if (channel && channel->isOpen())
        channel->closeAfterWriting();
}

void WorkerPrivate::onChannelClosed(const QString &channelError)
{
    Q_Q(Worker);
    if (!channelError.isEmpty())
        reportError(Worker::ProtocolError, channelError);
    if (cluster) {
        markDisconnected();
        return;
    }
    // In the worker: a channel that closed without being asked to means the primary is gone,
    // and a worker never outlives its primary. Asked or not, the event loop ends here (a Qt
    // event loop, unlike Node's, never runs out of work on its own).
    if (disconnectedDone)
        return;
    disconnectedDone = true;
    qCDebug(lcWorker) << "channel closed"
                      << (exitedAfterDisconnect ? "on request" : "unexpectedly");
    setState(Worker::Disconnected);
    // Before disconnected(), not after: of several QCoreApplication::exit() calls the last one
    // sets the code, so a slot that chooses its own (exit(42)) is not overridden by this one.
    QCoreApplication::exit(0);
    Q_EMIT q->disconnected();
}

void WorkerPrivate::onProcessFinished(int code, QProcess::ExitStatus status)
{
    if (exitedDone)
        return;
    const bool crashed = status == QProcess::CrashExit;
    // A worker whose own listen failed (a port another worker's plain server took) and that
    // then ends quietly leaves the cluster short as surely as one that serves elsewhere.
    if (!crashed && code == 0)
        warnIfNotListening(true);
    if (!wentOnline)
        reportError(Worker::ExitedBeforeOnline,
            Worker::tr("worker %1 exited before it came online").arg(id));
    // Everything the worker wrote before it died is in the socket already: deliver it first.
    if (channel && channel->isOpen())
        channel->drainAndClose();
    markExited(crashed ? -1 : code, crashed ? code : 0);
}

void WorkerPrivate::onProcessError(QProcess::ProcessError processError)
{
    if (processError != QProcess::FailedToStart || exitedDone)
        return;
    pid = 0; // whatever was forked is gone; never let a caller signal a reused pid
    reportError(Worker::FailedToStart,
        Worker::tr("cannot start worker %1 (%2): %3")
            .arg(id)
            .arg(process->program(), process->errorString()));
    if (channel && channel->isOpen())
        channel->drainAndClose();
    // As a shell reports a program it cannot run.
    markExited(127, 0);
}

void WorkerPrivate::onOutput(Worker::OutputChannel outputChannel)
{
    Q_Q(Worker);
    const QByteArray data = outputChannel == Worker::StandardOutput
        ? process->readAllStandardOutput()
        : process->readAllStandardError();
    if (data.isEmpty())
        return;
    QPointer<Worker> guard(q);
    Q_EMIT q->outputReceived(outputChannel, data);
    if (guard)
        Q_EMIT cluster->q_ptr->workerOutputReceived(q, outputChannel, data);
}

void WorkerPrivate::markDisconnected()
{
    Q_Q(Worker);
    if (disconnectedDone)
        return;
    disconnectedDone = true;
    cluster->ports.leaveAll(this);
    if (exitedDone)
        cluster->removeWorker(q);
    else
        setState(Worker::Disconnected);
    qCDebug(lcPrimary) << "worker" << id << "disconnected";
    Q_EMIT q->disconnected();
    Q_EMIT cluster->q_ptr->workerDisconnected(q);
    finishIfDone();
}

void WorkerPrivate::markExited(int code, int signal)
{
    Q_Q(Worker);
    if (exitedDone)
        return;
    exitedDone = true;
    exitCode = code;
    exitSignal = signal;
    if (process) {
        // Output still buffered belongs before the exit.
        if (process->processChannelMode() == QProcess::SeparateChannels) {
            onOutput(Worker::StandardOutput);
            onOutput(Worker::StandardError);
        }
    }
    if (disconnectedDone)
        cluster->removeWorker(q);
    setState(Worker::Dead);
    qCDebug(lcPrimary) << "worker" << id << "exited, code" << code << "signal" << signal;
    Q_EMIT q->exited(code, signal);
    Q_EMIT cluster->q_ptr->workerExited(q, code, signal);
    finishIfDone();
}

void WorkerPrivate::finishIfDone()
{
    if (!disconnectedDone || !exitedDone)
        return;
    // After the worker's last signal: a slot of allDisconnected() sees it gone from workers().
    if (cluster->autoDeleteWorkers)
        q_ptr->deleteLater();
    cluster->workerFinished(q_ptr);
}

} // namespace LibCluster
