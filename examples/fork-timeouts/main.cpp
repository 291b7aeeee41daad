// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster 'fork' event example of the Node cluster docs: a timeout per worker from its
// fork, cleared when the worker listens; "Something must be wrong with the connection ..." on
// stderr when one does not listen in time, and (as in the docs) whenever a worker exits.
//
//   fork-timeouts [--port P] [--timeout MS] [--listen-delay MS]
//
// Not in the Node example: two workers listen on port P (default 8000, as in the docs), each
// --listen-delay ms after it starts (default 0; more than --timeout, whose default is the docs'
// 2000, makes the timeouts fire). A line on stdout tells each step.
// Bounded: once both workers listen the primary disconnects them, and ends when they are gone.
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QTextStream>
#include <QTimer>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption portOption(QStringLiteral("port"),
        QStringLiteral("Port to listen on."), QStringLiteral("P"), QStringLiteral("8000"));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
        QStringLiteral("How long a worker may take to listen."), QStringLiteral("MS"),
        QStringLiteral("2000"));
    const QCommandLineOption delayOption(QStringLiteral("listen-delay"),
        QStringLiteral("How long each worker waits before it listens."), QStringLiteral("MS"),
        QStringLiteral("0"));
    parser.addOptions({ portOption, timeoutOption, delayOption });
    parser.process(app);

    if (Cluster::isWorker()) {
        TcpServer server;
        const quint16 port = quint16(parser.value(portOption).toUInt());
        QTimer::singleShot(parser.value(delayOption).toInt(), [&server, port] {
            if (!server.listen(QHostAddress::Any, port)) {
                QTextStream(stderr)
                    << "cannot listen on port " << port << ": " << server.errorString() << Qt::endl;
                QCoreApplication::exit(1);
            }
        });
        return app.exec();
    }

    Cluster *cluster = Cluster::instance();
    const int timeoutMs = parser.value(timeoutOption).toInt();

    QHash<int, QTimer *> timeouts;
    const auto errorMsg = [] {
        QTextStream(stderr) << "Something must be wrong with the connection ..." << Qt::endl;
    };
    const auto clearTimeout = [&timeouts](int id) {
        if (QTimer *timer = timeouts.take(id))
            delete timer;
    };

    QObject::connect(cluster, &Cluster::workerForked, [&](Worker *worker) {
        QTextStream(stdout) << "worker #" << worker->id() << " forked" << Qt::endl;
        auto *timer = new QTimer(&app);
        timer->setSingleShot(true);
        QObject::connect(timer, &QTimer::timeout, errorMsg);
        timer->start(timeoutMs);
        clearTimeout(worker->id());
        timeouts.insert(worker->id(), timer);
    });
    QObject::connect(cluster, &Cluster::workerListening, [&](Worker *worker, const Address &) {
        QTextStream(stdout) << "worker #" << worker->id() << " is listening" << Qt::endl;
        clearTimeout(worker->id());
    });
    QObject::connect(cluster, &Cluster::workerExited, [&](Worker *worker, int, int) {
        QTextStream(stdout) << "worker #" << worker->id() << " exited" << Qt::endl;
        clearTimeout(worker->id());
        errorMsg();
    });

    // Not in the Node example: two workers, disconnected once both listen (or once one of them
    // has exited without listening); the program ends once they are gone, with code 1 if not
    // both listened.
    constexpr int workers = 2;
    int listening = 0;
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    QObject::connect(cluster, &Cluster::workerListening, [cluster, &listening] {
        if (++listening == workers)
            cluster->disconnectAll();
    });
    QObject::connect(cluster, &Cluster::workerExited, [cluster, &listening] {
        if (listening < workers)
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
