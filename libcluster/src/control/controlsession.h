// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// One client of a control endpoint: its hello, its line framing, and what is sent to it.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>

class QLocalSocket;

namespace LibCluster::Internal {

// The context object of everything done on a client's behalf, so a reply that comes later is
// simply dropped if the client has gone. Until its hello (right version, right token) a client
// is a stranger: it may send no more than a hello's worth and must say it within a time limit.
class ControlSession : public QObject
{
    Q_OBJECT

public:
    // Takes `socket` (connected). `endpointName` and `token` are the endpoint's, for the hello.
    ControlSession(QLocalSocket *socket, const QString &endpointName, const QByteArray &token,
        QObject *parent = nullptr);

    bool isWelcomed() const { return m_welcomed; }
    bool isClosing() const { return m_closing; }

    // One message, as one line; dropped if the client is closing or has gone. A client that
    // lets too much wait unread is dropped.
    void send(const QJsonObject &message);
    // An encoded line (ControlProtocol::encode()), so a broadcast encodes once.
    void sendEncoded(const QByteArray &line);
    // An error message with `code` and `text`, then the connection closes.
    void refuse(const QString &code, const QString &text, const QJsonObject &extra = {});
    // Writes what is queued now (before an application quits).
    void flush();
    // Drops the connection at once, without telling anyone (the endpoint is closing).
    void abort();

Q_SIGNALS:
    // The hello was right: the client is welcomed once the receiver has sent it its welcome.
    void helloAccepted();
    // A "command" message from a welcomed client.
    void commandReceived(const QJsonObject &command);
    // The connection closed; the session deletes itself later.
    void closed();

private:
    void onReadyRead();
    void handleLine(const QByteArray &line);
    void handleHello(const QJsonObject &message);

    QLocalSocket *m_socket;
    QString m_endpointName;
    QByteArray m_token;
    QByteArray m_buffer;
    bool m_welcomed = false;
    bool m_closing = false;
};

} // namespace LibCluster::Internal
