// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// WorkerTableModel: snapshots of each worker, taken as its events arrive, shown in batches.
#include "workertablemodel.h"

#include "clustersource.h"
#include "readablecolor.h"
#include "refreshgate.h"

#include <libcluster/cluster.h>

#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QTimer>

#include <algorithm>

using namespace LibCluster;

namespace Monitor {

WorkerTableModel::WorkerTableModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_flushTimer(new QTimer(this))
    , m_sampleTimer(new QTimer(this))
    , m_sampleRetryTimer(new QTimer(this))
{
    m_clock.start();
    m_flushTimer->setSingleShot(true);
    // A coarse timer may fire up to 5 % early: views would get an eleventh update in a second.
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        if (RefreshGate::admit(m_gate, m_flushTimer))
            flush();
    });
    m_sampleTimer->setInterval(1000);
    // The sample repaints the chart and the status bar: a batch of its own.
    const auto sampleWhenAdmitted = [this] {
        if (RefreshGate::admit(m_gate, m_sampleRetryTimer)) {
            m_sampleRetryTimer->stop(); // the 1 s tick may come while a retry waits
            sample();
        }
    };
    connect(m_sampleTimer, &QTimer::timeout, this, sampleWhenAdmitted);
    m_sampleTimer->start();
    m_sampleRetryTimer->setSingleShot(true);
    connect(m_sampleRetryTimer, &QTimer::timeout, this, sampleWhenAdmitted);
}

WorkerTableModel::~WorkerTableModel() = default;

void WorkerTableModel::setSource(ClusterSource *source)
{
    if (m_source)
        m_source->disconnect(this);
    m_source = source;
    if (source) {
        connect(source, &ClusterSource::workersReset, this, &WorkerTableModel::reset);
        connect(source, &ClusterSource::workerChanged, this, &WorkerTableModel::update);
        connect(source, &ClusterSource::statusChanged, this, &WorkerTableModel::updateStale);
    }
    reset();
    updateStale();
}

ClusterSource *WorkerTableModel::source() const
{
    return m_source;
}

void WorkerTableModel::updateStale()
{
    const bool stale = m_source
        && (m_source->status() == ClusterSource::Status::Connecting
            || m_source->status() == ClusterSource::Status::Reconnecting);
    if (stale != m_stale) {
        m_stale = stale;
        markAllDirty();
    }
}

void WorkerTableModel::reset()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_rowById.clear();
    m_dirtyIds.clear();
    m_allDirty = false;
    m_totalRate = 0;
    m_totalRequests = 0;
    m_reportInterval = m_source ? m_source->reportInterval() : 0;
    endResetModel();
    if (!m_source)
        return;
    const QList<WorkerStatus> workers = m_source->workers();
    for (const WorkerStatus &status : workers)
        update(status);
}

WorkerTableModel::Row *WorkerTableModel::rowFor(const WorkerStatus &status)
{
    const int id = status.id;
    if (const auto it = m_rowById.constFind(id); it != m_rowById.cend())
        return &m_rows[*it];
    for (Row &row : m_pending)
        if (row.id == id)
            return &row;
    Row row;
    row.id = id;
    const qint64 now = m_clock.elapsed();
    // Known since the fork (a worker that was there before the monitor looked), or from now.
    const qint64 epochNow = QDateTime::currentMSecsSinceEpoch();
    row.forkedAt = status.forkedAt > 0 ? now - qMax<qint64>(0, epochNow - status.forkedAt) : now;
    if (m_reportInterval > 0) {
        // Counts that come every so often, each late by up to that much: measure over two
        // reports, and call a worker idle only when a report or two brought nothing.
        row.rateMeter = RateMeter(2 * m_reportInterval, 2 * m_reportInterval + 500);
    }
    row.requests = status.requests;
    m_totalRequests += status.requests;
    row.rateMeter.record(now, status.requests);
    m_pending.append(row);
    scheduleFlush();
    return &m_pending.last();
}

void WorkerTableModel::capture(Row &row, const WorkerStatus &status)
{
    const qint64 now = m_clock.elapsed();
    if (status.pid > 0 || row.pid == 0)
        row.pid = status.pid;
    // A state seen late (a remote event after the exit) never brings a dead row back.
    if (!row.dead)
        row.state = status.state;
    if (!status.addresses.isEmpty())
        row.address = status.addresses.join(QStringLiteral(", "));
    row.openConnections = status.openConnections;
    row.connectionsAccepted = status.connectionsAccepted;
    if (status.requests != row.requests) {
        m_totalRequests += status.requests - row.requests;
        row.requests = status.requests;
        row.rateMeter.record(now, status.requests);
    }
    // A process that has gone uses no CPU; its last memory figure stays as the last seen.
    if (status.cpu >= 0 && !status.dead)
        row.cpu = status.cpu;
    if (status.memory >= 0 && !status.dead)
        row.memory = status.memory;
    row.exitRequested = row.exitRequested || status.exitedAfterDisconnect;
    if (status.dead && !row.dead) {
        row.dead = true;
        row.state = LibCluster::Worker::Dead;
        // When it exited, if the source knows (an exit record of a snapshot), else now.
        row.endedAt = status.exitedAt > 0
            ? now - qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - status.exitedAt)
            : now;
        row.exitCode = status.exitCode;
        row.exitSignal = status.exitSignal;
        row.requestRate = 0;
    }
    if (row.dead) {
        // Whatever was open went with the process.
        row.cpu = -1;
        row.openConnections = 0;
    }
}

