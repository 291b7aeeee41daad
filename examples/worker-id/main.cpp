// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster.worker example of the Node cluster docs: the primary and each worker say who
// they are ("I am master" is "I am primary" here).
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    if (Cluster::isPrimary()) {
        QTextStream(stdout) << "I am primary" << Qt::endl;
        Cluster *cluster = Cluster::instance();
        cluster->fork();
        cluster->fork();

        // Not in the Node example, whose workers run forever: disconnect each worker once it is
        // online (it has printed its line by then), end once all are gone.
        QObject::connect(cluster, &Cluster::workerOnline,
            [](Worker *worker) { worker->disconnectFromCluster(); });
        const auto quitWhenAllGone = [cluster] {
            if (cluster->workers().isEmpty())
                QCoreApplication::quit();
        };
        QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
        QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    } else if (Cluster::isWorker()) {
        QTextStream(stdout) << "I am worker #" << Cluster::worker()->id() << Qt::endl;
    }
    return app.exec();
}
