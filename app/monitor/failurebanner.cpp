// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// FailureBanner: an icon, the text and its cause, an action, and Dismiss.
#include "failurebanner.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace Monitor {

FailureBanner::FailureBanner(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_actionButton(new QToolButton(this))
    , m_closeButton(new QToolButton(this))
{
    setObjectName(QStringLiteral("failureBanner"));
    setAttribute(Qt::WA_StyledBackground, true);
    // Red on light and dark palettes alike: the text stays the palette's.
    setStyleSheet(
        QStringLiteral("#failureBanner { background: rgba(211, 47, 47, 48); "
                       "border: 1px solid rgba(211, 47, 47, 160); border-radius: 3px; }"));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(20, 20));
    m_label->setObjectName(QStringLiteral("failureText"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_actionButton->setObjectName(QStringLiteral("failureAction"));
    m_actionButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_actionButton->hide();
    m_closeButton->setObjectName(QStringLiteral("failureDismiss"));
    m_closeButton->setText(tr("Dismiss"));
    m_closeButton->setToolTip(tr("Hide this message until the next failure"));
    m_closeButton->setAutoRaise(true);
    connect(m_closeButton, &QToolButton::clicked, this, &FailureBanner::dismiss);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_actionButton);
    layout->addWidget(m_closeButton);
    hide();
}

void FailureBanner::showFailure(const QString &text, const QString &cause, QAction *action)
{
    m_text = text;
    m_cause = cause;
    m_actionButton->setDefaultAction(action);
    m_actionButton->setVisible(action != nullptr);
    updateLabel();
    show();
}

void FailureBanner::setCause(const QString &cause)
{
    m_cause = cause;
    updateLabel();
}

void FailureBanner::dismiss()
{
    hide();
    m_text.clear();
    m_cause.clear();
}

QString FailureBanner::text() const
{
    return m_label->text();
}

void FailureBanner::updateLabel()
{
    m_label->setText(m_cause.isEmpty() ? m_text : tr("%1: %2").arg(m_text, m_cause));
}

} // namespace Monitor
