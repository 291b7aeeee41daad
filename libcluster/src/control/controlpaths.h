// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Where control endpoints live: the per-user runtime directory, the socket and token file names,
// and whether a socket file has a live server behind it.
#pragma once

#include <QString>
#include <QStringList>

namespace LibCluster::Internal {

class ControlPaths
{
public:
    // The directory a server puts its endpoint in (docs/control-protocol.md says the same):
    // - $XDG_RUNTIME_DIR when it is set, and nowhere else: when it is not usable, an empty string
    //   and an `error` that says why and what to do;
    // - else ${TMPDIR:-/tmp}/libcluster-UID;
    // - when that name is taken by something this user cannot trust (another user's directory, a
    //   file, a symlink, a directory open to others), the first private
    //   ${TMPDIR:-/tmp}/libcluster-UID-XXXXXX by name, or with `create` a new one (mkdtemp), and
    //   a `warning` that says why. Nobody else can make a directory that is this user's own, so
    //   that name cannot be taken from them.
    // Usable means a real directory (not a symlink) owned by this user and closed to everyone
    // else. With `create`, a missing $XDG_RUNTIME_DIR or libcluster-UID is made with mode 0700.
    static QString runtimeDirectory(bool create, QString *error, QString *warning = nullptr);
    // Where clients look for an endpoint, in order: $XDG_RUNTIME_DIR when set; else
    // libcluster-UID when usable, then every private libcluster-UID-XXXXXX by name. Empty, with
    // `error`, when there is none.
    static QStringList searchDirectories(QString *error);

    // Endpoint names: 1 to 64 of [A-Za-z0-9._-], not starting with a dot.
    static bool isValidName(const QString &name);
    static QString socketFileName(const QString &name); // libcluster-NAME.sock
    static QString tokenFileName(const QString &name); // libcluster-NAME.token
    // The names of the endpoints whose socket files are in `directory`.
    static QStringList namesIn(const QString &directory);

    // Where the endpoint `name` of this user is: its socket and token files, in the first search
    // directory that has its socket (else the first one). False, with `error`, when the name is
    // not valid or there is no socket file.
    static bool locate(
        const QString &name, QString *socketPath, QString *tokenPath, QString *error);

    enum class Probe { Missing, Live, Stale, NotASocket };
    // Is something listening on the Unix socket at `path`? Connects without blocking.
    static Probe probe(const QString &path);
};

} // namespace LibCluster::Internal
