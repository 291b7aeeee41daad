// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RateMeter: rates between batch arrivals, with idle detection.
#include "ratemeter.h"

namespace Monitor {

RateMeter::RateMeter(qint64 windowMs, qint64 idleMs)
    : m_window(windowMs)
    , m_idle(idleMs)
{ }

void RateMeter::record(qint64 timeMs, qint64 count)
{
    if (!m_points.empty() && m_points.back().count == count)
        return;
    if (!m_points.empty() && timeMs <= m_points.back().time) {
        m_points.back().count = count;
        return;
    }
    m_points.push_back({ timeMs, count });
    // Keep one point older than the window, as the reference for the next rate.
    while (m_points.size() > 2 && m_points[1].time <= timeMs - 3 * m_window)
        m_points.pop_front();
}

double RateMeter::rate(qint64 nowMs)
{
    if (m_points.size() < 2)
        return 0;
    const Point last = m_points.back();
    if (nowMs - last.time > m_idle) {
        // Idle: the counter stood still up to about now, so the next burst is measured from
        // here rather than from a point long ago.
        m_points.clear();
        m_points.push_back({ nowMs, last.count });
        return 0;
    }
    const Point *reference = &m_points.front();
    for (const Point &point : m_points) {
        if (point.time > last.time - m_window)
            break;
        reference = &point;
    }
    if (last.time <= reference->time)
        return 0;
    return double(last.count - reference->count) * 1000.0 / double(last.time - reference->time);
}

} // namespace Monitor
