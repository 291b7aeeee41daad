// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// StallMeter: a precise timer and the gaps between its ticks.
#include "stallmeter.h"

#include <QTimer>

#include <algorithm>
#include <ctime>

namespace Monitor {

namespace {
// CPU time this thread has used, ns.
qint64 threadCpuNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
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

void StallMeter::start()
{
    m_gaps.clear();
    m_worst = 0;
    m_busiestCpu = 0;
    m_busiestGap = 0;
    m_clock.start();
    m_last = m_clock.nsecsElapsed();
    m_lastCpu = threadCpuNs();
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
    m_worst = std::max(m_worst, gap);
    const qint64 cpuNow = threadCpuNs();
    const double cpu = double(cpuNow - m_lastCpu) / 1e6;
    m_lastCpu = cpuNow;
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
