// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy None (and every UDP server): one socket, a copy in every worker, the kernel decides.
#pragma once

#include "ports/sharedserver.h"

namespace LibCluster::Internal {

class SharedSocketServer : public SharedServer
{
public:
    SharedSocketServer(const ListenRequest &request, int key)
        : SharedServer(request, key)
    { }

    bool open(SocketError *error) override;
    bool addWorker(
        WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle, SocketError *error) override;
};

} // namespace LibCluster::Internal
