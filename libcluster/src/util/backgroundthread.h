// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// BackgroundThread: a detached thread that takes none of the process's signals.
#pragma once

namespace LibCluster::Internal {

class BackgroundThread
{
public:
    // Starts `body(argument)` on a detached thread called `name` (at most 15 characters) with
    // every signal blocked: a signal meant for the process (SIGTERM, SIGINT, SIGCHLD) goes to the
    // application's own threads and handling, and a SIGPIPE caused by the thread's own write()
    // stays pending on it, so that write() fails with EPIPE instead. False if it cannot start.
    static bool start(void *(*body)(void *), void *argument, const char *name);
};

} // namespace LibCluster::Internal
