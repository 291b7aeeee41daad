// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Samples the CPU use and resident memory of a cluster's workers from /proc, on a timer.
#pragma once

#include <QObject>

class QTimer;

namespace LibCluster {
class ClusterPrivate;
}

namespace LibCluster::Internal {

class ResourceSampler : public QObject
{
    Q_OBJECT

public:
    explicit ResourceSampler(ClusterPrivate *cluster, QObject *parent = nullptr);

    int interval() const;
    void setInterval(int msecs);

    // CPU ticks (user + system) and resident pages of `pid`; false if it cannot be read.
    static bool readProcess(qint64 pid, qint64 *cpuTicks, qint64 *residentPages);

private:
    void sample();

    ClusterPrivate *m_cluster;
    QTimer *m_timer;
};

} // namespace LibCluster::Internal
