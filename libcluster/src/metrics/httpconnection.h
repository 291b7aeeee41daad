// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// One client of the metrics server: reads one HTTP/1.1 request head within bounds, answers it
// and closes the connection.
#pragma once

#include <QByteArray>
#include <QObject>

class QTcpSocket;
class QTimer;

namespace LibCluster::Internal {

class HttpConnection : public QObject
{
    Q_OBJECT

public:
    // Takes ownership of `socket`. A head longer than `maxHeadBytes` is answered with 431; one
    // that has not arrived within `timeoutMsecs` closes the connection.
    HttpConnection(QTcpSocket *socket, int maxHeadBytes, int timeoutMsecs, QObject *parent);

    // Answers and closes. With `headOnly` (a HEAD request) the body is left out, its length
    // kept. Only the first answer counts.
    void respond(int status, const QByteArray &contentType, const QByteArray &body,
        bool headOnly = false, const QByteArray &extraHeaders = {});

    static QByteArray reasonPhrase(int status);

Q_SIGNALS:
    // A well-formed request line: "GET" and "/metrics" (the query string removed).
    void requestReceived(const QByteArray &method, const QByteArray &path);
    // A request that could not be read: answered already with `status` (400, 431).
    void requestRefused(int status);
    // The connection is closed; the object deletes itself later.
    void finished();

private:
    void read();
    void parseHead(const QByteArray &head);
    void timedOut();
    void end();

    QTcpSocket *m_socket;
    QTimer *m_timer;
    QByteArray m_buffer;
    int m_maxHeadBytes;
    bool m_headRead = false;
    bool m_answered = false;
    bool m_ended = false;
};

} // namespace LibCluster::Internal
