// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'disconnect' event example of the Node cluster docs.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();
    if (Cluster::isWorker())
        return app.exec();

    QObject::connect(cluster, &Cluster::workerDisconnected, [](Worker *worker) {
        QTextStream(stdout) << "The worker #" << worker->id() << " has disconnected" << Qt::endl;
    });

    // Not in the Node example: two workers, disconnected once both are online
    // (cluster.disconnect()); end when allDisconnected() follows and the workers are gone.
    cluster->fork();
    cluster->fork();
    int online = 0;
    QObject::connect(cluster, &Cluster::workerOnline, [cluster, &online] {
        if (++online == 2)
            cluster->disconnectAll();
    });
    QObject::connect(cluster, &Cluster::allDisconnected,
        [] { QTextStream(stdout) << "all workers disconnected" << Qt::endl; });
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
