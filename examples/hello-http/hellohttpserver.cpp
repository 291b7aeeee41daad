// HelloHttpServer: finds each request's end, answers with a prebuilt response, and closes the
// connection when the request asks for it.
#include "hellohttpserver.h"

#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QTcpSocket>

#include <memory>

namespace {
// A request whose headers do not end within this many bytes is not one we serve.
constexpr qsizetype MaxHeaderBytes = 64 * 1024;

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

// The value of header `name` (lower case, with the colon) in `head`, or an empty view.
QByteArrayView headerValue(QByteArrayView head, QByteArrayView name)
{
    qsizetype from = 0;
    while ((from = head.indexOf("\r\n", from)) >= 0) {
        from += 2;
        const qsizetype lineEnd = head.indexOf("\r\n", from);
        const QByteArrayView line = head.sliced(from, (lineEnd < 0 ? head.size() : lineEnd) - from);
        if (line.size() > name.size() && line.first(name.size()).compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(name.size()).trimmed();
        if (line.isEmpty())
            break;
    }
    return {};
}
} // namespace

HelloHttpServer::HelloHttpServer(int workerId, QObject *parent)
    : QObject(parent)
    , m_keepAliveResponse(response(workerId, false))
    , m_closeResponse(response(workerId, true))
{
}

void HelloHttpServer::serve(LibCluster::TcpServer *server)
{
    connect(server, &QTcpServer::newConnection, this, [this, server] {
        while (QTcpSocket *socket = server->nextPendingConnection()) {
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, this,
                [this, server, socket, buffer] { readRequests(server, socket, *buffer); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

void HelloHttpServer::readRequests(
    const LibCluster::TcpServer *server, QTcpSocket *socket, QByteArray &buffer)
{
    buffer += socket->readAll();
    qsizetype position = 0;
    int answered = 0;
    // The worker is disconnecting: this answer is the connection's last, so that the client
    // goes to another worker for its next request instead of losing it when this one exits.
    bool close = false;
    const bool closing = server->isClosing();
    while (!close) {
        const qsizetype end = buffer.indexOf("\r\n\r\n", position);
        if (end < 0)
            break;
        const QByteArrayView head = QByteArrayView(buffer).sliced(position, end + 2 - position);
        const qsizetype bodyLength = headerValue(head, "content-length:").toLongLong();
        if (buffer.size() < end + 4 + bodyLength)
            break;
        const QByteArrayView connection = headerValue(head, "connection:");
        const bool http10 = head.first(head.indexOf("\r\n")).endsWith("HTTP/1.0");
        close = closing || connection.compare("close", Qt::CaseInsensitive) == 0
            || (http10 && connection.compare("keep-alive", Qt::CaseInsensitive) != 0);
        socket->write(close ? m_closeResponse : m_keepAliveResponse);
        position = end + 4 + bodyLength;
        ++answered;
    }
    if (answered > 0) {
        // Out now, in one write for all the requests read: otherwise QTcpSocket waits for the
        // next pass of the event loop to find the socket writable.
        socket->flush();
        // Batched to the primary a few times a second; this costs a hash update, not a message.
        if (LibCluster::Worker *self = LibCluster::Cluster::worker())
            self->addToCounter(QStringLiteral("requests"), answered);
    }
    if (close) {
        buffer.clear();
        socket->disconnectFromHost();
        return;
    }
    buffer.remove(0, position);
    if (buffer.size() > MaxHeaderBytes) {
        socket->write("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                      "Connection: close\r\n\r\n");
        socket->disconnectFromHost();
    }
}
