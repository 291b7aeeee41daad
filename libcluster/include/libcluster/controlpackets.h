// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The values of the control protocol (docs/control-protocol.md) as types: what a primary's
// EventStream and ControlServer write and what a ControlClient's user reads. Each has one
// writer (toJson()) and one reader (fromJson()); no other code spells a key.
#pragma once

#include <libcluster/address.h>
#include <libcluster/libcluster_export.h>
#include <libcluster/supervisor.h>
#include <libcluster/worker.h>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace LibCluster::Control {

// The numbers of a worker that change all the time: in a WORKER and in each stats entry.
struct LIBCLUSTER_EXPORT WorkerCounts
{
    qint64 connectionsAccepted = 0;
    int openConnections = 0;
    // The worker's "requests" counter.
    qint64 requests = 0;
    QHash<QString, qint64> counters;
    // Percent of one core and bytes; -1 (null on the wire) before the first sample.
    double cpu = -1;
    qint64 rss = -1;

    void writeTo(QJsonObject *object) const;
    static WorkerCounts fromJson(const QJsonObject &object);
    bool operator==(const WorkerCounts &other) const;
};

// A WORKER: one worker as the snapshot and the "fork" event show it.
struct LIBCLUSTER_EXPORT WorkerSnapshot
{
    int id = 0;
    qint64 pid = 0;
    Worker::State state = Worker::None;
    bool connected = false;
    bool dead = false;
    bool exitedAfterDisconnect = false;
    // The primary called kill(): an end it asked for, though not a disconnect (Node 15+).
    bool killed = false;
    // Milliseconds since the epoch; 0 when not known.
    qint64 forkedAt = 0;
    QList<Address> addresses;
    WorkerCounts counts;
    // Only when dead.
    int exitCode = 0;
    int exitSignal = 0;
    QString signalName;
    // Only when the worker has an error: Worker::Error's name ("failedToStart") and the text.
    QString error;
    QString errorString;

    QJsonObject toJson() const;
    static WorkerSnapshot fromJson(const QJsonObject &object);
};

// One of the last workers that exited, as the snapshot's "exited" keeps them.
struct LIBCLUSTER_EXPORT ExitRecord
{
    int id = 0;
    qint64 pid = 0;
    int code = 0;
    int signal = 0;
    QString signalName;
    bool exitedAfterDisconnect = false;
    bool killed = false; // the primary called kill()
    // When it exited and when it was forked (ms since the epoch; forkedAt 0 when not known).
    qint64 time = 0;
    qint64 forkedAt = 0;
    // What it did while it ran: where it listened, its requests and connections in all.
    QList<Address> addresses;
    qint64 requests = 0;
    qint64 connectionsAccepted = 0;

    QJsonObject toJson() const;
    static ExitRecord fromJson(const QJsonObject &object);
};

// The supervisor's settings and state, in the snapshot.
struct LIBCLUSTER_EXPORT SupervisorState
{
    bool respawn = false;
    int workerCount = 0;
    int maxWorkers = 0;
    int crashLimit = 0;
    int crashWindow = 0;
    int initialBackoff = 0;
    int maxBackoff = 0;
    int heartbeatInterval = 0;
    int heartbeatTimeout = 0;
    qint64 memoryLimit = 0;
    qint64 requestLimit = 0;
    int disconnectTimeout = 0;
    bool gaveUp = false;
    bool restarting = false;
    bool shuttingDown = false;

    QJsonObject toJson() const;
    static SupervisorState fromJson(const QJsonObject &object);
};

// OUTPUT: what the primary's OutputWriter did with its stdout and stderr.
struct LIBCLUSTER_EXPORT OutputState
{
    struct Stream
    {
        qint64 written = 0;
        qint64 pending = 0;
        qint64 dropped = 0;
        qint64 droppedWrites = 0;
        bool closed = false;
    };
    Stream standardOutput;
    Stream standardError;

    QJsonObject toJson() const;
    static OutputState fromJson(const QJsonObject &object);
};

// The snapshot: everything a late observer needs (the welcome, the "snapshot" command).
struct LIBCLUSTER_EXPORT ClusterSnapshot
{
    qint64 pid = 0;
    qint64 time = 0;
    // The scheduling policy's name ("rr").
    QString policy;
    QString exec;
    QStringList args;
    QString cwd;
    bool silent = false;
    QList<WorkerSnapshot> workers;
    QList<ExitRecord> exited;
    std::optional<SupervisorState> supervisor;
    OutputState output;

    QJsonObject toJson() const;
    static ClusterSnapshot fromJson(const QJsonObject &object);
};

// One worker in a stats message.
struct LIBCLUSTER_EXPORT WorkerStats
{
    int id = 0;
    qint64 pid = 0;
    Worker::State state = Worker::None;
    WorkerCounts counts;

    QJsonObject toJson() const;
    static WorkerStats fromJson(const QJsonObject &object);
};

