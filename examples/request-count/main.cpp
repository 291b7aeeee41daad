// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the Worker 'message' event example of the Node cluster docs: the primary counts the
// workers' HTTP requests (numReqs) from the messages they send it.
//
//   request-count [--port P] [--requests N] [--seconds S]
//
// Bounded, unlike the Node example: the primary prints the count a last time and ends (code 0)
// once it has counted N requests (default 10), or after S seconds (default 30) whatever the count.
// P defaults to 8000 as in the docs. Try: for i in $(seq 10); do curl -s localhost:8000; done
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTcpSocket>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <functional>

using namespace LibCluster;

namespace {

// A tiny HTTP server, just enough for curl and the tests: one request per connection, no body.
void serveHelloWorld(TcpServer *server, const std::function<void()> &requestServed)
{
    QObject::connect(server, &QTcpServer::newConnection, server, [server, requestServed] {
        while (QTcpSocket *socket = server->nextPendingConnection()) {
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, requestServed] {
                if (!socket->peek(socket->bytesAvailable()).contains("\r\n\r\n"))
                    return; // the request's head is not complete yet
                QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
                socket->readAll();
                socket->write("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
                              "hello world\n");
                socket->disconnectFromHost();
                requestServed();
            });
        }
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to serve."),
        QStringLiteral("P"), QStringLiteral("8000"));
    const QCommandLineOption requestsOption(QStringLiteral("requests"),
        QStringLiteral("End after counting N requests."), QStringLiteral("N"),
        QStringLiteral("10"));
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
        QStringLiteral("End after S seconds anyway."), QStringLiteral("S"), QStringLiteral("30"));
    parser.addOptions({ portOption, requestsOption, secondsOption });
    parser.process(app);

    if (Cluster::isWorker()) {
        // Worker processes have a http server.
        TcpServer server;
        serveHelloWorld(&server, [] {
            // notify primary about the request
            QCborMap message;
            message.insert(QStringLiteral("cmd"), QStringLiteral("notifyRequest"));
            Cluster::worker()->send(message);
        });
        const quint16 port = quint16(parser.value(portOption).toUInt());
        if (!server.listen(QHostAddress::Any, port)) {
            QTextStream(stderr) << "cannot listen on port " << port << ": " << server.errorString()
                                << Qt::endl;
            return 1;
        }
        return app.exec();
    }

    Cluster *cluster = Cluster::instance();

    // Keep track of http requests
    qint64 numReqs = 0;
    QTimer interval;
    QObject::connect(&interval, &QTimer::timeout,
        [&numReqs] { QTextStream(stdout) << "numReqs = " << numReqs << Qt::endl; });
    interval.start(1000);

    // Not in the Node example: the end, after enough requests or time.
    const qint64 limit = parser.value(requestsOption).toLongLong();
    bool stopped = false;
    const auto stop = [&] {
        if (stopped)
            return;
        stopped = true;
        interval.stop();
        QTextStream(stdout) << "numReqs = " << numReqs << Qt::endl;
        cluster->disconnectAll();
    };
    QTimer::singleShot(parser.value(secondsOption).toInt() * 1000, stop);

    // Count requests
    const auto messageHandler = [&](const QCborValue &msg) {
        if (msg.toMap().value(QStringLiteral("cmd")).toString()
            == QStringLiteral("notifyRequest")) {
            numReqs += 1;
            if (numReqs == limit)
                stop();
        }
    };

    // Start workers and listen for messages containing notifyRequest
    const int numCPUs = QThread::idealThreadCount();
    for (int i = 0; i < numCPUs; ++i)
        cluster->fork();

    const auto workers = cluster->workers();
    for (Worker *worker : workers)
        QObject::connect(worker, &Worker::messageReceived, messageHandler);

    // Not in the Node example: the program ends once every worker is gone; with code 1 when the
    // workers went away on their own (they could not listen, say).
    const auto quitWhenAllGone = [cluster, &stopped] {
        if (cluster->workers().isEmpty())
            QCoreApplication::exit(stopped ? 0 : 1);
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