void WorkerTableModel::update(const WorkerStatus &status)
{
    if (status.id <= 0)
        return;
    Row *row = rowFor(status);
    capture(*row, status);
    m_dirtyIds.insert(row->id);
    scheduleFlush();
}

void WorkerTableModel::markAllDirty()
{
    m_allDirty = true;
    scheduleFlush();
}

void WorkerTableModel::scheduleFlush()
{
    if (!m_flushTimer->isActive())
        m_flushTimer->start(m_flushInterval);
}

void WorkerTableModel::rebuildIndex()
{
    m_rowById.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowById.insert(m_rows.at(i).id, i);
}

void WorkerTableModel::setRefreshGate(RefreshGate *gate)
{
    m_gate = gate;
}

void WorkerTableModel::flush()
{
    m_flushTimer->stop();
    if (!m_pending.isEmpty()) {
        std::sort(m_pending.begin(), m_pending.end(),
            [](const Row &a, const Row &b) { return a.id < b.id; });
        beginInsertRows(
            QModelIndex(), int(m_rows.size()), int(m_rows.size() + m_pending.size() - 1));
        for (Row &row : m_pending) {
            m_dirtyIds.remove(row.id); // new rows need no dataChanged
            m_rowById.insert(row.id, int(m_rows.size()));
            m_rows.append(std::move(row));
        }
        m_pending.clear();
        endInsertRows();
    }
    trimFinished();

    if (!m_rows.isEmpty()) {
        const int lastColumn = ColumnCount - 1;
        if (m_allDirty || m_dirtyIds.size() * 2 > m_rows.size()) {
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, lastColumn));
        } else if (!m_dirtyIds.isEmpty()) {
            QVector<int> rows;
            rows.reserve(m_dirtyIds.size());
            for (int id : std::as_const(m_dirtyIds))
                if (const auto it = m_rowById.constFind(id); it != m_rowById.cend())
                    rows.append(*it);
            std::sort(rows.begin(), rows.end());
            for (int i = 0; i < rows.size();) {
                int j = i;
                while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
                    ++j;
                Q_EMIT dataChanged(index(rows.at(i), 0), index(rows.at(j), lastColumn));
                i = j + 1;
            }
        }
    }
    m_dirtyIds.clear();
    m_allDirty = false;
    Q_EMIT flushed();
}

void WorkerTableModel::trimFinished()
{
    int finished = 0;
    for (const Row &row : std::as_const(m_rows))
        finished += row.dead ? 1 : 0;
    if (finished <= m_maxFinishedRows)
        return;
    QVector<int> candidates;
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).dead)
            candidates.append(i);
    std::sort(candidates.begin(), candidates.end(),
        [this](int a, int b) { return m_rows.at(a).endedAt < m_rows.at(b).endedAt; });
    candidates.resize(finished - m_maxFinishedRows);
    std::sort(candidates.begin(), candidates.end(), std::greater<int>());
    for (int row : std::as_const(candidates)) {
        beginRemoveRows(QModelIndex(), row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    rebuildIndex();
}

void WorkerTableModel::setMaxFinishedRows(int rows)
{
    m_maxFinishedRows = qMax(0, rows);
    trimFinished();
}

void WorkerTableModel::removeFinished()
{
    flush();
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!m_rows.at(row).dead)
            continue;
        int first = row;
        while (first > 0 && m_rows.at(first - 1).dead)
            --first;
        beginRemoveRows(QModelIndex(), first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first;
    }
    rebuildIndex();
}

