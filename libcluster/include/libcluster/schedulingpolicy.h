// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief How the workers of a cluster share a server port.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>
#include <QString>

namespace LibCluster {
Q_NAMESPACE_EXPORT(LIBCLUSTER_EXPORT)

//! \brief How the workers of a cluster share a server port: who accepts, and who gets each
//! connection.
//!
//! Set it with Settings::setSchedulingPolicy() or LIBCLUSTER_SCHED_POLICY; it holds for every
//! shared server of the cluster (TcpServer, SslServer, LocalServer, listen()). UDP sockets are
//! always one socket shared by all (as in Node), whatever the policy.
enum class SchedulingPolicy {
    //! \brief The primary accepts each connection and hands it to one worker in turn, waiting a few
    //! ms for the worker whose turn it is to take its previous one; a worker that has not by then
    //! (a busy worker) is skipped until it has.
    //!
    //! Node's default, with strict turns: a burst of connections is split evenly.
    RoundRobin,
    //! \brief Every worker accepts on the same listening socket; the kernel decides, often
    //! unevenly.
    None,
    //! \brief Each worker listens on its own socket bound with SO_REUSEPORT; the kernel balances.
    ReusePort,
    //! \brief Like RoundRobin, but the worker with the fewest open connections gets the next one.
    LeastConnections,
    //! \brief Like RoundRobin, but connections from one client address go to the same worker while
    //! it lives.
    Sticky,
};
Q_ENUM_NS(SchedulingPolicy)

//! \brief "rr", "none", "reuseport", "leastconn", "sticky": the values of LIBCLUSTER_SCHED_POLICY.
LIBCLUSTER_EXPORT QString schedulingPolicyName(SchedulingPolicy policy);
//! \brief The policy named `name` (as schedulingPolicyName() spells it) into `policy`.
//!
//! False, leaving `policy` alone, for a name that is none of the above.
LIBCLUSTER_EXPORT bool schedulingPolicyFromName(const QString &name, SchedulingPolicy *policy);

} // namespace LibCluster
