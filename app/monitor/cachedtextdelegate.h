// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Paints the text of busy tables from text laid out once, instead of laid out on every paint.
#pragma once

#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace Monitor {

// QStyledItemDelegate lays a cell's text out (shaping it, measuring it, eliding it) every time the
// cell is painted: in the workers table and the event log, which repaint several times a second
// under load, that was most of a frame. This delegate keeps each text it has laid out, for as
// long as it is painted, and draws it as QStyledItemDelegate does under Qt's Fusion and Windows
// styles, pixel for pixel: the same panel, colours, alignment, margins, elision and focus frame.
// Under any other style (which may draw items its own way, as a style sheet does), and for cells
// it does not speed up (an icon, a check box, a font of the model's own, several lines, an
// editor), QStyledItemDelegate paints.
class CachedTextDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    // At most this many laid-out texts are kept; then the cache starts again.
    static constexpr int MaxCachedTexts = 4096;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;

    // The width `text` takes in `font`, from a cache of the same kind.
    qreal textWidth(const QString &text, const QFont &font) const;
    // Texts laid out so far, and paints that found their text laid out already.
    qint64 layouts() const { return m_layouts; }
    qint64 hits() const { return m_hits; }

private:
    // A text as one cell shows it: laid out for the room it has, aligned and elided the cell's
    // way.
    struct Key
    {
        QString text;
        int room;
        int alignment;
        int elide;
        Qt::LayoutDirection direction;
        bool operator==(const Key &other) const
        {
            return room == other.room && alignment == other.alignment && elide == other.elide
                && direction == other.direction && text == other.text;
        }
        friend size_t qHash(const Key &key, size_t seed = 0) noexcept
        {
            return qHashMulti(
                seed, key.text, key.room, key.alignment, key.elide, int(key.direction));
        }
    };
    struct Laid
    {
        QStaticText text;
        int height; // of its line, as QTextLayout makes it (fallback fonts included)
    };

    const Laid &laidOut(const Key &key) const;
    void useFont(const QFont &font) const;

    mutable QHash<Key, Laid> m_cache;
    mutable QHash<QString, qreal> m_widths;
    mutable QFont m_font; // the font of everything cached
    mutable qint64 m_layouts = 0;
    mutable qint64 m_hits = 0;
};

} // namespace Monitor
