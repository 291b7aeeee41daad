// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The primary's accept loop on a shared listening socket, for the policies where the primary
// accepts and hands each connection to a worker.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QSocketNotifier;
class QTimer;

namespace LibCluster::Internal {

class Acceptor : public QObject
{
    Q_OBJECT

public:
    // Does not take ownership of `listeningFd`.
    Acceptor(int listeningFd, std::function<void(int fd)> onAccepted, QObject *parent = nullptr);

    int descriptor() const { return m_fd; }
    // Called after each pass over the backlog that took at least one connection, so that a burst
    // can be handled as one (e.g. dealt out to workers in one go) instead of one by one.
    void setBatchHandler(std::function<void()> handler) { m_onBatch = std::move(handler); }

    // accept4() on a non-blocking `listeningFd` until its backlog is empty or `most` connections
    // were taken, each given to `onAccepted`. Returns the errno that ended it, 0 for an empty
    // backlog or `most`; `taken` (if given) is set to how many were.
    static int acceptUpTo(int listeningFd, int most, const std::function<void(int fd)> &onAccepted,
        int *taken = nullptr);

    // The client's IP address of an accepted TCP connection ("" for a Unix socket); IPv4-mapped
    // IPv6 addresses are given as IPv4.
    static QString peerAddress(int fd);

private:
    void acceptAll();
    // Out of descriptors (or kernel memory): stop watching the socket, try again shortly.
    void backOff(int error);
    void recovered();

    int m_fd;
    std::function<void(int)> m_onAccepted;
    std::function<void()> m_onBatch;
    QSocketNotifier *m_notifier;
    QTimer *m_retry;
    int m_backOffs = 0; // retries in the current episode
};

} // namespace LibCluster::Internal
