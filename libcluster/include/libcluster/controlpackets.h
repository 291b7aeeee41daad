// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief The values of the control protocol (docs/control-protocol.md) as types: what a primary's
//! EventStream and ControlServer write and what a ControlClient's user reads. Each has one writer
//! (toJson()) and one reader (fromJson()); no other code spells a key.
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

//! \brief The control protocol's values as types (docs/control-protocol.md): one struct per kind
//! of message, each with the one writer (toJson()) and the one reader (fromJson()) of its keys.
namespace LibCluster::Control {

//! \brief The numbers of a worker that change all the time: in a WORKER and in each stats entry.
struct LIBCLUSTER_EXPORT WorkerCounts
{
    qint64 connectionsAccepted = 0; //!< connections the worker accepted or was handed, in all
    int openConnections = 0; //!< connections of the worker open now
    //! \brief The worker's "requests" counter.
    qint64 requests = 0;
    QHash<QString, qint64> counters; //!< every counter of the worker, by name
    //! \brief Percent of one core and bytes; -1 (null on the wire) before the first sample.
    //!@{
    double cpu = -1;
    qint64 rss = -1;
    //!@}

    //! \brief Adds these fields to `object` (they sit beside others in a WORKER or a stats entry).
    void writeTo(QJsonObject *object) const;
    //! \brief The fields writeTo() wrote, read back from `object`.
    static WorkerCounts fromJson(const QJsonObject &object);
    //! \brief True when every number and counter is the same.
    bool operator==(const WorkerCounts &other) const;
};

//! \brief A WORKER: one worker as the snapshot and the "fork" event show it.
struct LIBCLUSTER_EXPORT WorkerSnapshot
{
    int id = 0; //!< Worker::id()
    qint64 pid = 0; //!< Worker::processId()
    Worker::State state = Worker::None; //!< Worker::state()
    bool connected = false; //!< Worker::isConnected()
    bool dead = false; //!< Worker::isDead()
    bool exitedAfterDisconnect = false; //!< Worker::exitedAfterDisconnect()
    //! \brief The primary called kill(): an end it asked for, though not a disconnect (Node 15+).
    bool killed = false;
    //! \brief When the worker was forked, in milliseconds since the epoch; 0 when not known.
    qint64 forkedAt = 0;
    QList<Address> addresses; //!< Worker::listeningAddresses()
    WorkerCounts counts; //!< connections, requests, counters, CPU and memory
    //! \brief Only when dead: Worker::exitCode(), Worker::exitSignal() and the signal's name.
    //!@{
    int exitCode = 0;
    int exitSignal = 0;
    QString signalName;
    //!@}
    //! \brief Only when the worker has an error: Worker::Error's name ("failedToStart") and the
    //! text.
    //!@{
    QString error;
    QString errorString;
    //!@}

    //! \brief The WORKER object.
    QJsonObject toJson() const;
    //! \brief A WORKER object read back; missing keys keep their defaults.
    static WorkerSnapshot fromJson(const QJsonObject &object);
};

//! \brief One of the last workers that exited, as the snapshot's "exited" keeps them.
struct LIBCLUSTER_EXPORT ExitRecord
{
    int id = 0; //!< the worker's id
    qint64 pid = 0; //!< its process id
    int code = 0; //!< its exit code; -1 when a signal ended it
    int signal = 0; //!< the signal that ended it; 0 when it exited
    QString signalName; //!< the signal's name ("SIGKILL"); empty when it exited
    bool exitedAfterDisconnect = false; //!< Worker::exitedAfterDisconnect()
    bool killed = false; //!< the primary called kill()
    //! \brief When it exited and when it was forked (ms since the epoch; forkedAt 0 when not
    //! known).
    //!@{
    qint64 time = 0;
    qint64 forkedAt = 0;
    //!@}
    //! \brief What it did while it ran: where it listened, its requests and connections in all.
    //!@{
    QList<Address> addresses;
    qint64 requests = 0;
    qint64 connectionsAccepted = 0;
    //!@}

