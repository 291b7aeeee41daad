// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// HttpConnection: the few parts of HTTP/1.1 a scraper and a probe use (a request line, headers
// that are skipped, an answer with Content-Length and Connection: close).
#include "metrics/httpconnection.h"

#include <QTcpSocket>
#include <QTimer>

namespace LibCluster::Internal {

namespace {
// How long an answer may take to be read by its client before the connection is dropped: a
// scraper that stops reading must not hold the answer's memory for ever.
constexpr int WriteTimeout = 30000;
} // namespace

HttpConnection::HttpConnection(
    QTcpSocket *socket, int maxHeadBytes, int timeoutMsecs, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_timer(new QTimer(this))
    , m_maxHeadBytes(maxHeadBytes)
{
    socket->setParent(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &HttpConnection::timedOut);
    m_timer->start(timeoutMsecs);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::read);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_answered && m_socket->bytesToWrite() == 0)
            m_socket->disconnectFromHost();
    });
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::end);
    // Data that came with the connection.
    QMetaObject::invokeMethod(this, &HttpConnection::read, Qt::QueuedConnection);
}

QByteArray HttpConnection::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

void HttpConnection::read()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    if (m_headRead) {
        // A body or a second request: not read, but taken off the socket so that closing it
        // does not reset the answer on its way.
        m_socket->readAll();
        return;
    }
    const qint64 room = m_maxHeadBytes + 1 - m_buffer.size();
    m_buffer.append(m_socket->read(room));
    qsizetype end = m_buffer.indexOf("\r\n\r\n");
    qsizetype skip = 4;
    if (end < 0) {
        end = m_buffer.indexOf("\n\n"); // bare newlines, as some tools send them
        skip = 2;
    }
    if (end >= 0 && end + skip <= m_maxHeadBytes) {
        m_headRead = true;
        const QByteArray head = m_buffer.left(end);
        m_buffer.clear();
        m_socket->readAll();
        parseHead(head);
        return;
    }
    if (m_buffer.size() > m_maxHeadBytes) {
        m_headRead = true;
        m_buffer.clear();
        respond(431, "text/plain; charset=utf-8",
            QByteArray("The request line and headers must fit in "
                + QByteArray::number(m_maxHeadBytes) + " bytes.\n"));
        Q_EMIT requestRefused(431);
    }
}

void HttpConnection::parseHead(const QByteArray &head)
{
    qsizetype lineEnd = head.indexOf('\n');
    const QByteArray line = (lineEnd < 0 ? head : head.left(lineEnd)).trimmed();
    const QList<QByteArray> parts = line.split(' ');
    const bool wellFormed = parts.size() == 3 && !parts.at(0).isEmpty()
        && parts.at(1).startsWith('/') && parts.at(2).startsWith("HTTP/");
    if (!wellFormed) {
        respond(400, "text/plain; charset=utf-8",
            "Expected a request line such as: GET /metrics HTTP/1.1\n");
        Q_EMIT requestRefused(400);
        return;
    }
    if (parts.at(2) != "HTTP/1.1" && parts.at(2) != "HTTP/1.0") {
        respond(505, "text/plain; charset=utf-8", "Only HTTP/1.0 and HTTP/1.1 are served.\n");
        Q_EMIT requestRefused(505);
        return;
    }
    QByteArray path = parts.at(1);
    const qsizetype query = path.indexOf('?');
    if (query >= 0)
        path.truncate(query);
    Q_EMIT requestReceived(parts.at(0), path);
}

void HttpConnection::respond(int status, const QByteArray &contentType, const QByteArray &body,
    bool headOnly, const QByteArray &extraHeaders)
{
    if (m_answered || m_socket->state() != QAbstractSocket::ConnectedState)
        return;
    m_answered = true;
    QByteArray answer = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status)
        + "\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + QByteArray::number(body.size())
        + "\r\nConnection: close\r\nCache-Control: no-store\r\n" + extraHeaders + "\r\n";
    if (!headOnly)
        answer.append(body);
    m_socket->write(answer);
    m_timer->start(WriteTimeout);
}

void HttpConnection::timedOut()
{
    // Too slow to ask, or to read the answer: the connection goes, without an answer that
    // such a client would not read either.
    m_socket->abort();
    end();
}

void HttpConnection::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_timer->stop();
    Q_EMIT finished();
    deleteLater();
}

} // namespace LibCluster::Internal
