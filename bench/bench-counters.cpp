// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-counters [WORKERS] [NAMES]: forks WORKERS workers that each count NAMES distinct counter
// names (at most Worker::MaxCounterNames), then measures what a primary with a monitor attached
// does every stats tick: EventStream::stats() and its JSON line, built 50 times.
// Prints one JSON line: {"peer":"libcluster","workers":W,"names":N,"arrived_ms":..,
//   "stats_p50_ms":..,"stats_max_ms":..,"line_bytes":..}
#include <libcluster/cluster.h>
#include <libcluster/eventstream.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int workers = args.size() > 1 && args.at(1).toInt() > 0 ? args.at(1).toInt() : 16;
    const int names = args.size() > 2 && args.at(2).toInt() > 0
        ? qMin(args.at(2).toInt(), Worker::MaxCounterNames)
        : Worker::MaxCounterNames;
    if (Worker *self = Cluster::worker()) {
        for (int i = 0; i < names; ++i)
            self->addToCounter(QStringLiteral("bench.counter.%1").arg(i));
        return app.exec();
    }

    Cluster *cluster = Cluster::instance();
    EventStream stream(cluster);
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    const auto arrived = [&] {
        const auto all = cluster->workers();
        return all.size() == workers && std::all_of(all.cbegin(), all.cend(), [&](Worker *w) {
            return w->counters().size() == names;
        });
    };
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (!arrived())
            return;
        poll.stop();
        const double arrivedMs = double(clock.nsecsElapsed()) / 1e6;
        std::vector<double> builds;
        qsizetype bytes = 0;
        for (int i = 0; i < 50; ++i) {
            QElapsedTimer build;
            build.start();
            bytes = QJsonDocument(stream.stats()).toJson(QJsonDocument::Compact).size();
            builds.push_back(double(build.nsecsElapsed()) / 1e6);
        }
        std::sort(builds.begin(), builds.end());
        std::printf("{\"peer\":\"libcluster\",\"workers\":%d,\"names\":%d,\"arrived_ms\":%.1f,"
                    "\"stats_p50_ms\":%.3f,\"stats_max_ms\":%.3f,\"line_bytes\":%lld}\n",
            workers, names, arrivedMs, builds[builds.size() / 2], builds.back(), qint64(bytes));
        std::fflush(stdout);
        cluster->disconnectAll();
    });
    poll.start(10);
    QObject::connect(cluster, &Cluster::allDisconnected, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}
