// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SendMessageDialog: JSON -> QJsonValue -> QCborValue::fromJsonValue.
#include "sendmessagedialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Monitor {

SendMessageDialog::SendMessageDialog(QWidget *parent)
    : QDialog(parent)
    , m_target(new QComboBox(this))
    , m_editor(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
    , m_send(nullptr)
    , m_format(nullptr)
{
    setWindowTitle(tr("Send Message"));
    setObjectName(QStringLiteral("sendMessageDialog"));
    m_target->setObjectName(QStringLiteral("target"));
    m_editor->setObjectName(QStringLiteral("editor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setTabChangesFocus(true);
    m_editor->setPlaceholderText(tr("A JSON value, e.g. {\"cmd\": \"reload\"}"));
    m_editor->setMinimumSize(460, 180);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("&To:"), m_target);
    auto *editorLabel = new QLabel(tr("&Message (JSON):"), this);
    editorLabel->setBuddy(m_editor);

    auto *buttons = new QDialogButtonBox(this);
    m_send = buttons->addButton(tr("&Send"), QDialogButtonBox::AcceptRole);
    m_send->setObjectName(QStringLiteral("send"));
    m_send->setDefault(true);
    m_format = buttons->addButton(tr("&Format"), QDialogButtonBox::ActionRole);
    m_format->setToolTip(tr("Indent the JSON"));
    buttons->addButton(QDialogButtonBox::Close)->setText(tr("Close"));
    connect(m_send, &QPushButton::clicked, this, [this] {
        const QCborValue value = message();
        if (!value.isInvalid())
            Q_EMIT sendRequested(targetWorker(), value);
    });
    connect(m_format, &QPushButton::clicked, this, &SendMessageDialog::format);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(editorLabel);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_editor, &QPlainTextEdit::textChanged, this, &SendMessageDialog::validate);
    setWorkers({}, 0);
    validate();
}

void SendMessageDialog::setWorkers(const QList<QPair<int, qint64>> &idsAndPids, int preselected)
{
    m_target->clear();
    m_target->addItem(tr("All connected workers"), 0);
    for (const auto &[id, pid] : idsAndPids)
        m_target->addItem(tr("Worker %1 (process %2)").arg(id).arg(pid), id);
    m_target->setCurrentIndex(qMax(0, m_target->findData(preselected)));
}

int SendMessageDialog::targetWorker() const
{
    return m_target->currentData().toInt();
}

QString SendMessageDialog::text() const
{
    return m_editor->toPlainText();
}

void SendMessageDialog::setText(const QString &text)
{
    m_editor->setPlainText(text);
}

QCborValue SendMessageDialog::message() const
{
    QJsonValue value;
    QString error;
    if (!parseJson(text(), &value, &error))
        return QCborValue(QCborValue::Invalid);
    return QCborValue::fromJsonValue(value);
}

bool SendMessageDialog::parseJson(const QString &text, QJsonValue *value, QString *error)
{
    if (text.trimmed().isEmpty()) {
        *error = tr("Type a JSON value.");
        return false;
    }
    // QJsonDocument takes only an object or an array at the top: wrap the text in one, so a
    // bare string or number is a message too, and take the single element back out.
    const QByteArray utf8 = text.toUtf8();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson("[" + utf8 + "\n]", &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // The offset counts bytes of the wrapped text; map it back to a line and column.
        const qsizetype offset
            = qBound(qsizetype(0), qsizetype(parseError.offset) - 1, utf8.size());
        const QString before = QString::fromUtf8(utf8.left(offset));
        const int line = int(before.count(QLatin1Char('\n'))) + 1;
        const int column = int(before.size() - (before.lastIndexOf(QLatin1Char('\n')) + 1)) + 1;
        *error = tr("Line %1, column %2: %3").arg(line).arg(column).arg(parseError.errorString());
        return false;
    }
    const QJsonArray array = document.array();
    if (array.size() != 1) {
        *error = tr("Type one JSON value, not a list of values separated by commas.");
        return false;
    }
    *value = array.at(0);
    return true;
}

void SendMessageDialog::validate()
{
    QJsonValue value;
    QString error;
    const bool ok = parseJson(text(), &value, &error);
    m_send->setEnabled(ok);
    m_format->setEnabled(ok && (value.isObject() || value.isArray()));
    if (ok) {
        m_status->setStyleSheet(QStringLiteral("color: #2e7d32;"));
        m_status->setText(tr("Valid JSON."));
    } else {
        m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_status->setText(error);
    }
}

void SendMessageDialog::format()
{
    QJsonValue value;
    QString error;
    if (!parseJson(text(), &value, &error))
        return;
    const QJsonDocument document
        = value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
    setText(QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed());
}

void SendMessageDialog::showResult(const QString &result)
{
    m_status->setStyleSheet(QString());
    m_status->setText(result);
}

} // namespace Monitor
