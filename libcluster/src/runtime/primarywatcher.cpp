// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// PrimaryWatcher: a thread that waits for the primary's end, then for the worker's.
#include "runtime/primarywatcher.h"

#include "util/backgroundthread.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {
struct Target
{
    pid_t pid = 0;
    int pidfd = -1; // -1: no pidfd, the pid is checked instead
    bool isParent = false; // the primary forked this process itself (no wrapper in between)
};

Target g_target;

void sleepFor(int msecs)
{
    timespec left { msecs / 1000, long(msecs % 1000) * 1000000L };
    while (::nanosleep(&left, &left) != 0 && errno == EINTR) { }
}

bool primaryAlive(const Target &target)
{
    // Once the primary is gone this process is re-parented; a pid on its own might be reused.
    if (target.isParent)
        return ::getppid() == target.pid;
    return ::kill(target.pid, 0) == 0 || errno == EPERM;
}

void *watch(void *)
{
    const Target target = g_target;
    if (target.pidfd >= 0) {
        // Readable once the primary has ended (a zombie has ended too).
        pollfd ended { target.pidfd, POLLIN, 0 };
        while (::poll(&ended, 1, -1) < 0 && errno == EINTR) { }
    } else {
        while (primaryAlive(target))
            sleepFor(PrimaryWatcher::PollInterval);
    }
    // The parent-death signal and the closed channel end a worker that lets them; this is for
    // the one that does not.
    sleepFor(PrimaryWatcher::Grace);
    char message[128];
    const int length = std::snprintf(message, sizeof(message),
        "libcluster: worker %d: the primary (pid %d) has gone; ending the worker\n",
        int(::getpid()), int(target.pid));
    if (length > 0)
        (void)!::write(STDERR_FILENO, message, size_t(length));
    ::kill(::getpid(), SIGKILL);
    return nullptr;
}

int openPidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    // Always close-on-exec: the worker's own children never inherit it.
    return int(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}
} // namespace

bool PrimaryWatcher::start(int channelFd)
{
    // The process that made the channel's socket pair: the primary, also when a wrapper program
    // stands between it and this process.
    ucred peer {};
    socklen_t length = sizeof(peer);
    if (::getsockopt(channelFd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 || peer.pid <= 0)
        return false;
    g_target.pid = peer.pid;
    g_target.pidfd = openPidfd(peer.pid);
    // Checked after the pidfd was opened: a parent cannot be reaped, so its pid not reused,
    // while this process is its child.
    g_target.isParent = ::getppid() == peer.pid;

    if (!BackgroundThread::start(watch, nullptr, "libcluster-ppid")) {
        if (g_target.pidfd >= 0)
            ::close(g_target.pidfd);
        return false;
    }
    return true;
}

} // namespace LibCluster::Internal
