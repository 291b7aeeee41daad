// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker side of a shared server: asks the primary for the listening socket, takes the
// connections the primary hands over, and counts the connections it serves.
#pragma once

#include <libcluster/address.h>
#include <libcluster/handle.h>

#include <QAbstractSocket>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

namespace LibCluster::Internal {

class ServerLink
{
public:
    enum class Kind { Tcp, Udp, Local };
    // How the worker serves the socket it was given, decided by the primary's policy.
    enum class Mode {
        Handed, // the primary accepts and hands each connection over (paused listener)
        Accept, // the worker accepts (or reads datagrams) itself
    };

    struct Result
    {
        bool ok = false;
        QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
        QString errorString;
        Mode mode = Mode::Accept;
        Handle handle;
    };

    // `accepting` says whether the server would take a connection handed over by the primary now,
    // `take` gives it one (only after `accepting` said yes), `closeServer` closes the server
    // object (when the worker disconnects).
    ServerLink(Kind kind, std::function<bool()> accepting,
        std::function<void(qintptr descriptor)> take, std::function<void()> closeServer);
    ~ServerLink();
    ServerLink(const ServerLink &) = delete;
    ServerLink &operator=(const ServerLink &) = delete;

    // True in a worker whose runtime is up: listen() must go through the primary.
    static bool inWorker();

    // Asks the primary for the shared socket (blocks for at most a few seconds).
    // `socketOptions`: QLocalServer::SocketOptions, for a Unix socket.
    Result open(const QString &address, quint16 port, const QString &name, int socketOptions = 0);
    void announceListening(const Address &address);
    // Tells the primary to stop handing connections to this worker for this server.
    void close();
    bool isOpen() const { return m_key > 0; }
    int key() const { return m_key; }
    Kind kind() const { return m_kind; }

    // Counts `socket` as one accepted connection, open until it disconnects or is destroyed.
    template <typename Socket> void track(Socket *socket)
    {
        auto release = opened();
        QObject::connect(socket, &Socket::disconnected, socket, release);
        QObject::connect(socket, &QObject::destroyed, release);
    }
    qint64 accepted() const { return m_counts->accepted; }
    int openConnections() const { return m_counts->open; }

    // Node's server.maxConnections: at most this many connections open at once; -1 for no
    // limit. At the limit, a connection the primary hands over is refused (the primary gives it
    // to another worker and passes this one over until one of its connections closes), unless
    // `dropAtLimit` is set: then it is taken and closed, as one this server accepts itself is.
    // Values outside -1..TcpServer::MaxConnectionsLimit are refused with a warning that names
    // `owner`'s setMaxConnections().
    void setMaxConnections(int max, const char *owner);
    int maxConnections() const { return m_counts->max; }
    void setDropAtLimit(bool drop) { m_counts->dropAtLimit = drop; }
    bool dropsAtLimit() const { return m_counts->dropAtLimit; }
    bool isAtLimit() const { return m_counts->isAtLimit(); }
    // A connection closed at the limit: the primary, which counted it when it was handed over,
    // gets the real counts.
    void dropped();

    // Called by the worker runtime for a connection the primary handed over: first whether it
    // will be taken (the primary is told at once), then to hand it to the server.
    bool isAccepting() const { return m_accepting(); }
    // Whether a handed connection is refused for the limit, counting `alsoTaking` connections
    // handed with it and taken before it; if so, the primary is told once there is room again.
    bool refusesAtLimit(int alsoTaking = 0);
    void take(qintptr descriptor) { m_take(descriptor); }
    void closeServer() { m_closeServer(); }

private:
    struct Counts
    {
        qint64 accepted = 0;
        int open = 0;
        int max = -1;
        bool dropAtLimit = false;
        // The primary passes this server over since it refused a connection at the limit.
        bool refusedAtLimit = false;
        int key = 0;

        bool isAtLimit(int alsoTaking = 0) const { return max >= 0 && open + alsoTaking >= max; }
        // Tells the primary that a server which refused at its limit has room again.
        void reportRoom();
    };
    // Counts one connection; the returned function, called any number of times, counts its end
    // once.
    std::function<void()> opened();

    Kind m_kind;
    std::function<bool()> m_accepting;
    std::function<void(qintptr)> m_take;
    std::function<void()> m_closeServer;
    int m_key = 0;
    QString m_base; // the request's key without its index
    int m_index = 0;
    std::shared_ptr<Counts> m_counts = std::make_shared<Counts>();
};

} // namespace LibCluster::Internal
