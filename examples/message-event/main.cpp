// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'message' event example of the Node cluster docs. Its arguments.length
// check for Node before 6.0 has no counterpart: messageReceived() always carries the worker, the
// message and the handle.
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    if (Cluster::isWorker()) {
        // Not in the Node example: something for the primary to receive.
        QCborMap message;
        message.insert(QStringLiteral("cmd"), QStringLiteral("notifyRequest"));
        Cluster::worker()->send(message);
        return app.exec();
    }

    QObject::connect(cluster, &Cluster::messageReceived,
        [](Worker *worker, const QCborValue &message, const Handle &handle) {
            QTextStream(stdout) << "message from worker #" << worker->id() << ": "
                                << message.toDiagnosticNotation() << ", "
                                << (handle.isValid() ? "with" : "without") << " a handle"
                                << Qt::endl;
            // Not in the Node example: one message is enough.
            worker->disconnectFromCluster();
        });
    cluster->fork();
    cluster->fork();

    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
