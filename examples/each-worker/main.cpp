// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster.workers example of the Node cluster docs: go through all workers and send
// each one the same announcement.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

// Go through all workers
template <typename Callback> static void eachWorker(Callback callback)
{
    const QList<Worker *> workers = Cluster::instance()->workers();
    for (Worker *worker : workers)
        callback(worker);
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    if (Cluster::isWorker()) {
        Worker *self = Cluster::worker();
        QObject::connect(self, &Worker::messageReceived, [self](const QCborValue &message) {
            QTextStream(stdout) << "worker #" << self->id() << " got: " << message.toString()
                                << Qt::endl;
        });
        return app.exec();
    }

    // Not in the Node example, which starts from workers that already run: fork three and
    // announce once all of them are online.
    constexpr int workerCount = 3;
    for (int i = 0; i < workerCount; ++i)
        cluster->fork();
    int online = 0;
    QObject::connect(cluster, &Cluster::workerOnline, [cluster, &online] {
        if (++online < workerCount)
            return;
        eachWorker([](Worker *worker) {
            worker->send(QStringLiteral("big announcement to all workers"));
        });
        // Not in the Node example: disconnect right away (the announcement, sent first, still
        // arrives first) and end once all workers are gone.
        cluster->disconnectAll();
    });
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
