// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief The other side of a ControlServer: attach to a running primary by name, follow its events
//! and stats, send it commands.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QJsonObject>
#include <QJsonValue>
#include <QObject>
#include <QStringList>

#include <csignal>
#include <functional>

namespace LibCluster {

class ControlClientPrivate;

//! \brief The other side of a ControlServer: attaches to a running primary by name, follows its
//! events and stats, and sends it commands.
//!
//! Connects to the endpoint a ControlServer of this user serves under a name: reads the token file,
//! says hello, and gets a snapshot of the cluster (connected()); from then on every event
//! (eventReceived()) and, about once a second, the stats (statsReceived()).
//!
//! Commands get exactly one reply each, `{"ok": true, ...}` or `{"ok": false, "error": "..."}`,
//! through
//! the handler given and replyReceived(); also when the connection is lost first (then ok is
//! false), so nothing waits forever.
//!
//! With autoReconnect, a client whose primary goes away (or is not there yet) tries again every
//! reconnectInterval() and emits connected() with a fresh snapshot once it is back: what a monitor
//! needs to survive a restart of the primary.
class LIBCLUSTER_EXPORT ControlClient : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(ControlClient)

public:
    //! \brief Where the connection to the primary stands.
    enum State {
        UnconnectedState, //!< not connected, and not trying (again)
        ConnectingState, //!< connecting, or waiting to reconnect (autoReconnect())
        ConnectedState //!< welcomed by the primary: events and stats arrive
    };
    Q_ENUM(State)

    //! \brief Why the connection failed or ended.
    enum Error {
        NoError, //!< no error since the last connectToEndpoint()
        EndpointNotFoundError, //!< no endpoint with that name (no socket file, or nobody behind it)
        TokenError, //!< the token file cannot be read
        AccessDeniedError, //!< the primary refused the token
        VersionError, //!< the primary speaks another protocol version
        ProtocolError, //!< the other side does not speak this protocol
        ConnectionLostError, //!< the primary went away
        //! ssh could not reach the host or log in (no route, unknown host key, refused key):
        //! errorString() holds ssh's own words.
        SshError,
    };
    Q_ENUM(Error)

    //! \brief Called with the one reply to a command (a Control::CommandReply as JSON).
    using ReplyHandler = std::function<void(const QJsonObject &reply)>;

    //! \brief A client that is not connected.
    explicit ControlClient(QObject *parent = nullptr);
    //! \brief Closes the connection, if any.
    ~ControlClient() override;

    /*!
     * \brief Connects to the endpoint `name` of this user (see ControlServer::listen()), or to
     * one on another host written as `ssh://[user@]host[:port]/NAME`.
     *
     * For an ssh:// endpoint the client starts OpenSSH's `ssh` (with `BatchMode=yes`: it never
     * asks for a password or about a host key) and runs `cluster-run ctl NAME bridge` on the
     * remote host, which relays the protocol to the endpoint there and presents its token.
     * Authentication, encryption and host keys are OpenSSH's: `~/.ssh/config`, the agent and
     * `known_hosts` apply. The environment variable `LIBCLUSTER_SSH` replaces the `ssh` program
     * and may add options (split as a shell would: `ssh -F /path/ssh_config`); those come first
     * and win. `LIBCLUSTER_REMOTE_RUNNER` names `cluster-run` on the remote host when it is not
     * on that host's `PATH`. With autoReconnect, a lost link is tried again after
     * reconnectInterval(), then twice as long after each failure, up to 30 s.
     */
    void connectToEndpoint(const QString &name);
    //! \brief Closes the connection and stops reconnecting. Pending commands fail.
    void disconnectFromEndpoint();

    //! \brief The name given to connectToEndpoint().
    QString endpointName() const;
    //! \brief Where the connection stands.
    State state() const;
    //! \brief True once welcomed by the primary (ConnectedState).
    bool isConnected() const { return state() == ConnectedState; }
    //! \brief The last error; NoError once connected again.
    Error error() const;
    //! \brief The last error in words, with the primary's reason where it gave one.
    QString errorString() const;

    //! \brief The snapshot that came with the last welcome (see docs/control-protocol.md); events
    //! since then are not applied to it.
    QJsonObject snapshot() const;
    //! \brief The primary's process id, once connected.
    qint64 primaryProcessId() const;

    //! \brief Whether the client tries again, every reconnectInterval(), when the primary is not
    //! there or goes away. Off by default.
    //!@{
    void setAutoReconnect(bool on);
    bool autoReconnect() const;
    //!@}
    //! \brief How long the client waits between two tries to reconnect. Default 500 ms.
    //!@{
    void setReconnectInterval(int msecs);
    int reconnectInterval() const;
    //!@}

