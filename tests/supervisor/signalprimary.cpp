// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A primary for the termination-signal tests: a Cluster and a Supervisor that shuts the cluster
// down gracefully on SIGTERM or SIGINT, then quits.
//
//   signalprimary TESTWORKER [--straggler]
//
// Forks two testworkers (through Supervisor::scaleTo); with --straggler also a third that ignores
// SIGTERM and blocks its event loop, so it never answers the disconnect. Prints, each on a line:
//   ready PID PID [PID]         once every worker is online (worker process ids)
//   exited ID CODE SIGNAL       for every worker exit
//   shutdown finished           on Supervisor::shutdownFinished
// and returns what the event loop returns (0 after a graceful shutdown).
#include <libcluster/cluster.h>
#include <libcluster/supervisor.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QStringList>

#include <cstdio>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: signalprimary TESTWORKER [--straggler]\n");
        return 2;
    }
    const bool straggler = args.contains(QStringLiteral("--straggler"));
    const int expected = straggler ? 3 : 2;

    Cluster cluster;
    Settings settings;
    settings.setExec(args.at(1));
    settings.setArgs({});
    cluster.setupPrimary(settings);

    Supervisor supervisor(&cluster);
    supervisor.setHandleTerminationSignals(true, 2000);

    QStringList pids;
    QObject::connect(&cluster, &Cluster::workerOnline, &app, [&](Worker *worker) {
        if (worker->id() == 3)
            worker->send(QCborMap({ { QStringLiteral("do"), QStringLiteral("block") },
                { QStringLiteral("ms"), 60000 } }));
        pids.append(QString::number(worker->processId()));
        if (pids.size() == expected) {
            std::printf("ready %s\n", qPrintable(pids.join(QLatin1Char(' '))));
            std::fflush(stdout);
        }
    });
    QObject::connect(&cluster, &Cluster::workerExited, &app, [](Worker *worker, int code, int sig) {
        std::printf("exited %d %d %d\n", worker->id(), code, sig);
        std::fflush(stdout);
    });
    QObject::connect(&supervisor, &Supervisor::shutdownFinished, &app, [] {
        std::printf("shutdown finished\n");
        std::fflush(stdout);
    });

    supervisor.scaleTo(2);
    if (straggler) {
        Settings stubborn;
        stubborn.setArgs({ QStringLiteral("--ignore-sigterm") });
        cluster.setupPrimary(stubborn);
        cluster.fork();
    }
    return app.exec();
}
