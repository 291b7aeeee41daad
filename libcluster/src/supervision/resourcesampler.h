// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Samples the CPU use and resident memory of a cluster's workers from /proc, on a timer.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QList>
#include <QObject>
#include <QPointer>

class QTimer;

namespace LibCluster {
class ClusterPrivate;
class Worker;
} // namespace LibCluster

namespace LibCluster::Internal {

// Exported for the tests only, which read its pass counts: a sanitized build checks the type
// of every object a member is reached through, and so needs its type information.
class LIBCLUSTER_EXPORT ResourceSampler : public QObject
{
    Q_OBJECT

public:
    // Workers read in one pass of the event loop. A round over many workers takes several passes,
    // so that the primary's other events (a GUI's frames, channel reads) run in between.
    static constexpr int MaxWorkersPerPass = 8;

    explicit ResourceSampler(ClusterPrivate *cluster, QObject *parent = nullptr);

    int interval() const;
    void setInterval(int msecs);

    // CPU ticks (user + system) and resident pages of `pid`; false if it cannot be read.
    static bool readProcess(qint64 pid, qint64 *cpuTicks, qint64 *residentPages);

    // The most workers read in one pass, and the passes the last finished round took.
    int largestPass() const { return m_largestPass; }
    int passesInLastRound() const { return m_passesInLastRound; }

private:
    void startRound();
    void samplePass();

    ClusterPrivate *m_cluster;
    QTimer *m_timer;
    // The next pass of a round, from the event loop.
    QTimer *m_passTimer;
    // The workers a round has still to read.
    QList<QPointer<Worker>> m_round;
    bool m_roundSampledAny = false;
    int m_passes = 0;
    int m_largestPass = 0;
    int m_passesInLastRound = 0;
};

} // namespace LibCluster::Internal
