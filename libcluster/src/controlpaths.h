// Where control endpoints live: the per-user runtime directory, the socket and token file names,
// and whether a socket file has a live server behind it.
#pragma once

#include <QString>
#include <QStringList>

namespace LibCluster::Internal {

class ControlPaths
{
public:
    // $XDG_RUNTIME_DIR (through QStandardPaths::RuntimeLocation), else /tmp/libcluster-UID.
    // With `create`, the fallback is created (mode 0700). Either way the directory must be a
    // real directory (not a symlink) owned by this user and closed to everyone else; an empty
    // string with `error` set when it is not.
    static QString runtimeDirectory(bool create, QString *error);

    // Endpoint names: 1 to 64 of [A-Za-z0-9._-], not starting with a dot.
    static bool isValidName(const QString &name);
    static QString socketFileName(const QString &name); // libcluster-NAME.sock
    static QString tokenFileName(const QString &name); // libcluster-NAME.token
    // The names of the endpoints whose socket files are in `directory`.
    static QStringList namesIn(const QString &directory);

    enum class Probe { Missing, Live, Stale, NotASocket };
    // Is something listening on the Unix socket at `path`? Connects without blocking.
    static Probe probe(const QString &path);
};

} // namespace LibCluster::Internal
