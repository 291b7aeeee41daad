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
//
// A worker that keeps up earns a window of several unacknowledged connections (MaxWindow): a
// burst is then dealt out in strict turns at once, without waiting for each acknowledgement (the
// split does not depend on how soon each worker is scheduled), and each worker's share travels in
// one frame that it answers with one acknowledgement. Node's rule is the window of 1 that every
// worker starts with, and returns to when it is passed over as busy or idle for a second; a
// worker that blocks after keeping up holds at most MaxWindow connections, and only those handed
// within BusyAfter of the first one it left unanswered.
#include "ports/policies/roundrobinserver.h"

namespace LibCluster::Internal {

namespace {
// A worker with a running event loop acknowledges within tens of µs, but one the kernel has
// not scheduled for a time slice takes several ms (5 ms seen with 4 busy processes on 2 cores);
// being passed over for that would undo the even split. Only the first connection a busy
// worker holds up waits this long; after that it is passed over at once until it answers.
constexpr std::chrono::nanoseconds BusyAfter = std::chrono::milliseconds(10);
// At most this many connections wait for a worker that stopped answering; at this many, what a
// connection costs the primary (its frame, the worker's wake-up, the acknowledgement) is spread
// thin enough that its accept() and close() are most of what is left.
constexpr int MaxWindow = 8;
} // namespace

WorkerPrivate *RoundRobinServer::pick(const Connection &)
{
    return nextFreeInTurn(BusyAfter);
}

int RoundRobinServer::maxWindow() const
{
    return MaxWindow;
}

std::chrono::nanoseconds RoundRobinServer::busyAfter() const
{
    return BusyAfter;
}

} // namespace LibCluster::Internal
