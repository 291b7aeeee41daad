// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// KeepAliveClient: one connection, one request at a time, answers delimited by Content-Length.
#include "keepaliveclient.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTimer>

namespace {
// An answer that takes longer than this is lost.
constexpr int AnswerTimeout = 10000;

const QByteArray Request = QByteArrayLiteral("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");

// The value of header `name` (lower case, with the colon) in `head`, trimmed; empty if absent.
QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &line : lines)
        if (line.toLower().startsWith(name))
            return line.mid(name.size()).trimmed();
    return QByteArray();
}
} // namespace

KeepAliveClient::KeepAliveClient(quint16 port, QObject *parent)
    : QObject(parent)
    , m_port(port)
{ }

KeepAliveClient::~KeepAliveClient()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void KeepAliveClient::open()
{
    if (m_socket)
        return;
    m_socket = new QTcpSocket(this);
    m_timeout = new QTimer(this);
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        finish(QStringLiteral("no complete answer within %1 ms (got \"%2\")")
                   .arg(AnswerTimeout)
                   .arg(QString::fromLatin1(m_data)));
    });
    connect(m_socket, &QTcpSocket::readyRead, this, &KeepAliveClient::readAnswers);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        readAnswers();
        finish(m_waiting ? QStringLiteral("the connection ended before the answer (got \"%1\")")
                               .arg(QString::fromLatin1(m_data))
                         : QString());
    });
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // The server closing the connection is judged by disconnected().
        if (error == QAbstractSocket::RemoteHostClosedError)
            return;
        finish(QStringLiteral("socket error %1 (%2) with %3")
                   .arg(int(error))
                   .arg(m_socket->errorString(),
                       m_waiting ? QStringLiteral("a request outstanding")
                                 : QStringLiteral("no request outstanding")));
    });
    m_socket->connectToHost(QHostAddress(QHostAddress::LocalHost), m_port);
}

bool KeepAliveClient::sendRequest()
{
    if (!m_socket || m_ended || m_waiting)
        return false;
    m_waiting = true;
    m_socket->write(Request);
    m_timeout->start(AnswerTimeout);
    Q_EMIT requestSent();
    return true;
}

void KeepAliveClient::setContinuous(bool continuous)
{
    m_continuous = continuous;
    if (continuous && !m_waiting && m_closingAnswers == 0)
        sendRequest();
}

void KeepAliveClient::readAnswers()
{
    if (!m_socket)
        return;
    m_data += m_socket->readAll();
    for (;;) {
        const qsizetype headEnd = m_data.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return;
        const QByteArray head = m_data.left(headEnd + 2);
        const qsizetype length = headerValue(head, "content-length:").toLongLong();
        if (m_data.size() < headEnd + 4 + length)
            return;
        m_data.remove(0, headEnd + 4 + length);
        if (!m_waiting) {
            finish(QStringLiteral("an answer nobody asked for: %1").arg(QString::fromLatin1(head)));
            return;
        }
        if (!head.startsWith("HTTP/1.1 200")) {
            finish(QStringLiteral("bad answer: %1").arg(QString::fromLatin1(head)));
            return;
        }
        m_waiting = false;
        m_timeout->stop();
        ++m_answers;
        m_lastWorkerId = headerValue(head, "x-worker-id:").toInt();
        const bool closing = headerValue(head, "connection:").toLower() == "close";
        if (closing)
            ++m_closingAnswers;
        Q_EMIT answered(closing);
        if (m_ended)
            return;
        if (closing && m_closeWhenAsked)
            m_socket->disconnectFromHost();
        else if (m_continuous && !closing)
            sendRequest();
    }
}

void KeepAliveClient::finish(const QString &failure)
{
    if (m_ended)
        return;
    m_ended = true;
    m_waiting = false;
    if (m_failure.isEmpty())
        m_failure = failure;
    m_timeout->stop();
    m_socket->disconnect(this);
    m_socket->abort();
    Q_EMIT ended();
}
