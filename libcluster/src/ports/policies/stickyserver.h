// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy Sticky: every connection from one client address goes to the same worker while that
// worker serves the port; a new address goes to the free worker with the fewest open connections.
#pragma once

#include "ports/policies/distributingserver.h"

#include <QHash>

namespace LibCluster::Internal {

class StickyServer : public DistributingServer
{
public:
    StickyServer(const ListenRequest &request, int key)
        : DistributingServer(request, key)
    { }

    qint64 pinnedClients() const override { return m_owners.size(); }

protected:
    WorkerPrivate *pick(const Connection &connection) override;
    bool picksPerConnection() const override { return true; }
    bool needsPeerAddress() const override { return true; }
    void forget(WorkerPrivate *worker) override;
    // A client's connection never moves to another worker: when its worker is out of
    // descriptors, it is closed.
    int maxRefusals() const override { return 1; }
    bool isStranded(const Connection &connection) const override;

private:
    QHash<QString, WorkerPrivate *> m_owners;
};

} // namespace LibCluster::Internal
