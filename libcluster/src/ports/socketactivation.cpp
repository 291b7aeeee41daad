// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Socket activation: sd_listen_fds() without libsystemd, and matching the inherited sockets
// against what workers ask to listen on.
#include <libcluster/socketactivation.h>

#include "ports/socketactivation_p.h"
#include "util/logging.h"

#include <QHostAddress>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace LibCluster {

namespace {
// systemd's SD_LISTEN_FDS_START.
constexpr int FirstDescriptor = 3;

struct Inherited
{
    int fd = -1;
    int type = 0; // SOCK_STREAM or SOCK_DGRAM
    bool listening = false;
    int family = AF_UNSPEC;
    QHostAddress host; // IP sockets
    quint16 port = 0;
    QByteArray path; // Unix sockets
};

QList<Inherited> &inherited()
{
    static QList<Inherited> sockets;
    return sockets;
}

Inherited describe(int fd)
{
    Inherited socket;
    socket.fd = fd;
    socklen_t length = sizeof(socket.type);
    ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &socket.type, &length);
    int accepting = 0;
    length = sizeof(accepting);
    ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length);
    socket.listening = accepting != 0;
    sockaddr_storage storage {};
    length = sizeof(storage);
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length) != 0)
        return socket;
    socket.family = storage.ss_family;
    if (storage.ss_family == AF_INET) {
        socket.host = QHostAddress(reinterpret_cast<sockaddr *>(&storage));
        socket.port = ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
    } else if (storage.ss_family == AF_INET6) {
        socket.host = QHostAddress(reinterpret_cast<sockaddr *>(&storage));
        socket.port = ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    } else if (storage.ss_family == AF_UNIX) {
        const auto *un = reinterpret_cast<sockaddr_un *>(&storage);
        socket.path
            = QByteArray(un->sun_path, qsizetype(::strnlen(un->sun_path, sizeof(un->sun_path))));
    }
    return socket;
}

// Before main(), like sd_listen_fds(1): the variables go whether or not they were meant for us.
void readListenFds()
{
    const char *pidText = ::getenv("LISTEN_PID");
    const char *countText = ::getenv("LISTEN_FDS");
    const bool forUs = pidText && countText && std::atol(pidText) == long(::getpid());
    const int count = forUs ? std::atoi(countText) : 0;
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    for (int fd = FirstDescriptor; fd < FirstDescriptor + count; ++fd) {
        struct stat info;
        if (::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode))
            continue;
        // Workers get sockets from the primary when they listen, never by inheritance.
        ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        inherited().append(describe(fd));
    }
}
Q_CONSTRUCTOR_FUNCTION(readListenFds)

bool matches(const Inherited &socket, const Internal::ListenRequest &request)
{
    if (request.kind == QLatin1String("local"))
        return socket.family == AF_UNIX && socket.type == SOCK_STREAM && socket.listening
            && !socket.path.isEmpty() && socket.path == request.name.toLocal8Bit();
    const bool udp = request.kind == QLatin1String("udp");
    if (socket.family != AF_INET && socket.family != AF_INET6)
        return false;
    if (udp ? socket.type != SOCK_DGRAM : (socket.type != SOCK_STREAM || !socket.listening))
        return false;
    if (request.port == 0 || request.port != socket.port)
        return false;
    if (request.address.isEmpty()) // any address: a socket bound to a wildcard address
        return socket.host == QHostAddress(QHostAddress::AnyIPv4)
            || socket.host == QHostAddress(QHostAddress::AnyIPv6);
    return QHostAddress(request.address).isEqual(socket.host, QHostAddress::TolerantConversion);
}
} // namespace

QList<Address> SocketActivation::inheritedSockets()
{
    QList<Address> addresses;
    for (const Inherited &socket : std::as_const(inherited())) {
        if (socket.family == AF_UNIX) {
            addresses.append(Address(QString::fromLocal8Bit(socket.path), 0, Address::Local));
        } else if (socket.family == AF_INET || socket.family == AF_INET6) {
            const bool v4 = socket.family == AF_INET;
            const Address::AddressType type = socket.type == SOCK_DGRAM
                ? (v4 ? Address::Udp4 : Address::Udp6)
                : (v4 ? Address::IPv4 : Address::IPv6);
            addresses.append(Address(socket.host.toString(), socket.port, type));
        }
    }
    return addresses;
}

namespace Internal {

int activatedSocketFor(const ListenRequest &request)
{
    for (const Inherited &socket : std::as_const(inherited())) {
        if (!matches(socket, request))
            continue;
        const int fd = ::fcntl(socket.fd, F_DUPFD_CLOEXEC, 0);
        if (fd >= 0)
            qCDebug(lcPrimary) << "using the socket inherited as descriptor" << socket.fd << "for"
                               << request.key();
        return fd;
    }
    return -1;
}

} // namespace Internal

} // namespace LibCluster
