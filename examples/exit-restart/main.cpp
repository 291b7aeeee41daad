// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'exit' event example of the Node cluster docs: log each worker that dies and
// fork a new one in its place.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    if (Cluster::isWorker()) {
        // Not in the Node example: a worker that dies (exit code 1) as soon as it runs, so that
        // there is something to restart.
        QMetaObject::invokeMethod(
            &app, [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
        return app.exec();
    }

    // Not in the Node example, which restarts forever: stop after a fixed number of restarts.
    constexpr int maxRestarts = 3;
    int restarts = 0;
    QObject::connect(cluster, &Cluster::workerExited,
        [cluster, &restarts](Worker *worker, int code, int signal) {
            const QString why = signal ? Cluster::signalName(signal) : QString::number(code);
            if (restarts == maxRestarts) {
                QTextStream(stdout)
                    << "worker " << worker->processId() << " died (" << why
                    << "). not restarting after " << restarts << " restarts" << Qt::endl;
                return;
            }
            ++restarts;
            QTextStream(stdout) << "worker " << worker->processId() << " died (" << why
                                << "). restarting..." << Qt::endl;
            cluster->fork();
        });
    cluster->fork();

    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
