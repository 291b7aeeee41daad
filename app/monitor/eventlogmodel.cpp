// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventLogModel: cluster signals turned into log rows; batched, capped.
#include "eventlogmodel.h"

#include "clustersource.h"
#include "csvwriter.h"
#include "readablecolor.h"
#include "refreshgate.h"

#include <libcluster/cluster.h>

#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QTimer>

using namespace LibCluster;

namespace Monitor {

namespace {
QString shortened(QString text)
{
    if (text.size() > EventLogModel::MaxTextLength) {
        text.truncate(EventLogModel::MaxTextLength - 1);
        text.append(QChar(0x2026));
    }
    return text;
}

QString addressTypeText(const Address &address)
{
    // A server on QHostAddress::Any takes IPv4 and IPv6 alike; the library reports it as
    // 0.0.0.0 with type IPv6.
    if (address.addressType() == Address::IPv6 && address.address() == QLatin1String("0.0.0.0"))
        return EventLogModel::tr("IPv4 and IPv6");
    switch (address.addressType()) {
    case Address::IPv4:
        return QStringLiteral("IPv4");
    case Address::IPv6:
        return QStringLiteral("IPv6");
    case Address::Local:
        return EventLogModel::tr("local socket");
    case Address::Udp4:
        return QStringLiteral("UDP/IPv4");
    case Address::Udp6:
        return QStringLiteral("UDP/IPv6");
    }
    return QString();
}
} // namespace

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    // A coarse timer may fire up to 5 % early: views would get an eleventh update in a second.
    m_flushTimer->setTimerType(Qt::PreciseTimer);
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        if (RefreshGate::admit(m_gate, m_flushTimer))
            flush();
    });
}

EventLogModel::~EventLogModel() = default;

void EventLogModel::setSource(ClusterSource *source)
{
    if (m_source)
        m_source->disconnect(this);
    m_source = source;
    if (!source)
        return;
    connect(source, &ClusterSource::setupApplied, this,
        [this](const QString &program, const QStringList &arguments, bool captured,
            const QString &policy) {
            append(Setup, 0,
                tr("program %1, arguments \"%2\", output %3, policy %4")
                    .arg(program, arguments.join(QLatin1Char(' ')),
                        captured ? tr("captured") : tr("passed through"), policy));
        });
    connect(source, &ClusterSource::workerForked, this,
        [this](int id) { append(Fork, id, tr("forked")); });
    connect(source, &ClusterSource::workerOnline, this,
        [this](int id, qint64 pid) { append(Online, id, tr("online, process %1").arg(pid)); });
    connect(source, &ClusterSource::workerListening, this, [this](int id, const Address &address) {
        append(Listening, id,
            tr("listening on %1 (%2)").arg(address.toString(), addressTypeText(address)));
    });
    connect(
        source, &ClusterSource::workerListenOverdue, this, [this](int id, int msecs, bool exited) {
            append(Listening, id,
                exited ? tr("exited %1 ms after it came online, without listening: did its own "
                            "server fail on a port another worker took?")
                             .arg(msecs)
                       : tr("not listening %1 ms after it came online: it takes no share of the "
                            "cluster's connections (a plain QTcpServer, QHttpServer::listen()?)")
                             .arg(msecs),
                true);
        });
    connect(
        source, &ClusterSource::messageReceived, this, [this](int id, const QCborValue &message) {
            append(Message, id, message.toDiagnosticNotation());
        });
    connect(source, &ClusterSource::workerDisconnected, this,
        [this](int id) { append(Disconnect, id, tr("disconnected")); });
    connect(source, &ClusterSource::workerExited, this,
        [this](int id, int code, int signal, bool asked) {
            const QString how = signal ? tr("ended by %1").arg(Cluster::signalName(signal))
                                       : tr("exited with code %1").arg(code);
            append(Exit, id,
                asked ? tr("%1 (asked for)").arg(how) : tr("%1 (not asked for)").arg(how),
                !asked && (signal != 0 || code != 0));
        });
    connect(source, &ClusterSource::workerErrorOccurred, this,
        [this](int id, const QString &errorString) { append(Error, id, errorString, true); });
    connect(source, &ClusterSource::supervisorEventOccurred, this,
        [this](int id, const QString &text, bool alert) { append(Supervisor, id, text, alert); });
    connect(source, &ClusterSource::applicationEventOccurred, this,
        [this](const QString &name, const QString &text, bool alert) {
            append(Application, 0, QStringLiteral("%1: %2").arg(name, text), alert);
        });
    connect(source, &ClusterSource::endpointEventOccurred, this,
        [this](const QString &text, bool alert) { append(Endpoint, 0, text, alert); });
    connect(source, &ClusterSource::commandIssued, this,
        [this](int id, const QString &text) { append(Command, id, text); });
    connect(source, &ClusterSource::eventsDropped, this, [this](qint64 messages, qint64 output) {
        append(Error, 0,
            tr("the window fell behind the workers; not shown: %1 messages, %2 pieces of output")
                .arg(messages)
                .arg(output),
            true);
    });
    connect(source, &ClusterSource::commandFailed, this, [this](int id, const QString &error) {
        append(Command, id, tr("failed: %1").arg(error), true);
    });
}

