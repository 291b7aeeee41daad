// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A program built against the installed libcluster package: forks itself once and trades a message.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    using LibCluster::Cluster;
    using LibCluster::Worker;
    if (Cluster::isWorker()) {
        QObject::connect(Cluster::worker(), &Worker::messageReceived, [](const QCborValue &m) {
            if (m.toString() == QLatin1String("ping"))
                Cluster::worker()->send(QStringLiteral("pong"));
        });
        return app.exec();
    }
    Worker *worker = Cluster::instance()->fork();
    QObject::connect(worker, &Worker::online, [worker] { worker->send(QStringLiteral("ping")); });
    QObject::connect(worker, &Worker::messageReceived, [worker](const QCborValue &m) {
        std::printf(
            "primary: worker %d online, replied %s\n", worker->id(), qPrintable(m.toString()));
        worker->disconnectFromCluster();
    });
    QObject::connect(worker, &Worker::exited, &app, &QCoreApplication::quit);
    return app.exec();
}
