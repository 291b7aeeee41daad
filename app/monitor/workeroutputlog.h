// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The workers' captured stdout and stderr, kept per worker as lines, capped.
#pragma once

#include <libcluster/worker.h>

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QVector>

#include <deque>

class QTimer;

namespace Monitor {

class ClusterSource;
class RefreshGate;

// Only when the cluster's settings are silent does the library capture output (and only then
// does a control endpoint stream it). Lines are kept per worker (the last linesPerWorker()) and
// interleaved for all workers (the last combinedLines()); output of at most maxWorkers() workers
// is kept, the oldest dropped first. New lines reach the views in batches (linesAdded) every
// 100 ms.
class WorkerOutputLog : public QObject
{
    Q_OBJECT

public:
    struct Line
    {
        int workerId = 0;
        LibCluster::Worker::OutputChannel channel = LibCluster::Worker::StandardOutput;
        QString text;
    };

    explicit WorkerOutputLog(QObject *parent = nullptr);
    ~WorkerOutputLog() override;

    // Takes the output `source` reports from now on.
    void setSource(Monitor::ClusterSource *source);
    void append(int workerId, LibCluster::Worker::OutputChannel channel, const QByteArray &data);
    // Ends an unfinished last line (the worker exited without a final newline).
    void finishWorker(int workerId);

    // The kept lines of one worker, or of all of them for 0, oldest first.
    QVector<Line> lines(int workerId) const;
    // Workers that have written something, in id order.
    QList<int> workerIds() const;

    int linesPerWorker() const { return m_linesPerWorker; }
    void setLinesPerWorker(int lines) { m_linesPerWorker = qMax(1, lines); }
    int combinedLines() const { return m_combinedLines; }
    void setCombinedLines(int lines) { m_combinedLines = qMax(1, lines); }
    int maxWorkers() const { return m_maxWorkers; }
    void setMaxWorkers(int workers) { m_maxWorkers = qMax(1, workers); }
    // A line longer than this is cut into pieces: a worker printing without newlines cannot
    // grow a buffer without bound.
    static constexpr int MaxLineLength = 4096;

    void clear();
    void flush();
    // Each batch for the views first asks `gate` (none: each goes out when due); see RefreshGate.
    void setRefreshGate(Monitor::RefreshGate *gate);

Q_SIGNALS:
    void linesAdded(const QVector<Monitor::WorkerOutputLog::Line> &lines);
    void workerAdded(int workerId);
    void cleared();

private:
    void addLine(Line line);
    void scheduleFlush();

    QPointer<ClusterSource> m_source;
    QHash<int, std::deque<Line>> m_byWorker;
    std::deque<Line> m_combined;
    // Unfinished last line per worker and channel.
    QHash<qint64, QByteArray> m_partial;
    QVector<Line> m_pending;
    QTimer *m_flushTimer;
    QPointer<RefreshGate> m_gate;
    int m_linesPerWorker = 2000;
    int m_combinedLines = 5000;
    int m_maxWorkers = 256;
};

} // namespace Monitor

Q_DECLARE_METATYPE(Monitor::WorkerOutputLog::Line)
