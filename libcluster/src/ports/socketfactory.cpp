// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Socket creation for shared servers: TCP listening goes through QTcpServer so its errors are
// exactly QTcpServer's; the rest is plain POSIX with Qt's wording for the same errors.
#include "ports/socketfactory.h"

#include "ports/socketactivation_p.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QLocalServer>
#include <QTcpServer>

#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {
// The messages QNativeSocketEngine uses for the same errno values.
void setSystemError(SocketError *error, int code, const char *operation)
{
    switch (code) {
    case EADDRINUSE:
        error->error = QAbstractSocket::AddressInUseError;
        error->errorString = QStringLiteral("The bound address is already in use");
        break;
    case EACCES:
    case EPERM:
        error->error = QAbstractSocket::SocketAccessError;
        error->errorString = QStringLiteral("The address is protected");
        break;
    case EADDRNOTAVAIL:
        error->error = QAbstractSocket::SocketAddressNotAvailableError;
        error->errorString = QStringLiteral("The address is not available");
        break;
    case ENOPROTOOPT:
    case EOPNOTSUPP:
        error->error = QAbstractSocket::UnsupportedSocketOperationError;
        error->errorString = QStringLiteral("%1: SO_REUSEPORT is not supported on this system")
                                 .arg(QLatin1String(operation));
        break;
    default:
        error->error = QAbstractSocket::UnknownSocketError;
        error->errorString = QStringLiteral("%1: %2").arg(
            QLatin1String(operation), QString::fromLocal8Bit(strerror(code)));
    }
}

bool toSockaddr(const ListenRequest &request, sockaddr_storage *storage, socklen_t *length)
{
    QHostAddress host(request.address.isEmpty() ? QStringLiteral("::") : request.address);
    if (host.isNull())
        return false;
    std::memset(storage, 0, sizeof(*storage));
    if (host.protocol() == QAbstractSocket::IPv4Protocol) {
        auto *in = reinterpret_cast<sockaddr_in *>(storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(request.port);
        in->sin_addr.s_addr = htonl(host.toIPv4Address());
        *length = sizeof(sockaddr_in);
    } else {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(request.port);
        const Q_IPV6ADDR bytes = host.toIPv6Address();
        std::memcpy(&in6->sin6_addr, bytes.c, 16);
        *length = sizeof(sockaddr_in6);
    }
    return true;
}

// socket() + options + bind() for an IP socket; -1 with `error` set on failure.
int bindIp(const ListenRequest &request, int type, bool reusePort, SocketError *error)
{
    sockaddr_storage address;
    socklen_t length = 0;
    if (!toSockaddr(request, &address, &length)) {
        error->error = QAbstractSocket::SocketAddressNotAvailableError;
        error->errorString = QStringLiteral("The address is not available");
        return -1;
    }
    const int fd = ::socket(address.ss_family, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        setSystemError(error, errno, "socket");
        return -1;
    }
    const int on = 1;
    const int off = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (address.ss_family == AF_INET6)
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)); // dual stack, as Qt's Any
    if (reusePort && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0) {
        setSystemError(error, errno, "setsockopt");
        ::close(fd);
        return -1;
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), length) != 0) {
        setSystemError(error, errno, "bind");
        ::close(fd);
        return -1;
    }
    return fd;
}

// QLocalServer's wording for the same errno values.
void setLocalError(SocketError *error, int code)
{
    QString what;
    switch (code) {
    case EADDRINUSE:
        error->error = QAbstractSocket::AddressInUseError;
        what = QStringLiteral("Address in use");
        break;
    case EACCES:
        error->error = QAbstractSocket::SocketAccessError;
        what = QStringLiteral("Permission denied");
        break;
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
    case ELOOP:
    case EROFS:
        error->error = QAbstractSocket::HostNotFoundError;
        what = QStringLiteral("Name error");
        break;
    default:
        error->error = QAbstractSocket::UnknownSocketError;
        what = QString::fromLocal8Bit(strerror(code));
    }
    error->errorString = QStringLiteral("LocalServer::listen: %1").arg(what);
}

bool fillUnixAddress(sockaddr_un *address, socklen_t *length, const QByteArray &path, bool abstract)
{
    // An abstract name starts with a NUL byte and has no file (Linux).
    const qsizetype offset = abstract ? 1 : 0;
    if (path.isEmpty() || offset + path.size() >= qsizetype(sizeof(address->sun_path)))
        return false;
    *address = {};
    address->sun_family = AF_UNIX;
    std::memcpy(address->sun_path + offset, path.constData(), size_t(path.size()));
    *length = abstract ? socklen_t(offsetof(sockaddr_un, sun_path) + 1 + size_t(path.size()))
                       : socklen_t(sizeof(sockaddr_un));
    return true;
}

