// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ReadableColor: WCAG contrast, and a colour's lightness moved until it reaches the minimum.
#include "readablecolor.h"

#include <QGuiApplication>
#include <QPalette>

#include <cmath>

namespace Monitor {

namespace {
double luminance(const QColor &color)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF());
}
} // namespace

double ReadableColor::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

QColor ReadableColor::on(const QColor &color, const QColor &background)
{
    if (contrast(color, background) >= MinimumContrast)
        return color;
    // Same hue and saturation, so that green stays "listening" and red "crashed".
    const bool darkBackground = luminance(background) < 0.2;
    QColor adjusted = color.toHsl();
    for (int step = 0; step < 32 && contrast(adjusted, background) < MinimumContrast; ++step) {
        const int lightness = adjusted.lightness() + (darkBackground ? 8 : -8);
        adjusted.setHsl(adjusted.hslHue(), adjusted.hslSaturation(), qBound(0, lightness, 255),
            adjusted.alpha());
    }
    return adjusted.toRgb();
}

QColor ReadableColor::onBase(const QColor &color)
{
    return on(color, QGuiApplication::palette().color(QPalette::Base));
}

} // namespace Monitor
