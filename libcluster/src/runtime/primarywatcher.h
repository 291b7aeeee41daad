// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// PrimaryWatcher: a worker ends when its primary does, whatever the worker does with SIGTERM and
// whether or not its event loop runs.
#pragma once

namespace LibCluster::Internal {

// A worker hears of its primary's death twice on its own: the parent-death signal (SIGTERM, set
// at fork) and its channel closing, which the event loop answers with exit(0). A worker that
// ignores or handles SIGTERM and whose event loop is blocked hears neither, so a small thread
// watches the primary (through a pidfd; where the kernel has none, by its pid every PollInterval
// ms) and, Grace ms after the primary is gone, ends the process with SIGKILL unless it has ended
// by itself. The thread blocks every signal and holds one close-on-exec descriptor.
class PrimaryWatcher
{
public:
    // How long a worker whose primary has died may take to end by itself.
    static constexpr int Grace = 300;
    // How often the primary's pid is checked where there is no pidfd.
    static constexpr int PollInterval = 100;

    // Watches the process at the other end of the worker's channel `channelFd` (the primary
    // created it). False if that process cannot be found or the thread cannot start.
    static bool start(int channelFd);
};

} // namespace LibCluster::Internal
