// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// FleetModel: a RemoteClusterSource per row, its workers summed once a second.
#include "fleetmodel.h"

#include "remoteclustersource.h"

#include <libcluster/controlclient.h>

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>
#include <QSettings>
#include <QTimer>
#include <QUrl>

namespace Monitor {

using LibCluster::ControlClient;

namespace {
// Seconds of samples the request rate is taken over.
constexpr int RateSamples = 5;
} // namespace

FleetModel::FleetModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &FleetModel::sample);
    m_timer->start();
}

FleetModel::~FleetModel() = default;

int FleetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int FleetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FleetModel::hostOf(const QString &endpoint)
{
    if (!ControlClient::isRemoteEndpoint(endpoint))
        return tr("local");
    const QUrl url(endpoint);
    QString host = url.host();
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    if (!url.userName().isEmpty())
        host = url.userName() + QLatin1Char('@') + host;
    if (url.port() > 0)
        host += QLatin1Char(':') + QString::number(url.port());
    return host;
}

QString FleetModel::nameOf(const QString &endpoint)
{
    return ControlClient::isRemoteEndpoint(endpoint) ? QUrl(endpoint).path().mid(1) : endpoint;
}

QString FleetModel::stateText(const Entry &entry) const
{
    const RemoteClusterSource *source = entry.source;
    const ControlClient *client = source->client();
    switch (source->status()) {
    case ClusterSource::Status::Running:
        return source->isRestarting() ? tr("Restarting") : tr("Running");
    case ClusterSource::Status::Connecting:
        // ssh's own words when it could not get through: "Permission denied (publickey)."
        if (client->error() == ControlClient::SshError)
            return tr("ssh: %1").arg(client->errorString());
        if (client->error() == ControlClient::EndpointNotFoundError)
            return tr("Not found");
        return tr("Connecting\u2026");
    case ClusterSource::Status::Reconnecting:
        return tr("Reconnecting\u2026");
    case ClusterSource::Status::Stopping:
        return tr("Stopping\u2026");
    case ClusterSource::Status::Stopped:
        return tr("Detached");
    }
    return QString();
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return QVariant();
    const Entry &entry = m_entries.at(index.row());
    const RemoteClusterSource *source = entry.source;
    const bool running = source->status() == ClusterSource::Status::Running;
    if (role == EndpointRole)
        return entry.endpoint;
    if (role == StatusRole)
        return int(source->status());
    double cpu = 0;
    qint64 memory = 0;
    if (index.column() == CpuColumn || index.column() == MemoryColumn) {
        const QList<WorkerStatus> workers = source->workers();
        for (const WorkerStatus &worker : workers) {
            if (worker.dead)
                continue;
            cpu += qMax(0.0, worker.cpu);
            memory += qMax<qint64>(0, worker.memory);
        }
    }
    const QLocale locale;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case HostColumn:
            return hostOf(entry.endpoint);
        case NameColumn:
            return nameOf(entry.endpoint);
        case WorkersColumn:
            return running ? tr("%1/%2")
                                 .arg(source->liveWorkerCount())
                                 .arg(qMax(0, source->targetWorkerCount()))
                           : QStringLiteral("-");
        case RateColumn:
            return running ? locale.toString(entry.rate, 'f', 0) : QStringLiteral("-");
        case CpuColumn:
            return running ? tr("%1%").arg(locale.toString(cpu, 'f', 1)) : QStringLiteral("-");
        case MemoryColumn:
            return running ? locale.formattedDataSize(memory) : QStringLiteral("-");
        case StateColumn:
            return stateText(entry);
        case CrashLoopColumn:
            return running ? (source->hasGivenUp() ? tr("gave up") : tr("no"))
                           : QStringLiteral("-");
        }
    } else if (role == SortRole) {
        switch (index.column()) {
        case WorkersColumn:
            return source->liveWorkerCount();
        case RateColumn:
            return entry.rate;
        case CpuColumn:
            return cpu;
        case MemoryColumn:
            return memory;
        default:
            return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::ToolTipRole) {
        const QString why = source->client()->errorString();
        if (index.column() == StateColumn && !running && !why.isEmpty())
            return why;
        return entry.endpoint;
    } else if (role == Qt::ForegroundRole) {
        const bool trouble = (index.column() == CrashLoopColumn && source->hasGivenUp())
            || (index.column() == StateColumn && !running);
        if (trouble)
            return QBrush(QColor(0xd3, 0x2f, 0x2f));
    } else if (role == Qt::TextAlignmentRole) {
        if (index.column() >= WorkersColumn && index.column() <= MemoryColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
    }
    return QVariant();
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case HostColumn:
        return tr("Host");
    case NameColumn:
        return tr("Cluster");
    case WorkersColumn:
        return tr("Workers");
    case RateColumn:
        return tr("Requests/s");
    case CpuColumn:
        return tr("CPU");
    case MemoryColumn:
        return tr("Memory");
    case StateColumn:
        return tr("State");
    case CrashLoopColumn:
        return tr("Crash loop");
    }
    return QVariant();
}

