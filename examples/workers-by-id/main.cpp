// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the second cluster.workers example of the Node cluster docs: a worker found by the id that
// came over a communication channel (socket.on('data', (id) => cluster.workers[id])).
//
//   workers-by-id [--port P]          then: printf '2\n' | nc 127.0.0.1 P
//
// Not in the Node example: the channel is a TCP server of the primary on 127.0.0.1:P (default
// 8000, as in the docs), opened once the two workers are online. Every line a client sends is a
// worker id; the answer is that worker's pid, or that there is none. Each worker prints its pid.
// Bounded: the program ends when the first client hangs up, or after 30 seconds.
#include <libcluster/cluster.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption portOption(QStringLiteral("port"),
        QStringLiteral("Port to listen on."), QStringLiteral("P"), QStringLiteral("8000"));
    parser.addOption(portOption);
    parser.process(app);

    if (Cluster::isWorker()) {
        QTextStream(stdout) << "worker #" << Cluster::worker()->id() << " has pid "
                            << QCoreApplication::applicationPid() << Qt::endl;
        return app.exec();
    }

    Cluster *cluster = Cluster::instance();
    constexpr int workers = 2;
    for (int i = 0; i < workers; ++i)
        cluster->fork();

    bool ok = true;
    const auto finish = [cluster, &ok](bool success) {
        ok = ok && success;
        cluster->disconnectAll();
    };

    QTcpServer server;
    QObject::connect(&server, &QTcpServer::newConnection, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [cluster, socket] {
                while (socket->canReadLine()) {
                    // socket.on('data', (id) => { var worker = cluster.workers[id]; });
                    const int id = QString::fromUtf8(socket->readLine()).trimmed().toInt();
                    Worker *worker = cluster->workerById(id);
                    // Not in the Node example: something to do with the worker found.
                    const QByteArray answer = worker
                        ? QByteArray(QByteArray("worker #") + QByteArray::number(id) + " has pid "
                            + QByteArray::number(worker->processId()) + "\n")
                        : QByteArray(QByteArray("no worker #") + QByteArray::number(id) + "\n");
                    socket->write(answer);
                }
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, [socket, finish] {
                socket->deleteLater();
                finish(true);
            });
        }
    });

    int online = 0;
    QObject::connect(cluster, &Cluster::workerOnline, [&] {
        if (++online < workers)
            return;
        const quint16 port = quint16(parser.value(portOption).toUInt());
        if (!server.listen(QHostAddress::LocalHost, port)) {
            QTextStream(stderr) << "cannot listen on port " << port << ": " << server.errorString()
                                << Qt::endl;
            finish(false);
        }
    });
    QTimer::singleShot(30000, [&finish] { finish(true); });

    // The program ends once the workers are gone; with code 1 if one went away on its own or the
    // server could not listen.
    QObject::connect(cluster, &Cluster::workerExited, [&finish](Worker *worker) {
        if (!worker->exitedAfterDisconnect())
            finish(false);
    });
    const auto quitWhenAllGone = [cluster, &ok] {
        if (cluster->workers().isEmpty())
            QCoreApplication::exit(ok ? 0 : 1);
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
