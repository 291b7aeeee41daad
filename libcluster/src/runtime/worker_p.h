// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Worker's private state, shared by the primary side (a forked child) and the worker side (itself).
#pragma once

#include <libcluster/worker.h>

#include "channel/channel.h"
#include "channel/messageencoder.h"
#include "channel/templatedecoder.h"
#include "ports/serverlink.h"

#include <libcluster/address.h>
#include <libcluster/settings.h>

#include <QCborMap>
#include <QElapsedTimer>
#include <QHash>

#include <QLocalSocket>
#include <QPointer>
#include <QProcess>
#include <memory>

namespace LibCluster {

class ClusterPrivate;

class WorkerPrivate
{
    Q_DECLARE_PUBLIC(Worker)

public:
    explicit WorkerPrivate(Worker *q, int id)
        : q_ptr(q)
        , id(id)
    { }

    static WorkerPrivate *get(Worker *worker) { return worker->d_func(); }
    static const WorkerPrivate *get(const Worker *worker) { return worker->d_func(); }

    // Both sides.
    void attachChannel(int fd);
    void handleFrame(Internal::Frame &&frame);
    // Takes ownership of the descriptors that came with the message.
    void handleRuntimeMessage(const QCborMap &message, QList<int> &descriptors);
    void onChannelClosed(const QString &error);
    void setState(Worker::State newState);
    void reportError(Worker::Error newError, const QString &text);
    bool sendFrame(Internal::FrameKind kind, const QByteArray &payload,
        Internal::Channel::Timing timing = Internal::Channel::Timing::Coalesced);

    // Primary side.
    void onProcessFinished(int code, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError processError);
    void onOutput(Worker::OutputChannel channel);
    void markDisconnected();
    void markExited(int code, int signal);
    void finishIfDone();

    void handleListening(const QCborMap &message);
    // Warns, once, of a worker online for listenWarningTimeout without having listened, or
    // (`exiting`) of one that exits with code 0 before then.
    void startListenWatch();
    void warnIfNotListening(bool exiting);
    void handleConnectionCounts(const QCborMap &message);
    void handleCounters(const QCborMap &message);
    // Why a name not counted yet cannot be (too many names, too long), or an empty string.
    QString counterRefusal(const QString &name) const;
    void reportCounterRefusal(const QString &text);

    // Worker side.
    void beginDisconnect(bool primaryInitiated);
    void finishDisconnect();
    // A request the primary answers with a "reply" of the same sequence number. Blocks for at
    // most requestTimeout; `error` is set when no answer came.
    QCborMap request(const QString &command, QCborMap fields, Handle *handle, QString *error);
    void deliverConnection(const QCborMap &message, QList<int> &descriptors);
    void connectionOpened();
    void connectionClosed();
    void scheduleCountsReport();

    void flushCounters();

    // How often a worker reports its connection counts while they change.
    static constexpr int CountsReportInterval = 50;
    // How often a worker sends what was added to its counters.
    static constexpr int CounterFlushInterval = 250;
    // The longest TcpServer::closingIdleTimeout(): the default drain.
    static constexpr int MaxClosingIdleTimeout = 10000;

    Worker *q_ptr;
    const int id;
    ClusterPrivate *cluster = nullptr; // the primary that forked it; null in the worker itself
    QPointer<Internal::Channel> channel;
    std::unique_ptr<Internal::MessageEncoder> encoder;
    QByteArray encoded; // a message that carries a handle, before it is written
    // Received messages and runtime frames each tend to repeat their own shapes.
    Internal::TemplateDecoder messageDecoder;
    Internal::TemplateDecoder runtimeDecoder;
    QProcess *process = nullptr;
    qint64 pid = 0;
    Worker::State state = Worker::None;
    Worker::Error error = Worker::NoError;
    QString errorString;
    qint64 maxPendingBytes = 256 * 1024 * 1024;
    int exitCode = 0;
    int exitSignal = 0;
    bool exitedAfterDisconnect = false;
    // Primary side: the primary asked it to go (kill(), disconnectFromCluster()), and whether
    // as part of Cluster::disconnectAll(). A supervisor replaces the first, not the second.
    bool askedByPrimary = false;
    bool leftWithAll = false;
    // Primary side: kill() was called. Not a disconnect (exitedAfterDisconnect() stays as it
    // was, as in Node), but an end the primary asked for: the Supervisor does not respawn it.
    bool killRequested = false;
    bool wentOnline = false;
    // Primary side: Settings::listenWarningTimeout() at the fork, and the warning's state.
    int listenWarningTimeout = 0;
    QElapsedTimer onlineClock;
    bool listenWarned = false;
    bool disconnectedDone = false;
    bool exitedDone = false;

    // Connections served: reported by the worker, counted by the primary for hand-overs.
    qint64 connectionsAccepted = 0;
    int openConnections = 0;
    QList<Address> addresses; // primary side: where the worker listens

    // Extra stdio pipes by their descriptor in the worker. Primary side: every one, from the
    // fork; worker side: those asked for so far (the others are in extraPipeDescriptors).
    QHash<int, QLocalSocket *> extraPipes;
    QList<int> extraPipeDescriptors;

    // Worker side: the worker's shared servers by key, and the state of a disconnect.
    QHash<int, Internal::ServerLink *> links;
    // Worker side: the primary's Settings::requestTimeout() and drainTimeout().
    int requestTimeout = Settings::DefaultRequestTimeout;
    int drainTimeout = Settings::DefaultDrainTimeout;
    qint64 lastRequest = 0;
    bool countsReportScheduled = false;
    bool disconnecting = false; // a disconnect has begun (disconnectStarted() was emitted)
    bool draining = false; // waiting for open connections to close

    // Counters: totals in the primary; in a worker, what is not yet sent.
    QHash<QString, qint64> counters;
    QHash<QString, qint64> unsentCounters;
    bool counterFlushScheduled = false;
    bool counterLimitReported = false;
    // Resource samples (primary side).
    double cpuUsage = -1;
    qint64 residentMemory = -1;
    qint64 lastCpuTicks = -1;
    qint64 lastSampleTime = 0;
    // Heartbeat (primary side): when the worker last answered a ping, on a monotonic clock.
    qint64 lastPong = 0;
    qint64 lastPing = 0;
};

} // namespace LibCluster
