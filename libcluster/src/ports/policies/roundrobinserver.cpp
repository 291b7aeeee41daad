// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RoundRobinServer: strict turns, with a short wait for the worker whose turn it is.
//
// Node hands a connection to any worker without an unacknowledged one. When clients open many
// connections at once (a browser, a load balancer's pool, wrk), that favours whichever worker
// happens to acknowledge first, and the split it leaves (30/20 of 50 is common) lasts as long as
// those keep-alive connections do. Here the worker in turn is waited for, briefly: one that has
// not acknowledged its previous connection within BusyAfter counts as busy and is passed over
// until it does, so a blocked worker still stops getting work without holding up the others.
#include "ports/policies/roundrobinserver.h"

namespace LibCluster::Internal {

namespace {
// A worker with a running event loop acknowledges within tens of µs, but one the kernel has
// not scheduled for a time slice takes several ms (5 ms seen with 4 busy processes on 2 cores);
// being passed over for that would undo the even split. Only the first connection a busy
// worker holds up waits this long; after that it is passed over at once until it answers.
constexpr std::chrono::nanoseconds BusyAfter = std::chrono::milliseconds(10);
} // namespace

WorkerPrivate *RoundRobinServer::pick(const Connection &)
{
    return nextFreeInTurn(BusyAfter);
}

} // namespace LibCluster::Internal
