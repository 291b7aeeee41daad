// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The other side of a ControlServer: attach to a running primary by name, follow its events and
// stats, send it commands.
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

// Connects to the endpoint a ControlServer of this user serves under a name: reads the token
// file, says hello, and gets a snapshot of the cluster (connected()); from then on every event
// (eventReceived()) and, about once a second, the stats (statsReceived()).
//
// Commands get exactly one reply each, {"ok": true, ...} or {"ok": false, "error": "..."}, through
// the handler given and replyReceived(); also when the connection is lost first (then ok is
// false), so nothing waits forever.
//
// With autoReconnect, a client whose primary goes away (or is not there yet) tries again every
// reconnectInterval() and emits connected() with a fresh snapshot once it is back: what a monitor
// needs to survive a restart of the primary.
class LIBCLUSTER_EXPORT ControlClient : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(ControlClient)

public:
    enum State { UnconnectedState, ConnectingState, ConnectedState };
    Q_ENUM(State)

    enum Error {
        NoError,
        EndpointNotFoundError, // no endpoint with that name (no socket file, or nobody behind it)
        TokenError, // the token file cannot be read
        AccessDeniedError, // the primary refused the token
        VersionError, // the primary speaks another protocol version
        ProtocolError, // the other side does not speak this protocol
        ConnectionLostError, // the primary went away
        //! ssh could not reach the host or log in (no route, unknown host key, refused key):
        //! errorString() holds ssh's own words.
        SshError,
    };
    Q_ENUM(Error)

    using ReplyHandler = std::function<void(const QJsonObject &reply)>;

    explicit ControlClient(QObject *parent = nullptr);
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
    // Closes the connection and stops reconnecting. Pending commands fail.
    void disconnectFromEndpoint();

    QString endpointName() const;
    State state() const;
    bool isConnected() const { return state() == ConnectedState; }
    Error error() const;
    QString errorString() const;

    // The snapshot that came with the last welcome (see docs/control-protocol.md); events since
    // then are not applied to it.
    QJsonObject snapshot() const;
    // The primary's process id, once connected.
    qint64 primaryProcessId() const;

    void setAutoReconnect(bool on);
    bool autoReconnect() const;
    // Default 500 ms.
    void setReconnectInterval(int msecs);
    int reconnectInterval() const;

    // Sends {"type": "command", "id": N, "cmd": command, ...arguments}; returns N. When not
    // connected, the reply (ok false) comes from the event loop.
    qint64 sendCommand(const QString &command, const QJsonObject &arguments = QJsonObject(),
        const ReplyHandler &handler = ReplyHandler());

    // The commands, spelled out. `wait`: reply once the worker has disconnected / exited.
    qint64 fork(const ReplyHandler &handler = ReplyHandler());
    qint64 disconnectWorker(
        int workerId, bool wait = false, const ReplyHandler &handler = ReplyHandler());
    // Node's cluster.disconnect(): every connected worker. The reply's "workers" lists them;
    // with `wait`, it comes once all of them have disconnected. From a primary too old to know
    // "all", the reply fails with an error that says so.
    qint64 disconnectAll(bool wait = false, const ReplyHandler &handler = ReplyHandler());
    qint64 killWorker(int workerId, int signal = SIGTERM, bool wait = false,
        const ReplyHandler &handler = ReplyHandler());
    qint64 scaleTo(int count, const ReplyHandler &handler = ReplyHandler());
    // Replies when the rolling restart has finished.
    qint64 rollingRestart(const ReplyHandler &handler = ReplyHandler());
    qint64 sendMessage(
        int workerId, const QJsonValue &message, const ReplyHandler &handler = ReplyHandler());
    qint64 sendMessageToAll(
        const QJsonValue &message, const ReplyHandler &handler = ReplyHandler());
    // Replies once every worker is gone (the primary may quit right after).
    qint64 shutdown(const ReplyHandler &handler = ReplyHandler());
    qint64 resume(const ReplyHandler &handler = ReplyHandler());
    // The reply carries a fresh snapshot / stats (Control::CommandReply::snapshot, ::stats).
    qint64 requestSnapshot(const ReplyHandler &handler = ReplyHandler());
    qint64 requestStats(const ReplyHandler &handler = ReplyHandler());

    // The names of this user's live endpoints, sorted.
    static QStringList availableEndpoints();
    //! True when `endpoint` is written as an `ssh://` address (valid or not).
    static bool isRemoteEndpoint(const QString &endpoint);
    /*!
     * \brief True when connectToEndpoint() can take `endpoint`: a valid name, or a valid
     * `ssh://[user@]host[:port]/NAME`. Otherwise false, and `why` says what is wrong.
     */
    static bool isValidEndpoint(const QString &endpoint, QString *why = nullptr);
    // A signal as a number ("9") or a name ("SIGKILL", "KILL", "kill"); 0 if it is neither.
    static int signalFromName(const QString &text);

Q_SIGNALS:
    void stateChanged(LibCluster::ControlClient::State state);
    // Welcomed by the primary, with its snapshot; again after every reconnection.
    void connected(const QJsonObject &snapshot);
    void disconnected();
    void errorOccurred(LibCluster::ControlClient::Error error, const QString &errorString);
    void eventReceived(const QJsonObject &event);
    void statsReceived(const QJsonObject &stats);
    void replyReceived(qint64 id, const QJsonObject &reply);

private:
    QScopedPointer<ControlClientPrivate> d_ptr;
};

} // namespace LibCluster
