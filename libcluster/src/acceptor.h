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
    QSocketNotifier *m_notifier;
    QTimer *m_retry;
    int m_backOffs = 0; // retries in the current episode
};

} // namespace LibCluster::Internal
