// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Attach dialog: the control endpoints of this user, to follow a cluster another primary runs.
#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Monitor {

class AttachDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AttachDialog(QWidget *parent = nullptr);

    // The endpoint to attach to: the one picked in the list, or a name typed in (a primary that
    // is not there yet is waited for).
    QString endpointName() const;
    void setEndpointName(const QString &name);
    // An endpoint not to offer: the monitor's own.
    void setExcludedEndpoint(const QString &name);
    // The endpoints listed, as last found.
    QStringList endpoints() const;
    QListWidget *endpointList() const { return m_list; }

    // Looks for the live endpoints again.
    void refresh();

private:
    void validate();

    QListWidget *m_list;
    QLineEdit *m_name;
    QLabel *m_problem;
    QPushButton *m_attachButton = nullptr;
    QString m_excluded;
    QStringList m_endpoints;
};

} // namespace Monitor
