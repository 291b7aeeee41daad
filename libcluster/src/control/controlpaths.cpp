// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlPaths: runtime directory checks and a non-blocking liveness probe for socket files.
#include "control/controlpaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
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

QString systemError()
{
    return QString::fromLocal8Bit(strerror(errno));
}

// ${TMPDIR:-/tmp}, as ssh-agent and Emacs take it.
QString temporaryBase()
{
    const QString tmpdir = qEnvironmentVariable("TMPDIR");
    return tmpdir.startsWith(QLatin1Char('/')) ? QDir::cleanPath(tmpdir) : QStringLiteral("/tmp");
}

QString fallbackDirectory()
{
    return QStringLiteral("%1/%2%3").arg(temporaryBase(), Prefix).arg(::geteuid());
}

// Why `path` cannot hold this user's endpoints, or an empty string when it can: a real directory
// (not a symlink) owned by this user and closed to everyone else.
QString unusableReason(const QString &path)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return errno == ENOENT ? QStringLiteral("does not exist")
                               : QStringLiteral("cannot be examined (%1)").arg(systemError());
    if (S_ISLNK(info.st_mode))
        return QStringLiteral("is a symbolic link");
    if (!S_ISDIR(info.st_mode))
        return QStringLiteral("is not a directory");
    if (info.st_uid != ::geteuid())
        return QStringLiteral("belongs to another user (uid %1, not %2)")
            .arg(info.st_uid)
            .arg(::geteuid());
    if (info.st_mode & (S_IRWXG | S_IRWXO))
        return QStringLiteral("is open to other users (mode %1, not 0700)")
            .arg(info.st_mode & 07777, 4, 8, QLatin1Char('0'));
    return QString();
}

bool exists(const QString &path)
{
    struct stat info;
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0;
}

// The usable libcluster-UID-XXXXXX directories, by name: made by this user (nobody else can
// make a directory this user owns), so trusted wherever they are.
QStringList privateFallbacks()
{
    const QString base = fallbackDirectory();
    const QString prefix = QFileInfo(base).fileName() + QLatin1Char('-');
    static const QRegularExpression suffix(QStringLiteral("^[A-Za-z0-9]{6}\\z"));
    QStringList found;
    const QStringList entries
        = QDir(temporaryBase())
              .entryList({ prefix + QLatin1Char('*') },
                  QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &entry : entries) {
        const QString path = temporaryBase() + QLatin1Char('/') + entry;
        if (suffix.match(entry.mid(prefix.size())).hasMatch() && unusableReason(path).isEmpty())
            found.append(path);
    }
    return found;
}

// $XDG_RUNTIME_DIR, checked; with `create`, made if missing. Never replaced by another place:
// whoever set it expects the endpoint there.
QString xdgRuntimeDirectory(bool create, QString *error)
{
    const QString path = qEnvironmentVariable("XDG_RUNTIME_DIR");
    const QString advice = QStringLiteral("set XDG_RUNTIME_DIR to a directory of your own with "
                                          "mode 0700, or unset it to use %1")
                               .arg(fallbackDirectory());
    if (!path.startsWith(QLatin1Char('/'))) {
        *error
            = QStringLiteral("XDG_RUNTIME_DIR (%1) is not an absolute path: %2").arg(path, advice);
        return QString();
    }
    if (create && ::mkdir(QFile::encodeName(path).constData(), 0700) != 0 && errno != EEXIST) {
        *error = QStringLiteral("cannot create the runtime directory %1 (XDG_RUNTIME_DIR): %2; %3")
                     .arg(path, systemError(), advice);
        return QString();
    }
    const QString why = unusableReason(path);
    if (!why.isEmpty()) {
        *error = QStringLiteral("the runtime directory %1 (XDG_RUNTIME_DIR) %2: %3")
                     .arg(path, why, advice);
        return QString();
    }
    return path;
}
} // namespace

QString ControlPaths::runtimeDirectory(bool create, QString *error, QString *warning)
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
        return xdgRuntimeDirectory(create, error);
    const QString base = fallbackDirectory();
    const QByteArray encodedBase = QFile::encodeName(base);
    if (create && ::mkdir(encodedBase.constData(), 0700) != 0 && errno != EEXIST) {
        *error = QStringLiteral("cannot create the runtime directory %1: %2; set "
                                "XDG_RUNTIME_DIR to a directory of your own with mode 0700")
                     .arg(base, systemError());
        return QString();
    }
    const QString why = unusableReason(base);
    if (why.isEmpty())
        return base;
    // Without `create`: a server would make it.
    if (!exists(base)) {
        *error = QStringLiteral("the runtime directory %1 %2").arg(base, why);
        return QString();
    }
    // Taken by someone else, or left open: not ours to use, and not ours to remove.
    QString directory = privateFallbacks().value(0);
    if (directory.isEmpty()) {
        if (!create) {
            *error = QStringLiteral("the runtime directory %1 %2").arg(base, why);
            return QString();
        }
        QByteArray pattern = encodedBase + "-XXXXXX";
        if (!::mkdtemp(pattern.data())) { // mode 0700
            *error = QStringLiteral("%1 %2, and a private directory cannot be made in its place: "
                                    "%3; set XDG_RUNTIME_DIR to a directory of your own with mode "
                                    "0700")
                         .arg(base, why, systemError());
            return QString();
        }
        directory = QFile::decodeName(pattern);
    }
    if (warning)
        *warning = QStringLiteral("the runtime directory %1 %2, so it is left alone and the "
                                  "control endpoints are in %3 (clients look there too); to use "
                                  "%1 again, remove it, or set XDG_RUNTIME_DIR to a directory of "
                                  "your own")
                       .arg(base, why, directory);
    return directory;
}

QStringList ControlPaths::searchDirectories(QString *error)
{
    if (!qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QString directory = xdgRuntimeDirectory(false, error);
        return directory.isEmpty() ? QStringList() : QStringList { directory };
    }
    const QString base = fallbackDirectory();
    const QString why = unusableReason(base);
    QStringList directories = privateFallbacks();
    if (why.isEmpty())
        directories.prepend(base);
    else if (directories.isEmpty())
        *error = QStringLiteral("the runtime directory %1 %2").arg(base, why);
    return directories;
}

bool ControlPaths::isValidName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}\\z"));
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

bool ControlPaths::locate(
    const QString &name, QString *socketPath, QString *tokenPath, QString *error)
{
    const auto tr = [](const char *text) {
        return QCoreApplication::translate("LibCluster::ControlClient", text);
    };
    if (!isValidName(name)) {
        *error = tr("\"%1\" is not a valid endpoint name").arg(name);
        return false;
    }
    QString why;
    const QStringList directories = searchDirectories(&why);
    if (directories.isEmpty()) {
        *error = tr("no control endpoint named \"%1\": %2").arg(name, why);
        return false;
    }
    const auto found
        = std::find_if(directories.cbegin(), directories.cend(), [&name](const QString &d) {
              return QFileInfo::exists(d + QLatin1Char('/') + socketFileName(name));
          });
    const QString directory = found != directories.cend() ? *found : directories.first();
    *socketPath = directory + QLatin1Char('/') + socketFileName(name);
    *tokenPath = directory + QLatin1Char('/') + tokenFileName(name);
    if (!QFileInfo::exists(*socketPath)) {
        *error = tr("no control endpoint named \"%1\" (%2 does not exist)").arg(name, *socketPath);
        return false;
    }
    return true;
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
