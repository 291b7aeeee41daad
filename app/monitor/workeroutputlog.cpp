// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// WorkerOutputLog: bytes to lines, per worker and interleaved, with caps everywhere.
#include "workeroutputlog.h"

#include "clustersource.h"

#include "refreshgate.h"

#include <QTimer>

#include <algorithm>

using namespace LibCluster;

namespace Monitor {

namespace {
qint64 partialKey(int workerId, Worker::OutputChannel channel)
{
    return qint64(workerId) * 2 + (channel == Worker::StandardError ? 1 : 0);
}
} // namespace

WorkerOutputLog::WorkerOutputLog(QObject *parent)
    : QObject(parent)
    , m_flushTimer(new QTimer(this))
{
    qRegisterMetaType<Monitor::WorkerOutputLog::Line>();
    m_flushTimer->setSingleShot(true);
    // A coarse timer may fire up to 5 % early: views would get an eleventh update in a second.
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        if (RefreshGate::admit(m_gate, m_flushTimer))
            flush();
    });
}

WorkerOutputLog::~WorkerOutputLog() = default;

void WorkerOutputLog::setSource(ClusterSource *source)
{
    if (m_source)
        m_source->disconnect(this);
    m_source = source;
    if (!source)
        return;
    connect(source, &ClusterSource::outputReceived, this, &WorkerOutputLog::append);
    connect(source, &ClusterSource::workerExited, this, [this](int id) { finishWorker(id); });
}

void WorkerOutputLog::append(int workerId, Worker::OutputChannel channel, const QByteArray &data)
{
    QByteArray &partial = m_partial[partialKey(workerId, channel)];
    partial.append(data);
    qsizetype start = 0;
    for (;;) {
        qsizetype end = partial.indexOf('\n', start);
        if (end < 0 && partial.size() - start >= MaxLineLength)
            end = start + MaxLineLength;
        if (end < 0)
            break;
        qsizetype length = end - start;
        if (length > 0 && partial.at(end - 1) == '\r')
            --length;
        addLine({ workerId, channel, QString::fromUtf8(partial.constData() + start, length) });
        start = end < partial.size() && partial.at(end) == '\n' ? end + 1 : end;
    }
    partial.remove(0, start);
}

void WorkerOutputLog::finishWorker(int workerId)
{
    for (Worker::OutputChannel channel : { Worker::StandardOutput, Worker::StandardError }) {
        const auto it = m_partial.find(partialKey(workerId, channel));
        if (it == m_partial.end())
            continue;
        if (!it->isEmpty())
            addLine({ workerId, channel, QString::fromUtf8(*it) });
        m_partial.erase(it);
    }
}

void WorkerOutputLog::addLine(Line line)
{
    auto it = m_byWorker.find(line.workerId);
    if (it == m_byWorker.end()) {
        if (m_byWorker.size() >= m_maxWorkers) {
            const QList<int> ids = workerIds();
            m_byWorker.remove(ids.first());
        }
        it = m_byWorker.insert(line.workerId, {});
        Q_EMIT workerAdded(line.workerId);
    }
    it->push_back(line);
    while (it->size() > size_t(m_linesPerWorker))
        it->pop_front();
    m_combined.push_back(line);
    while (m_combined.size() > size_t(m_combinedLines))
        m_combined.pop_front();
    m_pending.append(std::move(line));
    if (m_pending.size() > m_combinedLines)
        m_pending.remove(0, m_pending.size() - m_combinedLines);
    scheduleFlush();
}

void WorkerOutputLog::scheduleFlush()
{
    if (!m_flushTimer->isActive())
        m_flushTimer->start(100);
}

void WorkerOutputLog::setRefreshGate(RefreshGate *gate)
{
    m_gate = gate;
}

void WorkerOutputLog::flush()
{
    m_flushTimer->stop();
    if (m_pending.isEmpty())
        return;
    const QVector<Line> lines = std::move(m_pending);
    m_pending.clear();
    Q_EMIT linesAdded(lines);
}

QVector<WorkerOutputLog::Line> WorkerOutputLog::lines(int workerId) const
{
    if (workerId == 0)
        return QVector<Line>(m_combined.begin(), m_combined.end());
    const auto it = m_byWorker.constFind(workerId);
    return it == m_byWorker.cend() ? QVector<Line>() : QVector<Line>(it->begin(), it->end());
}

QList<int> WorkerOutputLog::workerIds() const
{
    QList<int> ids = m_byWorker.keys();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void WorkerOutputLog::clear()
{
    m_byWorker.clear();
    m_combined.clear();
    m_partial.clear();
    m_pending.clear();
    Q_EMIT cleared();
}

} // namespace Monitor
