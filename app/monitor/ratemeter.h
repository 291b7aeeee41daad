// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Requests per second from a counter that arrives in batches (Worker::counter("requests")).
#pragma once

#include <QtGlobal>

#include <deque>

namespace Monitor {

// A worker flushes its counters to the primary a few times a second, so the count is a step
// function that moves at each batch's arrival. Dividing by the wall-clock second between two UI
// ticks would swing by a whole batch (±25%); instead the rate is measured between batch
// arrivals, over at least `window` milliseconds, which is exact under steady load. When no
// batch has come for a while the worker has been idle, and the rate is 0.
class RateMeter
{
public:
    explicit RateMeter(qint64 windowMs = 1000, qint64 idleMs = 1000);

    // The counter's value as it stood at `timeMs` (a monotonic clock in milliseconds).
    void record(qint64 timeMs, qint64 count);
    // Requests per second as seen at `nowMs`.
    double rate(qint64 nowMs);
    qint64 lastCount() const { return m_points.empty() ? 0 : m_points.back().count; }

private:
    struct Point
    {
        qint64 time;
        qint64 count;
    };
    qint64 m_window;
    qint64 m_idle;
    std::deque<Point> m_points;
};

} // namespace Monitor
