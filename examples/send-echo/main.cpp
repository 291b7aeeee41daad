// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the worker.send() example of the Node cluster docs: the worker echoes back every message
// from the primary.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    if (Cluster::isPrimary()) {
        Worker *worker = cluster->fork();
        worker->send(QStringLiteral("hi there"));

        // Not in the Node example, which prints nothing and runs forever: show the echo, then
        // disconnect the worker and end once it is gone.
        QObject::connect(worker, &Worker::messageReceived, [worker](const QCborValue &message) {
            QTextStream(stdout) << "worker #" << worker->id() << " echoed: " << message.toString()
                                << Qt::endl;
            worker->disconnectFromCluster();
        });
        const auto quitWhenAllGone = [cluster] {
            if (cluster->workers().isEmpty())
                QCoreApplication::quit();
        };
        QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
        QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    } else if (Cluster::isWorker()) {
        Worker *self = Cluster::worker();
        QObject::connect(self, &Worker::messageReceived,
            [self](const QCborValue &message) { self->send(message); });
    }
    return app.exec();
}
