// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Filters the event log by kind of event, by worker and by text.
#pragma once

#include "eventlogmodel.h"

#include <QSortFilterProxyModel>

namespace Monitor {

class EventLogFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit EventLogFilterProxy(QObject *parent = nullptr);

    // Which kinds are shown: bit (1 << kind) for each. Default: all.
    quint32 kinds() const { return m_kinds; }
    void setKinds(quint32 kinds);
    bool isKindShown(EventLogModel::Kind kind) const { return m_kinds & (1u << kind); }
    void setKindShown(EventLogModel::Kind kind, bool shown);
    static quint32 allKinds() { return (1u << EventLogModel::KindCount) - 1; }

    // 0: every worker (and the cluster's own events).
    int workerId() const { return m_workerId; }
    void setWorkerId(int id);

    // Case-insensitive, in the details, the kind's name or the worker id.
    QString text() const { return m_text; }
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    quint32 m_kinds = allKinds();
    int m_workerId = 0;
    QString m_text;
};

} // namespace Monitor
