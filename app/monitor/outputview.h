// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Output panel: the captured stdout/stderr of one worker or of all, newest at the bottom.
#pragma once

#include "workeroutputlog.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;

namespace Monitor {

class OutputView : public QWidget
{
    Q_OBJECT

public:
    explicit OutputView(WorkerOutputLog *log, QWidget *parent = nullptr);

    // 0: all workers, interleaved.
    int shownWorker() const;
    void showWorker(int workerId);
    QPlainTextEdit *textView() const { return m_text; }
    // When the cluster does not capture output, a notice says so instead of an empty panel;
    // `attached`: the cluster runs elsewhere, and its output goes to that primary's terminal.
    void setCapturing(bool capturing, bool attached = false);
    QString notice() const;

private:
    void appendLines(const QVector<WorkerOutputLog::Line> &lines);
    void rebuild();
    void addWorker(int workerId);

    WorkerOutputLog *m_log;
    QComboBox *m_worker;
    QPlainTextEdit *m_text;
    QLabel *m_notice;
};

} // namespace Monitor