// A stats message: per worker and in total.
struct LIBCLUSTER_EXPORT ClusterStats
{
    qint64 time = 0;
    QList<WorkerStats> workers;
    // Totals.
    int workerCount = 0;
    qint64 requests = 0;
    qint64 connectionsAccepted = 0;
    qint64 openConnections = 0;
    double cpu = 0;
    qint64 rss = 0;
    OutputState output;

    QJsonObject toJson() const;
    static ClusterStats fromJson(const QJsonObject &object);
};

// One event. Which fields an event carries depends on its type (see the table in
// docs/control-protocol.md); toJson() writes exactly those.
struct LIBCLUSTER_EXPORT ClusterEvent
{
    enum Type {
        Unknown, // a name this library does not know (a newer primary)
        Setup,
        Fork,
        Online,
        Listening,
        Disconnect,
        Exit,
        Message,
        Error,
        Output,
        Replaced,
        RespawnScheduled,
        GaveUp,
        Resumed,
        HeartbeatMissed,
        RestartFinished,
        WorkerCount,
        ShutdownFinished,
        OutputDropped,
        ListenOverdue,
    };
    static constexpr int TypeCount = ListenOverdue + 1;

    Type type = Unknown;
    // The name on the wire: for Unknown, what the primary sent.
    QString name;
    qint64 time = 0;
    // Worker events (isWorkerEvent()).
    int id = 0;
    qint64 pid = 0;
    std::optional<WorkerSnapshot> worker; // Fork
    Address address; // Listening
    int code = 0; // Exit
    int signal = 0; // Exit
    QString signalName; // Exit
    bool exitedAfterDisconnect = false; // Exit
    bool killed = false; // Exit: the primary called kill()
    QJsonValue message; // Message
    QString error; // Error (Worker::Error's name), RestartFinished (why it failed)
    QString errorString; // Error
    // Output: the worker's stream; OutputDropped: the primary's.
    Worker::OutputChannel channel = Worker::StandardOutput;
    QString data; // Output
    int oldId = 0; // Replaced
    // Replaced: Supervisor::ReplaceReason's name ("crashed"); GaveUp: the supervisor's words.
    QString reason;
    int delay = 0; // RespawnScheduled
    bool ok = false; // RestartFinished
    int count = 0; // WorkerCount
    int elapsed = 0; // ListenOverdue: ms since the worker came online
    bool exited = false; // ListenOverdue: it exits (with code 0) rather than still running
    qint64 bytes = 0; // OutputDropped
    qint64 writes = 0;
    qint64 totalBytes = 0;
    bool closed = false;

    explicit ClusterEvent(Type type = Unknown);
    bool isWorkerEvent() const;
    static QString typeName(Type type);
    static Type typeFromName(const QString &name);

    QJsonObject toJson() const;
    static ClusterEvent fromJson(const QJsonObject &object);
};

// The reply to a command: ok, or not and why, and the fields of that command's reply (see the
// commands' table); a field is set when the reply has it.
struct LIBCLUSTER_EXPORT CommandReply
{
    struct Failure
    {
        int worker = 0;
        QString error;
    };

    bool ok = false;
    QString error;
    std::optional<int> worker; // fork, disconnect, kill, send
    std::optional<qint64> pid; // fork
    std::optional<int> count; // fork (deferred), scale
    std::optional<bool> deferred; // fork
    std::optional<QList<int>> workers; // disconnect all
    std::optional<int> code; // kill with wait
    std::optional<int> signal; // kill
    std::optional<QString> signalName; // kill with wait
    std::optional<int> sent; // send to all
    std::optional<QList<Failure>> failed; // send to all
    std::optional<QJsonObject> snapshot; // snapshot (a ClusterSnapshot)
    std::optional<QJsonObject> stats; // stats (a ClusterStats)

    static CommandReply success();
    static CommandReply failure(const QString &error);

    QJsonObject toJson() const;
    static CommandReply fromJson(const QJsonObject &object);
};

// Worker::State as the protocol spells it ("listening"), and back.
LIBCLUSTER_EXPORT QString workerStateName(Worker::State state);
LIBCLUSTER_EXPORT Worker::State workerStateFromName(const QString &name);
// Worker::Error as the protocol spells it ("failedToStart").
LIBCLUSTER_EXPORT QString workerErrorName(Worker::Error error);
// A stream as the protocol spells it: "stdout", "stderr".
LIBCLUSTER_EXPORT QString channelName(Worker::OutputChannel channel);
// The "reason" of a "replaced" event ("memoryLimit"), and back; nullopt for a reason this
// library does not know (a newer primary).
LIBCLUSTER_EXPORT QString replaceReasonName(Supervisor::ReplaceReason reason);
LIBCLUSTER_EXPORT std::optional<Supervisor::ReplaceReason> replaceReasonFromName(
    const QString &name);

} // namespace LibCluster::Control
