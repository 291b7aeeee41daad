// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SocketFile: removing a Unix socket's file only while it is still ours.
#include "ports/socketfile.h"

#include <sys/stat.h>
#include <unistd.h>

namespace LibCluster::Internal {

void SocketFile::remove()
{
    struct stat info;
    if (!path.isEmpty() && ::lstat(path.constData(), &info) == 0 && S_ISSOCK(info.st_mode)
        && quint64(info.st_dev) == device && quint64(info.st_ino) == inode)
        ::unlink(path.constData());
    path.clear();
}

} // namespace LibCluster::Internal
