// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// CachedTextDelegate: QCommonStyle's CE_ItemViewItem for a cell of one line of text (its
// viewItemDrawText() and calculateElidedText()), with the text laid out once into a QStaticText.
#include "cachedtextdelegate.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QTextLayout>
#include <QTextOption>
#include <QtMath>

namespace Monitor {

namespace {
// Styles whose items are drawn by QCommonStyle's CE_ItemViewItem, which paint() reproduces: not
// their subclasses, proxies or a style sheet, which may draw items their own way.
bool drawsItemsAsQCommonStyle(const QStyle *style)
{
    const char *name = style->metaObject()->className();
    return qstrcmp(name, "QFusionStyle") == 0 || qstrcmp(name, "QWindowsStyle") == 0;
}
} // namespace

void CachedTextDelegate::useFont(const QFont &font) const
{
    if (font == m_font && m_cache.size() < MaxCachedTexts && m_widths.size() < MaxCachedTexts)
        return;
    m_cache.clear();
    m_widths.clear();
    m_font = font;
}

const CachedTextDelegate::Laid &CachedTextDelegate::laidOut(const Key &key) const
{
    auto it = m_cache.find(key);
    if (it != m_cache.end()) {
        ++m_hits;
        return *it;
    }
    ++m_layouts;
    QTextOption option;
    option.setWrapMode(QTextOption::ManualWrap);
    option.setTextDirection(key.direction);
    option.setAlignment(Qt::Alignment(key.alignment));
    // The line as QCommonStyle measures it: the whole text, in every font its characters need.
    QTextLayout measured(key.text, m_font);
    measured.setTextOption(option);
    measured.beginLayout();
    QTextLine line = measured.createLine();
    line.setLineWidth(key.room);
    measured.endLayout();
    const auto elide = Qt::TextElideMode(key.elide);
    QString shown = key.text;
    if (elide != Qt::ElideNone && line.naturalTextWidth() > key.room)
        shown = QFontMetrics(m_font).elidedText(key.text, elide, key.room);
    QStaticText text(shown);
    text.setTextFormat(Qt::PlainText);
    text.setTextOption(option);
    text.setTextWidth(key.room);
    text.setPerformanceHint(QStaticText::AggressiveCaching);
    text.prepare(QTransform(), m_font);
    return *m_cache.insert(key, Laid { text, qCeil(line.height()) });
}

qreal CachedTextDelegate::textWidth(const QString &text, const QFont &font) const
{
    useFont(font);
    auto it = m_widths.find(text);
    if (it == m_widths.end())
        it = m_widths.insert(text, QFontMetricsF(font).horizontalAdvance(text));
    return *it;
}

void CachedTextDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    constexpr auto Unhandled = QStyleOptionViewItem::HasDecoration
        | QStyleOptionViewItem::HasCheckIndicator | QStyleOptionViewItem::WrapText;
    if ((opt.features & Unhandled) || (opt.state & QStyle::State_Editing) || opt.font != option.font
        || opt.text.contains(QChar::LineSeparator) || opt.text.contains(QChar::LineFeed)
        || !drawsItemsAsQCommonStyle(style)) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    painter->save();
    painter->setClipRect(opt.rect);
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    QPalette::ColorGroup group
        = opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    if (group == QPalette::Normal && !(opt.state & QStyle::State_Active))
        group = QPalette::Inactive;
    if (!opt.text.isEmpty()) {
        useFont(opt.font);
        // QCommonStyle's margins: the focus frame's, and one pixel.
        const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
        const QRect room = opt.rect.adjusted(margin, 0, -margin, 0);
        const Qt::Alignment alignment
            = QStyle::visualAlignment(opt.direction, opt.displayAlignment);
        const Laid &laid = laidOut({ opt.text, room.width(),
            int(alignment & Qt::AlignHorizontal_Mask), int(opt.textElideMode), opt.direction });
        // Across, the layout spans the room and aligns the line itself; down, the line is placed
        // in the room as QCommonStyle places it.
        const QRect line = QStyle::alignedRect(opt.direction, alignment & Qt::AlignVertical_Mask,
            QSize(room.width(), laid.height), room);
        painter->setPen(opt.palette.color(group,
            opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text));
        painter->setFont(opt.font);
        painter->drawStaticText(QPointF(room.x(), line.top()), laid.text);
    }
    if (opt.state & QStyle::State_HasFocus) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(opt);
        focus.rect = style->subElementRect(QStyle::SE_ItemViewItemFocusRect, &opt, widget);
        focus.state |= QStyle::State_KeyboardFocusChange | QStyle::State_Item;
        focus.backgroundColor = opt.palette.color(
            group, opt.state & QStyle::State_Selected ? QPalette::Highlight : QPalette::Window);
        style->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, widget);
    }
    painter->restore();
}

} // namespace Monitor
