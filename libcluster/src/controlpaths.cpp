// ControlPaths: runtime directory checks and a non-blocking liveness probe for socket files.
#include "controlpaths.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {
const QLatin1String Prefix("libcluster-");
const QLatin1String SocketSuffix(".sock");
const QLatin1String TokenSuffix(".token");

// A directory only its owner (this user) can enter, not reached through a symlink.
bool isPrivateDirectory(const QString &path, QString *error)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0) {
        if (errno == ENOENT) {
            *error = QStringLiteral("the runtime directory %1 does not exist").arg(path);
            return false;
        }
        *error = QStringLiteral("cannot use the runtime directory %1: %2")
                     .arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    if (!S_ISDIR(info.st_mode)) {
        *error = QStringLiteral("the runtime directory %1 is not a directory").arg(path);
        return false;
    }
    if (info.st_uid != ::geteuid()) {
        *error = QStringLiteral("the runtime directory %1 belongs to another user").arg(path);
        return false;
    }
    if (info.st_mode & (S_IRWXG | S_IRWXO)) {
        *error = QStringLiteral("the runtime directory %1 is open to other users (mode %2); "
                                "it must be 0700")
                     .arg(path)
                     .arg(info.st_mode & 07777, 4, 8, QLatin1Char('0'));
        return false;
    }
    return true;
}
} // namespace

QString ControlPaths::runtimeDirectory(bool create, QString *error)
{
    QString path;
    if (qEnvironmentVariableIsSet("XDG_RUNTIME_DIR")) {
        // Qt checks the owner and the mode too, and tightens the mode if needed.
        path = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
        if (path.isEmpty()) {
            *error = QStringLiteral("XDG_RUNTIME_DIR (%1) is not usable")
                         .arg(qEnvironmentVariable("XDG_RUNTIME_DIR"));
            return QString();
        }
    } else {
        path = QStringLiteral("/tmp/libcluster-%1").arg(::geteuid());
        if (create && ::mkdir(QFile::encodeName(path).constData(), 0700) != 0 && errno != EEXIST) {
            *error = QStringLiteral("cannot create the runtime directory %1: %2")
                         .arg(path, QString::fromLocal8Bit(strerror(errno)));
            return QString();
        }
    }
    if (!isPrivateDirectory(path, error))
        return QString();
    return path;
}

bool ControlPaths::isValidName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$"));
    return valid.match(name).hasMatch();
}

QString ControlPaths::socketFileName(const QString &name)
{
    return Prefix + name + SocketSuffix;
}

QString ControlPaths::tokenFileName(const QString &name)
{
    return Prefix + name + TokenSuffix;
}

QStringList ControlPaths::namesIn(const QString &directory)
{
    QStringList names;
    const QStringList files = QDir(directory).entryList(
        { Prefix + QLatin1Char('*') + SocketSuffix }, QDir::System | QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString name
            = file.mid(Prefix.size(), file.size() - Prefix.size() - SocketSuffix.size());
        if (isValidName(name))
            names.append(name);
    }
    return names;
}

ControlPaths::Probe ControlPaths::probe(const QString &path)
{
    const QByteArray encoded = QFile::encodeName(path);
    struct stat info;
    if (::lstat(encoded.constData(), &info) != 0)
        return Probe::Missing;
    if (!S_ISSOCK(info.st_mode))
        return Probe::NotASocket;
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (encoded.size() >= qsizetype(sizeof(address.sun_path)))
        return Probe::NotASocket;
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return Probe::Live; // cannot tell: never treat a socket we could not check as stale
    const int result = ::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address));
    const int code = errno;
    ::close(fd);
    // A full backlog (EAGAIN) still means someone listens; only a refusal means nobody does.
    if (result != 0 && (code == ECONNREFUSED || code == ENOENT))
        return Probe::Stale;
    return Probe::Live;
}

} // namespace LibCluster::Internal
