// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// monitor-load-worker: a worker that floods its primary with messages at a steady rate, for
// measuring the monitor under load. Messages from the primary: {"go": true} starts the flood,
// {"stop": true} ends it.
//
//   monitor-load-worker [--rate MESSAGES_PER_SECOND] [--print-every N]
//
// Each message also counts as a request (addToCounter), so the chart has something to draw;
// with --print-every N, every Nth message is also printed to stdout (for the Output panel).
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption rateOption(QStringLiteral("rate"),
        QStringLiteral("Messages per second."), QStringLiteral("N"), QStringLiteral("100"));
    const QCommandLineOption printOption(QStringLiteral("print-every"),
        QStringLiteral("Print every Nth message to stdout."), QStringLiteral("N"),
        QStringLiteral("0"));
    parser.addOptions({ rateOption, printOption });
    parser.process(app);
    const double rate = parser.value(rateOption).toDouble();
    const qint64 printEvery = parser.value(printOption).toLongLong();

    Worker *self = Cluster::worker();
    if (!self) {
        std::fprintf(stderr, "monitor-load-worker: start me from a primary\n");
        return 2;
    }

    QElapsedTimer clock;
    qint64 sent = 0;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(10);
    QObject::connect(&timer, &QTimer::timeout, &app, [&] {
        // As many as the rate says by now: late ticks catch up, so the average holds.
        const qint64 due = qint64(rate * double(clock.nsecsElapsed()) / 1e9);
        const qint64 before = sent;
        for (; sent < due; ++sent) {
            QCborMap message;
            message.insert(QStringLiteral("seq"), sent);
            message.insert(QStringLiteral("worker"), self->id());
            message.insert(QStringLiteral("status"), QStringLiteral("ok"));
            self->send(message);
            if (printEvery > 0 && sent % printEvery == 0)
                std::printf("worker %d: message %lld\n", self->id(), sent);
        }
        if (printEvery > 0)
            std::fflush(stdout);
        if (sent > before)
            self->addToCounter(QStringLiteral("requests"), sent - before);
    });
    QObject::connect(self, &Worker::messageReceived, &app, [&](const QCborValue &message) {
        if (message.toMap().value(QStringLiteral("go")).toBool()) {
            clock.start();
            sent = 0;
            timer.start();
        } else if (message.toMap().value(QStringLiteral("stop")).toBool()) {
            timer.stop();
        }
    });
    return app.exec();
}
