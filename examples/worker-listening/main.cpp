// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the Worker 'listening' event example of the Node cluster docs: the event on one worker.
//
//   worker-listening [--port P]      P defaults to 8000 as in the docs; 0 picks a free port
//
// Bounded: once the worker listens, the primary disconnects it and ends when it is gone (the
// Node example would run forever).
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption portOption(QStringLiteral("port"),
        QStringLiteral("Port to listen on."), QStringLiteral("P"), QStringLiteral("8000"));
    parser.addOption(portOption);
    parser.process(app);
    const quint16 port = quint16(parser.value(portOption).toUInt());

    if (Cluster::isWorker()) {
        TcpServer server;
        if (!server.listen(QHostAddress::Any, port)) {
            QTextStream(stderr) << "cannot listen on port " << port << ": " << server.errorString()
                                << Qt::endl;
            return 1;
        }
        return app.exec();
    }

    Worker *worker = Cluster::instance()->fork();
    QObject::connect(worker, &Worker::listening, [worker](const Address &address) {
        // Worker is listening
        QTextStream(stdout) << "worker #" << worker->id() << " is listening on "
                            << address.toString() << " (addressType " << address.addressTypeName()
                            << ")" << Qt::endl;
        // Not in the Node example: one event is all it shows.
        worker->disconnectFromCluster();
    });

    // Not in the Node example: end once the worker is gone, with code 1 if it never listened.
    bool listened = false;
    QObject::connect(worker, &Worker::listening, [&listened] { listened = true; });
    const auto quitWhenGone = [&listened] {
        if (Cluster::instance()->workers().isEmpty())
            QCoreApplication::exit(listened ? 0 : 1);
    };
    QObject::connect(worker, &Worker::disconnected, &app, quitWhenGone);
    QObject::connect(worker, &Worker::exited, &app, quitWhenGone);
    return app.exec();
}
