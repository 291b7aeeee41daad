// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The file a Unix socket was bound to, and its removal.
#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace LibCluster::Internal {

// The file a Unix socket was bound to, as the primary created it: removed when the socket is
// closed for good, as QLocalServer and Node remove theirs, so a later listen() on the path works.
struct SocketFile
{
    QByteArray path; // empty: nothing to remove (not a Unix socket, or one systemd bound)
    quint64 device = 0;
    quint64 inode = 0;

    // Removes the file if it is still the one bound (not one another server put there since).
    void remove();
};

} // namespace LibCluster::Internal
