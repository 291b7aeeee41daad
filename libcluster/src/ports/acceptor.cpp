// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// accept4() until the backlog is empty; out of descriptors, back off instead of spinning.
#include "ports/acceptor.h"

#include "util/logging.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace LibCluster::Internal {

Acceptor::Acceptor(int listeningFd, std::function<void(int)> onAccepted, QObject *parent)
    : QObject(parent)
    , m_fd(listeningFd)
    , m_onAccepted(std::move(onAccepted))
    , m_notifier(new QSocketNotifier(listeningFd, QSocketNotifier::Read, this))
    , m_retry(new QTimer(this))
{
    // The socket is shared with workers under other policies, so the flag is shared too:
    // losing an accept race is EAGAIN, not an error.
    ::fcntl(listeningFd, F_SETFL, ::fcntl(listeningFd, F_GETFL) | O_NONBLOCK);
    connect(m_notifier, &QSocketNotifier::activated, this, &Acceptor::acceptAll);
    m_retry->setSingleShot(true);
    m_retry->setInterval(100);
    connect(m_retry, &QTimer::timeout, this, [this] {
        m_notifier->setEnabled(true);
        acceptAll();
    });
}

void Acceptor::backOff(int error)
{
    m_notifier->setEnabled(false);
    m_retry->start();
    // One warning per episode: at the limit, a busy port would otherwise log ten lines a second
    // for as long as it lasts.
    if (m_backOffs++ == 0)
        qCWarning(lcPrimary).nospace()
            << "cannot accept connections: " << strerror(error) << "; retrying every "
            << m_retry->interval()
            << " ms (raise RLIMIT_NOFILE: LimitNOFILE= in a systemd unit, ulimit -n in a shell)";
}

void Acceptor::recovered()
{
    if (m_backOffs == 0)
        return;
    qCInfo(lcPrimary).nospace() << "accepting connections again after " << m_backOffs << " retries";
    m_backOffs = 0;
}

int Acceptor::acceptUpTo(
    int listeningFd, int most, const std::function<void(int)> &onAccepted, int *taken)
{
    int count = 0;
    int error = 0;
    while (count < most) {
        const int fd = ::accept4(listeningFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            ++count;
            onAccepted(fd);
            continue;
        }
        if (errno == EINTR || errno == ECONNABORTED)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            error = errno;
        break;
    }
    if (taken)
        *taken = count;
    return error;
}

void Acceptor::acceptAll()
{
    // Bounded, so one busy port cannot starve the rest of the event loop.
    int taken = 0;
    const int error = acceptUpTo(
        m_fd, 256,
        [this](int fd) {
            recovered();
            m_onAccepted(fd);
        },
        &taken);
    if (error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM)
        backOff(error);
    if (taken > 0 && m_onBatch)
        m_onBatch();
}

QString Acceptor::peerAddress(int fd)
{
    sockaddr_storage storage {};
    socklen_t length = sizeof(storage);
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0
        || (storage.ss_family != AF_INET && storage.ss_family != AF_INET6))
        return QString();
    QHostAddress host(reinterpret_cast<sockaddr *>(&storage));
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4).toString() : host.toString();
}

} // namespace LibCluster::Internal
