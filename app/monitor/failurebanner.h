// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The strip above the workers table that says, loudly, what went wrong and why.
#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace Monitor {

// Hidden until showFailure(); one failure at a time, the newest. An optional action (Resume
// after a crash loop) sits next to the text; Dismiss hides the strip until the next failure.
class FailureBanner : public QWidget
{
    Q_OBJECT

public:
    explicit FailureBanner(QWidget *parent = nullptr);

    // Shows `text` (what happened) and `cause` (why, e.g. the worker's last stderr line).
    void showFailure(const QString &text, const QString &cause, QAction *action = nullptr);
    // A cause that became known after the failure was shown (output arrives after the exit).
    void setCause(const QString &cause);
    void dismiss();

    QString text() const;
    QString cause() const { return m_cause; }

private:
    void updateLabel();

    QLabel *m_label;
    QToolButton *m_actionButton;
    QToolButton *m_closeButton;
    QString m_text;
    QString m_cause;
};

} // namespace Monitor
