// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief Sockets a service manager (systemd) passed to the primary: LISTEN_FDS / LISTEN_PID.
#pragma once

#include <libcluster/address.h>
#include <libcluster/libcluster_export.h>

#include <QList>

namespace LibCluster {

//! \brief The sockets a service manager (systemd) passed to the primary, which the shared servers
//! use instead of binding their own.
//!
//! When the library loads in a process that systemd started with sockets (LISTEN_PID is this
//! process, LISTEN_FDS > 0), it takes descriptors 3, 4, ... for itself, marks them close-on-exec
//! and removes LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES from the environment, so that workers
//! neither inherit the sockets nor mistake the variables for their own.
//!
//! Nothing else is needed to use them: when a worker listens on an address and port that one of
//! these sockets is bound to (TcpServer, LocalServer or UdpSocket; port 0 never matches), the
//! shared server uses that socket instead of binding a new one. A worker listening on "any" address
//! matches a socket bound to the wildcard address (0.0.0.0 or ::). Under the ReusePort policy the
//! workers share the inherited socket instead of each binding their own.
class LIBCLUSTER_EXPORT SocketActivation
{
public:
    //! \brief The sockets passed to this process, in descriptor order, with where each is bound.
    static QList<LibCluster::Address> inheritedSockets();
};

} // namespace LibCluster
