// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Measures how long the event loop goes without running: a 10 ms timer and the largest gap.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QVector>

class QTimer;

namespace Monitor {

// A timer that should fire every interval() ms; whenever the event loop is busy elsewhere it
// fires late. The largest gap between two firings is the worst stall the user could have felt.
class StallMeter : public QObject
{
    Q_OBJECT

public:
    explicit StallMeter(int intervalMs = 10, QObject *parent = nullptr);
    ~StallMeter() override;

    void start();
    void stop();

    int interval() const { return m_interval; }
    // Largest time between two ticks, ms.
    double worstGap() const { return m_worst; }
    // The gap that `fraction` (e.g. 0.99) of all gaps stay under, ms.
    double percentile(double fraction) const;
    int ticks() const { return int(m_gaps.size()); }
    // The most CPU time this thread used between two ticks, ms, and the gap it was in. On a busy
    // machine a long gap may be time spent waiting for a CPU; the CPU time is the loop's own work.
    double busiestGapCpu() const { return m_busiestCpu; }
    double busiestGap() const { return m_busiestGap; }
    // The CPU time this thread used in the worst gap, ms, and how often the kernel took the CPU
    // from it there (involuntary context switches): a worst gap far above its CPU time was spent
    // waiting for a CPU, not working.
    double worstGapCpu() const { return m_worstCpu; }
    long worstGapPreemptions() const { return m_worstPreemptions; }
    // How long this thread waited in the run queue (runnable, but another task had the CPU)
    // during the worst gap, ms; -1 where the kernel does not say (/proc/thread-self/schedstat).
    double worstGapRunQueueWait() const { return m_worstWait; }

private:
    void tick();

    int m_interval;
    QTimer *m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_lastCpu = 0;
    long m_lastPreemptions = 0;
    double m_worstCpu = 0;
    long m_worstPreemptions = 0;
    int m_schedstat = -1; // /proc/thread-self/schedstat of the timer's thread
    qint64 m_lastWait = -1;
    double m_worstWait = -1;
    double m_busiestCpu = 0;
    double m_busiestGap = 0;
    double m_worst = 0;
    QVector<double> m_gaps;
};

} // namespace Monitor
