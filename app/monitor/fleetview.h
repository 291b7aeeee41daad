// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Fleet view: the clusters the monitor watches, a row each, with Add, Remove and Open.
#pragma once

#include <QWidget>

class QAction;
class QTableView;

namespace Monitor {

class FleetModel;

// A table of FleetModel's clusters, sortable by any column. Open (or a double-click) asks for a
// row to be shown in the cluster view (openRequested()); Add takes a local name or an
// ssh://[user@]host[:port]/NAME address.
class FleetView : public QWidget
{
    Q_OBJECT

public:
    explicit FleetView(FleetModel *model, QWidget *parent = nullptr);

    FleetModel *model() const { return m_model; }
    QTableView *tableView() const { return m_view; }
    QAction *addAction() const { return m_addAction; }
    QAction *removeAction() const { return m_removeAction; }
    QAction *openAction() const { return m_openAction; }
    // The endpoint of the selected row; empty when none is.
    QString currentEndpoint() const;
    void selectEndpoint(const QString &endpoint);

Q_SIGNALS:
    void openRequested(const QString &endpoint);

private:
    void showAddDialog();
    void updateActions();

    FleetModel *m_model;
    QTableView *m_view;
    QAction *m_addAction;
    QAction *m_removeAction;
    QAction *m_openAction;
};

} // namespace Monitor
