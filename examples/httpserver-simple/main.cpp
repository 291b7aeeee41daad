// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// httpserver-simple: Qt's QHttpServer "simple" example, clustered. The primary forks the
// workers; every worker serves the example's routes on one shared port.
//
//   httpserver-simple [--workers N] [--port P] [--policy rr|none|reuseport|leastconn|sticky]
//                     [--tls-port P --certificate FILE --key FILE]
//
// --workers 0 serves in this one process, without a cluster, as Qt's example does. Port 0 (the
// default, as in Qt's example) picks a free port, the same for every worker. --tls-port serves
// the same routes over HTTPS too, on a second port of the same QHttpServer, with a PEM
// certificate and its unencrypted PEM private key.
#include "simplehttpserver.h"

#include <libcluster/cluster.h>
#include <libcluster/signalhandler.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QThread>

#include <csignal>
#include <cstdio>

using namespace LibCluster;

namespace {

void printRunning(const char *scheme, quint16 port)
{
    std::printf("Running on %s://127.0.0.1:%u/ (Press CTRL+C to quit)\n", scheme, port);
    std::fflush(stdout);
}

// What --tls-port serves with: none when `tlsPort` is 0.
struct Tls
{
    quint16 port = 0;
    QSslConfiguration configuration;
};

// The contents of `path`, or an error that names the file and what to do.
bool readFile(const QString &path, const char *what, QByteArray *contents, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the %1 %2: %3")
                     .arg(QLatin1String(what), path, file.errorString());
        return false;
    }
    *contents = file.readAll();
    return true;
}

// --tls-port, --certificate and --key, checked before any worker starts: false with `error`.
bool parseTls(const QCommandLineParser &parser, Tls *tls, QString *error)
{
    const bool wanted = parser.isSet(QStringLiteral("tls-port"));
    const QString certificatePath = parser.value(QStringLiteral("certificate"));
    const QString keyPath = parser.value(QStringLiteral("key"));
    if (!wanted) {
        if (certificatePath.isEmpty() && keyPath.isEmpty())
            return true;
        *error = QStringLiteral("--certificate and --key serve HTTPS only with --tls-port P");
        return false;
    }
    bool ok = false;
    const uint port = parser.value(QStringLiteral("tls-port")).toUInt(&ok);
    if (!ok || port == 0 || port > 65535) {
        *error = QStringLiteral("--tls-port must be a number from 1 to 65535, not %1")
                     .arg(parser.value(QStringLiteral("tls-port")));
        return false;
    }
    if (certificatePath.isEmpty() || keyPath.isEmpty()) {
        *error = QStringLiteral("--tls-port needs --certificate FILE and --key FILE (PEM)");
        return false;
    }
    QByteArray certificateData;
    QByteArray keyData;
    if (!readFile(certificatePath, "certificate", &certificateData, error)
        || !readFile(keyPath, "key", &keyData, error))
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateData, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(certificatePath);
        return false;
    }
    QSslKey key;
    for (QSsl::KeyAlgorithm algorithm : { QSsl::Rsa, QSsl::Ec, QSsl::Dsa }) {
        key = QSslKey(keyData, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted PEM private key (RSA, EC or DSA)")
                     .arg(keyPath);
        return false;
    }
    tls->port = quint16(port);
    tls->configuration = QSslConfiguration::defaultConfiguration();
    tls->configuration.setLocalCertificateChain(chain);
    tls->configuration.setPrivateKey(key);
    return true;
}

// A worker, or the only process: the example's server on `port`, and on `tls.port` over HTTPS.
int serve(quint16 port, const Tls &tls)
{
    SimpleHttpServer server;
    QString error;
    const quint16 bound = server.listen(QHostAddress::Any, port, &error);
    const quint16 tlsBound = bound && tls.port
        ? server.listenTls(QHostAddress::Any, tls.port, tls.configuration, &error)
        : 0;
    Worker *self = Cluster::worker();
    if (!bound || (tls.port && !tlsBound)) {
        std::fprintf(stderr, "%s: cannot listen on port %u: %s\n",
            self ? qPrintable(QStringLiteral("worker %1").arg(self->id())) : "httpserver-simple",
            bound ? tls.port : port, qPrintable(error));
        return 1;
    }
    // Ctrl+C in a terminal reaches the whole process group: the primary's disconnect ends this
    // worker gracefully, so the signal itself is caught and ignored.
    if (self) {
        SignalHandler::instance()->watchSignal(SIGINT);
        std::printf("Worker %lld started\n", QCoreApplication::applicationPid());
    } else {
        printRunning("http", bound);
        if (tlsBound)
            printRunning("https", tlsBound);
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
        { QStringLiteral("tls-port"),
            QStringLiteral("Port to serve HTTPS on too; needs --certificate and --key."),
            QStringLiteral("P") },
        { QStringLiteral("certificate"), QStringLiteral("PEM certificate (chain) for --tls-port."),
            QStringLiteral("FILE") },
        { QStringLiteral("key"), QStringLiteral("Unencrypted PEM private key of the certificate."),
            QStringLiteral("FILE") },
    });
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(QStringLiteral("port")).toUInt(&portOk);
    if (!portOk || port > 65535) {
        std::fprintf(stderr, "httpserver-simple: --port must be a number from 0 to 65535, not %s\n",
            qPrintable(parser.value(QStringLiteral("port"))));
        return 2;
    }
    Tls tls;
    QString tlsError;
    if (!parseTls(parser, &tls, &tlsError)) {
        std::fprintf(stderr, "httpserver-simple: %s\n", qPrintable(tlsError));
        return 2;
    }
    if (tls.port && tls.port == port) {
        std::fprintf(stderr, "httpserver-simple: --tls-port must differ from --port (%u)\n", port);
        return 2;
    }
    if (Cluster::isWorker())
        return serve(quint16(port), tls);

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
        return serve(quint16(port), tls);

    Cluster *cluster = Cluster::instance();
    Settings settings;
    settings.setSchedulingPolicy(policy);
    cluster->setupPrimary(settings);
    std::printf("Primary %lld is running (policy %s, %d workers)\n",
        QCoreApplication::applicationPid(), qPrintable(schedulingPolicyName(policy)), workers);
    std::fflush(stdout);
    // Every worker serves the same ports: the first to listen on each says which.
    QObject::connect(cluster, &Cluster::workerListening, &app,
        [tlsPort = tls.port](Worker *, const Address &address) {
            static bool saidHttp = false;
            static bool saidHttps = false;
            const bool https = tlsPort && address.port() == tlsPort;
            if (!std::exchange(https ? saidHttps : saidHttp, true))
                printRunning(https ? "https" : "http", quint16(address.port()));
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
