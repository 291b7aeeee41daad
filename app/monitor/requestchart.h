// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The live chart: requests/s, CPU or memory, total and per worker over the last minutes, painted
// by hand.
#pragma once

#include <QPair>
#include <QVector>
#include <QWidget>

namespace Monitor {

// KSignalPlotter's recipe: a plain QWidget, a ring buffer of samples, a paintEvent, and the
// sample -> point mapping as a pure function a test can check.
class RequestChart : public QWidget
{
    Q_OBJECT

public:
    // What the chart shows.
    enum Metric {
        Requests, // requests per second
        Cpu, // percent of one core
        Memory, // resident memory, bytes (shown in MiB)
    };
    Q_ENUM(Metric)

    struct Sample
    {
        qint64 time = 0; // ms, any monotonic clock
        double total = 0;
        QVector<QPair<int, double>> perWorker; // worker id, requests/s
        double cpuTotal = 0;
        QVector<QPair<int, double>> cpu; // worker id, percent of one core
        double memoryTotal = 0;
        QVector<QPair<int, double>> memory; // worker id, bytes
    };

    explicit RequestChart(QWidget *parent = nullptr);

    void addSample(qint64 timeMs, double total, const QVector<QPair<int, double>> &perWorker);
    // CPU and memory for the sample taken at `timeMs` (the newest one); ignored for any other.
    void addUsage(qint64 timeMs, double totalCpu, const QVector<QPair<int, double>> &cpu,
        double totalMemory, const QVector<QPair<int, double>> &memory);

    Metric metric() const { return m_metric; }
    void setMetric(Metric metric);
    // The value the chart plots for `sample`: its total, and per worker, in the current metric.
    double totalOf(const Sample &sample) const;
    QVector<QPair<int, double>> perWorkerOf(const Sample &sample) const;
    // The workers of the colour key: those in the newest sample, in id order.
    QList<int> keyWorkerIds() const;
    void clear();

    // The time span shown, ms. Default: 5 minutes.
    qint64 timeWindow() const { return m_window; }
    void setTimeWindow(qint64 msecs);
    // How many samples the ring buffer holds; older ones are overwritten.
    int capacity() const { return int(m_ring.size()); }
    int sampleCount() const { return m_count; }
    // The i-th sample, 0 the oldest kept.
    const Sample &sampleAt(int i) const;

    bool showsPerWorker() const { return m_perWorker; }
    void setShowsPerWorker(bool show);

    // Where a sample taken at `sampleTime` with `value` lands in `plot`, when the right edge is
    // `now`, the width spans `window` ms and the top is `yMaximum`. Values are clamped into the
    // plot vertically; times outside the window map outside it horizontally.
    static QPointF mapToPoint(qint64 sampleTime, double value, qint64 now, qint64 window,
        double yMaximum, const QRectF &plot);
    // The axis top for a largest value: 1, 2 or 5 times a power of ten, at least `value`
    // (and at least 10, so an idle cluster does not show noise as peaks).
    static double niceMaximum(double value);
    // A worker's line colour, the same for a worker every time.
    static QColor workerColor(int workerId);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRectF plotArea() const;
    double visibleMaximum() const;
    int nearestSample(qreal x) const;
    QString formatRate(double value) const;
    QString formatValue(double value) const;
    QString headlineText(double value) const;

    QVector<Sample> m_ring;
    int m_head = 0; // where the next sample goes
    int m_count = 0;
    qint64 m_window = 5 * 60 * 1000;
    bool m_perWorker = true;
    Metric m_metric = Requests;
    qreal m_hoverX = -1;
};

} // namespace Monitor
