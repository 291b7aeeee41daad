// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-fork N: forks N workers at once and measures the time from each fork() to its 'online',
// and until all are online. The same measurement as ../shared/peers/node/fork.js.
// Prints one JSON line:
// {"peer":"libcluster","workers":N,"all_online_ms":..,"p50_ms":..,"max_ms":..} The worker side is
// lean: a QCoreApplication and its event loop, nothing else.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (Cluster::isWorker())
        return app.exec(); // idle worker: online as soon as its event loop runs

    const QStringList args = app.arguments();
    const int n = args.size() > 1 && args.at(1).toInt() > 0 ? args.at(1).toInt() : 8;

    Cluster *cluster = Cluster::instance();
    std::vector<double> latencies;
    latencies.reserve(size_t(n));
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < n; ++i) {
        const qint64 forkedAt = total.nsecsElapsed();
        Worker *worker = cluster->fork();
        QObject::connect(worker, &Worker::online, worker, [&, forkedAt, n] {
            latencies.push_back(double(total.nsecsElapsed() - forkedAt) / 1e6);
            if (int(latencies.size()) == n) {
                const double allOnline = double(total.nsecsElapsed()) / 1e6;
                std::sort(latencies.begin(), latencies.end());
                std::printf("{\"peer\":\"libcluster\",\"workers\":%d,\"all_online_ms\":%.3f,"
                            "\"p50_ms\":%.3f,\"max_ms\":%.3f}\n",
                    n, allOnline, latencies[size_t(n >> 1)], latencies[size_t(n - 1)]);
                std::fflush(stdout);
                cluster->disconnectAll();
            }
        });
        QObject::connect(
            worker, &Worker::errorOccurred, worker, [](Worker::Error, const QString &text) {
                std::fprintf(stderr, "worker error: %s\n", qPrintable(text));
                QCoreApplication::exit(1);
            });
    }
    QObject::connect(cluster, &Cluster::allDisconnected, &app, [] { QCoreApplication::exit(0); });
    return app.exec();
}
