// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// OutputHistory: a bounded ring of output per worker, fed by the event stream.
#include "control/outputhistory.h"

#include <libcluster/eventstream.h>

#include <QJsonObject>

namespace LibCluster::Internal {

OutputHistory::OutputHistory(EventStream *stream, QObject *parent)
    : QObject(parent)
{
    if (!stream)
        return;
    connect(stream, &EventStream::eventOccurred, this, [this](const QJsonObject &event) {
        if (event.value(QLatin1String("event")).toString() != QLatin1String("output"))
            return;
        add(event.value(QLatin1String("id")).toInt(),
            { event.value(QLatin1String("channel")).toString(),
                event.value(QLatin1String("data")).toString(),
                qint64(event.value(QLatin1String("time")).toDouble()) });
    });
}

void OutputHistory::add(int workerId, Chunk chunk)
{
    // A single write larger than the ring keeps its end, where the latest lines are.
    if (chunk.data.size() > MaxBytes)
        chunk.data = chunk.data.right(MaxBytes);
    Ring &ring = m_rings[workerId];
    ring.size += chunk.data.size();
    ring.chunks.push_back(std::move(chunk));
    while (ring.size > MaxBytes) {
        ring.size -= ring.chunks.front().data.size();
        ring.chunks.pop_front();
    }
    // Ids only grow: the smallest is the oldest worker.
    while (m_rings.size() > size_t(MaxWorkers))
        m_rings.erase(m_rings.begin());
}

QJsonArray OutputHistory::output(int workerId) const
{
    QJsonArray result;
    for (const auto &[id, ring] : m_rings) {
        if (workerId >= 0 && id != workerId)
            continue;
        for (const Chunk &chunk : ring.chunks)
            result.append(QJsonObject {
                { QStringLiteral("worker"), id },
                { QStringLiteral("channel"), chunk.channel },
                { QStringLiteral("data"), chunk.data },
                { QStringLiteral("time"), double(chunk.time) },
            });
    }
    return result;
}

} // namespace LibCluster::Internal
