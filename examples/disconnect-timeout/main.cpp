// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the worker.disconnect() example of the Node cluster docs: once the worker listens, the
// primary sends it 'shutdown', disconnects it, and kills it if it has not disconnected 2000 ms
// later.
//
//   disconnect-timeout [--port P] [--connections N] [--graceful]
//
// Not in the Node example, to show both ways it can go: with --connections N the primary waits
// until the worker has N open connections before it shuts it down (default 0: at once, as in the
// docs). Those connections never end, so the disconnect waits for them and the timeout kills the
// worker, unless --graceful: then the worker closes them on 'shutdown' (the docs' "initiate
// graceful close") and the disconnect completes. P defaults to 8000 as in the docs.
// (A TcpServer closes the connections that stay quiet for a second once its worker disconnects;
// this one keeps them as long as the worker's drain allows, so that it goes as in Node.)
// Bounded: the program ends once the worker is gone; it shuts the worker down after 30 seconds
// even if the connections it waits for never came.
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to serve."),
        QStringLiteral("P"), QStringLiteral("8000"));
    const QCommandLineOption connectionsOption(QStringLiteral("connections"),
        QStringLiteral("Shut the worker down once it has N open connections."), QStringLiteral("N"),
        QStringLiteral("0"));
    const QCommandLineOption gracefulOption(QStringLiteral("graceful"),
        QStringLiteral("On 'shutdown', the worker closes its connections."));
    parser.addOptions({ portOption, connectionsOption, gracefulOption });
    parser.process(app);

    if (Cluster::isWorker()) {
        TcpServer server;
        server.setClosingIdleTimeout(10000);
        QObject::connect(&server, &QTcpServer::newConnection, [&server] {
            while (server.nextPendingConnection()) {
                // connections never end
            }
        });
        const quint16 port = quint16(parser.value(portOption).toUInt());
        if (!server.listen(QHostAddress::Any, port)) {
            QTextStream(stderr) << "cannot listen on port " << port << ": " << server.errorString()
                                << Qt::endl;
            return 1;
        }

        const bool graceful = parser.isSet(gracefulOption);
        QObject::connect(Cluster::worker(), &Worker::messageReceived,
            [&server, graceful](const QCborValue &msg) {
                if (msg == QCborValue(QStringLiteral("shutdown"))) {
                    // initiate graceful close of any connections to server
                    if (graceful) {
                        const auto sockets = server.findChildren<QTcpSocket *>();
                        for (QTcpSocket *socket : sockets)
                            socket->disconnectFromHost();
                    }
                }
            });
        return app.exec();
    }

    Worker *worker = Cluster::instance()->fork();
    const int connections = parser.value(connectionsOption).toInt();
    QTimer timeout;
    timeout.setSingleShot(true);
    timeout.setInterval(2000);
    QObject::connect(&timeout, &QTimer::timeout, [worker] {
        QTextStream(stdout) << "worker #" << worker->id()
                            << " has not disconnected after 2000 ms: killing it" << Qt::endl;
        worker->kill();
    });

    bool shutDown = false;
    const auto shutdown = [&] {
        if (shutDown)
            return;
        shutDown = true;
        QTextStream(stdout) << "shutting worker #" << worker->id() << " down with "
                            << worker->openConnections() << " open connection(s)" << Qt::endl;
        worker->send(QStringLiteral("shutdown"));
        worker->disconnectFromCluster();
        timeout.start();
    };

    bool listened = false;
    QObject::connect(worker, &Worker::listening, [&](const Address &address) {
        listened = true;
        QTextStream(stdout) << "worker #" << worker->id() << " is listening on port "
                            << address.port() << Qt::endl;
        if (connections <= 0)
            shutdown();
    });
    QObject::connect(worker, &Worker::connectionCountsChanged, [&] {
        if (connections > 0 && worker->openConnections() >= connections)
            shutdown();
    });
    QTimer::singleShot(30000, shutdown);

    QObject::connect(worker, &Worker::disconnected, [&] {
        timeout.stop();
        QTextStream(stdout) << "worker #" << worker->id() << " has disconnected" << Qt::endl;
    });
    QObject::connect(worker, &Worker::exited, [worker](int code, int signal) {
        QTextStream(stdout) << "worker #" << worker->id() << " exited: "
                            << (signal ? QStringLiteral("killed by ") + Cluster::signalName(signal)
                                       : QStringLiteral("code ") + QString::number(code))
                            << Qt::endl;
    });

    // Not in the Node example: end once the worker is gone; with code 1 if it never listened.
    const auto quitWhenGone = [&listened] {
        if (Cluster::instance()->workers().isEmpty())
            QCoreApplication::exit(listened ? 0 : 1);
    };
    QObject::connect(worker, &Worker::disconnected, &app, quitWhenGone);
    QObject::connect(worker, &Worker::exited, &app, quitWhenGone);
    return app.exec();
}
