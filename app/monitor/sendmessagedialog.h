// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Send message dialog: a JSON editor that validates as you type, and a choice of target.
#pragma once

#include <QCborValue>
#include <QDialog>
#include <QJsonValue>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace Monitor {

// Stays open after sending, so the same or an edited message can go again.
class SendMessageDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SendMessageDialog(QWidget *parent = nullptr);

    // The targets offered: "all connected workers" first, then these workers; `preselected` 0
    // selects all.
    void setWorkers(const QList<QPair<int, qint64>> &idsAndPids, int preselected);
    // 0: all connected workers.
    int targetWorker() const;

    QString text() const;
    void setText(const QString &text);
    // The message as typed; an invalid QCborValue while the text is not valid JSON.
    QCborValue message() const;

    // Any JSON value (not only an object or array). False with a readable `error` ("line 2,
    // column 7: ...") when the text is not exactly one JSON value.
    static bool parseJson(const QString &text, QJsonValue *value, QString *error);

Q_SIGNALS:
    // 0 as `workerId` means every connected worker.
    void sendRequested(int workerId, const QCborValue &message);

public Q_SLOTS:
    // What became of the last send, shown under the editor.
    void showResult(const QString &result);

private:
    void validate();
    void format();

    QComboBox *m_target;
    QPlainTextEdit *m_editor;
    QLabel *m_status;
    QPushButton *m_send;
    QPushButton *m_format;
};

} // namespace Monitor
