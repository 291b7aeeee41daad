// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ResourceSampler: one small /proc read per worker per round, a few workers per event-loop pass.
#include "supervision/resourcesampler.h"

#include "runtime/cluster_p.h"
#include "runtime/worker_p.h"

#include <QElapsedTimer>
#include <QTimer>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace LibCluster::Internal {

ResourceSampler::ResourceSampler(ClusterPrivate *cluster, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_timer(new QTimer(this))
    , m_passTimer(new QTimer(this))
{
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &ResourceSampler::startRound);
    m_timer->start();
    m_passTimer->setSingleShot(true);
    m_passTimer->setInterval(0);
    connect(m_passTimer, &QTimer::timeout, this, &ResourceSampler::samplePass);
}

int ResourceSampler::interval() const
{
    return m_timer->isActive() ? m_timer->interval() : 0;
}

void ResourceSampler::setInterval(int msecs)
{
    if (msecs <= 0) {
        m_timer->stop();
        m_passTimer->stop();
        m_round.clear();
        return;
    }
    m_timer->start(msecs);
}

bool ResourceSampler::readProcess(qint64 pid, qint64 *cpuTicks, qint64 *residentPages)
{
    // Plain open/read into a stack buffer: this runs for every worker every round, on the
    // primary's event loop.
    char path[48];
    std::snprintf(path, sizeof path, "/proc/%lld/stat", static_cast<long long>(pid));
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[1024];
    ssize_t size = -1;
    do {
        size = ::read(fd, buffer, sizeof buffer);
    } while (size < 0 && errno == EINTR);
    ::close(fd);
    if (size <= 0)
        return false;
    const char *const end = buffer + size;
    // The command name in parentheses may contain spaces; the fields after it do not.
    const char *p = end;
    while (p > buffer && p[-1] != ')')
        --p;
    if (p == buffer)
        return false;
    // After the name: state(0) ... utime(11) stime(12) ... rss(21)
    qint64 fields[22] = {};
    for (int field = 0; field < 22; ++field) {
        while (p < end && *p == ' ')
            ++p;
        if (p == end)
            return false;
        if (field == 0) { // the state, a letter
            while (p < end && *p != ' ')
                ++p;
            continue;
        }
        const auto [next, error] = std::from_chars(p, end, fields[field]);
        if (error != std::errc())
            return false;
        p = next;
    }
    *cpuTicks = fields[11] + fields[12];
    *residentPages = fields[21];
    return true;
}

void ResourceSampler::startRound()
{
    // A round still going (a very short interval, a loop too busy to finish it) goes on.
    if (!m_round.isEmpty())
        return;
    for (Worker *worker : std::as_const(m_cluster->workers))
        m_round.append(worker);
    m_roundSampledAny = false;
    m_passes = 0;
    samplePass();
}

void ResourceSampler::samplePass()
{
    static const qint64 ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    static const qint64 pageSize = ::sysconf(_SC_PAGESIZE);
    static QElapsedTimer clock;
    if (!clock.isValid())
        clock.start();
    const qint64 now = clock.nsecsElapsed();
    int read = 0;
    while (!m_round.isEmpty() && read < MaxWorkersPerPass) {
        Worker *worker = m_round.takeFirst();
        if (!worker)
            continue; // deleted since the round began
        WorkerPrivate *d = WorkerPrivate::get(worker);
        if (d->pid <= 0 || d->exitedDone)
            continue;
        ++read;
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
        m_roundSampledAny = true;
    }
    ++m_passes;
    m_largestPass = qMax(m_largestPass, read);
    if (!m_round.isEmpty()) {
        m_passTimer->start();
        return;
    }
    m_passesInLastRound = m_passes;
    if (m_roundSampledAny)
        Q_EMIT m_cluster->q_ptr->resourceUsageUpdated();
}

} // namespace LibCluster::Internal
