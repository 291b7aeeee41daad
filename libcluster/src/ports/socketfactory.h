// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Creates the listening and bound sockets the primary shares, and reports failures the way the
// matching Qt class (QTcpServer, QLocalServer, QUdpSocket) would.
#pragma once

#include "ports/listenrequest.h"
#include "ports/socketerror.h"
#include "ports/socketfile.h"

#include <libcluster/address.h>

namespace LibCluster::Internal {

class SocketFactory
{
public:
    // Backlog of every shared listening socket (Node uses 511 too).
    static constexpr int Backlog = 511;

    // A listening socket for `request` (kind "tcp" or "local"), or -1 with `error` set.
    // With `reusePort`, SO_REUSEPORT is set before binding (TCP only). Each of these three
    // returns a duplicate of a matching socket passed by systemd, if there is one, instead of
    // binding (see SocketActivation). A Unix socket file it creates is described in `file`,
    // with the access the request's socket options ask for (as QLocalServer::setSocketOptions()).
    static int listen(const ListenRequest &request, bool reusePort, SocketError *error,
        SocketFile *file = nullptr);
    // A TCP socket bound with SO_REUSEPORT but not listening: it holds the port for a group of
    // SO_REUSEPORT listeners without ever receiving a connection.
    static int reservePort(const ListenRequest &request, SocketError *error);
    // A bound UDP socket.
    static int bindUdp(const ListenRequest &request, SocketError *error);
    // Where a socket is bound, with Node's address type.
    static Address localAddress(int fd, const ListenRequest &request);
};

} // namespace LibCluster::Internal
