// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// An HTTP/1.1 client on the event loop that keeps its connection open between requests, as
// browsers, proxies and load generators do: the client a disconnecting worker must not fail.
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QTcpSocket;
class QTimer;

class KeepAliveClient : public QObject
{
    Q_OBJECT

public:
    explicit KeepAliveClient(quint16 port, QObject *parent = nullptr);
    ~KeepAliveClient() override;

    // Connects; sendRequest() may be called at once (the request goes out once connected).
    void open();
    // Sends one request; false (and nothing sent) while one is outstanding or the connection has
    // ended.
    bool sendRequest();
    // Sends the next request as soon as each answer is complete, until an answer carries
    // `Connection: close`.
    void setContinuous(bool continuous);
    // After an answer with `Connection: close`: close our side (as wrk and browsers do), or
    // leave it to the server (the default).
    void setCloseWhenAsked(bool close) { m_closeWhenAsked = close; }

    bool isOpen() const { return m_socket != nullptr && !m_ended; }
    bool hasEnded() const { return m_ended; }
    bool isWaiting() const { return m_waiting; }
    // Complete answers, and how many of them carried `Connection: close`.
    int answers() const { return m_answers; }
    int closingAnswers() const { return m_closingAnswers; }
    // The worker id (X-Worker-Id) of the last answer; 0 without one.
    int lastWorkerId() const { return m_lastWorkerId; }
    // What went wrong: a request without a complete answer, a bad answer, a socket error. Empty
    // when nothing did.
    QString failure() const { return m_failure; }

Q_SIGNALS:
    void requestSent();
    void answered(bool closing);
    // The connection has ended, from either side; failure() says whether a request was lost.
    void ended();

private:
    void readAnswers();
    void finish(const QString &failure);

    quint16 m_port;
    QTcpSocket *m_socket = nullptr;
    QTimer *m_timeout = nullptr;
    QByteArray m_data;
    bool m_continuous = false;
    bool m_closeWhenAsked = false;
    bool m_waiting = false;
    bool m_ended = false;
    int m_answers = 0;
    int m_closingAnswers = 0;
    int m_lastWorkerId = 0;
    QString m_failure;
};
