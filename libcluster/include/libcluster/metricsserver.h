// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The metrics endpoint of a primary: Prometheus' /metrics and the /healthz and /readyz probes
// of Kubernetes and load balancers, over plain HTTP.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QString>

namespace LibCluster {

class Cluster;
class Supervisor;
class MetricsServerPrivate;

/*!
    \brief Serves a cluster's figures to Prometheus, and its health to probes.

    A small HTTP/1.1 server in the primary, on the primary's event loop, that answers:
    - \c /metrics: the Prometheus text exposition format (version 0.0.4): per worker (label
      \c worker, the worker's id), its requests (the \c requests counter), every counter of the
      counters API, connections open and accepted, CPU seconds, resident memory, state and start
      time; per cluster, workers desired, alive and listening, forks, exits by reason, restarts by
      reason, the crash-loop state, bytes queued on the workers' channels, output the primary
      dropped, and the connections each shared port holds for its workers (clients pinned by a
      Sticky port).
    - \c /healthz: 200 while the primary's event loop runs (the answer comes from that loop).
    - \c /readyz: 200 when at least readyPercent() of the desired workers listen, 503 otherwise
      (also while the supervisor shuts down), for a load balancer to stop sending traffic.

    Counters that count events (forks, exits, restarts) count from the server's construction:
    create it before the first fork. A request is read with bounds: its head may be at most
    MaxRequestHeadBytes, it must arrive within RequestTimeout, and at most maxConnections()
    clients are served at once (the next ones get 503 and are closed). Every answer closes its
    connection.

    It listens on loopback unless told otherwise: the figures name programs and counters, which
    are for the operator's monitoring, not for the world.
*/
class LIBCLUSTER_EXPORT MetricsServer : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(MetricsServer)

public:
    //! Why listen() failed.
    enum Error {
        NoError, //!< listen() succeeded, or was not called yet.
        AddressInUseError, //!< another socket already listens on that address and port.
        AddressError, //!< the address is not one of this host's, or the port needs privileges.
        SocketError, //!< any other failure to listen (see errorString()).
    };
    Q_ENUM(Error)

    //! The most bytes of a request line and headers; a longer head is answered with 431.
    static constexpr int MaxRequestHeadBytes = 8192;
    //! Milliseconds a client has to send its whole request head; a slower one is closed.
    static constexpr int RequestTimeout = 5000;
    //! The default number of clients served at once (setMaxConnections()).
    static constexpr int DefaultMaxConnections = 16;
    //! The largest number setMaxConnections() takes.
    static constexpr int MaxMaxConnections = 1024;
    //! The default share of the desired workers that must listen for /readyz to answer 200.
    static constexpr int DefaultReadyPercent = 100;

    /*!
        Serves the figures of \a cluster and, when given, of \a supervisor (desired workers,
        restarts, crash-loop state). Neither is owned; both must outlive the server, or be
        its parent.
    */
    explicit MetricsServer(
        Cluster *cluster, Supervisor *supervisor = nullptr, QObject *parent = nullptr);
    //! Closes the server.
    ~MetricsServer() override;

    /*!
        Starts serving on \a address and \a port (0 picks a free port: see serverPort()).
        Returns false, with error() and errorString() set, when it cannot.
    */
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    //! Stops serving and closes every client's connection.
    void close();
    //! True between a successful listen() and close().
    bool isListening() const;
    //! The address it listens on.
    QHostAddress serverAddress() const;
    //! The port it listens on; 0 when it does not listen.
    quint16 serverPort() const;

    //! The last listen() error.
    Error error() const;
    //! What went wrong, and what to do, in words.
    QString errorString() const;

    //! How many clients are served at once; further ones get 503.
    int maxConnections() const;
    /*!
        Sets maxConnections() to \a count, from 1 to MaxMaxConnections; other values are refused
        with a warning and change nothing.
    */
    void setMaxConnections(int count);

    //! The share of the desired workers, in percent, that must listen for /readyz to be ready.
    int readyPercent() const;
    /*!
        Sets readyPercent() to \a percent, from 1 to 100; other values are refused with a
        warning and change nothing.
    */
    void setReadyPercent(int percent);

    //! The body /metrics answers now, for embedding it in a server of one's own.
    QByteArray metrics() const;
    /*!
        Whether /readyz answers 200 now; when it does not and \a why is given, it says why
        (for the body of the 503).
    */
    bool isReady(QString *why = nullptr) const;

    /*!
        Reads an address as an operator types it: \c PORT (loopback), \c ADDR:PORT, or
        \c [IPV6]:PORT, where ADDR is an IPv4 address, \c localhost or \c * (every address) and
        PORT is 0 to 65535. Returns false, with \a error saying what is wrong, for anything else.
    */
    static bool parseAddress(
        const QString &text, QHostAddress *address, quint16 *port, QString *error = nullptr);

Q_SIGNALS:
    //! A client was answered: \a path as asked (\c /metrics, ...), and the HTTP \a status.
    void requestAnswered(const QString &path, int status);

private:
    QScopedPointer<MetricsServerPrivate> d_ptr;
};

} // namespace LibCluster