void EventLogModel::append(Kind kind, int workerId, const QString &text, bool alert)
{
    Entry entry;
    entry.time = QDateTime::currentMSecsSinceEpoch();
    entry.kind = kind;
    entry.workerId = workerId;
    entry.alert = alert;
    entry.text = text;
    append(std::move(entry));
}

void EventLogModel::beginCluster()
{
    ++m_cluster;
    m_clusterStarted = false;
    Q_EMIT clusterBegun(m_cluster);
}

void EventLogModel::append(Entry entry)
{
    if (entry.cluster == 0)
        entry.cluster = m_cluster;
    if (entry.cluster == m_cluster && !m_clusterStarted) {
        m_clusterStarted = true;
        entry.startsCluster = m_cluster > 1;
    }
    entry.text = shortened(std::move(entry.text));
    entry.timeText.clear(); // made from `time` when first shown
    ++m_total;
    m_pending.push_back(std::move(entry));
    // What waits for the flush is capped too: only the newest capacity() can ever be shown.
    while (m_pending.size() > size_t(m_capacity))
        m_pending.pop_front();
    scheduleFlush();
}

void EventLogModel::scheduleFlush()
{
    if (!m_flushTimer->isActive())
        m_flushTimer->start(m_flushInterval);
}

void EventLogModel::setRefreshGate(RefreshGate *gate)
{
    m_gate = gate;
}

void EventLogModel::flush()
{
    m_flushTimer->stop();
    if (m_pending.empty())
        return;
    Q_EMIT aboutToFlush();
    const int incoming = int(m_pending.size());
    const int overflow = int(m_entries.size()) + incoming - m_capacity;
    if (overflow > 0) {
        const int removed = qMin(overflow, int(m_entries.size()));
        beginRemoveRows(QModelIndex(), 0, removed - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + removed);
        endRemoveRows();
    }
    const int first = int(m_entries.size());
    beginInsertRows(QModelIndex(), first, first + incoming - 1);
    for (Entry &entry : m_pending)
        m_entries.push_back(std::move(entry));
    m_pending.clear();
    endInsertRows();
    Q_EMIT flushed();
}

void EventLogModel::setCapacity(int rows)
{
    m_capacity = qMax(1, rows);
    while (m_pending.size() > size_t(m_capacity))
        m_pending.pop_front();
    if (m_entries.size() > size_t(m_capacity)) {
        const int removed = int(m_entries.size()) - m_capacity;
        beginRemoveRows(QModelIndex(), 0, removed - 1);
        m_entries.erase(m_entries.begin(), m_entries.begin() + removed);
        endRemoveRows();
    }
}