    //! \brief The record as the snapshot's "exited" list holds it.
    QJsonObject toJson() const;
    //! \brief A record read back; missing keys keep their defaults.
    static ExitRecord fromJson(const QJsonObject &object);
};

//! \brief The supervisor's settings and state, in the snapshot.
//!
//! Each field is the Supervisor getter of the same name (gaveUp: Supervisor::hasGivenUp(),
//! restarting: Supervisor::isRestarting(), shuttingDown: Supervisor::isShuttingDown()).
struct LIBCLUSTER_EXPORT SupervisorState
{
    bool respawn = false; //!< Supervisor::respawn()
    int workerCount = 0; //!< Supervisor::workerCount()
    int maxWorkers = 0; //!< Supervisor::maxWorkers()
    int crashLimit = 0; //!< Supervisor::crashLimit()
    int crashWindow = 0; //!< Supervisor::crashWindow(), ms
    int initialBackoff = 0; //!< Supervisor::initialBackoff(), ms
    int maxBackoff = 0; //!< Supervisor::maxBackoff(), ms
    int heartbeatInterval = 0; //!< Supervisor::heartbeatInterval(), ms; 0 when off
    int heartbeatTimeout = 0; //!< Supervisor::heartbeatTimeout(), ms
    qint64 memoryLimit = 0; //!< Supervisor::memoryLimit(), bytes; 0 for none
    qint64 requestLimit = 0; //!< Supervisor::requestLimit(); 0 for none
    int disconnectTimeout = 0; //!< Supervisor::disconnectTimeout(), ms
    bool gaveUp = false; //!< Supervisor::hasGivenUp()
    bool restarting = false; //!< Supervisor::isRestarting()
    bool shuttingDown = false; //!< Supervisor::isShuttingDown()

    //! \brief The snapshot's "supervisor" object.
    QJsonObject toJson() const;
    //! \brief A "supervisor" object read back; missing keys keep their defaults.
    static SupervisorState fromJson(const QJsonObject &object);
};

//! \brief OUTPUT: what the primary's OutputWriter did with its stdout and stderr.
struct LIBCLUSTER_EXPORT OutputState
{
    //! \brief One stream's counts since the primary started (OutputWriter's of the same names).
    struct Stream
    {
        qint64 written = 0; //!< bytes written
        qint64 pending = 0; //!< bytes queued, not written yet
        qint64 dropped = 0; //!< bytes dropped
        qint64 droppedWrites = 0; //!< how many writes the dropped bytes were
        bool closed = false; //!< the reader has gone for good: everything is dropped
    };
    Stream standardOutput; //!< "stdout"
    Stream standardError; //!< "stderr"

    //! \brief The OUTPUT object.
    QJsonObject toJson() const;
    //! \brief An OUTPUT object read back; missing keys keep their defaults.
    static OutputState fromJson(const QJsonObject &object);
};

//! \brief The snapshot: everything a late observer needs (the welcome, the "snapshot" command).
struct LIBCLUSTER_EXPORT ClusterSnapshot
{
    qint64 pid = 0; //!< the primary's process id
    qint64 time = 0; //!< when the snapshot was taken, ms since the epoch
    //! \brief The scheduling policy's name ("rr").
    QString policy;
    QString exec; //!< the settings' program (Settings::exec())
    QStringList args; //!< the settings' arguments (Settings::args())
    QString cwd; //!< the settings' working directory (Settings::cwd())
    bool silent = false; //!< Settings::silent()
    QList<WorkerSnapshot> workers; //!< every worker of Cluster::workers()
    QList<ExitRecord> exited; //!< the last few workers that exited, oldest first
    std::optional<SupervisorState> supervisor; //!< when the endpoint has a supervisor
    OutputState output; //!< the primary's own output

    //! \brief The snapshot object.
    QJsonObject toJson() const;
    //! \brief A snapshot object read back; missing keys keep their defaults.
    static ClusterSnapshot fromJson(const QJsonObject &object);
};

//! \brief One worker in a stats message.
struct LIBCLUSTER_EXPORT WorkerStats
{
    int id = 0; //!< Worker::id()
    qint64 pid = 0; //!< Worker::processId()
    Worker::State state = Worker::None; //!< Worker::state()
    WorkerCounts counts; //!< connections, requests, counters, CPU and memory

