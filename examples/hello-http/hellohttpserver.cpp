// HelloHttpServer: QHttpServer's request parsing, a prebuilt answer, and Connection: close
// honoured (QHttpServer 6.4 would keep such a connection open).
#include "hellohttpserver.h"

#include <libcluster/cluster.h>

#include <QHttpServerRequest>
#include <QTcpSocket>

namespace {
QByteArray response(int workerId, bool close)
{
    QByteArray text = "HTTP/1.1 200 OK\r\n"
                      "Content-Type: text/plain\r\n"
                      "Content-Length: 12\r\n"
                      "X-Worker-Id: "
            + QByteArray::number(workerId) + "\r\n";
    if (close)
        text += "Connection: close\r\n";
    return text + "\r\nhello world\n";
}
} // namespace

HelloHttpServer::HelloHttpServer(int workerId, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_keepAliveResponse(response(workerId, false))
    , m_closeResponse(response(workerId, true))
{
}

bool HelloHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const bool close = request.value("connection").compare("close", Qt::CaseInsensitive) == 0;
    // Batched to the primary a few times a second; this costs a hash update, not a message.
    if (LibCluster::Worker *self = LibCluster::Cluster::worker())
        self->addToCounter(QStringLiteral("requests"));
    socket->write(close ? m_closeResponse : m_keepAliveResponse);
    if (close)
        socket->disconnectFromHost();
    return true;
}

void HelloHttpServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    socket->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
}
