// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The open-file limit of the processes of a cluster: a primary holds every connection it has not
// handed over yet, a worker every connection it serves, and systemd's default soft limit (1024) is
// far below what a server needs.
#pragma once

namespace LibCluster::Internal::DescriptorLimit {

// Raises the soft RLIMIT_NOFILE to the hard one, as Node does at start; the hard limit stays the
// operator's to set (LimitNOFILE= in a systemd unit, ulimit -Hn in a shell). Async-signal-safe.
void raiseSoftToHard();

} // namespace LibCluster::Internal::DescriptorLimit
