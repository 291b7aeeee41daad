// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A primary for tst_orphans, which kills it: forks COUNT workers, prints their process ids on one
// line once all of them are online (and have been sent MESSAGE), then waits.
//
// Usage: orphanprimary [--request-timeout MS] [--send MESSAGE] WORKER_PROGRAM COUNT
//                      [worker arguments...]
//   MESSAGE is a JSON object, sent to every worker once all are online; the ids are printed once
//   it has left the primary, so a primary killed then has told every worker.
//   MS is Settings::setRequestTimeout(), for a test that stops this primary.
#include <libcluster/cluster.h>

#include <QCborValue>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/prctl.h>
#include <unistd.h>

using namespace LibCluster;

int main(int argc, char **argv)
{
    // Never outlive the test that started this primary, whatever happens to the test.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() == 1)
        return 1;

    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments();
    Settings settings;
    if (args.size() >= 3 && args.at(1) == QLatin1String("--request-timeout")) {
        settings.setRequestTimeout(args.at(2).toInt());
        args.remove(1, 2);
    }
    QCborValue message;
    if (args.size() >= 3 && args.at(1) == QLatin1String("--send")) {
        message = QCborValue::fromJsonValue(QJsonDocument::fromJson(args.at(2).toUtf8()).object());
        args.remove(1, 2);
    }
    const int count = args.size() >= 3 ? args.at(2).toInt() : 0;
    if (count <= 0) {
        std::fprintf(stderr,
            "usage: orphanprimary [--request-timeout MS] [--send MESSAGE] WORKER_PROGRAM COUNT "
            "[worker arguments...]\n");
        return 2;
    }

    Cluster cluster;
    settings.setExec(args.at(1));
    settings.setArgs(args.mid(3));
    cluster.setupPrimary(settings);

    const auto printPids = [&cluster] {
        QStringList pids;
        for (Worker *worker : cluster.workers())
            pids.append(QString::number(worker->processId()));
        std::printf("%s\n", qPrintable(pids.join(QLatin1Char(' '))));
        std::fflush(stdout);
    };
    // Once every message is in the workers' sockets.
    QTimer sent;
    sent.setInterval(1);
    QObject::connect(&sent, &QTimer::timeout, &app, [&] {
        for (Worker *worker : cluster.workers())
            if (worker->bytesToWrite() > 0)
                return;
        sent.stop();
        printPids();
    });
    int online = 0;
    QObject::connect(&cluster, &Cluster::workerOnline, &app, [&] {
        if (++online < count)
            return;
        if (message.isUndefined()) {
            printPids();
            return;
        }
        for (Worker *worker : cluster.workers())
            worker->send(message);
        sent.start();
    });
    // The test is only meaningful while every worker lives; say so if one does not.
    QObject::connect(
        &cluster, &Cluster::workerExited, &app, [](Worker *worker, int code, int signal) {
            std::fprintf(stderr, "orphanprimary: worker %d exited, code %d, signal %d\n",
                worker->id(), code, signal);
            QCoreApplication::exit(3);
        });
    for (int i = 0; i < count; ++i)
        cluster.fork();
    return app.exec();
}
