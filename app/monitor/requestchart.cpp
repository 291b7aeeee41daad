// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RequestChart: axes, grid, one thin line per worker with a colour key, the total on top, a hover
// read-out.
#include "requestchart.h"

#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Monitor {

namespace {
// Two samples a second would still fill the whole window.
constexpr int RingCapacity = 600;
} // namespace

RequestChart::RequestChart(QWidget *parent)
    : QWidget(parent)
    , m_ring(RingCapacity)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(false);
}

void RequestChart::addSample(
    qint64 timeMs, double total, const QVector<QPair<int, double>> &perWorker)
{
    Sample &slot = m_ring[m_head];
    slot.time = timeMs;
    slot.total = total;
    slot.perWorker = perWorker;
    slot.cpuTotal = 0;
    slot.cpu.clear();
    slot.memoryTotal = 0;
    slot.memory.clear();
    m_head = (m_head + 1) % m_ring.size();
    m_count = qMin(m_count + 1, int(m_ring.size()));
    update();
}

void RequestChart::addUsage(qint64 timeMs, double totalCpu, const QVector<QPair<int, double>> &cpu,
    double totalMemory, const QVector<QPair<int, double>> &memory)
{
    if (m_count == 0)
        return;
    const int size = int(m_ring.size());
    Sample &newest = m_ring[(m_head - 1 + size) % size];
    if (newest.time != timeMs)
        return;
    newest.cpuTotal = totalCpu;
    newest.cpu = cpu;
    newest.memoryTotal = totalMemory;
    newest.memory = memory;
    if (m_metric != Requests)
        update();
}

void RequestChart::setMetric(Metric metric)
{
    m_metric = metric;
    update();
}

double RequestChart::totalOf(const Sample &sample) const
{
    switch (m_metric) {
    case Cpu:
        return sample.cpuTotal;
    case Memory:
        return sample.memoryTotal / (1024.0 * 1024.0);
    case Requests:
        break;
    }
    return sample.total;
}

QVector<QPair<int, double>> RequestChart::perWorkerOf(const Sample &sample) const
{
    switch (m_metric) {
    case Cpu:
        return sample.cpu;
    case Memory: {
        QVector<QPair<int, double>> mebibytes = sample.memory;
        for (auto &entry : mebibytes)
            entry.second /= 1024.0 * 1024.0;
        return mebibytes;
    }
    case Requests:
        break;
    }
    return sample.perWorker;
}

QList<int> RequestChart::keyWorkerIds() const
{
    QList<int> ids;
    if (m_count == 0)
        return ids;
    for (const auto &entry : sampleAt(m_count - 1).perWorker)
        ids.append(entry.first);
    std::sort(ids.begin(), ids.end());
    return ids;
}

QString RequestChart::formatValue(double value) const
{
    if (m_metric == Cpu)
        return QLocale().toString(value, 'f', 0) + QStringLiteral(" %");
    if (m_metric == Memory)
        return formatRate(value) + tr(" MiB");
    return formatRate(value);
}

QString RequestChart::headlineText(double value) const
{
    const QLocale locale;
    switch (m_metric) {
    case Cpu:
        return tr("Total: %1 % CPU").arg(locale.toString(value, 'f', 1));
    case Memory:
        return tr("Total: %1 MiB resident").arg(locale.toString(value, 'f', 1));
    case Requests:
        break;
    }
    return tr("Total: %1 requests/s").arg(locale.toString(value, 'f', 0));
}

void RequestChart::clear()
{
    m_head = 0;
    m_count = 0;
    update();
}

void RequestChart::setTimeWindow(qint64 msecs)
{
    m_window = qMax<qint64>(1000, msecs);
    update();
}

const RequestChart::Sample &RequestChart::sampleAt(int i) const
{
    const int size = int(m_ring.size());
    return m_ring.at(((m_head - m_count + i) % size + size) % size);
}

void RequestChart::setShowsPerWorker(bool show)
{
    m_perWorker = show;
    update();
}

QPointF RequestChart::mapToPoint(
    qint64 sampleTime, double value, qint64 now, qint64 window, double yMaximum, const QRectF &plot)
{
    const double age = double(now - sampleTime);
    const double x = plot.right() - (window > 0 ? age / double(window) : 0.0) * plot.width();
    const double fraction = yMaximum > 0 ? std::clamp(value / yMaximum, 0.0, 1.0) : 0.0;
    return QPointF(x, plot.bottom() - fraction * plot.height());
}

double RequestChart::niceMaximum(double value)
{
    if (!(value > 10))
        return 10;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : { 1.0, 2.0, 5.0, 10.0 }) {
        if (step * magnitude >= value)
            return step * magnitude;
    }
    return 10 * magnitude;
}

QColor RequestChart::workerColor(int workerId)
{
    // The golden angle spreads neighbouring ids far apart on the colour wheel.
    const int hue = int(std::fmod(workerId * 137.508, 360.0));
    return QColor::fromHsv(hue, 170, 200);
}

