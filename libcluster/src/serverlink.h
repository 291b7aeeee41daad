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
    ServerLink(Kind kind, std::function<bool()> accepting, std::function<void(qintptr descriptor)> take,
               std::function<void()> closeServer);
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
    template<typename Socket>
    void track(Socket *socket)
    {
        auto release = opened();
        QObject::connect(socket, &Socket::disconnected, socket, release);
        QObject::connect(socket, &QObject::destroyed, release);
    }
    qint64 accepted() const { return m_counts->accepted; }
    int openConnections() const { return m_counts->open; }

    // Called by the worker runtime for a connection the primary handed over: first whether it
    // will be taken (the primary is told at once), then to hand it to the server.
    bool isAccepting() const { return m_accepting(); }
    void take(qintptr descriptor) { m_take(descriptor); }
    void closeServer() { m_closeServer(); }

private:
    struct Counts
    {
        qint64 accepted = 0;
        int open = 0;
    };
    // Counts one connection; the returned function, called any number of times, counts its end once.
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
