// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the worker.suicide example of the Node cluster docs (worker.exitedAfterDisconnect in
// later Node versions, Worker::exitedAfterDisconnect() here): a worker asked to leave exited on
// purpose. The docs end it with kill(); since Node 15 a kill from the primary is a signal, not a
// disconnect, and leaves the flag false, so the voluntary end here is a disconnect.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();
    if (Cluster::isWorker())
        return app.exec(); // the worker just runs until it is asked to leave

    QObject::connect(cluster, &Cluster::workerExited, [](Worker *worker) {
        if (worker->exitedAfterDisconnect())
            QTextStream(stdout) << QStringLiteral("Oh, it was just voluntary – no need to worry")
                                << Qt::endl;
    });

    // ask the worker to leave (once it runs, so that every run tells the same story)
    Worker *worker = cluster->fork();
    QObject::connect(
        worker, &Worker::online, worker, [worker] { worker->disconnectFromCluster(); });

    // Not in the Node example: end once the worker is gone.
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
