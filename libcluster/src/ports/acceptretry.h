// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Keeps a QTcpServer that accepts its own connections accepting through a shortage of
// descriptors.
#pragma once

#include <QAbstractSocket>
#include <QObject>

#include <functional>

class QTcpServer;

namespace LibCluster::Internal {

// QTcpServer stops accepting for good after an accept error. A worker out of descriptors (EMFILE)
// gets them back as its clients leave, so this resumes accepting after a short wait instead of
// letting the server serve nobody, and warns once per episode. A child of the server.
class AcceptRetry : public QObject
{
    Q_OBJECT

public:
    static constexpr int RetryInterval = 100; // ms

    // `mayAccept` says whether the server accepts itself now (not where the primary accepts and
    // hands connections over: there its copy of the socket must stay paused).
    AcceptRetry(QTcpServer *server, std::function<bool()> mayAccept);

private:
    void onAcceptError(QAbstractSocket::SocketError error);

    QTcpServer *m_server;
    std::function<bool()> m_mayAccept;
    bool m_retrying = false; // in a back-off since an accept failed
};

} // namespace LibCluster::Internal