    //! \brief Sends `{"type": "command", "id": N, "cmd": command, ...arguments}`; returns N.
    //!
    //! When not connected, the reply (ok false) comes from the event loop.
    qint64 sendCommand(const QString &command, const QJsonObject &arguments = QJsonObject(),
        const ReplyHandler &handler = ReplyHandler());

    //! \brief The "fork" command: one more worker, kept by the supervisor. Returns the command's
    //! id, as every command below does.
    qint64 fork(const ReplyHandler &handler = ReplyHandler());
    //! \brief The "disconnect" command (Node's worker.disconnect()); with `wait`, the reply comes
    //! once the worker has disconnected.
    qint64 disconnectWorker(
        int workerId, bool wait = false, const ReplyHandler &handler = ReplyHandler());
    //! \brief Node's cluster.disconnect(): every connected worker.
    //!
    //! The reply's "workers" lists them; with `wait`, it comes once all of them have disconnected.
    //! From a primary too old to know "all", the reply fails with an error that says so.
    qint64 disconnectAll(bool wait = false, const ReplyHandler &handler = ReplyHandler());
    //! \brief The "kill" command (Node's worker.kill(signal)); with `wait`, the reply comes once
    //! the worker has exited, with its exit code and signal.
    qint64 killWorker(int workerId, int signal = SIGTERM, bool wait = false,
        const ReplyHandler &handler = ReplyHandler());
    //! \brief The "scale" command: keep `count` workers, forking what is missing and disconnecting
    //! the newest first.
    qint64 scaleTo(int count, const ReplyHandler &handler = ReplyHandler());
    //! \brief The "restart" command: a rolling restart; replies when it has finished.
    qint64 rollingRestart(const ReplyHandler &handler = ReplyHandler());
    //! \brief The "send" command: `message` to worker `workerId`, as CBOR (Worker::send()).
    qint64 sendMessage(
        int workerId, const QJsonValue &message, const ReplyHandler &handler = ReplyHandler());
    //! \brief The "send" command to every worker; the reply says how many got it and which did
    //! not.
    qint64 sendMessageToAll(
        const QJsonValue &message, const ReplyHandler &handler = ReplyHandler());
    //! \brief The "shutdown" command: a graceful shutdown; replies once every worker is gone (the
    //! primary may quit right after).
    qint64 shutdown(const ReplyHandler &handler = ReplyHandler());
    //! \brief The "resume" command: a supervisor that gave up on a crash loop respawns again.
    qint64 resume(const ReplyHandler &handler = ReplyHandler());
    //! \brief The "snapshot" command: the reply carries a fresh snapshot
    //! (Control::CommandReply::snapshot).
    qint64 requestSnapshot(const ReplyHandler &handler = ReplyHandler());
    //! \brief The "stats" command: the reply carries fresh stats (Control::CommandReply::stats).
    qint64 requestStats(const ReplyHandler &handler = ReplyHandler());

    //! \brief The names of this user's live endpoints, sorted.
    static QStringList availableEndpoints();
    //! \brief True when `endpoint` is written as an `ssh://` address (valid or not).
    static bool isRemoteEndpoint(const QString &endpoint);
    /*!
     * \brief True when connectToEndpoint() can take `endpoint`: a valid name, or a valid
     * `ssh://[user@]host[:port]/NAME`. Otherwise false, and `why` says what is wrong.
     */
    static bool isValidEndpoint(const QString &endpoint, QString *why = nullptr);
    //! \brief A signal as a number ("9") or a name ("SIGKILL", "KILL", "kill"); 0 if it is neither.
    static int signalFromName(const QString &text);

Q_SIGNALS:
    //! \brief state() changed to `state`.
    void stateChanged(LibCluster::ControlClient::State state);
    //! \brief Welcomed by the primary, with its snapshot; again after every reconnection.
    void connected(const QJsonObject &snapshot);
    //! \brief The connection to the primary ended (after connected()).
    void disconnected();
    //! \brief Connecting failed, or the connection was lost: `error`, and in words `errorString`.
    void errorOccurred(LibCluster::ControlClient::Error error, const QString &errorString);
    //! \brief One event of the cluster, as EventStream::eventOccurred() wrote it in the primary
    //! (Control::ClusterEvent::fromJson() reads it).
    void eventReceived(const QJsonObject &event);
    //! \brief A stats message, about once a second (Control::ClusterStats::fromJson() reads it).
    void statsReceived(const QJsonObject &stats);
    //! \brief The reply to the command with id `id`, after its handler was called.
    void replyReceived(qint64 id, const QJsonObject &reply);

private:
    QScopedPointer<ControlClientPrivate> d_ptr;
};

} // namespace LibCluster
