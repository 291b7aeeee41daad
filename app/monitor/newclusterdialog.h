// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The New cluster dialog: program, arguments, number of workers, policy, output capture, the
// name of the cluster's control endpoint, and respawn with its crash-loop limits.
#pragma once

#include "clusterconfig.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Monitor {

class NewClusterDialog : public QDialog
{
    Q_OBJECT

public:
    explicit NewClusterDialog(QWidget *parent = nullptr);

    ClusterConfig config() const;
    void setConfig(const ClusterConfig &config);

    // Arguments as typed in one line: split like a shell would, and back.
    static QStringList splitArguments(const QString &line);
    static QString joinArguments(const QStringList &arguments);

private:
    void browse();
    void validate();

    QLineEdit *m_program;
    QLineEdit *m_arguments;
    QSpinBox *m_workers;
    QComboBox *m_policy;
    QCheckBox *m_capture;
    QLineEdit *m_controlName;
    QCheckBox *m_respawn;
    QSpinBox *m_crashLimit;
    QSpinBox *m_crashWindow; // seconds
    QSpinBox *m_shutdownTimeout; // ms
    QSpinBox *m_disconnectTimeout; // ms
    QSpinBox *m_memoryLimit; // MiB
    QSpinBox *m_requestLimit;
    QLineEdit *m_metricsAddress;
    QLabel *m_problem;
    QPushButton *m_startButton = nullptr;
};

} // namespace Monitor
