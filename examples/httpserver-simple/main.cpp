// httpserver-simple: Qt's QHttpServer "simple" example, clustered. The primary forks the
// workers; every worker serves the example's routes on one shared port.
//
//   httpserver-simple [--workers N] [--port P] [--policy rr|none|reuseport|leastconn|sticky]
//
// --workers 0 serves in this one process, without a cluster, as Qt's example does. Port 0 (the
// default, as in Qt's example) picks a free port, the same for every worker.
#include "simplehttpserver.h"

#include <libcluster/cluster.h>
#include <libcluster/signalhandler.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QThread>

#include <csignal>
#include <cstdio>

using namespace LibCluster;

namespace {

void printRunning(quint16 port)
{
    std::printf("Running on http://127.0.0.1:%u/ (Press CTRL+C to quit)\n", port);
    std::fflush(stdout);
}

// A worker, or the only process: the example's server on `port`.
int serve(quint16 port)
{
    SimpleHttpServer server;
    QString error;
    const quint16 bound = server.listen(QHostAddress::Any, port, &error);
    Worker *self = Cluster::worker();
    if (!bound) {
        std::fprintf(stderr, "%s: cannot listen on port %u: %s\n",
            self ? qPrintable(QStringLiteral("worker %1").arg(self->id())) : "httpserver-simple",
            port, qPrintable(error));
        return 1;
    }
    // Ctrl+C in a terminal reaches the whole process group: the primary's disconnect ends this
    // worker gracefully, so the signal itself is caught and ignored.
    if (self) {
        SignalHandler::instance()->watchSignal(SIGINT);
        std::printf("Worker %lld started\n", QCoreApplication::applicationPid());
    } else {
        printRunning(bound);
    }
    std::fflush(stdout);
    return QCoreApplication::exec();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Qt's QHttpServer \"simple\" example, served by a cluster of workers."));
    parser.addHelpOption();
    parser.addOptions({
        { QStringLiteral("workers"),
            QStringLiteral("Number of workers; 0 serves in this process, without a cluster."),
            QStringLiteral("N"), QString::number(QThread::idealThreadCount()) },
        { QStringLiteral("port"), QStringLiteral("Port to serve; 0 picks a free one."),
            QStringLiteral("P"), QStringLiteral("0") },
        { QStringLiteral("policy"),
            QStringLiteral("Scheduling policy: rr, none, reuseport, leastconn, sticky."),
            QStringLiteral("NAME"), QStringLiteral("rr") },
    });
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "httpserver-simple: --port must be a number from 0 to 65535, not %s\n",
            qPrintable(parser.value(QStringLiteral("port"))));
        return 2;
    }
    if (Cluster::isWorker())
        return serve(quint16(port));

    const int workers = Supervisor::parseWorkerCount(parser.value(QStringLiteral("workers")));
    if (workers < 0) {
        std::fprintf(stderr, "httpserver-simple: %s, not %s\n",
            qPrintable(Supervisor::workerCountError(QStringLiteral("--workers"))),
            qPrintable(parser.value(QStringLiteral("workers"))));
        return 2;
    }
    SchedulingPolicy policy;
    if (!schedulingPolicyFromName(parser.value(QStringLiteral("policy")), &policy)) {
        std::fprintf(stderr,
            "httpserver-simple: unknown policy %s (rr, none, reuseport, leastconn, sticky)\n",
            qPrintable(parser.value(QStringLiteral("policy"))));
        return 2;
    }
    if (workers == 0)
        return serve(quint16(port));

    Cluster *cluster = Cluster::instance();
    Settings settings;
    settings.setSchedulingPolicy(policy);
    cluster->setupPrimary(settings);
    std::printf("Primary %lld is running (policy %s, %d workers)\n",
        QCoreApplication::applicationPid(), qPrintable(schedulingPolicyName(policy)), workers);
    std::fflush(stdout);
    // Every worker serves the same port: the first to listen says which.
    QObject::connect(
        cluster, &Cluster::workerListening, &app, [](Worker *, const Address &address) {
            static bool said = false;
            if (!std::exchange(said, true))
                printRunning(quint16(address.port()));
        });
    // Ctrl+C, or SIGTERM to the primary: every worker answers what it was asked and ends its
    // connections, then the example exits, with 0 when every worker ended cleanly.
    bool stopping = false;
    bool failed = false;
    for (int signal : { SIGINT, SIGTERM })
        SignalHandler::instance()->watchSignal(signal);
    QObject::connect(
        SignalHandler::instance(), &SignalHandler::signalReceived, cluster, [cluster, &stopping] {
            stopping = true;
            cluster->disconnectAll();
        });
    QObject::connect(cluster, &Cluster::allDisconnected, &app,
        [&failed] { QCoreApplication::exit(failed ? 1 : 0); });
    // A worker that ends unasked, or not cleanly, is reported; without a stop the example ends
    // with the last one (it leaves workers() with the later of its exit and its disconnect).
    QObject::connect(cluster, &Cluster::workerExited, &app,
        [&stopping, &failed](Worker *worker, int code, int signal) {
            if (stopping && code == 0 && signal == 0)
                return;
            failed = true;
            std::fprintf(stderr, "httpserver-simple: worker %d ended (%s)\n", worker->id(),
                qPrintable(signal ? Cluster::signalName(signal) : QString::number(code)));
        });
    const auto endWithTheLast = [cluster, &stopping] {
        if (!stopping && cluster->workers().isEmpty())
            QCoreApplication::exit(1);
    };
    QObject::connect(cluster, &Cluster::workerExited, &app, endWithTheLast);
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, endWithTheLast);
    for (int i = 0; i < workers; ++i)
        cluster->fork();
    return app.exec();
}
