// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'listening' event example of the Node cluster docs: every worker's address.
//
//   listening [--port P]      P defaults to 8000 as in the docs; 0 picks a free port
//
// Bounded: two workers listen on the shared port; once both have, the primary disconnects them
// and ends when they are gone (the Node example would run forever).
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

    Cluster *cluster = Cluster::instance();
    QObject::connect(cluster, &Cluster::workerListening, [](Worker *, const Address &address) {
        QTextStream(stdout) << "A worker is now connected to " << address.address() << ":"
                            << address.port() << Qt::endl;
    });

    // Not in the Node example: two workers to listen, disconnected once both do; the program
    // ends once they are gone, with code 1 if not both listened.
    constexpr int workers = 2;
    int listening = 0;
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    QObject::connect(cluster, &Cluster::workerListening, [cluster, &listening] {
        if (++listening == workers)
            cluster->disconnectAll();
    });
    QObject::connect(cluster, &Cluster::workerExited, [cluster, &listening] {
        if (listening < workers) // one could not listen: stop the other too
            cluster->disconnectAll();
    });
    const auto quitWhenAllGone = [cluster, &listening] {
        if (cluster->workers().isEmpty())
            QCoreApplication::exit(listening == workers ? 0 : 1);
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