void EventLogModel::clear()
{
    beginResetModel();
    m_entries.clear();
    m_pending.clear();
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventLogModel::kindName(Kind kind)
{
    switch (kind) {
    case Setup:
        return tr("Setup");
    case Fork:
        return tr("Fork");
    case Online:
        return tr("Online");
    case Listening:
        return tr("Listening");
    case Message:
        return tr("Message");
    case Disconnect:
        return tr("Disconnect");
    case Exit:
        return tr("Exit");
    case Error:
        return tr("Error");
    case Command:
        return tr("Command");
    case Supervisor:
        return tr("Supervisor");
    case Endpoint:
        return tr("Endpoint");
    case Application:
        return tr("Application");
    case KindCount:
        break;
    }
    return QString();
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    const Entry &entry = m_entries.at(size_t(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            if (entry.timeText.isEmpty())
                entry.timeText = QDateTime::fromMSecsSinceEpoch(entry.time)
                                     .toString(QStringLiteral("HH:mm:ss.zzz"));
            return entry.timeText;
        case KindColumn:
            return kindName(entry.kind);
        case WorkerColumn:
            return entry.workerId > 0 ? QVariant(entry.workerId) : QVariant(QString());
        case DetailsColumn:
            return entry.text;
        }
        return QVariant();
    case Qt::ToolTipRole:
        if (index.column() == TimeColumn)
            return QLocale().toString(
                QDateTime::fromMSecsSinceEpoch(entry.time), QLocale::LongFormat);
        if (index.column() == DetailsColumn)
            return entry.text;
        return QVariant();
    case Qt::FontRole:
        if (entry.startsCluster) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return QVariant();
    case Qt::ForegroundRole:
        return entry.alert ? QVariant(ReadableColor::onBase(QColor(0xc6, 0x28, 0x28))) : QVariant();
    case Qt::DecorationRole:
        if (index.column() != KindColumn)
            return QVariant();
        switch (entry.kind) {
        case Setup:
        case Command:
            return ReadableColor::onBase(QColor(0x5e, 0x35, 0xb1));
        case Supervisor:
            return entry.alert ? ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f))
                               : ReadableColor::onBase(QColor(0x6d, 0x4c, 0x41));
        case Endpoint:
            return entry.alert ? ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f))
                               : ReadableColor::onBase(QColor(0x45, 0x5a, 0x64));
        case Fork:
            return ReadableColor::onBase(QColor(0x9e, 0x9e, 0x9e));
        case Online:
            return ReadableColor::onBase(QColor(0x19, 0x76, 0xd2));
        case Listening:
            return ReadableColor::onBase(QColor(0x38, 0x8e, 0x3c));
        case Message:
            return ReadableColor::onBase(QColor(0x00, 0x83, 0x8f));
        case Disconnect:
            return ReadableColor::onBase(QColor(0xf5, 0x7c, 0x00));
        case Exit:
            return entry.alert ? ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f))
                               : ReadableColor::onBase(QColor(0x75, 0x75, 0x75));
        case Error:
            return ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f));
        case Application:
            return entry.alert ? ReadableColor::onBase(QColor(0xd3, 0x2f, 0x2f))
                               : ReadableColor::onBase(QColor(0x3f, 0x51, 0xb5));
        case KindCount:
            break;
        }
        return QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == WorkerColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case CsvWriter::ExportRole:
        if (index.column() == TimeColumn)
            return QDateTime::fromMSecsSinceEpoch(entry.time)
                .toOffsetFromUtc(QDateTime::fromMSecsSinceEpoch(entry.time).offsetFromUtc())
                .toString(Qt::ISODateWithMs);
        return QVariant();
    case KindRole:
        return int(entry.kind);
    case WorkerIdRole:
        return entry.workerId;
    case TimestampRole:
        return entry.time;
    }
    return QVariant();
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Event");
    case WorkerColumn:
        return tr("Worker");
    case DetailsColumn:
        return tr("Details");
    }
    return QVariant();
}

} // namespace Monitor
