// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Event log panel: a filter bar (kinds, worker, text) over the capped log, and CSV export.
#pragma once

#include "eventlogmodel.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace Monitor {

class EventLogFilterProxy;

class EventLogView : public QWidget
{
    Q_OBJECT

public:
    explicit EventLogView(EventLogModel *log, QWidget *parent = nullptr);

    EventLogFilterProxy *proxy() const { return m_proxy; }
    QTableView *tableView() const { return m_table; }
    QLineEdit *textFilter() const { return m_text; }
    QComboBox *workerFilter() const { return m_worker; }

    // The worker ids offered in the worker filter.
    void setWorkerIds(const QList<int> &ids);
    void setWorkerFilter(int workerId);
    void setKindShown(EventLogModel::Kind kind, bool shown);
    // Keeps the newest event in sight while on.
    bool follows() const;

    // Asks for a file name and writes the rows shown (filters applied) as CSV.
    void exportCsv();
    // Writes the rows shown to `fileName`; false and `error` set on failure.
    bool exportCsvTo(const QString &fileName, QString *error);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    // After a filter changed: the newest of the rows now shown comes into view, when following.
    void followAfterFilter();
    void updateCount();
    void updateKindButton();

    EventLogModel *m_log;
    EventLogFilterProxy *m_proxy;
    QTableView *m_table;
    QToolButton *m_kinds;
    QComboBox *m_worker;
    QLineEdit *m_text;
    QCheckBox *m_follow;
    QLabel *m_count;
    QTimer *m_textDelay;
    QList<QAction *> m_kindActions;
    bool m_wasAtBottom = true;
};

} // namespace Monitor
