// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The control endpoint of a primary: a private local socket that streams the cluster's events
// and stats and takes commands (fork, disconnect, kill, scale, restart, send, shutdown).
#pragma once

#include <libcluster/libcluster_export.h>

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <functional>

namespace LibCluster {

class Cluster;
class EventStream;
class Supervisor;
class ControlServerPrivate;

// Exposes a Cluster (and optionally its Supervisor) under a name, for ControlClient, the
// monitor, `cluster-run ctl`, or a shell (the protocol is newline-delimited JSON, see
// docs/control-protocol.md).
//
// Only this user can reach it: the socket lives in the user's runtime directory
// ($XDG_RUNTIME_DIR, else ${TMPDIR:-/tmp}/libcluster-UID, mode 0700; a private
// libcluster-UID-XXXXXX next to it when that name is taken by someone else) as
// libcluster-NAME.sock with mode 0600, and a client must also present the random token kept
// next to it in libcluster-NAME.token (mode 0600, 32 random bytes as hex, new on every listen()).
class LIBCLUSTER_EXPORT ControlServer : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(ControlServer)

public:
    enum Error {
        NoError,
        InvalidNameError, // not 1-64 of [A-Za-z0-9._-], or starts with a dot
        RuntimeDirectoryError, // the runtime directory is missing, not ours, or open to others
        AddressInUseError, // a live endpoint already has this name (it is left alone)
        SocketError, // the socket or the token file could not be created
    };
    Q_ENUM(Error)

    // Neither `cluster` nor `supervisor` is owned. "fork", "scale", "restart" and "shutdown" are
    // carried out by the supervisor; without one, the server makes its own that respawns nothing
    // (the cluster keeps Node's semantics) and removes it with itself.
    explicit ControlServer(
        Cluster *cluster, Supervisor *supervisor = nullptr, QObject *parent = nullptr);
    // Closes the endpoint, removing its files.
    ~ControlServer() override;

    // Starts serving under `name`. A stale socket file left by a primary that died is replaced;
    // a live endpoint with the same name never is (AddressInUseError).
    bool listen(const QString &name);
    // Stops serving, drops every client and removes the socket and token files.
    void close();
    bool isListening() const;

    QString name() const;
    QString socketPath() const;
    QString tokenPath() const;
    int clientCount() const;

    Error error() const;
    QString errorString() const;

    // How often connected clients get a "stats" message; 0 stops them. Default 1000 ms.
    int statsInterval() const;
    void setStatsInterval(int msecs);

    // What the "shutdown" command does: a graceful shutdown (Supervisor::shutdown(): every
    // worker disconnects, SIGKILL for what remains after the timeout), then, by default, the
    // application quits. Default timeout 10000 ms.
    int shutdownTimeout() const;
    void setShutdownTimeout(int msecs);
    bool shutdownQuitsApplication() const;
    void setShutdownQuitsApplication(bool quit);

    //! \brief Carries out a command the server does not know itself, for the application.
    //!
    //! Returns an empty string on success, else the error the client gets (e.g. "reload", for
    //! a runner that re-reads its configuration file).
    using CommandHandler = std::function<QString(const QJsonObject &arguments)>;
    //! \brief Adds (or, with an empty `handler`, removes) the command `command`.
    //!
    //! The commands of the protocol itself (fork, scale, ...) cannot be replaced.
    void setCommandHandler(const QString &command, const CommandHandler &handler);

    // The JSON view of the cluster this server streams.
    EventStream *eventStream() const;

    // The directory a server of this user would put its endpoint in now; empty if there is none
    // (yet), or if $XDG_RUNTIME_DIR is set to a directory that cannot be used.
    static QString runtimeDirectory();

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();
    // A client's command, before it is carried out (for logging): its name and its arguments
    // (the command message without "type", "id" and "cmd").
    void commandReceived(const QString &command, const QJsonObject &arguments);

private:
    QScopedPointer<ControlServerPrivate> d_ptr;
};

} // namespace LibCluster
