// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// FleetView: FleetModel in a sortable table, and its actions.
#include "fleetview.h"

#include "fleetmodel.h"

#include <QAction>
#include <QHeaderView>
#include <QIcon>
#include <QInputDialog>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace Monitor {

FleetView::FleetView(FleetModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
    , m_view(new QTableView(this))
    , m_addAction(new QAction(QIcon(QStringLiteral(":/icons/attach.svg")), tr("&Add\u2026"), this))
    , m_removeAction(new QAction(tr("&Remove"), this))
    , m_openAction(new QAction(tr("&Open"), this))
{
    setObjectName(QStringLiteral("fleetView"));
    m_addAction->setObjectName(QStringLiteral("fleetAdd"));
    m_addAction->setToolTip(tr("Watch one more cluster: a control endpoint of this user, or "
                               "ssh://[user@]host[:port]/NAME on another host"));
    m_removeAction->setObjectName(QStringLiteral("fleetRemove"));
    m_removeAction->setToolTip(tr("Stop watching the selected cluster; it runs on"));
    m_openAction->setObjectName(QStringLiteral("fleetOpen"));
    m_openAction->setToolTip(tr("Show the selected cluster in the cluster view"));
    connect(m_addAction, &QAction::triggered, this, &FleetView::showAddDialog);
    connect(m_removeAction, &QAction::triggered, this,
        [this] { m_model->removeCluster(m_model->rowOfEndpoint(currentEndpoint())); });
    connect(m_openAction, &QAction::triggered, this, [this] {
        const QString endpoint = currentEndpoint();
        if (!endpoint.isEmpty())
            Q_EMIT openRequested(endpoint);
    });

    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(FleetModel::SortRole);
    m_view->setObjectName(QStringLiteral("fleetTable"));
    m_view->setModel(proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(FleetModel::HostColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    // Figures and names as wide as they are; the state, which may be ssh's sentence, takes
    // the rest (its tooltip has all of it).
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FleetModel::StateColumn, QHeaderView::Stretch);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setWordWrap(false);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openRequested(index.data(FleetModel::EndpointRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &FleetView::updateActions);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &FleetView::updateActions);

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(16, 16));
    bar->addAction(m_addAction);
    bar->addAction(m_removeAction);
    bar->addAction(m_openAction);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_view, 1);
    updateActions();
}

QString FleetView::currentEndpoint() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(FleetModel::EndpointRole).toString();
}

void FleetView::selectEndpoint(const QString &endpoint)
{
    const QAbstractItemModel *proxy = m_view->model();
    for (int row = 0; row < proxy->rowCount(); ++row) {
        const QModelIndex index = proxy->index(row, 0);
        if (index.data(FleetModel::EndpointRole).toString() == endpoint) {
            m_view->selectRow(row);
            return;
        }
    }
}

void FleetView::updateActions()
{
    const bool selected = !currentEndpoint().isEmpty();
    m_removeAction->setEnabled(selected);
    m_openAction->setEnabled(selected);
}

void FleetView::showAddDialog()
{
    bool ok = false;
    const QString endpoint = QInputDialog::getText(this, tr("Add a Cluster"),
        tr("Control endpoint: a name of this user, or ssh://[user@]host[:port]/NAME").trimmed(),
        QLineEdit::Normal, QString(), &ok)
                                 .trimmed();
    if (!ok || endpoint.isEmpty())
        return;
    QString why;
    if (!m_model->addCluster(endpoint, &why)) {
        QMessageBox::warning(this, tr("Add a Cluster"), why);
        return;
    }
    selectEndpoint(endpoint);
}

} // namespace Monitor
