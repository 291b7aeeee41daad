// A primary for tst_orphans, which kills it: forks COUNT workers, prints their process ids on one
// line once all of them are online, then waits.
//
// Usage: orphanprimary WORKER_PROGRAM COUNT [worker arguments...]
#include <libcluster/cluster.h>

#include <QCoreApplication>
#include <QStringList>

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
    const QStringList args = QCoreApplication::arguments();
    const int count = args.size() >= 3 ? args.at(2).toInt() : 0;
    if (count <= 0) {
        std::fprintf(stderr, "usage: orphanprimary WORKER_PROGRAM COUNT [worker arguments...]\n");
        return 2;
    }

    Cluster cluster;
    Settings settings;
    settings.setExec(args.at(1));
    settings.setArgs(args.mid(3));
    cluster.setupPrimary(settings);

    int online = 0;
    QObject::connect(&cluster, &Cluster::workerOnline, &app, [&] {
        if (++online < count)
            return;
        QStringList pids;
        for (Worker *worker : cluster.workers())
            pids.append(QString::number(worker->processId()));
        std::printf("%s\n", qPrintable(pids.join(QLatin1Char(' '))));
        std::fflush(stdout);
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
