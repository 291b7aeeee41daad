// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the Worker 'online' event example of the Node cluster docs: the event on one worker.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (Cluster::isWorker())
        return app.exec();

    Worker *worker = Cluster::instance()->fork();
    QObject::connect(worker, &Worker::online, [worker] {
        // Worker is online
        QTextStream(stdout) << "worker #" << worker->id() << " is online" << Qt::endl;
    });

    // Not in the Node example: disconnect the worker once online, end once it is gone.
    QObject::connect(
        worker, &Worker::online, worker, [worker] { worker->disconnectFromCluster(); });
    QObject::connect(worker, &Worker::disconnected, &app, [worker] {
        if (worker->isDead())
            QCoreApplication::quit();
    });
    QObject::connect(worker, &Worker::exited, &app, [worker] {
        if (!worker->isConnected())
            QCoreApplication::quit();
    });
    return app.exec();
}
