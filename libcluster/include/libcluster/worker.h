// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief One worker process: in the primary, the handle on a forked child; in a worker, the
//! process itself.
#pragma once

#include <libcluster/address.h>
#include <libcluster/handle.h>
#include <libcluster/libcluster_export.h>

#include <QCborValue>
#include <QHash>
#include <QObject>

#include <csignal>

class QLocalSocket;

namespace LibCluster {

class Cluster;
class WorkerPrivate;

//! \brief One worker process: in the primary, the handle on a forked child (Cluster::fork()); in a
//! worker, the process itself (Cluster::worker()). Node's `Worker`.
//!
//! Both sides use the same class: send() and messageReceived() carry messages both ways,
//! disconnectFromCluster() and kill() end the worker from either side, and the lifecycle signals
//! (online(), listening(), disconnected(), exited()) follow it in the primary.
class LIBCLUSTER_EXPORT Worker : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(Worker)
    //! \brief The worker's id (id()).
    Q_PROPERTY(int id READ id CONSTANT)
    //! \brief Where the worker is in its lifecycle (state(), stateChanged()).
    Q_PROPERTY(State state READ state NOTIFY stateChanged)

public:
    //! \brief The lifecycle, in the order it is normally walked.
    //!
    //! Disconnected and Dead may come in either order; a worker that exits while still connected
    //! goes straight to Dead.
    enum State {
        None, //!< forked; its runtime is not up yet
        Online, //!< its runtime runs and its event loop answers (online())
        Listening, //!< a shared server of it listens (listening())
        Disconnected, //!< its channel closed (disconnected())
        Dead //!< its process ended (exited())
    };
    Q_ENUM(State)

    //! \brief What went wrong: error() and errorOccurred().
    enum Error {
        NoError, //!< nothing went wrong
        FailedToStart, //!< the program could not be started (missing, not executable, bad cwd...)
        ExitedBeforeOnline, //!< the process ended before its runtime came up
        ProtocolError, //!< the peer wrote something that is not a valid frame; the channel is
                       //!< closed
        InvalidMessage, //!< send() was given a value that cannot be sent
        NotConnected, //!< send() after the channel closed
        QueueFull, //!< send() while more than maxPendingBytes() are waiting for a slow reader
        //! \brief A message arrived, but the handle sent with it could not be received because this
        //! process is out of file descriptors (RLIMIT_NOFILE); the message is delivered without it.
        HandleNotReceived,
        CounterLimitReached, //!< a new counter name past MaxCounterNames, or one too long
    };
    Q_ENUM(Error)

    //! \brief Which stream of a silent worker outputReceived() carries.
    enum OutputChannel {
        StandardOutput, //!< the worker's standard output
        StandardError //!< the worker's standard error
    };
    Q_ENUM(OutputChannel)

    //! \brief In the primary, a worker that still runs is taken out of Cluster::workers() and its
    //! process ended (SIGKILL), without any further signal.
    ~Worker() override;

    //! \brief Unique within its cluster, from 1.
    int id() const;
    //! \brief The worker's process id; 0 before it started or after it could not start.
    qint64 processId() const;
    //! \brief Where the worker is in its lifecycle; stateChanged() says when that changes.
    State state() const;
    //! \brief True while the channel to the other side is open.
    bool isConnected() const;
    //! \brief True once the process has ended (in a worker: never).
    bool isDead() const;
    //! \brief True once a disconnect was asked for, from either side (disconnectFromCluster(), or
    //! kill() called in the worker itself); false when the worker crashed, exited on its own or was
    //! killed from the primary (kill() there is a signal, not a disconnect, as in Node 15 and
    //! later), so a crash-restart policy replaces a worker it had to kill.
    bool exitedAfterDisconnect() const;
    //! \brief Valid once the worker is Dead: the exit code (-1 if a signal ended it) and the signal
    //! number (0 if it exited normally).
    //!@{
    int exitCode() const;
    int exitSignal() const;
    //!@}

