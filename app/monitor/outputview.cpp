// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// OutputView: a QPlainTextEdit capped by block count, fed in batches.
#include "outputview.h"

#include "readablecolor.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QToolButton>
#include <QVBoxLayout>

namespace Monitor {

OutputView::OutputView(WorkerOutputLog *log, QWidget *parent)
    : QWidget(parent)
    , m_log(log)
    , m_worker(new QComboBox(this))
    , m_text(new QPlainTextEdit(this))
    , m_notice(new QLabel(this))
{
    setObjectName(QStringLiteral("outputView"));
    m_worker->setObjectName(QStringLiteral("outputWorker"));
    m_worker->setToolTip(tr("Whose output to show"));
    m_worker->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_worker->addItem(tr("All workers"), 0);
    connect(m_worker, &QComboBox::currentIndexChanged, this, &OutputView::rebuild);

    auto *clear = new QToolButton(this);
    clear->setIcon(QIcon(QStringLiteral(":/icons/clear.svg")));
    clear->setToolTip(tr("Clear the captured output"));
    clear->setAutoRaise(true);
    connect(clear, &QToolButton::clicked, log, &WorkerOutputLog::clear);

    m_notice->setObjectName(QStringLiteral("outputNotice"));
    m_notice->setWordWrap(true);
    m_notice->setForegroundRole(QPalette::PlaceholderText);
    m_notice->hide();

    m_text->setObjectName(QStringLiteral("outputText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setMaximumBlockCount(log->combinedLines());
    m_text->setUndoRedoEnabled(false);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 2, 4, 2);
    bar->addWidget(m_worker);
    bar->addWidget(m_notice, 1);
    bar->addStretch();
    bar->addWidget(clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_text, 1);

    connect(log, &WorkerOutputLog::linesAdded, this, &OutputView::appendLines);
    connect(log, &WorkerOutputLog::workerAdded, this, &OutputView::addWorker);
    connect(log, &WorkerOutputLog::cleared, this, [this] {
        const QSignalBlocker blocker(m_worker);
        while (m_worker->count() > 1)
            m_worker->removeItem(1);
        m_worker->setCurrentIndex(0);
        m_text->clear();
    });
}

int OutputView::shownWorker() const
{
    return m_worker->currentData().toInt();
}

void OutputView::showWorker(int workerId)
{
    int index = m_worker->findData(workerId);
    if (index < 0) {
        addWorker(workerId);
        index = m_worker->findData(workerId);
    }
    m_worker->setCurrentIndex(index);
}

void OutputView::setCapturing(bool capturing, bool attached)
{
    if (attached)
        m_notice->setText(tr("Output is not available: the attached primary does not capture its "
                             "workers' output, so it goes to that primary's terminal instead."));
    else
        m_notice->setText(tr("Output is not captured: the workers write to the monitor's "
                             "terminal. Start a cluster with \"Capture the workers' output\" to "
                             "see it here."));
    m_notice->setVisible(!capturing);
}

QString OutputView::notice() const
{
    return m_notice->isHidden() ? QString() : m_notice->text();
}

void OutputView::addWorker(int workerId)
{
    if (m_worker->findData(workerId) >= 0)
        return;
    int position = 1;
    while (position < m_worker->count() && m_worker->itemData(position).toInt() < workerId)
        ++position;
    m_worker->insertItem(position, tr("Worker %1").arg(workerId), workerId);
}

void OutputView::rebuild()
{
    m_text->clear();
    appendLines(m_log->lines(shownWorker()));
}

void OutputView::appendLines(const QVector<WorkerOutputLog::Line> &lines)
{
    const int shown = shownWorker();
    // More than the view keeps would only be inserted to be dropped again.
    const int keep = m_text->maximumBlockCount();
    int first = int(lines.size());
    for (int kept = 0; first > 0 && kept < keep; --first)
        kept += shown == 0 || lines.at(first - 1).workerId == shown ? 1 : 0;

    QScrollBar *bar = m_text->verticalScrollBar();
    const bool atBottom = bar->value() >= bar->maximum();
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.beginEditBlock();
    QTextCharFormat normal;
    QTextCharFormat error;
    error.setForeground(ReadableColor::onBase(QColor(0xc6, 0x28, 0x28)));
    // Lines go in as runs of one channel, one insertText() per run: a busy worker's output
    // costs a few calls per batch, not a few per line.
    bool empty = m_text->document()->isEmpty();
    QString run;
    LibCluster::Worker::OutputChannel runChannel = LibCluster::Worker::StandardOutput;
    const auto flushRun = [&] {
        if (run.isEmpty())
            return;
        cursor.insertText(run, runChannel == LibCluster::Worker::StandardError ? error : normal);
        run.clear();
    };
    for (int i = first; i < lines.size(); ++i) {
        const WorkerOutputLog::Line &line = lines.at(i);
        if (shown != 0 && line.workerId != shown)
            continue;
        if (line.channel != runChannel) {
            flushRun();
            runChannel = line.channel;
        }
        if (!empty)
            run += QLatin1Char('\n');
        empty = false;
        if (shown == 0)
            run += QStringLiteral("[%1] ").arg(line.workerId);
        run += line.text;
    }
    flushRun();
    cursor.endEditBlock();
    if (atBottom)
        bar->setValue(bar->maximum());
}

} // namespace Monitor
