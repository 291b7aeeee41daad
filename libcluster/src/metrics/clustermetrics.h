// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The figures of one cluster (and its supervisor) as Prometheus metric families, and the
// readiness rule of /readyz.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>

namespace LibCluster {
class Cluster;
class Supervisor;
class Worker;
} // namespace LibCluster

namespace LibCluster::Internal {

class ClusterMetrics : public QObject
{
    Q_OBJECT

public:
    // Counts forks, exits and restarts from now on. Neither is owned.
    ClusterMetrics(Cluster *cluster, Supervisor *supervisor, QObject *parent = nullptr);

    // Appends every family to `out`. Linear in workers × counter names.
    void write(QByteArray *out) const;

    // Workers the cluster should have: the supervisor's count, else every worker not yet dead.
    int desiredWorkers() const;
    int aliveWorkers() const;
    int listeningWorkers() const;
    // At least `percent` % of the desired workers listen (and there are some), and the
    // supervisor is not shutting down; `why` says what is missing otherwise.
    bool isReady(int percent, QString *why) const;

private:
    void countExit(Worker *worker, int code, int signal);
    // A counter name escaped for a label value, from a cache.
    const QByteArray &escapedName(const QString &name) const;
    static constexpr int MaxEscapedNames = 100000;
    // Seconds since the epoch at which the process `pid` started, from /proc; 0 if unknown.
    static double processStartTime(qint64 pid);

    QPointer<Cluster> m_cluster;
    QPointer<Supervisor> m_supervisor;
    qint64 m_forks = 0;
    QMap<QByteArray, qint64> m_exits; // by reason
    QMap<QByteArray, qint64> m_restarts; // by Supervisor::ReplaceReason's name
    QHash<int, double> m_startTimes; // by worker id, seconds since the epoch
    mutable QHash<QString, QByteArray> m_escapedNames;
    mutable qsizetype m_lastSize = 0;
};

} // namespace LibCluster::Internal
