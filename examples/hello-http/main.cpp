// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// hello-http: the first example of the Node cluster documentation in Qt. The primary forks one
// worker per core; every worker serves "hello world\n" on one shared port.
//
//   hello-http [--workers N] [--port P] [--policy rr|none|reuseport|leastconn|sticky]
#include "hellohttpserver.h"

#include <libcluster/cluster.h>
#include <libcluster/epolleventdispatcher.h>
#include <libcluster/tcpserver.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <cstdio>

using namespace LibCluster;

static int runWorker(quint16 port)
{
    Worker *self = Cluster::worker();
    auto *server = new TcpServer(qApp);
    if (!server->listen(QHostAddress::Any, port)) {
        std::fprintf(stderr, "worker %d: cannot listen on port %u: %s\n", self->id(), port,
            qPrintable(server->errorString()));
        return 1;
    }
    auto *http = new HelloHttpServer(self->id(), qApp);
    http->serve(server);
    std::printf("Worker %lld started\n", QCoreApplication::applicationPid());
    std::fflush(stdout);
    return qApp->exec();
}

int main(int argc, char **argv)
{
    // Every worker holds many keep-alive connections: epoll tells it which are ready without the
    // kernel going through all of them on every pass, as Qt's poll-based dispatchers make it do.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Hello world over HTTP from a cluster of workers."));
    parser.addHelpOption();
    const QCommandLineOption workersOption(QStringLiteral("workers"),
        QStringLiteral("Number of workers."), QStringLiteral("N"),
        QString::number(QThread::idealThreadCount()));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port to serve."),
        QStringLiteral("P"), QStringLiteral("8000"));
    const QCommandLineOption policyOption(QStringLiteral("policy"),
        QStringLiteral("Scheduling policy: rr, none, reuseport, leastconn, sticky."),
        QStringLiteral("NAME"), QStringLiteral("rr"));
    parser.addOptions({ workersOption, portOption, policyOption });
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "hello-http: invalid port %s\n", qPrintable(parser.value(portOption)));
        return 2;
    }
    if (Cluster::isWorker())
        return runWorker(quint16(port));

    SchedulingPolicy policy;
    if (!schedulingPolicyFromName(parser.value(policyOption), &policy)) {
        std::fprintf(
            stderr, "hello-http: unknown policy %s\n", qPrintable(parser.value(policyOption)));
        return 2;
    }
    const int workers = parser.value(workersOption).toInt();
    if (workers < 1) {
        std::fprintf(stderr, "hello-http: --workers must be at least 1\n");
        return 2;
    }

    Cluster *cluster = Cluster::instance();
    Settings settings;
    settings.setSchedulingPolicy(policy);
    cluster->setupPrimary(settings);
    std::printf("Primary %lld is running (policy %s, port %u)\n",
        QCoreApplication::applicationPid(), qPrintable(schedulingPolicyName(policy)), port);
    std::fflush(stdout);
    QObject::connect(cluster, &Cluster::workerExited, [](Worker *worker, int code, int signal) {
        std::printf("worker %lld died (%s)\n", worker->processId(),
            qPrintable(signal ? Cluster::signalName(signal) : QString::number(code)));
        std::fflush(stdout);
    });
    // A worker leaves workers() with the later of its exit and its disconnect, in either order.
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::exit(1);
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    return app.exec();
}
