// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief The control endpoint of a primary: a private local socket that streams the cluster's
//! events and stats and takes commands (fork, disconnect, kill, scale, restart, send, shutdown).
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

//! \brief The control endpoint of a primary: exposes a Cluster (and optionally its Supervisor)
//! under a name.
//!
//! For ControlClient, the monitor, `cluster-run ctl`, or a shell (the protocol is
//! newline-delimited JSON, see docs/control-protocol.md).
//!
//! Only this user can reach it: the socket lives in the user's runtime directory
//! (`$XDG_RUNTIME_DIR`, else `${TMPDIR:-/tmp}/libcluster-UID`, mode 0700; a private
//! libcluster-UID-XXXXXX next to it when that name is taken by someone else) as
//! libcluster-NAME.sock with mode 0600, and a client must also present the random token kept next
//! to it in libcluster-NAME.token (mode 0600, 32 random bytes as hex, new on every listen()).
class LIBCLUSTER_EXPORT ControlServer : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(ControlServer)

public:
    //! \brief Why listen() failed.
    enum Error {
        NoError, //!< listen() succeeded, or was not called yet
        InvalidNameError, //!< not 1-64 of [A-Za-z0-9._-], or starts with a dot
        RuntimeDirectoryError, //!< the runtime directory is missing, not ours, or open to others
        AddressInUseError, //!< a live endpoint already has this name (it is left alone)
        SocketError, //!< the socket or the token file could not be created
    };
    Q_ENUM(Error)

    //! \brief A server for `cluster`, not listening yet; neither `cluster` nor `supervisor` is
    //! owned.
    //!
    //! "fork", "scale", "restart" and "shutdown" are carried out by the supervisor; without one,
    //! the server makes its own that respawns nothing (the cluster keeps Node's semantics) and
    //! removes it with itself.
    explicit ControlServer(
        Cluster *cluster, Supervisor *supervisor = nullptr, QObject *parent = nullptr);
    //! \brief Closes the endpoint, removing its files.
    ~ControlServer() override;

    //! \brief Starts serving under `name`.
    //!
    //! A stale socket file left by a primary that died is replaced; a live endpoint with the same
    //! name never is (AddressInUseError).
    bool listen(const QString &name);
    //! \brief Stops serving, drops every client and removes the socket and token files.
    void close();
    //! \brief True between a successful listen() and close().
    bool isListening() const;

    //! \brief The name given to listen().
    QString name() const;
    //! \brief Where the socket file is, once listening.
    QString socketPath() const;
    //! \brief Where the token file a client must read is, once listening.
    QString tokenPath() const;
    //! \brief The welcomed clients connected now.
    int clientCount() const;

    //! \brief Why the last listen() failed; NoError after one that succeeded.
    Error error() const;
    //! \brief The last error in words: what is wrong and what to do about it.
    QString errorString() const;

    //! \brief How often connected clients get a "stats" message; 0 stops them.
    //!
    //! Default 1000 ms.
    //!@{
    int statsInterval() const;
    void setStatsInterval(int msecs);
    //!@}

    //! \brief What the "shutdown" command does: a graceful shutdown (Supervisor::shutdown(): every
    //! worker disconnects, SIGKILL for what remains after the timeout), then, by default, the
    //! application quits.
    //!
    //! Default timeout 10000 ms.
    //!@{
    int shutdownTimeout() const;
    void setShutdownTimeout(int msecs);
    bool shutdownQuitsApplication() const;
    void setShutdownQuitsApplication(bool quit);
    //!@}

    //! \brief Carries out a command the server does not know itself, for the application.
    //!
    //! Returns an empty string on success, else the error the client gets (e.g. "reload", for
    //! a runner that re-reads its configuration file).
    using CommandHandler = std::function<QString(const QJsonObject &arguments)>;
    //! \brief Adds (or, with an empty `handler`, removes) the command `command`.
    //!
    //! The commands of the protocol itself (fork, scale, ...) cannot be replaced.
    void setCommandHandler(const QString &command, const CommandHandler &handler);

    //! \brief The JSON view of the cluster this server streams.
    //!
    //! Its message events are on only while a client is connected: the server owns that
    //! setting of its stream and sets it at every connection and disconnection (see
    //! EventStream::setMessageEventsEnabled()). To see every message in-process, make an
    //! EventStream of your own for the same cluster.
    EventStream *eventStream() const;

    //! \brief Sends every client (and eventStream()'s observers) an event of the application's
    //! own, as EventStream::publish() says; false if it was refused.
    bool publish(const QString &name, const QJsonObject &fields = {});

    //! \brief The directory a server of this user would put its endpoint in now; empty if there is
    //! none (yet), or if $XDG_RUNTIME_DIR is set to a directory that cannot be used.
    static QString runtimeDirectory();

Q_SIGNALS:
    //! \brief A client was welcomed: its hello and token were accepted and it got the snapshot.
    void clientConnected();
    //! \brief A welcomed client went away (not emitted for the clients close() drops).
    void clientDisconnected();
    //! \brief A client's command, before it is carried out (for logging): its name and its
    //! arguments (the command message without "type", "id" and "cmd").
    void commandReceived(const QString &command, const QJsonObject &arguments);

private:
    QScopedPointer<ControlServerPrivate> d_ptr;
};

} // namespace LibCluster
