// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Spaces out the batches that models hand their views, so that one frame repaints one view.
#pragma once

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace Monitor {

// The window's models (event log, workers table, output, the chart's once-a-second sample) each
// hand their views a batch of changes every 100 ms or so, from timers of their own. Timers
// started by the same event run in the same pass of the event loop, and then every view is
// repainted in one frame: a few milliseconds each, together long enough to hold up input and
// timers for a frame or more. Models that share a gate ask it before each batch: it lets one
// through, and tells the others to come back a little later, so that batches are at least
// spacing() ms apart and each lands in a frame of its own. Batches asked for directly (flush()
// called by a test or a command) are not gated.
class RefreshGate : public QObject
{
    Q_OBJECT

public:
    // Well under the 100 ms between a model's batches: four models fit in that time.
    static constexpr int DefaultSpacing = 20;

    explicit RefreshGate(QObject *parent = nullptr);

    // True, and the gate is taken for spacing() ms from now, when no batch went through in the
    // last spacing() ms; otherwise false: call again after retryDelay() ms.
    bool tryPass();
    // How long until the gate is free again, ms; at least 1.
    int retryDelay() const;
    // True when `gate` lets a batch through now, or there is no gate; otherwise false, and
    // `retry` (a single-shot timer that does the batch) is started for when the gate is free.
    static bool admit(RefreshGate *gate, QTimer *retry);

    int spacing() const { return m_spacing; }
    // 0 lets every batch through at once.
    void setSpacing(int msecs) { m_spacing = qBound(0, msecs, 1000); }

    // Batches let through, and requests sent back to wait, since the gate was made.
    qint64 passed() const { return m_passed; }
    qint64 deferred() const { return m_deferred; }

private:
    QElapsedTimer m_clock;
    // When the last batch went through, on m_clock; none yet while negative.
    qint64 m_lastPass = -1;
    int m_spacing = DefaultSpacing;
    qint64 m_passed = 0;
    qint64 m_deferred = 0;
};

} // namespace Monitor