    //! \brief The worker's entry of a stats message.
    QJsonObject toJson() const;
    //! \brief An entry read back; missing keys keep their defaults.
    static WorkerStats fromJson(const QJsonObject &object);
};

//! \brief A stats message: per worker and in total.
struct LIBCLUSTER_EXPORT ClusterStats
{
    qint64 time = 0; //!< when the stats were taken, ms since the epoch
    QList<WorkerStats> workers; //!< one entry per worker
    //! \brief Totals over the workers: how many, their requests, connections, CPU (percent of one
    //! core) and resident memory (bytes).
    //!@{
    int workerCount = 0;
    qint64 requests = 0;
    qint64 connectionsAccepted = 0;
    qint64 openConnections = 0;
    double cpu = 0;
    qint64 rss = 0;
    //!@}
    OutputState output; //!< the primary's own output

    //! \brief The stats message.
    QJsonObject toJson() const;
    //! \brief A stats message read back; missing keys keep their defaults.
    static ClusterStats fromJson(const QJsonObject &object);
};

//! \brief One event.
//!
//! Which fields an event carries depends on its type (see the table in docs/control-protocol.md);
//! toJson() writes exactly those.
struct LIBCLUSTER_EXPORT ClusterEvent
{
    //! \brief Which event: one per name of the protocol's events table.
    enum Type {
        Unknown, //!< a name this library does not know (a newer primary)
        Setup, //!< "setup": Cluster::setupPrimary() was applied
        Fork, //!< "fork": a worker was forked
        Online, //!< "online": it is running and its event loop answers
        Listening, //!< "listening": it listens on a shared server
        Disconnect, //!< "disconnect": its channel closed
        Exit, //!< "exit": its process ended
        Message, //!< "message": it sent the primary a message
        Error, //!< "error": something went wrong with it
        Output, //!< "output": it wrote output (only with silent settings)
        Replaced, //!< "replaced": the supervisor put this worker in the place of oldId
        RespawnScheduled, //!< "respawnScheduled": a crashed worker will be replaced
        GaveUp, //!< "gaveUp": crash loop, the supervisor stopped respawning
        Resumed, //!< "resumed": it respawns again
        HeartbeatMissed, //!< "heartbeatMissed": the worker did not answer; killed and replaced
        RestartFinished, //!< "restartFinished": a rolling restart ended
        WorkerCount, //!< "workerCount": the number of workers to keep changed
        ShutdownFinished, //!< "shutdownFinished": every worker is gone after a shutdown
        OutputDropped, //!< "outputDropped": the primary's own output could not be written
        ListenOverdue, //!< "listenOverdue": the worker has not listened in time
    };
    //! \brief How many types there are, Unknown included.
    static constexpr int TypeCount = ListenOverdue + 1;

    Type type = Unknown; //!< which event
    //! \brief The name on the wire: for Unknown, what the primary sent.
    QString name;
    qint64 time = 0; //!< when it happened, ms since the epoch
    //! \brief Worker events (isWorkerEvent()): the worker's id and process id.
    //!@{
    int id = 0;
    qint64 pid = 0;
    //!@}
    std::optional<WorkerSnapshot> worker; //!< Fork
    Address address; //!< Listening
    int code = 0; //!< Exit
    int signal = 0; //!< Exit
    QString signalName; //!< Exit
    bool exitedAfterDisconnect = false; //!< Exit
    bool killed = false; //!< Exit: the primary called kill()
    QJsonValue message; //!< Message
    QString error; //!< Error (Worker::Error's name), RestartFinished (why it failed)
    QString errorString; //!< Error
    //! \brief Output: the worker's stream; OutputDropped: the primary's.
    Worker::OutputChannel channel = Worker::StandardOutput;
    QString data; //!< Output
    int oldId = 0; //!< Replaced
    //! \brief Replaced: Supervisor::ReplaceReason's name ("crashed"); GaveUp: the supervisor's
    //! words.
    QString reason;
    int delay = 0; //!< RespawnScheduled
    bool ok = false; //!< RestartFinished
    int count = 0; //!< WorkerCount
    int elapsed = 0; //!< ListenOverdue: ms since the worker came online
    bool exited = false; //!< ListenOverdue: it exits (with code 0) rather than still running
    qint64 bytes = 0; //!< OutputDropped: bytes dropped since the last such event
    qint64 writes = 0; //!< OutputDropped: writes dropped since the last such event
    qint64 totalBytes = 0; //!< OutputDropped: bytes dropped since the primary started
    bool closed = false; //!< OutputDropped: the reader has gone for good
    //! \brief Published by the application that embeds the primary (EventStream::publish()),
    //! not by the library: type is Unknown and name is the application's.
    bool application = false;
    //! \brief An application event's line for a person ("text"), empty when it has none.
    QString text;
    //! \brief An application event says something went wrong ("alert").
    bool alert = false;
    //! \brief An application event's own fields (all but "event", "time", "application",
    //! "text" and "alert").
    QJsonObject fields;