int listenLocal(const ListenRequest &request, SocketError *error, SocketFile *file)
{
    const QByteArray path = QFile::encodeName(request.name);
    const bool abstract = request.socketOptions & QLocalServer::AbstractNamespaceOption;
    const int access = request.socketOptions & QLocalServer::WorldAccessOption;
    sockaddr_un address;
    socklen_t length = 0;
    if (!fillUnixAddress(&address, &length, path, abstract)) {
        setLocalError(error, ENAMETOOLONG);
        return -1;
    }
    // With access options, as QLocalServer: bind in a private directory beside the path, set the
    // mode there, then move the socket into place, so that it is never reachable with any other
    // access than the one asked for. Unlike QLocalServer, never over an existing file: that may be
    // a live server's.
    QByteArray directory;
    QByteArray boundPath = path;
    const auto cleanUp = [&] {
        if (!directory.isEmpty()) {
            ::unlink(boundPath.constData());
            ::rmdir(directory.constData());
        }
    };
    if (access && !abstract) {
        QByteArray pattern
            = QFile::encodeName(QFileInfo(request.name).absolutePath()) + "/.libcluster-XXXXXX";
        if (!::mkdtemp(pattern.data())) {
            setLocalError(error, errno);
            return -1;
        }
        directory = pattern;
        boundPath = directory + "/s";
        if (!fillUnixAddress(&address, &length, boundPath, false)) {
            ::rmdir(directory.constData());
            setLocalError(error, ENAMETOOLONG);
            return -1;
        }
    }
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        setSystemError(error, errno, "socket");
        cleanUp();
        return -1;
    }
    bool ok = ::bind(fd, reinterpret_cast<sockaddr *>(&address), length) == 0
        && ::listen(fd, SocketFactory::Backlog) == 0;
    if (ok && !directory.isEmpty()) {
        const mode_t mode = ((access & QLocalServer::UserAccessOption) ? S_IRWXU : 0)
            | ((access & QLocalServer::GroupAccessOption) ? S_IRWXG : 0)
            | ((access & QLocalServer::OtherAccessOption) ? S_IRWXO : 0);
        ok = ::chmod(boundPath.constData(), mode) == 0
            && ::renameat2(
                   AT_FDCWD, boundPath.constData(), AT_FDCWD, path.constData(), RENAME_NOREPLACE)
                == 0;
        if (!ok && errno == EEXIST)
            errno = EADDRINUSE;
    }
    if (!ok) {
        setLocalError(error, errno);
        ::close(fd);
        cleanUp();
        return -1;
    }
    if (!directory.isEmpty())
        ::rmdir(directory.constData());
    struct stat info;
    if (file && !abstract && ::lstat(path.constData(), &info) == 0) {
        file->path = path;
        file->device = quint64(info.st_dev);
        file->inode = quint64(info.st_ino);
    }
    return fd;
}
} // namespace

int SocketFactory::listen(
    const ListenRequest &request, bool reusePort, SocketError *error, SocketFile *file)
{
    // A socket the service manager bound for us wins over binding one (and under ReusePort,
    // every worker shares it).
    if (const int fd = activatedSocketFor(request); fd >= 0)
        return fd;
    if (request.kind == QLatin1String("local"))
        return listenLocal(request, error, file);
    if (reusePort) {
        const int fd = bindIp(request, SOCK_STREAM, true, error);
        if (fd >= 0 && ::listen(fd, Backlog) != 0) {
            setSystemError(error, errno, "listen");
            ::close(fd);
            return -1;
        }
        return fd;
    }
    // QTcpServer does the binding so that what a worker sees on failure is what a QTcpServer
    // of its own would have said.
    QTcpServer server;
    server.setListenBacklogSize(Backlog);
    const QHostAddress address = request.address.isEmpty() ? QHostAddress(QHostAddress::Any)
                                                           : QHostAddress(request.address);
    if (!server.listen(address, request.port)) {
        error->error = server.serverError();
        error->errorString = server.errorString();
        return -1;
    }
    const int fd = ::fcntl(int(server.socketDescriptor()), F_DUPFD_CLOEXEC, 0);
    server.close();
    return fd;
}

int SocketFactory::reservePort(const ListenRequest &request, SocketError *error)
{
    if (const int fd = activatedSocketFor(request); fd >= 0)
        return fd;
    return bindIp(request, SOCK_STREAM, true, error);
}

int SocketFactory::bindUdp(const ListenRequest &request, SocketError *error)
{
    if (const int fd = activatedSocketFor(request); fd >= 0)
        return fd;
    return bindIp(request, SOCK_DGRAM, false, error);
}

Address SocketFactory::localAddress(int fd, const ListenRequest &request)
{
    if (request.kind == QLatin1String("local"))
        return Address(request.name, 0, Address::Local);
    sockaddr_storage storage {};
    socklen_t length = sizeof(storage);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length);
    QHostAddress host(reinterpret_cast<sockaddr *>(&storage));
    const quint16 port = storage.ss_family == AF_INET
        ? ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port)
        : ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    const bool v4 = storage.ss_family == AF_INET;
    const bool udp = request.kind == QLatin1String("udp");
    const Address::AddressType type
        = udp ? (v4 ? Address::Udp4 : Address::Udp6) : (v4 ? Address::IPv4 : Address::IPv6);
    return Address(host.toString(), port, type);
}

} // namespace LibCluster::Internal
