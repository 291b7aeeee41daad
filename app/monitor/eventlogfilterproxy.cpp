// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventLogFilterProxy: reads the log's entries directly, so filtering 10,000 rows is cheap.
#include "eventlogfilterproxy.h"

namespace Monitor {

EventLogFilterProxy::EventLogFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{ }

void EventLogFilterProxy::setKinds(quint32 kinds)
{
    kinds &= allKinds();
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    invalidateFilter();
}

void EventLogFilterProxy::setKindShown(EventLogModel::Kind kind, bool shown)
{
    setKinds(shown ? (m_kinds | (1u << kind)) : (m_kinds & ~(1u << kind)));
}

void EventLogFilterProxy::setWorkerId(int id)
{
    if (id == m_workerId)
        return;
    m_workerId = id;
    invalidateFilter();
}

void EventLogFilterProxy::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool EventLogFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const auto *log = qobject_cast<const EventLogModel *>(sourceModel());
    if (!log)
        return true;
    const EventLogModel::Entry &entry = log->entryAt(sourceRow);
    if (!(m_kinds & (1u << entry.kind)))
        return false;
    // A worker's events are those of the cluster shown now: ids start again with each cluster.
    if (m_workerId > 0 && (entry.workerId != m_workerId || entry.cluster != log->currentCluster()))
        return false;
    if (m_text.isEmpty())
        return true;
    return entry.text.contains(m_text, Qt::CaseInsensitive)
        || EventLogModel::kindName(entry.kind).contains(m_text, Qt::CaseInsensitive)
        || (entry.workerId > 0 && QString::number(entry.workerId) == m_text);
}

} // namespace Monitor
