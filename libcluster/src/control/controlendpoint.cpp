// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlEndpoint: the endpoint's files (socket, token) and the accept loop with its limits.
#include "control/controlendpoint.h"

#include "control/controlpaths.h"
#include "control/controlprotocol.h"
#include "control/controlsession.h"
#include "ports/acceptor.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QFile>
#include <QLocalSocket>
#include <QRandomGenerator>
#include <QScopeGuard>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace LibCluster::Internal {

namespace Protocol = ControlProtocol;

namespace {
QString systemError()
{
    return QString::fromLocal8Bit(strerror(errno));
}

QByteArray newToken()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
}
} // namespace

ControlEndpoint::ControlEndpoint(QObject *parent)
    : QObject(parent)
{ }

ControlEndpoint::~ControlEndpoint()
{
    close();
}

bool ControlEndpoint::fail(ControlServer::Error code, const QString &text)
{
    m_error = code;
    m_errorString = text;
    qCDebug(lcPrimary).noquote() << "control endpoint:" << text;
    return false;
}

bool ControlEndpoint::listen(const QString &name)
{
    close();
    m_error = ControlServer::NoError;
    m_errorString.clear();
    if (!ControlPaths::isValidName(name))
        return fail(ControlServer::InvalidNameError,
            ControlServer::tr("\"%1\" is not a valid endpoint name (1 to 64 letters, digits, '.', "
                              "'_' or '-', not starting with '.')")
                .arg(name));
    QString why;
    QString warning;
    const QString directory = ControlPaths::runtimeDirectory(true, &why, &warning);
    if (directory.isEmpty())
        return fail(ControlServer::RuntimeDirectoryError, why);
    if (!warning.isEmpty())
        qCWarning(lcPrimary).noquote() << "control endpoint:" << warning;
    const QString socketPath = directory + QLatin1Char('/') + ControlPaths::socketFileName(name);
    const QByteArray encoded = QFile::encodeName(socketPath);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (encoded.size() >= qsizetype(sizeof(address.sun_path)))
        return fail(ControlServer::RuntimeDirectoryError,
            ControlServer::tr("the socket path %1 is too long").arg(socketPath));
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));

    // Two primaries starting under one name must not both take a stale file for theirs to
    // remove: the check, the removal and the bind happen under a lock on the directory.
    const int directoryFd
        = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directoryFd >= 0)
        ::flock(directoryFd, LOCK_EX);
    const auto unlock = qScopeGuard([directoryFd] {
        if (directoryFd >= 0)
            ::close(directoryFd); // releases the lock
    });

    switch (ControlPaths::probe(socketPath)) {
    case ControlPaths::Probe::Live:
        return fail(ControlServer::AddressInUseError,
            ControlServer::tr("a control endpoint named \"%1\" is already running (%2); it is left "
                              "alone")
                .arg(name, socketPath));
    case ControlPaths::Probe::NotASocket:
        return fail(ControlServer::SocketError,
            ControlServer::tr("%1 exists and is not a socket; it is left alone").arg(socketPath));
    case ControlPaths::Probe::Stale:
        qCInfo(lcPrimary).noquote() << "control endpoint: removing the stale socket" << socketPath;
        ::unlink(encoded.constData());
        break;
    case ControlPaths::Probe::Missing:
        break;
    }

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return fail(ControlServer::SocketError,
            ControlServer::tr("cannot create a socket: %1").arg(systemError()));
    // bind() never replaces an existing file: if another primary got here first, it keeps the name.
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0) {
        const bool inUse = errno == EADDRINUSE;
        const QString text = systemError();
        ::close(fd);
        return inUse ? fail(ControlServer::AddressInUseError,
                   ControlServer::tr("a control endpoint named \"%1\" is already running (%2)")
                       .arg(name, socketPath))
                     : fail(ControlServer::SocketError,
                         ControlServer::tr("cannot bind %1: %2").arg(socketPath, text));
    }
    struct stat info;
    ::lstat(encoded.constData(), &info);
    m_name = name;
    m_socketPath = socketPath;
    m_tokenPath = directory + QLatin1Char('/') + ControlPaths::tokenFileName(name);
    m_socketDevice = info.st_dev;
    m_socketInode = info.st_ino;
    m_token = newToken();
    // Nobody can connect before listen(): the token is in place and the mode is 0600 by then.
    if (!writeTokenFile(directory) || ::chmod(encoded.constData(), 0600) != 0
        || ::listen(fd, 64) != 0) {
        if (m_error == ControlServer::NoError)
            fail(ControlServer::SocketError,
                ControlServer::tr("cannot listen on %1: %2").arg(socketPath, systemError()));
        ::close(fd);
        removeFiles();
        clear();
        return false;
    }
    m_listenFd = fd;
    // The accept loop every shared port uses too: out of descriptors, it backs off on a timer
    // instead of spinning.
    m_acceptor = new Acceptor(
        fd, [this](int accepted) { this->accepted(accepted); }, this);
    qCDebug(lcPrimary) << "control endpoint" << name << "at" << socketPath;
    return true;
}

