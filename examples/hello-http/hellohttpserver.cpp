// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

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

// An error answer that ends the connection.
QByteArray errorResponse(QByteArrayView status)
{
    return "HTTP/1.1 " + status.toByteArray()
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

// The value of header `name` (lower case, with the colon) in `head`, or an empty view.
QByteArrayView headerValue(QByteArrayView head, QByteArrayView name)
{
    qsizetype from = 0;
    while ((from = head.indexOf("\r\n", from)) >= 0) {
        from += 2;
        const qsizetype lineEnd = head.indexOf("\r\n", from);
        const QByteArrayView line = head.sliced(from, (lineEnd < 0 ? head.size() : lineEnd) - from);
        if (line.size() > name.size()
            && line.first(name.size()).compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(name.size()).trimmed();
        if (line.isEmpty())
            break;
    }
    return {};
}
} // namespace

// Where a connection is between requests.
struct HelloHttpServer::Connection
{
    QByteArray buffer; // what was read and not yet taken
    bool inBody = false; // the head of a request is read; its body is being skipped
    qint64 bodyLeft = 0; // bytes of that body still to come
    bool lastRequest = false; // that request's answer is the connection's last
};

HelloHttpServer::HelloHttpServer(int workerId, QObject *parent)
    : QObject(parent)
    , m_keepAliveResponse(response(workerId, false))
    , m_closeResponse(response(workerId, true))
{ }

void HelloHttpServer::serve(LibCluster::TcpServer *server)
{
    connect(server, &QTcpServer::newConnection, this, [this, server] {
        while (QTcpSocket *socket = server->nextPendingConnection()) {
            auto state = std::make_shared<Connection>();
            connect(socket, &QTcpSocket::readyRead, this,
                [this, server, socket, state] { readRequests(server, socket, *state); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
}

void HelloHttpServer::readRequests(
    const LibCluster::TcpServer *server, QTcpSocket *socket, Connection &state)
{
    QByteArray &buffer = state.buffer;
    buffer += socket->readAll();
    qsizetype position = 0;
    int answered = 0;
    // The worker is disconnecting: this answer is the connection's last, so that the client
    // goes to another worker for its next request instead of losing it when this one exits.
    const bool closing = server->isClosing();
    QByteArray refusal; // an error answer; the connection ends after it
    bool close = false;
    while (!close) {
        if (state.inBody) {
            // Answered once the whole request is in: closing a socket with unread data resets
            // it, and the client would lose the answer.
            const qint64 skipped = qMin<qint64>(state.bodyLeft, buffer.size() - position);
            position += skipped;
            state.bodyLeft -= skipped;
            if (state.bodyLeft > 0)
                break;
            state.inBody = false;
            close = closing || state.lastRequest;
            socket->write(close ? m_closeResponse : m_keepAliveResponse);
            ++answered;
            continue;
        }
        const qsizetype end = buffer.indexOf("\r\n\r\n", position);
        if (end < 0)
            break;
        const QByteArrayView head = QByteArrayView(buffer).sliced(position, end + 2 - position);
        const QByteArrayView lengthText = headerValue(head, "content-length:");
        bool lengthOk = true;
        const qint64 bodyLength = lengthText.isEmpty() ? 0 : lengthText.toLongLong(&lengthOk);
        if (!lengthOk || bodyLength < 0) {
            refusal = errorResponse("400 Bad Request");
            break;
        }
        if (!headerValue(head, "transfer-encoding:").isEmpty()) {
            refusal = errorResponse("501 Not Implemented");
            break;
        }
        const QByteArrayView connection = headerValue(head, "connection:");
        const bool http10 = head.first(head.indexOf("\r\n")).endsWith("HTTP/1.0");
        state.lastRequest = connection.compare("close", Qt::CaseInsensitive) == 0
            || (http10 && connection.compare("keep-alive", Qt::CaseInsensitive) != 0);
        state.inBody = true;
        state.bodyLeft = bodyLength;
        position = end + 4;
    }
    if (refusal.isEmpty() && !state.inBody && buffer.size() - position > MaxHeaderBytes)
        refusal = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                  "Connection: close\r\n\r\n";
    if (!refusal.isEmpty()) {
        socket->write(refusal);
        close = true;
    }
    if (answered > 0 || close) {
        // Out now, in one write for all the requests read: otherwise QTcpSocket waits for the
        // next pass of the event loop to find the socket writable.
        socket->flush();
    }
    // Batched to the primary a few times a second; this costs a hash update, not a message.
    if (answered > 0)
        if (LibCluster::Worker *self = LibCluster::Cluster::worker())
            self->addToCounter(QStringLiteral("requests"), answered);
    if (close) {
        buffer.clear();
        socket->disconnectFromHost();
        return;
    }
    buffer.remove(0, position);
}
