// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RefreshGate: one batch for the views per spacing() ms.
#include "refreshgate.h"

#include <QTimer>

namespace Monitor {

RefreshGate::RefreshGate(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
}

bool RefreshGate::tryPass()
{
    const qint64 now = m_clock.elapsed();
    if (m_lastPass >= 0 && now - m_lastPass < m_spacing) {
        ++m_deferred;
        return false;
    }
    m_lastPass = now;
    ++m_passed;
    return true;
}

int RefreshGate::retryDelay() const
{
    if (m_lastPass < 0)
        return 1;
    return int(qMax<qint64>(1, m_lastPass + m_spacing - m_clock.elapsed()));
}

bool RefreshGate::admit(RefreshGate *gate, QTimer *retry)
{
    if (!gate || gate->tryPass())
        return true;
    retry->start(gate->retryDelay());
    return false;
}

} // namespace Monitor
