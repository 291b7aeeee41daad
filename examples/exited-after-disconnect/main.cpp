// Ports the worker.suicide example of the Node cluster docs (worker.exitedAfterDisconnect in
// later Node versions, Worker::exitedAfterDisconnect() here): a killed worker exited on purpose.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();
    if (Cluster::isWorker())
        return app.exec(); // the worker just runs until it is killed

    QObject::connect(cluster, &Cluster::workerExited, [](Worker *worker) {
        if (worker->exitedAfterDisconnect())
            QTextStream(stdout) << QStringLiteral("Oh, it was just voluntary – no need to worry")
                                << Qt::endl;
    });

    // kill worker (once it runs, so that every run tells the same story)
    Worker *worker = cluster->fork();
    QObject::connect(worker, &Worker::online, worker, [worker] { worker->kill(); });

    // Not in the Node example: end once the worker is gone.
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
