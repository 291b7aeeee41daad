// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ResourceSampler: two small /proc reads per worker per round.
#include "supervision/resourcesampler.h"

#include "runtime/cluster_p.h"
#include "runtime/worker_p.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <unistd.h>

namespace LibCluster::Internal {

ResourceSampler::ResourceSampler(ClusterPrivate *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ResourceSampler::sample);
    m_timer->start();
}

int ResourceSampler::interval() const
{
    return m_timer->isActive() ? m_timer->interval() : 0;
}

void ResourceSampler::setInterval(int msecs)
{
    if (msecs <= 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(msecs);
}

bool ResourceSampler::readProcess(qint64 pid, qint64 *cpuTicks, qint64 *residentPages)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    // The command name in parentheses may contain spaces; the fields after it do not.
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return false;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    // After the name: state(0) ... utime(11) stime(12) ... rss(21)
    if (fields.size() < 22)
        return false;
    *cpuTicks = fields.at(11).toLongLong() + fields.at(12).toLongLong();
    *residentPages = fields.at(21).toLongLong();
    return true;
}

void ResourceSampler::sample()
{
    static const qint64 ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    static const qint64 pageSize = ::sysconf(_SC_PAGESIZE);
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    const qint64 now = clock.nsecsElapsed();
    bool any = false;
    for (Worker *worker : std::as_const(m_cluster->workers)) {
        WorkerPrivate *d = WorkerPrivate::get(worker);
        if (d->pid <= 0 || d->exitedDone)
            continue;
        qint64 ticks = 0;
        qint64 pages = 0;
        if (!readProcess(d->pid, &ticks, &pages))
            continue;
        if (d->lastCpuTicks >= 0 && now > d->lastSampleTime) {
            const double seconds = double(now - d->lastSampleTime) / 1e9;
            d->cpuUsage
                = 100.0 * double(ticks - d->lastCpuTicks) / double(ticksPerSecond) / seconds;
        }
        d->lastCpuTicks = ticks;
        d->lastSampleTime = now;
        d->residentMemory = pages * pageSize;
        any = true;
    }
    if (any)
        Q_EMIT m_cluster->q_ptr->resourceUsageUpdated();
}

} // namespace LibCluster::Internal
