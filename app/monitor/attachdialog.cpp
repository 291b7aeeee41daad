// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// AttachDialog: ControlClient::availableEndpoints() in a list, and a name field.
#include "attachdialog.h"

#include "clusterconfig.h"

#include <libcluster/controlclient.h>

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace Monitor {

AttachDialog::AttachDialog(QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_name(new QLineEdit(this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(tr("Attach to a Cluster"));
    setObjectName(QStringLiteral("attachDialog"));

    auto *intro = new QLabel(tr("The clusters of this user that expose a control endpoint "
                                "(cluster-run --control NAME, or another monitor):"),
        this);
    intro->setWordWrap(true);

    m_list->setObjectName(QStringLiteral("endpoints"));
    m_list->setToolTip(tr("Live control endpoints; double-click one to attach"));
    m_list->setMinimumSize(380, 160);
    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &text) {
        if (m_endpoints.contains(text))
            m_name->setText(text);
    });
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        if (m_endpoints.contains(item->text()))
            accept();
    });

    m_name->setObjectName(QStringLiteral("endpointName"));
    m_name->setToolTip(tr("The endpoint's name; a primary that has not opened it yet is waited "
                          "for"));
    m_name->setPlaceholderText(tr("e.g. web, or ssh://user@host/web"));
    connect(m_name, &QLineEdit::textChanged, this, &AttachDialog::validate);
    auto *form = new QFormLayout;
    auto *nameLabel = new QLabel(tr("&Endpoint:"), this);
    nameLabel->setBuddy(m_name);
    form->addRow(nameLabel, m_name);

    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->hide();

    auto *note = new QLabel(tr("The cluster this monitor started, if any, is stopped first. "
                               "An attached cluster runs on when the monitor lets go of it."),
        this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_attachButton = buttons->button(QDialogButtonBox::Ok);
    m_attachButton->setText(tr("&Attach"));
    buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    QPushButton *refreshButton = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    refreshButton->setObjectName(QStringLiteral("refresh"));
    refreshButton->setIcon(QIcon(QStringLiteral(":/icons/refresh.svg")));
    refreshButton->setToolTip(tr("Look for live control endpoints again"));
    connect(refreshButton, &QPushButton::clicked, this, &AttachDialog::refresh);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_list, 1);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(note);
    layout->addWidget(buttons);

    refresh();
}

QString AttachDialog::endpointName() const
{
    return m_name->text().trimmed();
}

void AttachDialog::setEndpointName(const QString &name)
{
    const int row = int(m_endpoints.indexOf(name));
    if (row >= 0)
        m_list->setCurrentRow(row);
    m_name->setText(name);
}

void AttachDialog::setExcludedEndpoint(const QString &name)
{
    m_excluded = name;
    refresh();
}

QStringList AttachDialog::endpoints() const
{
    return m_endpoints;
}

void AttachDialog::refresh()
{
    const QString typed = m_name->text();
    m_endpoints = LibCluster::ControlClient::availableEndpoints();
    m_endpoints.removeAll(m_excluded);
    m_list->clear();
    for (const QString &name : std::as_const(m_endpoints))
        m_list->addItem(name);
    if (m_endpoints.isEmpty()) {
        auto *none = new QListWidgetItem(tr("No control endpoint found"), m_list);
        none->setFlags(Qt::NoItemFlags);
    }
    const int row = int(m_endpoints.indexOf(typed));
    if (row >= 0)
        m_list->setCurrentRow(row);
    else if (typed.isEmpty() && !m_endpoints.isEmpty())
        m_list->setCurrentRow(0);
    validate();
}

void AttachDialog::validate()
{
    const QString name = endpointName();
    QString problem;
    QString why;
    if (!name.isEmpty() && LibCluster::ControlClient::isRemoteEndpoint(name)
        && !LibCluster::ControlClient::isValidEndpoint(name, &why))
        problem = why;
    else if (!name.isEmpty() && !LibCluster::ControlClient::isRemoteEndpoint(name)
        && !ClusterConfig::isValidEndpointName(name))
        problem = tr("An endpoint name is 1 to 64 letters, digits, dots, dashes and "
                     "underscores, not starting with a dot; or ssh://[user@]host[:port]/NAME "
                     "for one on another host.");
    else if (!name.isEmpty() && name == m_excluded)
        problem = tr("%1 is this monitor's own endpoint.").arg(name);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (m_attachButton)
        m_attachButton->setEnabled(!name.isEmpty() && problem.isEmpty());
}

} // namespace Monitor
