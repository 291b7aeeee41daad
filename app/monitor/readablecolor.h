// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor's state colours, made readable on the palette in use, light or dark.
#pragma once

#include <QColor>

namespace Monitor {

class ReadableColor
{
public:
    // The least contrast (WCAG's ratio, 1 to 21) a coloured text or mark keeps on its background.
    static constexpr double MinimumContrast = 3.0;

    // `color` (chosen for a light background) as it shows on the application palette's Base:
    // unchanged where it already stands out, lighter on a dark palette, darker on a light one.
    static QColor onBase(const QColor &color);
    static QColor on(const QColor &color, const QColor &background);
    static double contrast(const QColor &a, const QColor &b);
};

} // namespace Monitor