bool FleetModel::addCluster(const QString &endpoint, QString *why)
{
    const auto fail = [why](const QString &text) {
        if (why)
            *why = text;
        return false;
    };
    if (!ControlClient::isValidEndpoint(endpoint, why))
        return false;
    if (rowOfEndpoint(endpoint) >= 0)
        return fail(tr("%1 is in the fleet already.").arg(endpoint));
    if (m_entries.size() >= MaxClusters)
        return fail(tr("The fleet holds at most %1 clusters.").arg(MaxClusters));
    auto *source = new RemoteClusterSource(this);
    const auto changed = [this, source] { rowChanged(source); };
    connect(source, &ClusterSource::statusChanged, this, changed);
    connect(source, &ClusterSource::targetWorkerCountChanged, this, changed);
    connect(source, &ClusterSource::supervisionChanged, this, changed);
    connect(source, &ClusterSource::workersReset, this, changed);
    connect(source->client(), &ControlClient::errorOccurred, this, changed);
    const int row = int(m_entries.size());
    beginInsertRows(QModelIndex(), row, row);
    Entry entry;
    entry.endpoint = endpoint;
    entry.source = source;
    m_entries.append(entry);
    endInsertRows();
    source->attach(endpoint);
    return true;
}

void FleetModel::removeCluster(int row)
{
    if (row < 0 || row >= m_entries.size())
        return;
    beginRemoveRows(QModelIndex(), row, row);
    const Entry entry = m_entries.takeAt(row);
    endRemoveRows();
    entry.source->disconnect(this);
    entry.source->client()->disconnect(this);
    entry.source->detach();
    entry.source->deleteLater();
}

QStringList FleetModel::endpoints() const
{
    QStringList list;
    for (const Entry &entry : m_entries)
        list.append(entry.endpoint);
    return list;
}

RemoteClusterSource *FleetModel::source(int row) const
{
    return row >= 0 && row < m_entries.size() ? m_entries.at(row).source : nullptr;
}

int FleetModel::rowOfEndpoint(const QString &endpoint) const
{
    for (qsizetype row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).endpoint == endpoint)
            return int(row);
    return -1;
}

void FleetModel::save(QSettings &settings) const
{
    settings.beginGroup(QStringLiteral("fleet"));
    settings.setValue(QStringLiteral("clusters"), endpoints());
    settings.endGroup();
}

void FleetModel::restore(QSettings &settings)
{
    settings.beginGroup(QStringLiteral("fleet"));
    const QStringList saved = settings.value(QStringLiteral("clusters")).toStringList();
    settings.endGroup();
    // What is no longer valid (edited by hand, an older version) is left out, not fatal.
    for (const QString &endpoint : saved)
        addCluster(endpoint);
}

void FleetModel::rowChanged(RemoteClusterSource *source)
{
    for (qsizetype row = 0; row < m_entries.size(); ++row)
        if (m_entries.at(row).source == source)
            Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
}

void FleetModel::sample()
{
    if (m_entries.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (Entry &entry : m_entries) {
        if (entry.source->status() != ClusterSource::Status::Running) {
            entry.samples.clear();
            entry.rate = 0;
            continue;
        }
        qint64 requests = 0;
        const QList<WorkerStatus> workers = entry.source->workers();
        for (const WorkerStatus &worker : workers)
            requests += worker.requests;
        // A worker that left takes its count with it: start again rather than go negative.
        if (!entry.samples.isEmpty() && requests < entry.samples.constLast().second)
            entry.samples.clear();
        entry.samples.append({ now, requests });
        if (entry.samples.size() > RateSamples)
            entry.samples.removeFirst();
        const auto &first = entry.samples.constFirst();
        entry.rate = now > first.first
            ? (requests - first.second) * 1000.0 / double(now - first.first)
            : 0;
    }
    Q_EMIT dataChanged(index(0, 0), index(int(m_entries.size()) - 1, ColumnCount - 1));
}

} // namespace Monitor
