// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// StallMeter: a precise timer and the gaps between its ticks.
#include "stallmeter.h"

#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace Monitor {

namespace {
// CPU time this thread has used, ns.
qint64 threadCpuNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// Time the thread whose schedstat file `fd` is has spent runnable but waiting for a CPU so far, ns;
// -1 if unknown.
qint64 runQueueWaitNs(int fd)
{
    // "<time on a CPU> <time waiting on a run queue> <time slices>", all since the thread began.
    char text[96];
    const ssize_t n = fd >= 0 ? ::pread(fd, text, sizeof text - 1, 0) : -1;
    if (n <= 0)
        return -1;
    text[n] = 0;
    unsigned long long onCpu = 0;
    unsigned long long waited = 0;
    return std::sscanf(text, "%llu %llu", &onCpu, &waited) == 2 ? qint64(waited) : -1;
}

// Times the kernel has taken the CPU from this thread so far.
long threadPreemptions()
{
    rusage usage {};
    ::getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_nivcsw;
}
} // namespace

StallMeter::StallMeter(int intervalMs, QObject *parent)
    : QObject(parent)
    , m_interval(intervalMs)
    , m_timer(new QTimer(this))
{
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(intervalMs);
    connect(m_timer, &QTimer::timeout, this, &StallMeter::tick);
}

StallMeter::~StallMeter()
{
    if (m_schedstat >= 0)
        ::close(m_schedstat);
}

void StallMeter::start()
{
    m_gaps.clear();
    m_worst = 0;
    m_worstCpu = 0;
    m_worstPreemptions = 0;
    m_worstWait = -1;
    m_busiestCpu = 0;
    m_busiestGap = 0;
    m_clock.start();
    m_last = m_clock.nsecsElapsed();
    m_lastCpu = threadCpuNs();
    m_lastPreemptions = threadPreemptions();
    // Opened once, by the thread it describes (the one the timer runs in): read on every tick.
    if (m_schedstat < 0)
        m_schedstat = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    m_lastWait = runQueueWaitNs(m_schedstat);
    m_timer->start();
}

void StallMeter::stop()
{
    m_timer->stop();
    tick(); // a stall still going on at the end counts too
}

void StallMeter::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const double gap = double(now - m_last) / 1e6;
    m_last = now;
    m_gaps.append(gap);
    const qint64 cpuNow = threadCpuNs();
    const double cpu = double(cpuNow - m_lastCpu) / 1e6;
    m_lastCpu = cpuNow;
    const long preemptionsNow = threadPreemptions();
    const qint64 waitNow = runQueueWaitNs(m_schedstat);
    if (gap > m_worst) {
        m_worst = gap;
        m_worstCpu = cpu;
        m_worstPreemptions = preemptionsNow - m_lastPreemptions;
        m_worstWait = waitNow >= 0 && m_lastWait >= 0 ? double(waitNow - m_lastWait) / 1e6 : -1;
    }
    m_lastPreemptions = preemptionsNow;
    m_lastWait = waitNow;
    if (cpu > m_busiestCpu) {
        m_busiestCpu = cpu;
        m_busiestGap = gap;
    }
}

double StallMeter::percentile(double fraction) const
{
    if (m_gaps.isEmpty())
        return 0;
    QVector<double> sorted = m_gaps;
    std::sort(sorted.begin(), sorted.end());
    const int index
        = std::clamp(int(fraction * double(sorted.size() - 1) + 0.5), 0, int(sorted.size()) - 1);
    return sorted.at(index);
}

} // namespace Monitor
