// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlSession: one connected client of a control endpoint.
#include "control/controlsession.h"

#include <libcluster/controlserver.h>

#include "control/controlprotocol.h"
#include "util/logging.h"

#include <QJsonArray>
#include <QLocalSocket>
#include <QTimer>

namespace LibCluster::Internal {

namespace Protocol = ControlProtocol;

namespace {
// Compares without stopping at the first difference, so the time taken says nothing about how
// much of a guess was right.
bool sameToken(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}
} // namespace

ControlSession::ControlSession(
    QLocalSocket *socket, const QString &endpointName, const QByteArray &token, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_endpointName(endpointName)
    , m_token(token)
{
    socket->setParent(this);
    // Reads stop at the limit before the hello, so a stranger's bytes wait in the kernel, not here.
    socket->setReadBufferSize(Protocol::MaxHelloLength + 1);
    connect(socket, &QLocalSocket::readyRead, this, &ControlSession::onReadyRead);
    connect(socket, &QLocalSocket::disconnected, this, [this] {
        m_closing = true;
        Q_EMIT closed();
        deleteLater();
    });
    // A client that never says hello does not get to hold a connection open.
    QTimer::singleShot(Protocol::HelloTimeout, this, [this] {
        if (!m_welcomed)
            refuse(Protocol::helloTimeout(),
                ControlServer::tr("no hello within %1 ms").arg(Protocol::HelloTimeout));
    });
}

void ControlSession::onReadyRead()
{
    for (;;) {
        const bool welcomed = m_welcomed;
        // Before the hello, no more than a hello's worth: a client that sends more is refused
        // below without the rest ever being read.
        m_buffer.append(welcomed ? m_socket->readAll()
                                 : m_socket->read(Protocol::MaxHelloLength + 1 - m_buffer.size()));
        qsizetype newline;
        while (!m_closing && (newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline).trimmed();
            m_buffer.remove(0, newline + 1);
            if (!line.isEmpty())
                handleLine(line);
        }
        if (m_closing)
            return;
        if (!m_welcomed && m_buffer.size() > Protocol::MaxHelloLength) {
            refuse(Protocol::badMessage(),
                ControlServer::tr("more than %1 bytes before the hello")
                    .arg(Protocol::MaxHelloLength));
            return;
        }
        if (m_buffer.size() > Protocol::MaxLineLength) {
            refuse(Protocol::badMessage(),
                ControlServer::tr("a line longer than %1 bytes").arg(Protocol::MaxLineLength));
            return;
        }
        if (m_welcomed == welcomed)
            return;
        // Welcomed just now: what the client sent after its hello is read in full from here on.
        m_socket->setReadBufferSize(0);
    }
}

void ControlSession::handleLine(const QByteArray &line)
{
    QJsonObject message;
    if (!Protocol::decode(line, &message)) {
        refuse(Protocol::badMessage(), ControlServer::tr("every line must be one JSON object"));
        return;
    }
    const QString type = message.value(QLatin1String("type")).toString();
    if (!m_welcomed) {
        if (type != Protocol::hello()) {
            refuse(
                Protocol::helloExpected(), ControlServer::tr("the first message must be a hello"));
            return;
        }
        handleHello(message);
        return;
    }
    if (type == Protocol::command()) {
        Q_EMIT commandReceived(message);
    } else {
        refuse(
            Protocol::badMessage(), ControlServer::tr("unexpected message type \"%1\"").arg(type));
    }
}

void ControlSession::handleHello(const QJsonObject &message)
{
    const QJsonValue version = message.value(QLatin1String("v"));
    if (version.toInt(-1) != Protocol::Version) {
        refuse(Protocol::unsupportedVersion(),
            ControlServer::tr("protocol version %1 is not supported; this primary speaks "
                              "version %2")
                .arg(version.toVariant().toString())
                .arg(Protocol::Version),
            { { QStringLiteral("supported"), QJsonArray { Protocol::Version } } });
        return;
    }
    if (!sameToken(message.value(QLatin1String("token")).toString().toLatin1(), m_token)) {
        qCInfo(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: refused a client with a wrong token")
                   .arg(m_endpointName);
        refuse(Protocol::badToken(),
            ControlServer::tr("wrong token: access to the control endpoint \"%1\" is denied")
                .arg(m_endpointName));
        return;
    }
    m_welcomed = true;
    Q_EMIT helloAccepted();
}

void ControlSession::send(const QJsonObject &message)
{
    sendEncoded(Protocol::encode(message));
}

void ControlSession::sendEncoded(const QByteArray &line)
{
    if (m_closing || m_socket->state() != QLocalSocket::ConnectedState)
        return;
    if (m_socket->bytesToWrite() > Protocol::MaxPendingBytes) {
        // A client that does not read would make the primary buffer without bound.
        qCWarning(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: dropping a client that is %2 bytes behind")
                   .arg(m_endpointName)
                   .arg(m_socket->bytesToWrite());
        m_closing = true;
        m_socket->abort();
        return;
    }
    m_socket->write(line);
}

void ControlSession::refuse(const QString &code, const QString &text, const QJsonObject &extra)
{
    if (m_closing)
        return;
    QJsonObject message = extra;
    message.insert(QStringLiteral("type"), Protocol::error());
    message.insert(QStringLiteral("error"), code);
    message.insert(QStringLiteral("message"), text);
    m_socket->write(Protocol::encode(message));
    m_closing = true;
    // Writes what is queued, then closes.
    m_socket->disconnectFromServer();
}

void ControlSession::flush()
{
    m_socket->flush();
}

void ControlSession::abort()
{
    m_socket->disconnect(this);
    m_socket->flush();
    m_socket->abort();
}

} // namespace LibCluster::Internal
