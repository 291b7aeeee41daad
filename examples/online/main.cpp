// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'online' event example of the Node cluster docs.
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

    QObject::connect(cluster, &Cluster::workerOnline, [](Worker *) {
        QTextStream(stdout) << "Yay, the worker responded after it was forked" << Qt::endl;
    });

    // Not in the Node example: two workers to respond, each disconnected once online; end once
    // they are gone.
    cluster->fork();
    cluster->fork();
    QObject::connect(
        cluster, &Cluster::workerOnline, [](Worker *worker) { worker->disconnectFromCluster(); });
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
