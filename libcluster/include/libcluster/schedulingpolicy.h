// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// How the workers of a cluster share a server port.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>
#include <QString>

namespace LibCluster {
Q_NAMESPACE_EXPORT(LIBCLUSTER_EXPORT)

enum class SchedulingPolicy {
    // The primary accepts each connection and hands it to one worker in turn, waiting a few ms
    // for the worker whose turn it is to take its previous one; a worker that has not by then (a
    // busy worker) is skipped until it has. Node's default, with strict turns: a burst of
    // connections is split evenly.
    RoundRobin,
    // Every worker accepts on the same listening socket; the kernel decides, often unevenly.
    None,
    // Each worker listens on its own socket bound with SO_REUSEPORT; the kernel balances.
    ReusePort,
    // Like RoundRobin, but the worker with the fewest open connections gets the next one.
    LeastConnections,
    // Like RoundRobin, but connections from one client address go to the same worker while it
    // lives.
    Sticky,
};
Q_ENUM_NS(SchedulingPolicy)

// "rr", "none", "reuseport", "leastconn", "sticky": the values of LIBCLUSTER_SCHED_POLICY.
LIBCLUSTER_EXPORT QString schedulingPolicyName(SchedulingPolicy policy);
// False, leaving `policy` alone, for a name that is none of the above.
LIBCLUSTER_EXPORT bool schedulingPolicyFromName(const QString &name, SchedulingPolicy *policy);

} // namespace LibCluster
