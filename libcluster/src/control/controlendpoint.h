// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A control endpoint's listening socket and token file, and the clients it lets in.
#pragma once

#include <libcluster/controlserver.h>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <sys/types.h>

namespace LibCluster::Internal {

class Acceptor;
class ControlSession;

// Binds libcluster-NAME.sock in the user's runtime directory (never over a live endpoint),
// writes the token next to it, accepts clients into sessions, and caps the clients that have
// not said hello yet.
class ControlEndpoint : public QObject
{
    Q_OBJECT

public:
    explicit ControlEndpoint(QObject *parent = nullptr);
    // Closes, removing the files.
    ~ControlEndpoint() override;

    // On failure, error() and errorString() say why; nothing is left behind.
    bool listen(const QString &name);
    // Drops every session and removes the socket and token files that are still ours.
    void close();
    bool isListening() const { return m_listenFd >= 0; }

    QString name() const { return m_name; }
    QString socketPath() const { return m_socketPath; }
    QString tokenPath() const { return m_tokenPath; }
    ControlServer::Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }

    // Sessions whose hello was accepted.
    int welcomedCount() const;
    // `message` to every welcomed session, encoded once.
    void broadcast(const QJsonObject &message);

Q_SIGNALS:
    // A client connected; the endpoint owns `session` and forgets it when it closes.
    void sessionStarted(ControlSession *session);
    // `session` closed (its connection ended); it is deleted later.
    void sessionEnded(ControlSession *session);

private:
    bool fail(ControlServer::Error code, const QString &text);
    bool writeTokenFile(const QString &directory);
    void removeFiles();
    void clear();
    void accepted(int fd);
    void refuseAtOnce(int fd);

    QString m_name;
    QString m_socketPath;
    QString m_tokenPath;
    QByteArray m_token;
    int m_listenFd = -1;
    dev_t m_socketDevice = 0;
    ino_t m_socketInode = 0;
    Acceptor *m_acceptor = nullptr;
    QList<ControlSession *> m_sessions;
    // A flood of unwelcomed connections is reported once, not once per connection.
    bool m_busyReported = false;
    ControlServer::Error m_error = ControlServer::NoError;
    QString m_errorString;
};

} // namespace LibCluster::Internal