QSize RequestChart::sizeHint() const
{
    return QSize(600, 200);
}

QSize RequestChart::minimumSizeHint() const
{
    return QSize(200, 100);
}

QRectF RequestChart::plotArea() const
{
    const QFontMetrics metrics(font());
    const qreal left = metrics.horizontalAdvance(QStringLiteral("000.0k MiB")) + 12;
    const qreal top = metrics.height() + 10;
    const qreal bottom = metrics.height() + 8;
    return QRectF(
        left, top, qMax<qreal>(10, width() - left - 12), qMax<qreal>(10, height() - top - bottom));
}

double RequestChart::visibleMaximum() const
{
    if (m_count == 0)
        return 0;
    const qint64 now = sampleAt(m_count - 1).time;
    double maximum = 0;
    for (int i = 0; i < m_count; ++i) {
        const Sample &sample = sampleAt(i);
        if (now - sample.time <= m_window)
            maximum = qMax(maximum, totalOf(sample));
    }
    return maximum;
}

QString RequestChart::formatRate(double value) const
{
    const QLocale locale;
    if (value >= 1000)
        return locale.toString(value / 1000.0, 'f', std::fmod(value, 1000.0) == 0 ? 0 : 1)
            + QLatin1Char('k');
    return locale.toString(value, 'f', value < 10 && std::fmod(value, 1.0) != 0 ? 1 : 0);
}

void RequestChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    const QRectF plot = plotArea();
    const QColor text = palette().color(QPalette::Text);
    QColor grid = palette().color(QPalette::Mid);
    grid.setAlpha(110);
    const QFontMetrics metrics(font());
    const double yMaximum = niceMaximum(visibleMaximum());

    // Grid and axis labels.
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (int i = 0; i <= 4; ++i) {
        const double value = yMaximum * i / 4;
        const qreal y = mapToPoint(0, value, 0, m_window, yMaximum, plot).y();
        painter.setPen(QPen(grid, 1, i == 0 ? Qt::SolidLine : Qt::DotLine));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(text);
        const QString label = formatValue(value);
        painter.drawText(QRectF(0, y - metrics.height() / 2.0, plot.left() - 6, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, label);
    }
    const int minutes = int(m_window / 60000);
    for (int m = 0; m <= minutes; ++m) {
        const qreal x = mapToPoint(-qint64(m) * 60000, 0, 0, m_window, yMaximum, plot).x();
        painter.setPen(QPen(grid, 1, Qt::DotLine));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter.setPen(text);
        const QString label = m == 0 ? tr("now") : tr("-%1 min").arg(m);
        const qreal w = metrics.horizontalAdvance(label);
        const qreal left = std::clamp(x - w / 2, plot.left() - w / 2, qreal(width()) - w - 2);
        painter.drawText(QPointF(left, plot.bottom() + metrics.ascent() + 4), label);
    }

    const QColor total = palette().color(QPalette::Highlight);
    if (m_count == 0) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(plot, Qt::AlignCenter,
            m_metric == Requests ? tr("Waiting for request counts\u2026")
                                 : tr("Waiting for CPU and memory figures\u2026"));
    } else {
        const qint64 now = sampleAt(m_count - 1).time;
        painter.save();
        painter.setClipRect(plot.adjusted(0, -2, 0, 2));
        painter.setRenderHint(QPainter::Antialiasing, true);

        if (m_perWorker) {
            // One path per worker, broken where the worker was absent.
            QHash<int, QPainterPath> paths;
            QHash<int, qint64> lastSeen;
            qint64 previousTime = std::numeric_limits<qint64>::min();
            for (int i = 0; i < m_count; ++i) {
                const Sample &sample = sampleAt(i);
                if (now - sample.time > m_window + 2000)
                    continue;
                const QVector<QPair<int, double>> values = perWorkerOf(sample);
                for (const auto &[id, rate] : values) {
                    const QPointF point
                        = mapToPoint(sample.time, rate, now, m_window, yMaximum, plot);
                    QPainterPath &path = paths[id];
                    if (path.elementCount() == 0 || lastSeen.value(id) != previousTime)
                        path.moveTo(point);
                    else
                        path.lineTo(point);
                    lastSeen[id] = sample.time;
                }
                previousTime = sample.time;
            }
            for (auto it = paths.cbegin(); it != paths.cend(); ++it) {
                QColor color = workerColor(it.key());
                color.setAlpha(190);
                painter.setPen(QPen(color, 1.2));
                painter.drawPath(it.value());
            }
        }

        QPainterPath line;
        QPainterPath area;
        bool first = true;
        QPointF firstPoint;
        QPointF lastPoint;
        for (int i = 0; i < m_count; ++i) {
            const Sample &sample = sampleAt(i);
            if (now - sample.time > m_window + 2000)
                continue;
            const QPointF point
                = mapToPoint(sample.time, totalOf(sample), now, m_window, yMaximum, plot);
            if (first) {
                line.moveTo(point);
                firstPoint = point;
                first = false;
            } else {
                line.lineTo(point);
            }
            lastPoint = point;
        }
        area = line;
        area.lineTo(lastPoint.x(), plot.bottom());
        area.lineTo(firstPoint.x(), plot.bottom());
        area.closeSubpath();
        QColor fill = total;
        fill.setAlpha(40);
        painter.fillPath(area, fill);
        painter.setPen(QPen(total, 2.2));
        painter.drawPath(line);

        if (m_hoverX >= plot.left() && m_hoverX <= plot.right()) {
            const int nearest = nearestSample(m_hoverX);
            if (nearest >= 0) {
                const Sample &sample = sampleAt(nearest);
                const QPointF point
                    = mapToPoint(sample.time, totalOf(sample), now, m_window, yMaximum, plot);
                painter.setPen(QPen(text, 1, Qt::DashLine));
                painter.drawLine(QPointF(point.x(), plot.top()), QPointF(point.x(), plot.bottom()));
                painter.setBrush(total);
                painter.setPen(Qt::NoPen);
                painter.drawEllipse(point, 3.5, 3.5);
            }
        }
        painter.restore();
    }

    // Legend: the newest total, and what the thin lines are.
    painter.setRenderHint(QPainter::Antialiasing, true);
    const double newest = m_count > 0 ? totalOf(sampleAt(m_count - 1)) : 0;
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(total);
    const QString headline = headlineText(newest);
    painter.drawText(QPointF(plot.left(), metrics.ascent() + 3), headline);
    painter.setFont(font());
    const QString span = tr("last %n minute(s)", "", minutes);
    if (m_perWorker) {
        // The colour key: a swatch and the id of each worker drawn, as far as there is room.
        const qreal right = plot.right() - metrics.horizontalAdvance(span) - 12;
        qreal x = plot.left() + QFontMetrics(bold).horizontalAdvance(headline) + 18;
        const QList<int> ids = keyWorkerIds();
        for (int i = 0; i < ids.size(); ++i) {
            const QString label = QString::number(ids.at(i));
            const QString more = tr("+%1").arg(ids.size() - i);
            const qreal needed = 14 + metrics.horizontalAdvance(label) + 10
                + (i + 1 < ids.size() ? metrics.horizontalAdvance(more) : 0);
            if (x + needed > right) {
                painter.setPen(text);
                painter.drawText(QPointF(x, metrics.ascent() + 3), more);
                break;
            }
            painter.setPen(QPen(workerColor(ids.at(i)), 3));
            painter.drawLine(
                QPointF(x, metrics.ascent() - 1), QPointF(x + 10, metrics.ascent() - 1));
            painter.setPen(text);
            painter.drawText(QPointF(x + 14, metrics.ascent() + 3), label);
            x += 14 + metrics.horizontalAdvance(label) + 10;
        }
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(
        QPointF(plot.right() - metrics.horizontalAdvance(span), metrics.ascent() + 3), span);
}

