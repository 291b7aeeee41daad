// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-monitor-stall: the real monitor window, 64 workers flooding it with 5,000 events a
// second for 10 seconds; prints the worst event-loop stall and the memory used.
//
//   bench-monitor-stall [--workers 64] [--rate 5000] [--seconds 10] [--max-stall 100]
//                       [--print-every 100] [--panel log|output]
//
// Exits 1 when the worst stall is above --max-stall ms or the event log outgrew its cap.
#include "clustercontroller.h"
#include "eventlogmodel.h"
#include "mainwindow.h"
#include "stallmeter.h"
#include "workertablemodel.h"

#include <QApplication>
#include <QCborMap>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <cstdio>
#include <sys/resource.h>

using namespace LibCluster;
using namespace Monitor;

namespace {
// From /proc/self/status: "VmRSS" now, "VmHWM" the peak; in KiB.
qint64 memoryKiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// The 1, 5 and 15 minute load averages, with a newline.
QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown\n");
    const QList<QByteArray> fields = file.readAll().split(' ');
    return QString::fromLatin1(fields.mid(0, 3).join(' ')) + QLatin1Char('\n');
}

// CPU time this process has used, in seconds.
double cpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}
} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench-monitor-stall"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption workersOption(QStringLiteral("workers"), QStringLiteral("Workers."),
        QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
        QStringLiteral("Events per second, all workers."), QStringLiteral("N"),
        QStringLiteral("5000"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("Length of the run."), QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption maxStallOption(QStringLiteral("max-stall"),
        QStringLiteral("Fail above this stall, ms."), QStringLiteral("MS"), QStringLiteral("100"));
    const QCommandLineOption printOption(QStringLiteral("print-every"),
        QStringLiteral("Each worker prints every Nth message to stdout (captured output load)."),
        QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption panelOption(QStringLiteral("panel"),
        QStringLiteral("The bottom panel in front during the run: log or output."),
        QStringLiteral("NAME"), QStringLiteral("log"));
    parser.addOptions(
        { workersOption, rateOption, secondsOption, maxStallOption, printOption, panelOption });
    parser.process(app);
    const int workers = parser.value(workersOption).toInt();
    const double rate = parser.value(rateOption).toDouble();
    const int seconds = parser.value(secondsOption).toInt();
    const double maxStall = parser.value(maxStallOption).toDouble();

    MainWindow window;
    window.setPersistent(false);
    window.resize(1400, 900);
    window.show();
    if (parser.value(panelOption) == QLatin1String("output")) {
        if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("outputDock")))
            dock->raise();
    }

    ClusterConfig config;
    config.program
        = QCoreApplication::applicationDirPath() + QStringLiteral("/monitor-load-worker");
    config.arguments = { QStringLiteral("--rate"), QString::number(rate / workers, 'f', 3),
        QStringLiteral("--print-every"), parser.value(printOption) };
    config.workers = workers;
    config.captureOutput = true;
    window.startCluster(config);

    ClusterController *controller = window.controller();
    int online = 0;
    // The cluster starts in its own thread; what it does reaches this one from the event loop.
    QObject::connect(controller, &ClusterSource::workerOnline, &app, [&] { ++online; });
    std::printf("forking %d workers of %s\n", workers, qPrintable(config.program));
    std::fflush(stdout);
    waitFor([&] { return online >= workers; }, 60000);
    if (online < workers) {
        std::fprintf(stderr, "only %d of %d workers came online\n", online, workers);
        return 2;
    }
    waitFor([] { return false; }, 500); // let the start-up events drain

    qint64 messages = 0;
    QObject::connect(controller, &ClusterSource::messageReceived, &app, [&] { ++messages; });
    EventLogModel *log = window.eventLog();
    const qint64 eventsBefore = log->totalEvents();
    const qint64 rssBefore = memoryKiB("VmRSS");

    const double cpuBefore = cpuSeconds();
    StallMeter meter(10);
    meter.start();
    QElapsedTimer clock;
    clock.start();
    QCborMap go;
    go.insert(QStringLiteral("go"), true);
    controller->sendMessage({}, go, [](int, const QString &) {});
    qint64 rssMax = rssBefore;
    int maxRows = 0;
    QTimer probe;
    probe.setInterval(250);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        rssMax = qMax(rssMax, memoryKiB("VmRSS"));
        maxRows = qMax(maxRows, log->rowCount());
    });
    probe.start();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
    meter.stop();
    probe.stop();
    const double elapsed = double(clock.elapsed()) / 1000.0;
    const double cpuUsed = cpuSeconds() - cpuBefore;
    QCborMap stop;
    stop.insert(QStringLiteral("stop"), true);
    controller->sendMessage({}, stop, [](int, const QString &) {});
    const qint64 events = log->totalEvents() - eventsBefore;
    const qint64 rssAfter = memoryKiB("VmRSS");

    std::printf("workers:            %d (all online)\n", workers);
    std::printf("duration:           %.1f s\n", elapsed);
    std::printf("messages received:  %lld (%.0f/s, target %.0f/s)\n", messages,
        double(messages) / elapsed, rate);
    std::printf("events logged:      %lld (%.0f/s)\n", events, double(events) / elapsed);
    std::printf("event log rows:     %d at most (cap %d)\n", maxRows, log->capacity());
    std::printf(
        "worst stall:        %.1f ms (10 ms timer; p99 gap %.1f ms, p50 %.1f ms, %d ticks)\n",
        meter.worstGap(), meter.percentile(0.99), meter.percentile(0.5), meter.ticks());
    std::printf("busiest gap:        %.1f ms of CPU in a gap of %.1f ms (the loop's own work)\n",
        meter.busiestGapCpu(), meter.busiestGap());
    std::printf(
        "worst gap's work:   %.1f ms of CPU; %.1f ms waiting for a CPU, preempted %ld times\n",
        meter.worstGapCpu(), meter.worstGapRunQueueWait(), meter.worstGapPreemptions());
    std::printf("load average:       %s", qPrintable(loadAverage()));
    std::printf(
        "monitor CPU:        %.0f %% of one core (%.2f s)\n", 100 * cpuUsed / elapsed, cpuUsed);
    std::printf("memory (RSS):       %.1f MiB before, %.1f MiB peak, %.1f MiB after\n",
        double(rssBefore) / 1024, double(rssMax) / 1024, double(rssAfter) / 1024);
    std::fflush(stdout);

    const bool ok = meter.worstGap() <= maxStall && maxRows <= log->capacity();
    std::printf("%s\n", ok ? "PASS" : "FAIL");
    controller->setGracePeriod(2000);
    window.close();
    waitFor([&] { return controller->status() == ClusterController::Status::Stopped; }, 10000);
    return ok ? 0 : 1;
}
