// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// events: forks a few workers, prints every cluster event and the messages they send, then
// disconnects them all and exits. Run it with QT_LOGGING_RULES="libcluster.*=true" to see more.
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

static QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    if (Cluster::isWorker()) {
        Worker *self = Cluster::worker();
        QObject::connect(self, &Worker::messageReceived, self, [self](const QCborValue &message) {
            // Answer the primary's greeting with who we are.
            QCborMap reply;
            reply.insert(QStringLiteral("worker"), self->id());
            reply.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
            reply.insert(QStringLiteral("echo"), message);
            self->send(reply);
        });
        return app.exec();
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Forks workers and prints cluster events."));
    parser.addHelpOption();
    QCommandLineOption workersOption(QStringList { QStringLiteral("w"), QStringLiteral("workers") },
        QStringLiteral("Number of workers."), QStringLiteral("N"), QStringLiteral("3"));
    parser.addOption(workersOption);
    parser.process(app);
    const int count = qMax(1, parser.value(workersOption).toInt());

    Cluster *cluster = Cluster::instance();
    // Workers run this program without the primary's arguments.
    Settings settings;
    settings.setArgs({});
    cluster->setupPrimary(settings);

    QObject::connect(cluster, &Cluster::setupApplied,
        [](const Settings &s) { out() << "setup: exec " << s.exec() << Qt::endl; });
    QObject::connect(cluster, &Cluster::workerForked, [](Worker *w) {
        out() << "fork: worker " << w->id() << " pid " << w->processId() << Qt::endl;
    });
    QObject::connect(cluster, &Cluster::workerOnline, [](Worker *w) {
        out() << "online: worker " << w->id() << Qt::endl;
        w->send(QStringLiteral("hello from the primary"));
    });
    int answered = 0;
    QObject::connect(cluster, &Cluster::messageReceived,
        [&answered, count, cluster](Worker *w, const QCborValue &message) {
            out() << "message from worker " << w->id() << ": " << message.toDiagnosticNotation()
                  << Qt::endl;
            if (++answered == count)
                cluster->disconnectAll();
        });
    QObject::connect(cluster, &Cluster::workerDisconnected,
        [](Worker *w) { out() << "disconnect: worker " << w->id() << Qt::endl; });
    QObject::connect(cluster, &Cluster::workerExited, [](Worker *w, int code, int signal) {
        out() << "exit: worker " << w->id() << " code " << code
              << (signal ? QStringLiteral(" signal ") + Cluster::signalName(signal) : QString())
              << (w->exitedAfterDisconnect() ? " (asked to)" : " (unexpected)") << Qt::endl;
    });
    QObject::connect(
        cluster, &Cluster::workerErrorOccurred, [](Worker *w, Worker::Error, const QString &text) {
            out() << "error: worker " << w->id() << ": " << text << Qt::endl;
        });
    // A worker leaves workers() with the later of its exit and its disconnect, in either order.
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);

    for (int i = 0; i < count; ++i)
        cluster->fork();
    return app.exec();
}