int RequestChart::nearestSample(qreal x) const
{
    if (m_count == 0)
        return -1;
    const QRectF plot = plotArea();
    const qint64 now = sampleAt(m_count - 1).time;
    int best = -1;
    qreal bestDistance = 1e9;
    for (int i = 0; i < m_count; ++i) {
        const qreal distance
            = qAbs(mapToPoint(sampleAt(i).time, 0, now, m_window, 1, plot).x() - x);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return bestDistance <= 12 ? best : -1;
}

void RequestChart::mouseMoveEvent(QMouseEvent *event)
{
    m_hoverX = event->position().x();
    const int nearest = nearestSample(m_hoverX);
    if (nearest >= 0) {
        const Sample &sample = sampleAt(nearest);
        const qint64 ago = (sampleAt(m_count - 1).time - sample.time) / 1000;
        const QLocale locale;
        QString text = tr("%1 s ago").arg(ago) + QLatin1Char('\n') + headlineText(totalOf(sample));
        QVector<QPair<int, double>> busiest = perWorkerOf(sample);
        std::sort(busiest.begin(), busiest.end(),
            [](const auto &a, const auto &b) { return a.second > b.second; });
        for (int i = 0; i < busiest.size() && i < 8; ++i)
            text += QLatin1Char('\n')
                + tr("Worker %1: %2")
                      .arg(busiest.at(i).first)
                      .arg(formatValue(busiest.at(i).second));
        if (busiest.size() > 8)
            text += QLatin1Char('\n') + tr("\u2026 and %n more", "", int(busiest.size() - 8));
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
    } else {
        QToolTip::hideText();
    }
    update();
}

void RequestChart::leaveEvent(QEvent *)
{
    m_hoverX = -1;
    update();
}

} // namespace Monitor
