// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The New cluster dialog: program, arguments, number of workers, policy, output capture, the
// name of the cluster's control endpoint, and respawn with its crash-loop limits; Open and Save
// read and write them as cluster-run's configuration file.
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

    // Fills the form from the cluster `name` of the configuration file at `path` (empty: its
    // only one), read as `cluster-run --config PATH NAME` reads it; with several clusters and no
    // name, first asks which one (a window-modal list, "clusterChooser"). False, with every
    // mistake shown in the dialog and the form unchanged, if the file is not valid.
    bool openConfigFile(const QString &path, const QString &name = QString());
    // Writes the form as a configuration file that `cluster-run --config PATH` runs the same way,
    // replacing `path` at once (never half-written). False, with why shown in the dialog, if it
    // cannot, or if cluster-run would refuse the result.
    bool saveConfigFile(const QString &path);
    // What the dialog says of the last Open or Save.
    QString fileMessage() const;

private:
    void browse();
    void validate();
    void chooseFileToOpen();
    void chooseFileToSave();
    void showFileMessage(const QString &text, bool error);
    void updateFileNote();
    QString configFolder() const;
    void rememberConfigFolder(const QString &path);

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
    QLabel *m_fileMessage;
    QLabel *m_fileNote;
    QPushButton *m_startButton = nullptr;
    // What the form has no field for, from the last file opened (ClusterConfig::fileOptions).
    RunnerOptions m_fileOptions;
    // Values the spin boxes round (bytes to MiB, ms to s) or cap: while the box still shows
    // what setConfig() put there, config() gives the exact value back.
    qint64 m_exactMemoryLimit = 0;
    int m_shownMemoryLimit = 0;
    qint64 m_exactRequestLimit = 0;
    int m_shownRequestLimit = 0;
    int m_exactCrashWindow = 0;
    int m_shownCrashWindow = 0;
};

} // namespace Monitor