void WorkerTableModel::sample()
{
    const qint64 now = m_clock.elapsed();
    double total = 0;
    QVector<QPair<int, double>> perWorker;
    double totalCpu = 0;
    double totalMemory = 0;
    QVector<QPair<int, double>> cpu;
    QVector<QPair<int, double>> memory;
    const auto update = [&](Row &row) {
        if (row.dead)
            return;
        row.requestRate = row.rateMeter.rate(now);
        total += row.requestRate;
        perWorker.append({ row.id, row.requestRate });
        row.rateHistory.append(row.requestRate);
        if (row.rateHistory.size() > RateHistoryLength)
            row.rateHistory.removeFirst();
        if (row.cpu >= 0) {
            totalCpu += row.cpu;
            cpu.append({ row.id, row.cpu });
        }
        if (row.memory >= 0) {
            totalMemory += double(row.memory);
            memory.append({ row.id, double(row.memory) });
        }
    };
    for (Row &row : m_rows)
        update(row);
    for (Row &row : m_pending)
        update(row);
    m_totalRate = total;
    if (!m_rows.isEmpty() || !m_pending.isEmpty())
        markAllDirty(); // uptimes moved on
    Q_EMIT ratesSampled(now, total, perWorker);
    Q_EMIT usageSampled(now, totalCpu, cpu, totalMemory, memory);
}

bool WorkerTableModel::isCrashed(const Row &row)
{
    return row.dead && !row.exitRequested && (row.exitSignal || row.exitCode);
}

int WorkerTableModel::crashedCount() const
{
    int count = 0;
    for (const Row &row : m_rows)
        count += isCrashed(row) ? 1 : 0;
    return count;
}

bool WorkerTableModel::isLive(const Row &row) const
{
    return !row.dead && !row.exitRequested
        && (row.state == Worker::None || row.state == Worker::Online
            || row.state == Worker::Listening);
}

int WorkerTableModel::liveCount() const
{
    int count = 0;
    for (const Row &row : m_rows)
        count += isLive(row) ? 1 : 0;
    for (const Row &row : m_pending)
        count += isLive(row) ? 1 : 0;
    return count;
}

int WorkerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WorkerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int WorkerTableModel::workerIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int WorkerTableModel::rowOfWorker(int id) const
{
    return m_rowById.value(id, -1);
}

QString WorkerTableModel::stateName(Worker::State state)
{
    switch (state) {
    case Worker::None:
        return tr("starting");
    case Worker::Online:
        return tr("online");
    case Worker::Listening:
        return tr("listening");
    case Worker::Disconnected:
        return tr("disconnected");
    case Worker::Dead:
        return tr("exited");
    }
    return QString();
}

QString WorkerTableModel::formatDuration(qint64 msecs)
{
    const qint64 seconds = qMax<qint64>(0, msecs / 1000);
    const qint64 days = seconds / 86400;
    const QString clock = QStringLiteral("%1:%2:%3")
                              .arg((seconds / 3600) % 24)
                              .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
                              .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return days > 0 ? tr("%1 d %2").arg(days).arg(clock) : clock;
}

QVariant WorkerTableModel::displayData(const Row &row, int column) const
{
    const QLocale locale;
    switch (column) {
    case IdColumn:
        return row.id;
    case PidColumn:
        return row.pid > 0 ? QString::number(row.pid) : QString();
    case StateColumn:
        return stateName(row.state);
    case UptimeColumn:
        return formatDuration((row.dead ? row.endedAt : m_clock.elapsed()) - row.forkedAt);
    case AddressColumn:
        return row.address;
    case ConnectionsColumn:
        return QStringLiteral("%1 / %2").arg(
            locale.toString(row.openConnections), locale.toString(row.connectionsAccepted));
    case RequestsColumn:
        return locale.toString(row.requests);
    case RequestRateColumn:
        if (row.dead)
            return QString();
        return locale.toString(row.requestRate, 'f', row.requestRate < 10 ? 1 : 0);
    case CpuColumn:
        return row.cpu < 0 ? QString() : tr("%1 %").arg(locale.toString(row.cpu, 'f', 1));
    case MemoryColumn:
        return row.memory < 0 ? QString() : locale.formattedDataSize(row.memory, 1);
    case ExitColumn:
        if (!row.dead)
            return QString();
        return row.exitSignal ? Cluster::signalName(row.exitSignal)
                              : tr("code %1").arg(row.exitCode);
    case ExitRequestedColumn:
        if (row.dead || row.exitRequested)
            return row.exitRequested ? tr("yes") : tr("no");
        return QString();
    }
    return QVariant();
}

QVariant WorkerTableModel::sortData(const Row &row, int column) const
{
    switch (column) {
    case IdColumn:
        return row.id;
    case PidColumn:
        return row.pid;
    case StateColumn:
        return int(row.state);
    case UptimeColumn:
        return (row.dead ? row.endedAt : m_clock.elapsed()) - row.forkedAt;
    case AddressColumn:
        return row.address;
    case ConnectionsColumn:
        return row.openConnections;
    case RequestsColumn:
        return row.requests;
    case RequestRateColumn:
        return row.dead ? -1.0 : row.requestRate;
    case CpuColumn:
        return row.cpu;
    case MemoryColumn:
        return row.memory;
    case ExitColumn:
        return row.dead ? (row.exitSignal ? 1000 + row.exitSignal : row.exitCode) : -1;
    case ExitRequestedColumn:
        return row.dead || row.exitRequested ? int(row.exitRequested) : -1;
    }
    return QVariant();
}

