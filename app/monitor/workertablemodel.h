// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The workers table: one row per worker of the monitored cluster, updated in batches.
#pragma once

#include "ratemeter.h"
#include "workerstatus.h"

#include <libcluster/worker.h>

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QVector>

class QTimer;

namespace Monitor {

class ClusterSource;
class RefreshGate;

// Rows are appended as workers fork and stay after a worker has gone (so its exit code stays
// visible), up to maxFinishedRows() finished rows; the oldest finished rows go first. The
// workers come from a ClusterSource: a cluster in this process or one behind a control endpoint.
//
// The cluster may report thousands of changes a second; the model only notes which rows changed
// and tells the views every flushInterval() milliseconds: one dataChanged() per run of changed
// rows, or one for the whole table when most rows changed (qBittorrent's TransferListModel).
class WorkerTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        PidColumn,
        StateColumn,
        UptimeColumn,
        AddressColumn,
        ConnectionsColumn,
        RequestsColumn,
        RequestRateColumn,
        CpuColumn,
        MemoryColumn,
        ExitColumn,
        ExitRequestedColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // A value that sorts right: numbers for numeric columns.
        SortRole = Qt::UserRole + 1,
        WorkerIdRole,
        // Worker::State as an int.
        StateRole,
        // True while the worker runs and has not been asked to go.
        LiveRole,
        // True once the worker has exited; the filter that hides exited rows matches "false".
        ExitedRole,
        // True when it exited without being asked to, with a signal or an exit code.
        CrashedRole,
        // Its requests/s over the last RateHistoryLength samples, oldest first (QList<double>).
        RateHistoryRole,
    };

    // How many samples of requests/s a row keeps for its sparkline.
    static constexpr int RateHistoryLength = 60;

    explicit WorkerTableModel(QObject *parent = nullptr);
    ~WorkerTableModel() override;

    // Follows `source` from now on; rows of an earlier cluster are removed, and so they are
    // whenever the source resets (a new cluster, a reconnection). While the source waits for a
    // primary to answer, the rows are greyed out: they show what was last seen.
    void setSource(Monitor::ClusterSource *source);
    ClusterSource *source() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    int workerIdAt(int row) const;
    int rowOfWorker(int id) const;

    int liveCount() const;
    // Rows of workers that exited without being asked to.
    int crashedCount() const;
    double totalRequestRate() const { return m_totalRate; }
    qint64 totalRequests() const { return m_totalRequests; }

    int flushInterval() const { return m_flushInterval; }
    void setFlushInterval(int msecs) { m_flushInterval = msecs; }
    // Each batch for the views, and each sample, first asks `gate` (none: each goes out when
    // due); see RefreshGate.
    void setRefreshGate(Monitor::RefreshGate *gate);
    int maxFinishedRows() const { return m_maxFinishedRows; }
    void setMaxFinishedRows(int rows);

    // Removes the rows of workers that have exited.
    void removeFinished();
    // Tells the views now instead of at the next flush (tests, shutdown).
    void flush();
    // Samples request rates and refreshes uptimes; done every second by the model's own timer.
    void sample();

    static QString stateName(LibCluster::Worker::State state);
    // "1:02:03", "3 d 04:05:06".
    static QString formatDuration(qint64 msecs);

Q_SIGNALS:
    // Once a second: the total and each live worker's requests per second.
    void ratesSampled(qint64 timeMs, double total, const QVector<QPair<int, double>> &perWorker);
    // Right after ratesSampled(): CPU (percent of one core) and resident memory (bytes) of each
    // running worker that has been measured, and their sums.
    void usageSampled(qint64 timeMs, double totalCpu, const QVector<QPair<int, double>> &cpu,
        double totalMemory, const QVector<QPair<int, double>> &memory);
    // After each batch of changes has been passed to the views.
    void flushed();

private:
    struct Row
    {
        int id = 0;
        qint64 pid = 0;
        LibCluster::Worker::State state = LibCluster::Worker::None;
        qint64 forkedAt = 0; // monotonic ms
        // Meaningful once `dead`; negative for a worker that exited before the model's clock
        // started (one the monitor learnt of from a snapshot).
        qint64 endedAt = 0;
        QString address;
        int openConnections = 0;
        qint64 connectionsAccepted = 0;
        qint64 requests = 0;
        double requestRate = 0;
        double cpu = -1;
        qint64 memory = -1;
        bool dead = false;
        int exitCode = 0;
        int exitSignal = 0;
        bool exitRequested = false;
        RateMeter rateMeter;
        QList<double> rateHistory;
    };

    void reset();
    // Rows of a primary that does not answer (yet, or any more) show what was last seen.
    void updateStale();
    Row *rowFor(const WorkerStatus &status);
    void capture(Row &row, const WorkerStatus &status);
    void update(const WorkerStatus &status);
    void markAllDirty();
    void scheduleFlush();
    void rebuildIndex();
    void trimFinished();
    bool isLive(const Row &row) const;
    static bool isCrashed(const Row &row);
    QVariant displayData(const Row &row, int column) const;
    QVariant sortData(const Row &row, int column) const;

    QPointer<ClusterSource> m_source;
    QVector<Row> m_rows;
    // Workers forked since the last flush; appended to m_rows there.
    QVector<Row> m_pending;
    QHash<int, int> m_rowById;
    QSet<int> m_dirtyIds;
    bool m_allDirty = false;
    QTimer *m_flushTimer;
    QTimer *m_sampleTimer;
    // A sample the gate sent back, to be taken as soon as it allows.
    QTimer *m_sampleRetryTimer;
    QPointer<RefreshGate> m_gate;
    QElapsedTimer m_clock;
    // Request counts arrive as they change (0) or every so many milliseconds.
    int m_reportInterval = 0;
    bool m_stale = false;
    int m_flushInterval = 100;
    int m_maxFinishedRows = 200;
    double m_totalRate = 0;
    qint64 m_totalRequests = 0;
};

} // namespace Monitor
