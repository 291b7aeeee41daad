// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the cluster.setupMaster() example of the Node cluster docs (setupPrimary() here): an
// https worker, then an http worker, both silent. Node's "worker.js" is this same program, which
// finds itself to be a worker and reads `--use` from its arguments.
#include <libcluster/cluster.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QTextStream>

using namespace LibCluster;

static int runWorker(QCoreApplication &app)
{
    QCommandLineParser parser;
    const QCommandLineOption use(
        QStringLiteral("use"), QStringLiteral("Protocol to serve."), QStringLiteral("protocol"));
    parser.addOption(use);
    parser.process(app);
    // Silent: this line reaches the primary through Cluster::workerOutputReceived.
    QTextStream(stdout) << parser.value(use) << " worker" << Qt::endl;
    // Not in the Node example: a worker with nothing to serve leaves the cluster at once.
    Cluster::worker()->disconnectFromCluster();
    return app.exec();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (Cluster::isWorker())
        return runWorker(app);

    Cluster *cluster = Cluster::instance();
    Settings https;
    https.setExec(QCoreApplication::applicationFilePath());
    https.setArgs({ QStringLiteral("--use"), QStringLiteral("https") });
    https.setSilent(true);
    cluster->setupPrimary(https);
    cluster->fork(); // https worker
    Settings http;
    http.setExec(QCoreApplication::applicationFilePath());
    http.setArgs({ QStringLiteral("--use"), QStringLiteral("http") });
    cluster->setupPrimary(http);
    cluster->fork(); // http worker

    // Not in the Node example: show what the silent workers wrote, end once they are gone.
    QHash<int, QByteArray> pending; // per worker: standard output not yet ended by a newline
    QObject::connect(cluster, &Cluster::workerOutputReceived,
        [&pending](Worker *worker, Worker::OutputChannel channel, const QByteArray &data) {
            if (channel == Worker::StandardError) {
                QTextStream(stderr) << data << Qt::flush;
                return;
            }
            QByteArray &buffer = pending[worker->id()];
            buffer += data;
            for (qsizetype end; (end = buffer.indexOf('\n')) >= 0;) {
                QTextStream(stdout)
                    << "worker #" << worker->id()
                    << " (silent) said: " << QString::fromUtf8(buffer.left(end)) << Qt::endl;
                buffer.remove(0, end + 1);
            }
        });
    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