QVariant WorkerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    const bool crashed = isCrashed(row);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(row, column);
    case SortRole:
        return sortData(row, column);
    case WorkerIdRole:
        return row.id;
    case StateRole:
        return int(row.state);
    case LiveRole:
        return isLive(row);
    case ExitedRole:
        return row.dead;
    case CrashedRole:
        return crashed;
    case RateHistoryRole:
        return QVariant::fromValue(row.rateHistory);
    case Qt::BackgroundRole:
        // Translucent, so that it reads on light and dark palettes alike.
        return crashed && !m_stale ? QVariant(QColor(0xd3, 0x2f, 0x2f, 48)) : QVariant();
    case Qt::TextAlignmentRole:
        switch (column) {
        case IdColumn:
        case PidColumn:
        case UptimeColumn:
        case ConnectionsColumn:
        case RequestsColumn:
        case RequestRateColumn:
        case CpuColumn:
        case MemoryColumn:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::DecorationRole:
        if (column != StateColumn)
            return QVariant();
        if (m_stale)
            return ReadableColor::onBase(QColor(0xbd, 0xbd, 0xbd));
        if (crashed)
            return ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f));
        switch (row.state) {
        case Worker::None:
            return ReadableColor::onBase(QColor(0x9e, 0x9e, 0x9e));
        case Worker::Online:
            return ReadableColor::onBase(QColor(0x19, 0x76, 0xd2));
        case Worker::Listening:
            return ReadableColor::onBase(QColor(0x38, 0x8e, 0x3c));
        case Worker::Disconnected:
            return ReadableColor::onBase(QColor(0xf5, 0x7c, 0x00));
        case Worker::Dead:
            return ReadableColor::onBase(QColor(0x75, 0x75, 0x75));
        }
        return QVariant();
    case Qt::ForegroundRole:
        if (m_stale)
            return ReadableColor::onBase(QColor(0x9e, 0x9e, 0x9e));
        if (crashed)
            return ReadableColor::onBase(QColor(0xb7, 0x1c, 0x1c));
        if (row.dead)
            return ReadableColor::onBase(QColor(0x80, 0x80, 0x80));
        return QVariant();
    case Qt::ToolTipRole:
        if (m_stale)
            return tr("As last seen: the primary does not answer now");
        if (column == StateColumn || column == ExitColumn || column == ExitRequestedColumn) {
            if (!row.dead)
                return row.exitRequested ? tr("Worker %1 has been asked to stop").arg(row.id)
                                         : QVariant();
            const QString how = row.exitSignal
                ? tr("Worker %1 was ended by %2")
                      .arg(row.id)
                      .arg(Cluster::signalName(row.exitSignal))
                : tr("Worker %1 exited with code %2").arg(row.id).arg(row.exitCode);
            return row.exitRequested ? tr("%1, as asked").arg(how)
                                     : tr("%1, without being asked to").arg(how);
        }
        return QVariant();
    }
    return QVariant();
}

QVariant WorkerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return tr("Id");
        case PidColumn:
            return tr("PID");
        case StateColumn:
            return tr("State");
        case UptimeColumn:
            return tr("Uptime");
        case AddressColumn:
            return tr("Listening on");
        case ConnectionsColumn:
            return tr("Connections");
        case RequestsColumn:
            return tr("Requests");
        case RequestRateColumn:
            return tr("Requests/s");
        case CpuColumn:
            return tr("CPU");
        case MemoryColumn:
            return tr("Memory");
        case ExitColumn:
            return tr("Exit");
        case ExitRequestedColumn:
            return tr("Asked to exit");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case IdColumn:
            return tr("The worker's id in the cluster");
        case PidColumn:
            return tr("The worker's process id");
        case StateColumn:
            return tr("Where the worker is in its life: starting, online, listening, "
                      "disconnected, exited");
        case UptimeColumn:
            return tr("Time since the worker was forked (until it exited)");
        case AddressColumn:
            return tr("Where the worker's servers listen");
        case ConnectionsColumn:
            return tr("Connections open now / accepted in total");
        case RequestsColumn:
            return tr("Requests the worker counted (its \"requests\" counter)");
        case RequestRateColumn:
            return tr("Requests per second over the last second or so");
        case CpuColumn:
            return tr("CPU use, percent of one core");
        case MemoryColumn:
            return tr("Resident memory (RSS)");
        case ExitColumn:
            return tr("Exit code, or the signal that ended the worker");
        case ExitRequestedColumn:
            return tr("Whether the exit was asked for (disconnect or kill) rather than a crash");
        }
    }
    return QVariant();
}

} // namespace Monitor
