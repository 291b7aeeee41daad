// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The recent output of each worker, for the "logs" control command.
#pragma once

#include <QJsonArray>
#include <QObject>
#include <QString>

#include <deque>
#include <map>

namespace LibCluster {
class EventStream;
} // namespace LibCluster

namespace LibCluster::Internal {

// Keeps what the workers wrote (the stream's "output" events), bounded: the last MaxBytes
// characters of each worker, and only the MaxWorkers newest workers, so that a chatty cluster
// running for months holds no more than a few megabytes.
class OutputHistory : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype MaxBytes = 64 * 1024;
    static constexpr int MaxWorkers = 64;

    // `stream` is not owned.
    explicit OutputHistory(EventStream *stream, QObject *parent = nullptr);

    bool contains(int workerId) const { return m_rings.count(workerId) > 0; }
    // What `workerId` (every worker for -1, by id) wrote, oldest first, as the "output" field of
    // the "logs" reply: objects with worker, channel, data and time.
    QJsonArray output(int workerId) const;

private:
    struct Chunk
    {
        QString channel;
        QString data;
        qint64 time = 0;
    };
    struct Ring
    {
        std::deque<Chunk> chunks;
        qsizetype size = 0;
    };

    void add(int workerId, Chunk chunk);

    std::map<int, Ring> m_rings;
};

} // namespace LibCluster::Internal