    //! \brief The last error; NoError if there was none.
    Error error() const;
    //! \brief The last error in words: what went wrong and, where it helps, what to do.
    QString errorString() const;

    //! \brief Where the worker listens through shared servers (TcpServer, LocalServer, UdpSocket).
    QList<LibCluster::Address> listeningAddresses() const;
    //! \brief Connections the worker has accepted or been handed on shared servers, and how many of
    //! them are open now; in the primary, as last reported by the worker.
    //!@{
    qint64 connectionsAccepted() const;
    int openConnections() const;
    //!@}

    //! \brief The bounds of a worker's counters: at most MaxCounterNames names, each at most
    //! MaxCounterNameLength long.
    //!
    //! Counters are for a small, fixed set of names (requests, errors, one per status code): every
    //! name travels to the primary and in every stats message of its control endpoint. 1,000 names
    //! of about 30 bytes keep a worker's share of a stats line near 30 KB, so the line stays under
    //! the control protocol's 4 MiB for over a hundred workers at the limit; a name per URL, user
    //! or request would grow the primary's memory and every stats message without bound.
    //!@{
    static constexpr int MaxCounterNames = 1000;
    static constexpr int MaxCounterNameLength = 256;
    //!@}

    //! \brief Counters a worker keeps for the primary, e.g. requests served.
    //!
    //! In a worker, add to them as often as you like: they travel to the primary in batches, a few
    //! times a second, never one message per call. In the primary, read the totals;
    //! countersChanged() says when. Returns false, and counts nothing, for a new name once the
    //! worker has MaxCounterNames names, or a name longer than MaxCounterNameLength; the first such
    //! refusal is logged (libcluster.worker) and reported by errorOccurred(CounterLimitReached). A
    //! primary drops the names beyond those limits that a worker sends it, and reports that the
    //! same way.
    bool addToCounter(const QString &name, qint64 amount = 1);
    //! \brief The value of counter `name`; 0 for a name never counted.
    qint64 counter(const QString &name) const;
    //! \brief Every counter, by name.
    QHash<QString, qint64> counters() const;

    //! \brief In the primary: the worker process's CPU use (percent of one core, over the last
    //! sample interval) and resident memory in bytes, sampled by the cluster (see
    //! Cluster::setResourceSampleInterval()); -1 before the first sample.
    //!@{
    double cpuUsage() const;
    qint64 residentMemory() const;
    //!@}

    //! \brief Sends a message to the other side: to the worker when called in the primary, to the
    //! primary when called in a worker (Cluster::worker()->send()).
    //!
    //! Messages arrive in order and none is dropped while the channel is open. Returns false, with
    //! error() and errorString() set and errorOccurred() emitted, when the value cannot be sent (an
    //! invalid or undefined value, too deep, too large), the channel is closed, or the send queue
    //! is over its limit. A queue with no room left even for a frame header refuses with QueueFull
    //! before the message is looked at: sent again once the reader has caught up, a message that
    //! cannot be sent at all is refused with InvalidMessage. `handle`'s descriptor travels with the
    //! message; the caller keeps its own copy.
    bool send(const QCborValue &message, const LibCluster::Handle &handle = {});

    //! \brief Node's extra stdio pipes (Settings::setExtraPipes()): the end of the pipe at
    //! `descriptor` in the worker; null if there is none.
    //!
    //! In the primary: this worker's pipe, open from the fork on, owned by the Worker (keep a
    //! QPointer). In a worker: its own end, made the first time it is asked for and owned by
    //! Cluster::worker(); until then descriptor `descriptor` is untouched, for code that uses it as
    //! it is. The worker's children do not inherit it.
    QLocalSocket *extraPipe(int descriptor);

    //! \brief Bytes queued for a reader that has not caught up yet.
    qint64 bytesToWrite() const;
    //! \brief The limit on bytesToWrite() beyond which send() fails with QueueFull.
    //!
    //! Default 256 MiB.
    //!@{
    qint64 maxPendingBytes() const;
    void setMaxPendingBytes(qint64 bytes);
    //!@}

