// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SparklineDelegate: the line first, then the cell as the style paints it.
#include "sparklinedelegate.h"

#include "workertablemodel.h"

#include <QPainter>

namespace Monitor {

QPolygonF SparklineDelegate::mapHistory(const QList<double> &history, const QRectF &rect)
{
    QPolygonF points;
    if (history.size() < 2)
        return points;
    const double top = qMax(1.0, *std::max_element(history.cbegin(), history.cend()));
    const qreal step = rect.width() / qreal(WorkerTableModel::RateHistoryLength - 1);
    // The newest sample at the right edge, like the chart.
    const qreal start = rect.right() - step * qreal(history.size() - 1);
    for (int i = 0; i < history.size(); ++i)
        points.append(QPointF(start + step * i,
            rect.bottom() - qBound(0.0, history.at(i) / top, 1.0) * rect.height()));
    return points;
}

void SparklineDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    CachedTextDelegate::paint(painter, option, index);
    const QList<double> history
        = index.data(WorkerTableModel::RateHistoryRole).value<QList<double>>();
    if (history.size() < 2)
        return;
    // Left of the figure, which is right-aligned; nothing when there is no room.
    const QRectF cell = QRectF(option.rect).adjusted(4, 4, -4, -4);
    const qreal figure = textWidth(index.data().toString(), option.font) + 8;
    const qreal width = qMin<qreal>(60, cell.width() - figure);
    if (width < 16)
        return;
    const QRectF area(cell.left(), cell.top(), width, cell.height());
    QColor color = option.palette.color(QPalette::Highlight);
    if (option.state & QStyle::State_Selected)
        color = option.palette.color(QPalette::HighlightedText);
    color.setAlpha(170);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    painter->setPen(QPen(color, 1.2));
    painter->drawPolyline(mapHistory(history, area));
    painter->restore();
}

} // namespace Monitor
