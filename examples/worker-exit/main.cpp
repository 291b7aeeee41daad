// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Ports the Worker 'exit' event example of the Node cluster docs: tell a killed worker from one
// that failed and one that succeeded.
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QTextStream>

using namespace LibCluster;

static void watch(Worker *worker)
{
    QObject::connect(worker, &Worker::exited, [](int code, int signal) {
        if (signal) {
            QTextStream(stdout) << "worker was killed by signal: " << Cluster::signalName(signal)
                                << Qt::endl;
        } else if (code != 0) {
            QTextStream(stdout) << "worker exited with error code: " << code << Qt::endl;
        } else {
            QTextStream(stdout) << "worker success!" << Qt::endl;
        }
    });
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Cluster *cluster = Cluster::instance();

    if (Cluster::isWorker()) {
        // Not in the Node example: a worker forked with EXIT_CODE exits with it once running;
        // one forked without waits to be killed.
        bool hasCode = false;
        const int code = qEnvironmentVariableIntValue("EXIT_CODE", &hasCode);
        if (hasCode)
            QMetaObject::invokeMethod(
                &app, [code] { QCoreApplication::exit(code); }, Qt::QueuedConnection);
        return app.exec();
    }

    // Not in the Node example, which forks one worker: one worker for each branch.
    QProcessEnvironment success;
    success.insert(QStringLiteral("EXIT_CODE"), QStringLiteral("0"));
    QProcessEnvironment failure;
    failure.insert(QStringLiteral("EXIT_CODE"), QStringLiteral("3"));
    watch(cluster->fork(success));
    watch(cluster->fork(failure));
    Worker *killed = cluster->fork();
    watch(killed);
    QObject::connect(killed, &Worker::online, killed, [killed] { killed->kill(); });

    const auto quitWhenAllGone = [cluster] {
        if (cluster->workers().isEmpty())
            QCoreApplication::quit();
    };
    QObject::connect(cluster, &Cluster::workerDisconnected, &app, quitWhenAllGone);
    QObject::connect(cluster, &Cluster::workerExited, &app, quitWhenAllGone);
    return app.exec();
}