    //! \brief Node's worker.disconnect().
    //!
    //! In the primary: asks the worker to close its servers and then its channel. In a worker:
    //! closes its shared servers, emits disconnectStarted(), lets the connections they accepted
    //! finish (for at most 10 seconds), then closes the channel (messages sent before still
    //! arrive); afterwards the worker's event loop exits with code 0. Sets exitedAfterDisconnect().
    void disconnectFromCluster();

    //! \brief Node's worker.kill().
    //!
    //! In the primary: sends `signal` to the process and closes the channel (so a worker that
    //! ignores the signal still exits, with 0); exitedAfterDisconnect() is left alone. In a worker:
    //! a disconnect of its own: sets exitedAfterDisconnect(), closes the channel and exits the
    //! event loop with code 0.
    void kill(int signal = SIGTERM);

Q_SIGNALS:
    //! \brief state() changed to `state`.
    void stateChanged(LibCluster::Worker::State state);
    //! \brief The worker's runtime is up and its event loop runs (Node's 'online'); not merely
    //! that the process started.
    void online();
    //! \brief A shared server in the worker is listening (Node's 'listening').
    void listening(const LibCluster::Address &address);
    //! \brief connectionsAccepted() or openConnections() changed (in the primary: a report from
    //! the worker arrived).
    void connectionCountsChanged();
    //! \brief counters() changed (in the primary: a batch from the worker arrived).
    void countersChanged();
    //! \brief A message from the other side (Node's 'message'), with the descriptor sent along
    //! with it in `handle`, if any; every slot gets the same Handle (see Handle).
    void messageReceived(const QCborValue &message, const LibCluster::Handle &handle);
    //! \brief In a worker only: a disconnect has begun, asked for by the primary or by the worker
    //! itself (disconnectFromCluster()).
    //!
    //! The worker's shared servers have stopped taking connections and are closing
    //! (TcpServer::isClosing()); the connections they accepted should end now: answer the next
    //! request on each as its last one (HTTP: `Connection: close`) and close it, so that
    //! disconnected() comes as soon as they are done rather than after the 10-second drain.
    //! Messages sent from here on still reach the primary.
    void disconnectStarted();

    //! \brief The channel to the other side closed (Node's 'disconnect').
    //!
    //! In a worker, the runtime has called QCoreApplication::exit(0) just before this signal (a
    //! worker never outlives its channel): a slot may choose another code with exit(), and that one
    //! wins. A nested event loop started from a slot returns at once.
    void disconnected();
    //! \brief In the primary: the worker has not listened on a shared server in time.
    //!
    //! The worker has been online for `msecsOnline` (Settings::listenWarningTimeout()) without
    //! listening on a shared server, or, when `exited` is true, it exits with code 0 before then
    //! without having listened (exited() follows). A server the cluster does not see (a plain
    //! QTcpServer, QHttpServer::listen()) serves nothing of the cluster's port. At most once per
    //! worker; not for a worker asked to go. The first case is also logged as a warning
    //! (libcluster.primary); the second, common for workers that do a job and end, only at debug
    //! level.
    void listenOverdue(int msecsOnline, bool exited);
    //! \brief In the primary: the process ended (Node's 'exit'), with `exitCode` (-1 when a
    //! signal ended it) or `signal` (0 when it exited).
    void exited(int exitCode, int signal);
    //! \brief Something went wrong: `error`, and in words `errorString` (see Error).
    void errorOccurred(LibCluster::Worker::Error error, const QString &errorString);
    //! \brief In the primary: `data` the worker wrote to `channel`. Only when the cluster's
    //! settings are silent (Settings::setSilent()).
    void outputReceived(LibCluster::Worker::OutputChannel channel, const QByteArray &data);

private:
    friend class Cluster;
    friend class ClusterPrivate;
    friend class WorkerRuntime;
    explicit Worker(int id, QObject *parent = nullptr);
    QScopedPointer<WorkerPrivate> d_ptr;
};

} // namespace LibCluster