    //! \brief An event of `type`, every field at its default.
    explicit ClusterEvent(Type type = Unknown);
    //! \brief True for the events about one worker (they carry id and pid).
    bool isWorkerEvent() const;
    //! \brief The name on the wire of `type` ("restartFinished"); empty for Unknown.
    static QString typeName(Type type);
    //! \brief The type named `name`; Unknown for a name this library does not know.
    static Type typeFromName(const QString &name);

    //! \brief The event object: "event", "time" and the fields of this type.
    QJsonObject toJson() const;
    //! \brief An event object read back: the fields of its type; missing keys keep their defaults.
    static ClusterEvent fromJson(const QJsonObject &object);
};

//! \brief The reply to a command: ok, or not and why, and the fields of that command's reply (see
//! the commands' table); a field is set when the reply has it.
struct LIBCLUSTER_EXPORT CommandReply
{
    //! \brief A worker a "send" to all did not reach, and why.
    struct Failure
    {
        int worker = 0; //!< the worker's id
        QString error; //!< why the message was not sent
    };

    bool ok = false; //!< whether the command was carried out
    QString error; //!< why not, when ok is false
    std::optional<int> worker; //!< fork, disconnect, kill, send
    std::optional<qint64> pid; //!< fork
    std::optional<int> count; //!< fork (deferred), scale
    std::optional<bool> deferred; //!< fork
    std::optional<QList<int>> workers; //!< disconnect all
    std::optional<int> code; //!< kill with wait
    std::optional<int> signal; //!< kill
    std::optional<QString> signalName; //!< kill with wait
    std::optional<int> sent; //!< send to all
    std::optional<QList<Failure>> failed; //!< send to all
    std::optional<QJsonObject> snapshot; //!< snapshot (a ClusterSnapshot)
    std::optional<QJsonObject> stats; //!< stats (a ClusterStats)

    //! \brief A reply with ok true and no other field.
    static CommandReply success();
    //! \brief A reply with ok false and `error`.
    static CommandReply failure(const QString &error);

    //! \brief The reply object: "ok", "error" when not ok, and the fields that are set.
    QJsonObject toJson() const;
    //! \brief A reply object read back; a field is set when the object has its key.
    static CommandReply fromJson(const QJsonObject &object);
};

//! \brief Worker::State as the protocol spells it ("listening"), and back (None for a name this
//! library does not know).
//!@{
LIBCLUSTER_EXPORT QString workerStateName(Worker::State state);
LIBCLUSTER_EXPORT Worker::State workerStateFromName(const QString &name);
//!@}
//! \brief Worker::Error as the protocol spells it ("failedToStart").
LIBCLUSTER_EXPORT QString workerErrorName(Worker::Error error);
//! \brief A stream as the protocol spells it: "stdout", "stderr".
LIBCLUSTER_EXPORT QString channelName(Worker::OutputChannel channel);
//! \brief The "reason" of a "replaced" event ("memoryLimit"), and back; nullopt for a reason this
//! library does not know (a newer primary).
//!@{
LIBCLUSTER_EXPORT QString replaceReasonName(Supervisor::ReplaceReason reason);
LIBCLUSTER_EXPORT std::optional<Supervisor::ReplaceReason> replaceReasonFromName(
    const QString &name);
//!@}

} // namespace LibCluster::Control
