// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Paints a worker's recent requests/s as a small line behind the figure in its table cell.
#pragma once

#include "cachedtextdelegate.h"

namespace Monitor {

// Reads WorkerTableModel::RateHistoryRole; the figure itself is painted as usual, on top.
class SparklineDelegate : public CachedTextDelegate
{
    Q_OBJECT

public:
    using CachedTextDelegate::CachedTextDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

    // Where the line of `history` goes in `rect`: one point per sample, the largest at the top
    // (at least 1, so an idle worker lies flat at the bottom). Pure, for tests.
    static QPolygonF mapHistory(const QList<double> &history, const QRectF &rect);
};

} // namespace Monitor
