// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What ties a QTcpServer to the cluster: the ServerLink, the listen through the primary, the
// count of the connections the server makes and, for libcluster's own server classes, their
// limit and how they end their connections when the worker disconnects. One owner for TcpServer,
// SslServer and LibCluster::listen(), kept in a child object of the server.
#pragma once

#include "ports/serverlink.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace LibCluster::Internal {

class ServerAttachment : public QObject
{
public:
    // The attachment of a server that is not libcluster's own, created on first use.
    static ServerAttachment *of(QTcpServer *server);
    // For a TcpServer or SslServer, from its constructor: `closeServer` is its own close(); its
    // nextPendingConnection() and incomingConnection() call connectionGiven() and
    // dropAtLimit().
    ServerAttachment(QTcpServer *server, std::function<void()> closeServer);

    // The cluster's listen; false with error() and errorString() set when it fails.
    bool listen(const QHostAddress &address, quint16 port);
    QAbstractSocket::SocketError error() const { return m_error; }
    // Empty when the last listen() did not fail here (the server's own error applies then).
    QString errorString() const { return m_errorString; }
    void clearError() { m_errorString.clear(); }
    // The server closes: the primary stops handing it connections.
    void close();

    // From the server's nextPendingConnection(): keeps a paused listener paused, counts a
    // socket that was not counted when it was made, and ends it when the worker disconnects.
    void connectionGiven(QTcpSocket *socket);
    // From the server's incomingConnection(): at maxConnections, closes the connection, reports
    // where it came from and returns true.
    bool dropAtLimit(qintptr descriptor, QHostAddress *peerAddress, quint16 *peerPort);

    qint64 accepted() const { return m_link.accepted(); }
    int openConnections() const { return m_link.openConnections(); }
    // `owner` names the class in the warning about a value out of bounds.
    void setMaxConnections(int max, const char *owner);
    int maxConnections() const { return m_link.maxConnections(); }
    void setDropAtLimit(bool drop) { m_link.setDropAtLimit(drop); }
    bool dropsAtLimit() const { return m_link.dropsAtLimit(); }

    bool isClosing() const { return m_closing; }
    int closingIdleTimeout() const { return m_closingIdleTimeout; }
    void setClosingIdleTimeout(int msecs, const char *owner);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    ServerAttachment(QTcpServer *server, std::function<void()> closeServer, bool ownServer);
    // A connection the primary handed over: the server's own incomingConnection() makes the
    // socket, as it does for one it accepts.
    void take(qintptr fd);
    // Counts the sockets the server made since the last call, whatever incomingConnection()
    // did to make them (they are the server's children).
    void countNewSockets();
    void count(QAbstractSocket *socket);

    void startClosing();
    void watch(QTcpSocket *socket);
    void closeQuietConnections();

    QTcpServer *m_server;
    std::function<void()> m_closeServer;
    bool m_ownServer; // a TcpServer or SslServer, which calls back into this
    ServerLink m_link;
    bool m_handed = false; // the primary accepts; the server's own copy must stay paused
    bool m_served = false; // listen() succeeded and no close() has followed
    QAbstractSocket::SocketError m_error = QAbstractSocket::UnknownSocketError;
    QString m_errorString;

    // Children of the server added since the last count: sockets in the making, perhaps.
    QList<QPointer<QObject>> m_newChildren;
    QSet<QAbstractSocket *> m_counted;

    // In a worker: the connections nextPendingConnection() gave out and that still exist, so
    // that a disconnect can end them.
    QSet<QTcpSocket *> m_given;
    bool m_closing = false;
    int m_closingIdleTimeout;
    // While closing: when each open connection last received or sent something.
    QHash<QTcpSocket *, qint64> m_lastActive;
    QElapsedTimer m_clock;
    QTimer *m_quietTimer = nullptr;
};

} // namespace LibCluster::Internal