void ControlEndpoint::close()
{
    if (m_listenFd < 0)
        return;
    delete m_acceptor;
    m_acceptor = nullptr;
    ::close(m_listenFd);
    m_listenFd = -1;
    const QList<ControlSession *> sessions = std::exchange(m_sessions, {});
    for (ControlSession *session : sessions) {
        session->abort();
        delete session;
    }
    removeFiles();
    clear();
}

void ControlEndpoint::clear()
{
    m_name.clear();
    m_socketPath.clear();
    m_tokenPath.clear();
    m_token.clear();
}

bool ControlEndpoint::writeTokenFile(const QString &directory)
{
    // Written under a temporary name, then renamed into place: a client never reads half a token.
    const QByteArray temporary
        = QFile::encodeName(QStringLiteral("%1/.%2.%3.tmp")
                                .arg(directory, ControlPaths::tokenFileName(m_name))
                                .arg(QCoreApplication::applicationPid()));
    ::unlink(temporary.constData());
    const int fd
        = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(ControlServer::SocketError,
            ControlServer::tr("cannot create the token file %1: %2")
                .arg(m_tokenPath, systemError()));
    const QByteArray content = m_token + '\n';
    const bool written = ::fchmod(fd, 0600) == 0
        && ::write(fd, content.constData(), size_t(content.size())) == content.size();
    const int writeError = errno;
    ::close(fd);
    if (!written
        || ::rename(temporary.constData(), QFile::encodeName(m_tokenPath).constData()) != 0) {
        if (written)
            errno = writeError;
        const QString why = systemError();
        ::unlink(temporary.constData());
        return fail(ControlServer::SocketError,
            ControlServer::tr("cannot write the token file %1: %2").arg(m_tokenPath, why));
    }
    return true;
}

void ControlEndpoint::removeFiles()
{
    // Only what is still ours: a file someone else has put in its place stays.
    struct stat info;
    const QByteArray socketFile = QFile::encodeName(m_socketPath);
    if (::lstat(socketFile.constData(), &info) == 0 && info.st_dev == m_socketDevice
        && info.st_ino == m_socketInode)
        ::unlink(socketFile.constData());
    QFile file(m_tokenPath);
    if (file.open(QIODevice::ReadOnly) && file.readAll().trimmed() == m_token)
        QFile::remove(m_tokenPath);
}

void ControlEndpoint::accepted(int fd)
{
    const auto unwelcomed = std::count_if(m_sessions.cbegin(), m_sessions.cend(),
        [](const ControlSession *s) { return !s->isWelcomed(); });
    if (unwelcomed >= Protocol::MaxUnwelcomedClients) {
        refuseAtOnce(fd);
        return;
    }
    m_busyReported = false;
    auto *socket = new QLocalSocket;
    if (!socket->setSocketDescriptor(fd)) {
        ::close(fd);
        delete socket;
        return;
    }
    auto *session = new ControlSession(socket, m_name, m_token, this);
    m_sessions.append(session);
    connect(session, &ControlSession::closed, this, [this, session] {
        m_sessions.removeAll(session);
        Q_EMIT sessionEnded(session);
    });
    Q_EMIT sessionStarted(session);
}

void ControlEndpoint::refuseAtOnce(int fd)
{
    // No session, no timer, no buffer: the reason in one line, then the descriptor is closed.
    const QByteArray line = Protocol::encode(QJsonObject {
        { QStringLiteral("type"), Protocol::error() },
        { QStringLiteral("error"), Protocol::busy() },
        { QStringLiteral("message"),
            ControlServer::tr("the control endpoint \"%1\" already has %2 clients that have not "
                              "said hello yet; try again in a few seconds")
                .arg(m_name)
                .arg(Protocol::MaxUnwelcomedClients) },
    });
    (void)!::send(fd, line.constData(), size_t(line.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::close(fd);
    if (!m_busyReported) {
        m_busyReported = true;
        qCWarning(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: %2 clients have not said hello yet; refusing "
                              "new connections until they do or time out")
                   .arg(m_name)
                   .arg(Protocol::MaxUnwelcomedClients);
    }
}

int ControlEndpoint::welcomedCount() const
{
    return int(std::count_if(m_sessions.cbegin(), m_sessions.cend(),
        [](const ControlSession *s) { return s->isWelcomed(); }));
}

void ControlEndpoint::broadcast(const QJsonObject &message)
{
    // Encoded once, however many clients there are.
    QByteArray line;
    const QList<ControlSession *> current = m_sessions;
    for (ControlSession *session : current) {
        if (!session->isWelcomed())
            continue;
        if (line.isEmpty())
            line = Protocol::encode(message);
        session->sendEncoded(line);
    }
}

} // namespace LibCluster::Internal
