// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// bench-ipc COUNT BYTES [shared|copied]: primary -> worker -> primary message echo, pipelined with
// a window of 1000 messages in flight. The same measurement as ../shared/peers/node/ipc.js: the
// clock starts when the worker is online and stops when COUNT echoes have come back, in order.
//
// Every message is a new {seq, payload} map, as ipc.js sends a new object each time. How the map
// is made is the third argument:
//   shared (default)  a copy of one map made up front, with its own seq. Its payload is the same
//                     bytes in every message (QCborMap shares them), as ipc.js's object literal
//                     refers to its one payload string.
//   copied            built key by key, so the payload is copied into every message: what the
//                     sender pays on top for QCborMap building each message from scratch.
// Prints one JSON line:
// {"peer":"libcluster","count":..,"size":..,"maps":..,"seconds":..,"msgs_per_s":..}
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <cstdlib>

using namespace LibCluster;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    if (Cluster::isWorker()) {
        // Echo every message back, as ipc.js's worker does: process.on('message', m =>
        // process.send(m)).
        Worker *self = Cluster::worker();
        QObject::connect(self, &Worker::messageReceived, self,
            [self](const QCborValue &message) { self->send(message); });
        return app.exec();
    }

    const QStringList args = app.arguments();
    const qint64 count
        = args.size() > 1 && args.at(1).toLongLong() > 0 ? args.at(1).toLongLong() : 100000;
    const qsizetype size
        = args.size() > 2 && args.at(2).toLongLong() >= 0 ? args.at(2).toLongLong() : 64;
    const bool copied = args.size() > 3 && args.at(3) == QLatin1String("copied");
    if (args.size() > 3 && !copied && args.at(3) != QLatin1String("shared")) {
        std::fprintf(stderr, "usage: bench-ipc COUNT BYTES [shared|copied]\n");
        return 2;
    }
    constexpr qint64 window = 1000;

    const QString seqKey = QStringLiteral("seq");
    const QString payloadKey = QStringLiteral("payload");
    // Like ipc.js's `payload`: one string made up front, sent in every message.
    const QCborValue payload(QString(size, QLatin1Char('x')));

    QCborMap prototype;
    prototype.insert(seqKey, 0);
    prototype.insert(payloadKey, payload);

    Cluster *cluster = Cluster::instance();
    Worker *worker = cluster->fork();

    qint64 sent = 0;
    qint64 got = 0;
    QElapsedTimer clock;

    auto pump = [&] {
        while (sent < count && sent - got < window) {
            QCborMap message;
            if (copied) {
                message.insert(seqKey, sent++);
                message.insert(payloadKey, payload);
            } else {
                message = prototype;
                message[seqKey] = sent++;
            }
            if (!worker->send(message)) {
                std::fprintf(stderr, "send failed: %s\n", qPrintable(worker->errorString()));
                std::exit(1);
            }
        }
    };

    QObject::connect(worker, &Worker::online, worker, [&] {
        clock.start();
        pump();
    });
    QObject::connect(worker, &Worker::messageReceived, worker, [&](const QCborValue &message) {
        const qint64 seq = message[seqKey].toInteger(-1);
        if (seq != got) {
            std::fprintf(stderr, "out of order %lld %lld\n", qlonglong(seq), qlonglong(got));
            std::exit(1);
        }
        ++got;
        if (got == count) {
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            std::printf("{\"peer\":\"libcluster\",\"count\":%lld,\"size\":%lld,\"maps\":\"%s\","
                        "\"seconds\":%.6f,\"msgs_per_s\":%lld}\n",
                qlonglong(count), qlonglong(size), copied ? "copied" : "shared", seconds,
                qlonglong(double(count) / seconds + 0.5));
            std::fflush(stdout);
            worker->kill();
            QCoreApplication::exit(0);
        } else {
            pump();
        }
    });
    QObject::connect(worker, &Worker::exited, worker, [&](int code, int signal) {
        if (got < count) {
            std::fprintf(stderr, "worker exited early (code %d, signal %d) after %lld echoes\n",
                code, signal, qlonglong(got));
            QCoreApplication::exit(1);
        }
    });
    QObject::connect(
        worker, &Worker::errorOccurred, worker, [](Worker::Error, const QString &text) {
            std::fprintf(stderr, "worker error: %s\n", qPrintable(text));
        });
    return app.exec();
}
