// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-metrics [WORKERS] [NAMES] [SECONDS]: what Prometheus scraping costs the primary. Forks
// WORKERS workers (64) that each keep NAMES counter names (1,000, the limit) and add to some of
// them every second, serves /metrics with MetricsServer, and measures the primary's CPU time
// (all its threads, getrusage) over SECONDS (10) without scrapes, then over SECONDS with a
// scrape every second by curl, from a shell loop started once. Also times building the answer
// itself. Prints one JSON line: {"workers":W,"names":N,"body_bytes":..,"build_cpu_p50_ms":..,
//   "build_cpu_max_ms":..,"idle_cpu_percent":..,"scraped_cpu_percent":..,"extra_cpu_percent":..}
// (percent of one core).
#include <libcluster/cluster.h>
#include <libcluster/metricsserver.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <sys/resource.h>
#include <time.h>
#include <vector>

using namespace LibCluster;

namespace {
double cpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double threadCpuSeconds()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto argument = [&](int index, int fallback, int most) {
        const int value = args.size() > index ? args.at(index).toInt() : 0;
        return value > 0 ? qMin(value, most) : fallback;
    };
    const int workers = argument(1, 64, 1024);
    const int names = qMax(2, argument(2, Worker::MaxCounterNames, Worker::MaxCounterNames));
    const int seconds = argument(3, 10, 3600);
    if (Worker *self = Cluster::worker()) {
        // "requests" is one of the names.
        self->addToCounter(QStringLiteral("requests"));
        for (int i = 1; i < names; ++i)
            self->addToCounter(QStringLiteral("bench.counter.%1").arg(i));
        // A little traffic, as a serving worker has: the counters keep changing.
        auto *traffic = new QTimer(&app);
        int next = 1;
        QObject::connect(traffic, &QTimer::timeout, &app, [&] {
            self->addToCounter(QStringLiteral("requests"), 100);
            for (int i = 0; i < 10; ++i, next = next % (names - 1) + 1)
                self->addToCounter(QStringLiteral("bench.counter.%1").arg(next));
        });
        traffic->start(1000);
        return app.exec();
    }

    Cluster *cluster = Cluster::instance();
    Settings settings;
    settings.setListenWarningTimeout(0); // these workers only count
    cluster->setupPrimary(settings);
    MetricsServer server(cluster);
    if (!server.listen()) {
        std::fprintf(stderr, "bench-metrics: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    const auto arrived = [&] {
        const auto all = cluster->workers();
        return all.size() == workers && std::all_of(all.cbegin(), all.cend(), [&](Worker *w) {
            return w->counters().size() >= names;
        });
    };
    const QString url = QStringLiteral("http://127.0.0.1:%1/metrics").arg(server.serverPort());

    double idleStart = 0;
    double scrapedStart = 0;
    double idlePercent = 0;
    QElapsedTimer window;
    int phase = 0; // 0 waiting for the counters, 1 idle, 2 scraped
    int scrapes = 0;
    int failedScrapes = 0;
    QProcess scraper;
    QObject::connect(&scraper, &QProcess::readyReadStandardOutput, &app, [&] {
        while (scraper.canReadLine()) {
            const QByteArray line = scraper.readLine().trimmed();
            ++(line == "ok" ? scrapes : failedScrapes);
        }
    });
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        if (phase == 0) {
            if (!arrived())
                return;
            phase = 1;
            tick.setInterval(1000);
            window.start();
            idleStart = cpuSeconds();
            return;
        }
        if (phase == 1 && window.elapsed() >= seconds * 1000) {
            idlePercent = 100.0 * (cpuSeconds() - idleStart) / (double(window.elapsed()) / 1000);
            phase = 2;
            // Scrapes as Prometheus makes them, once a second, from one separate process
            // started once, so that starting scrapers costs the primary nothing.
            scraper.start(QStringLiteral("sh"),
                { QStringLiteral("-c"),
                    QStringLiteral(
                        "while :; do curl -sf -o /dev/null %1 && echo ok || echo failed; "
                        "sleep 1; done")
                        .arg(url) });
            window.start();
            scrapedStart = cpuSeconds();
        }
        if (phase != 2)
            return;
        if (window.elapsed() >= seconds * 1000) {
            const double scrapedPercent
                = 100.0 * (cpuSeconds() - scrapedStart) / (double(window.elapsed()) / 1000);
            // The cost of one answer, built here without the network.
            std::vector<double> builds;
            qsizetype bytes = 0;
            for (int i = 0; i < 20; ++i) {
                // CPU time, not wall time: on a busy machine the wall clock counts others' work.
                const double before = threadCpuSeconds();
                bytes = server.metrics().size();
                builds.push_back((threadCpuSeconds() - before) * 1000);
            }
            std::sort(builds.begin(), builds.end());
            std::printf("{\"workers\":%d,\"names\":%d,\"seconds\":%d,\"scrapes\":%d,"
                        "\"failed_scrapes\":%d,\"body_bytes\":%lld,\"build_cpu_p50_ms\":%.2f,"
                        "\"build_cpu_max_ms\":%.2f,\"idle_cpu_percent\":%.2f,"
                        "\"scraped_cpu_percent\":%.2f,\"extra_cpu_percent\":%.2f}\n",
                workers, names, seconds, scrapes, failedScrapes, static_cast<long long>(bytes),
                builds[builds.size() / 2], builds.back(), idlePercent, scrapedPercent,
                scrapedPercent - idlePercent);
            std::fflush(stdout);
            tick.stop();
            scraper.kill();
            scraper.waitForFinished();
            cluster->disconnectAll();
            QObject::connect(cluster, &Cluster::allDisconnected, &app, &QCoreApplication::quit);
            return;
        }
    });
    tick.start(50);
    return app.exec();
}
