// A QTcpServer that is not a TcpServer, attached to the cluster: the ServerLink a TcpServer
// holds, kept in a child object of the server.
#pragma once

#include "serverlink.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

class QTcpServer;

namespace LibCluster::Internal {

class ServerAttachment : public QObject
{
public:
    // The server's attachment, created on first use; owned by the server.
    static ServerAttachment *of(QTcpServer *server);

    bool listen(const QHostAddress &address, quint16 port, QString *errorString);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit ServerAttachment(QTcpServer *server);
    // A connection the primary handed over: the server's own incomingConnection() makes the
    // socket, as it does for one it accepts.
    void take(qintptr fd);
    // Counts the sockets the server made since the last call.
    void trackNewSockets();

    QTcpServer *m_server;
    ServerLink m_link;
    bool m_handed = false; // the primary accepts; the server's own copy must stay paused
    QList<QPointer<QObject>> m_newChildren;
};

} // namespace LibCluster::Internal
