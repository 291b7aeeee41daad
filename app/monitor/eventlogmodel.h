// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The event log: every cluster event with its time and worker, capped and added in batches.
#pragma once

#include <QAbstractTableModel>
#include <QPointer>

#include <deque>

class QTimer;

namespace Monitor {

class ClusterSource;
class RefreshGate;

// Events are collected as they happen and handed to the views every flushInterval()
// milliseconds in one insert. Past capacity() rows the oldest go first, removed in one block
// before the insert (qBittorrent's LogModel), so memory stays bounded however busy the cluster.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Kind {
        Setup,
        Fork,
        Online,
        Listening,
        Message,
        Disconnect,
        Exit,
        Error,
        Command,
        Supervisor,
        Endpoint,
        Application, // published by the cluster's application (ControlServer::publish())
        KindCount
    };
    Q_ENUM(Kind)

    enum Column { TimeColumn, KindColumn, WorkerColumn, DetailsColumn, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        KindRole = Qt::UserRole + 1,
        WorkerIdRole,
        // Milliseconds since the epoch.
        TimestampRole,
    };

    struct Entry
    {
        qint64 time = 0; // ms since the epoch
        Kind kind = Setup;
        int workerId = 0; // 0: the cluster itself
        bool alert = false; // a crash or an error: shown in red
        QString text;
        // Which cluster the window showed (beginCluster()): worker 2 of one is not worker 2 of
        // the next. The first entry of each is drawn bold.
        int cluster = 0;
        bool startsCluster = false;
        // `time` as the Time column shows it, made the first time it is asked for: a row is
        // painted many times while the log scrolls, and each conversion to local time reads
        // the time zone again.
        mutable QString timeText;
    };

    explicit EventLogModel(QObject *parent = nullptr);
    ~EventLogModel() override;

    // Logs the events of `source` from now on (and no longer those of the previous one).
    void setSource(Monitor::ClusterSource *source);
    // What is logged from now on is of another cluster: the window started or attached to one.
    void beginCluster();
    int currentCluster() const { return m_cluster; }

    void append(Kind kind, int workerId, const QString &text, bool alert = false);
    void append(Entry entry);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const Entry &entryAt(int row) const { return m_entries.at(size_t(row)); }

    int capacity() const { return m_capacity; }
    void setCapacity(int rows);
    int flushInterval() const { return m_flushInterval; }
    void setFlushInterval(int msecs) { m_flushInterval = msecs; }
    // Each batch for the views first asks `gate` (none: each goes out when due); see RefreshGate.
    void setRefreshGate(Monitor::RefreshGate *gate);
    // Events logged since the start, including those that no longer fit.
    qint64 totalEvents() const { return m_total; }
    // Events waiting for the next flush.
    int pendingCount() const { return int(m_pending.size()); }

    void clear();
    void flush();

    static QString kindName(Kind kind);
    // Longest details text kept per event; longer messages are cut.
    static constexpr int MaxTextLength = 500;

Q_SIGNALS:
    // Around each batch handed to the views (a view keeps its scroll position with these).
    void aboutToFlush();
    void flushed();
    void clusterBegun(int cluster);

private:
    void scheduleFlush();

    std::deque<Entry> m_entries;
    std::deque<Entry> m_pending;
    QPointer<ClusterSource> m_source;
    QTimer *m_flushTimer;
    QPointer<RefreshGate> m_gate;
    int m_capacity = 10000;
    int m_flushInterval = 100;
    qint64 m_total = 0;
    int m_cluster = 1;
    bool m_clusterStarted = false;
};

} // namespace Monitor
