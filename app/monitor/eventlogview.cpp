// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventLogView: wiring between the filter widgets, the proxy and a table tuned for 10,000 rows.
#include "eventlogview.h"

#include "cachedtextdelegate.h"

#include "csvwriter.h"
#include "eventlogfilterproxy.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace Monitor {

EventLogView::EventLogView(EventLogModel *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_proxy(new EventLogFilterProxy(this))
    , m_table(new QTableView(this))
    , m_kinds(new QToolButton(this))
    , m_worker(new QComboBox(this))
    , m_text(new QLineEdit(this))
    , m_follow(new QCheckBox(tr("F&ollow"), this))
    , m_count(new QLabel(this))
    , m_textDelay(new QTimer(this))
{
    setObjectName(QStringLiteral("eventLogView"));
    m_proxy->setSourceModel(log);
    connect(log, &EventLogModel::clusterBegun, m_proxy, [this] {
        if (m_proxy->workerId() > 0)
            m_proxy->invalidate();
    });

    // Kinds: a menu of check boxes.
    m_kinds->setObjectName(QStringLiteral("kindFilter"));
    m_kinds->setPopupMode(QToolButton::InstantPopup);
    m_kinds->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_kinds->setIcon(QIcon(QStringLiteral(":/icons/filter.svg")));
    m_kinds->setToolTip(tr("Which kinds of events to show"));
    auto *menu = new QMenu(m_kinds);
    QAction *all = menu->addAction(tr("Show All"));
    QAction *messagesOff = menu->addAction(tr("Hide Messages"));
    menu->addSeparator();
    for (int kind = 0; kind < EventLogModel::KindCount; ++kind) {
        QAction *action = menu->addAction(EventLogModel::kindName(EventLogModel::Kind(kind)));
        action->setCheckable(true);
        action->setChecked(true);
        action->setData(kind);
        connect(action, &QAction::toggled, this, [this, kind](bool on) {
            m_proxy->setKindShown(EventLogModel::Kind(kind), on);
            updateKindButton();
            followAfterFilter();
        });
        m_kindActions.append(action);
    }
    connect(all, &QAction::triggered, this, [this] {
        for (QAction *action : std::as_const(m_kindActions))
            action->setChecked(true);
    });
    connect(messagesOff, &QAction::triggered, this,
        [this] { m_kindActions.at(EventLogModel::Message)->setChecked(false); });
    m_kinds->setMenu(menu);

    m_worker->setObjectName(QStringLiteral("workerFilter"));
    m_worker->setToolTip(tr("Show the events of one worker only"));
    m_worker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    setWorkerIds({});
    connect(m_worker, &QComboBox::currentIndexChanged, this, [this] {
        m_proxy->setWorkerId(m_worker->currentData().toInt());
        followAfterFilter();
    });

    m_text->setObjectName(QStringLiteral("textFilter"));
    m_text->setPlaceholderText(tr("Filter text (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    m_text->setToolTip(tr("Show only events whose details contain this text"));
    m_text->setMinimumWidth(180);
    // Refiltering 10,000 rows per keystroke is wasted work while still typing.
    m_textDelay->setSingleShot(true);
    m_textDelay->setInterval(150);
    connect(m_text, &QLineEdit::textChanged, m_textDelay, qOverload<>(&QTimer::start));
    connect(m_textDelay, &QTimer::timeout, this, [this] {
        m_proxy->setText(m_text->text());
        followAfterFilter();
    });
    // The line edit takes Ctrl+E (end of line) before the window's shortcuts see it; Export
    // Event Log is the one the operator means there.
    m_text->installEventFilter(this);

    m_follow->setObjectName(QStringLiteral("follow"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest event in sight"));

    auto *exportButton = new QToolButton(this);
    exportButton->setIcon(QIcon(QStringLiteral(":/icons/export.svg")));
    exportButton->setToolTip(tr("Export the events shown to a CSV file"));
    exportButton->setAutoRaise(true);
    connect(exportButton, &QToolButton::clicked, this, &EventLogView::exportCsv);
    auto *clearButton = new QToolButton(this);
    clearButton->setIcon(QIcon(QStringLiteral(":/icons/clear.svg")));
    clearButton->setToolTip(tr("Clear the event log"));
    clearButton->setAutoRaise(true);
    connect(clearButton, &QToolButton::clicked, log, &EventLogModel::clear);

    m_count->setObjectName(QStringLiteral("eventCount"));
    m_count->setForegroundRole(QPalette::PlaceholderText);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_kinds);
    bar->addWidget(m_worker);
    bar->addWidget(m_text, 1);
    bar->addWidget(m_follow);
    bar->addWidget(m_count);
    bar->addWidget(exportButton);
    bar->addWidget(clearButton);

    m_table->setObjectName(QStringLiteral("eventLogTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setItemDelegate(new CachedTextDelegate(m_table));
    m_table->setShowGrid(false);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed row heights: a view that measured 10,000 rows per flush would stall.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    const QFontMetrics metrics = m_table->fontMetrics();
    header->resizeSection(
        EventLogModel::TimeColumn, metrics.horizontalAdvance(QStringLiteral("00:00:00.000")) + 24);
    int kindWidth = 0;
    for (int kind = 0; kind < EventLogModel::KindCount; ++kind)
        kindWidth = qMax(kindWidth,
            metrics.horizontalAdvance(EventLogModel::kindName(EventLogModel::Kind(kind))));
    header->resizeSection(EventLogModel::KindColumn, kindWidth + 48);
    header->resizeSection(EventLogModel::WorkerColumn,
        metrics.horizontalAdvance(
            log->headerData(EventLogModel::WorkerColumn, Qt::Horizontal).toString())
            + 28);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    // Following pauses while the operator has scrolled up to read, and resumes at the bottom.
    connect(log, &EventLogModel::aboutToFlush, this, [this] {
        const QScrollBar *bar = m_table->verticalScrollBar();
        m_wasAtBottom = bar->value() >= bar->maximum();
    });
    connect(log, &EventLogModel::flushed, this, [this] {
        updateCount();
        if (m_follow->isChecked() && m_wasAtBottom)
            m_table->scrollToBottom();
    });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &EventLogView::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &EventLogView::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &EventLogView::updateCount);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    updateKindButton();
    updateCount();
}

void EventLogView::setWorkerIds(const QList<int> &ids)
{
    const int current = m_worker->currentData().toInt();
    QList<int> known;
    for (int i = 1; i < m_worker->count(); ++i)
        known.append(m_worker->itemData(i).toInt());
    if (m_worker->count() > 0 && known == ids)
        return;
    const QSignalBlocker blocker(m_worker);
    m_worker->clear();
    m_worker->addItem(tr("All workers"), 0);
    for (int id : ids)
        m_worker->addItem(tr("Worker %1").arg(id), id);
    const int index = m_worker->findData(current);
    if (index < 0 && current != 0) {
        // Keep a filter on a worker that has left the table.
        m_worker->addItem(tr("Worker %1").arg(current), current);
        m_worker->setCurrentIndex(m_worker->count() - 1);
    } else {
        m_worker->setCurrentIndex(qMax(0, index));
    }
}

void EventLogView::setWorkerFilter(int workerId)
{
    int index = m_worker->findData(workerId);
    if (index < 0) {
        m_worker->addItem(tr("Worker %1").arg(workerId), workerId);
        index = m_worker->count() - 1;
    }
    m_worker->setCurrentIndex(index);
}

void EventLogView::setKindShown(EventLogModel::Kind kind, bool shown)
{
    m_kindActions.at(kind)->setChecked(shown);
}

bool EventLogView::follows() const
{
    return m_follow->isChecked();
}

void EventLogView::followAfterFilter()
{
    // Where the operator had scrolled to means nothing in the rows the new filter shows.
    if (!m_follow->isChecked())
        return;
    m_wasAtBottom = true;
    m_table->scrollToBottom();
}

bool EventLogView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->keyCombination() == QKeyCombination(Qt::CTRL | Qt::Key_E))
            return true; // not accepted: the shortcut goes to the window
    }
    return QWidget::eventFilter(watched, event);
}

void EventLogView::updateKindButton()
{
    int shown = 0;
    for (QAction *action : std::as_const(m_kindActions))
        shown += action->isChecked() ? 1 : 0;
    m_kinds->setText(shown == EventLogModel::KindCount
            ? tr("All events")
            : tr("%1 of %2 kinds").arg(shown).arg(int(EventLogModel::KindCount)));
}

void EventLogView::updateCount()
{
    const QLocale locale;
    const int shown = m_proxy->rowCount();
    const int total = m_log->rowCount();
    m_count->setText(shown == total
            ? tr("%1 events").arg(locale.toString(total))
            : tr("%1 of %2 events").arg(locale.toString(shown), locale.toString(total)));
    m_count->setToolTip(
        tr("The log keeps the newest %1 events; %2 logged since the start")
            .arg(locale.toString(m_log->capacity()), locale.toString(m_log->totalEvents())));
}

void EventLogView::exportCsv()
{
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        + QStringLiteral("/cluster-events-%1.csv")
              .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString fileName = QFileDialog::getSaveFileName(
        this, tr("Export Event Log"), suggested, tr("CSV files (*.csv);;All files (*)"));
    if (fileName.isEmpty())
        return;
    QString error;
    if (!exportCsvTo(fileName, &error))
        QMessageBox::warning(
            this, tr("Export Event Log"), tr("Could not write %1: %2").arg(fileName, error));
}

bool EventLogView::exportCsvTo(const QString &fileName, QString *error)
{
    m_log->flush();
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    if (!CsvWriter::write(m_proxy, &file, error))
        return false;
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Monitor
