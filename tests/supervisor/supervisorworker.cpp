// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker the supervisor suites fork to give the primary's /proc sampling something to see:
// it allocates memory or keeps a core busy when a message tells it to.
//
//   {do: "alloc", mb: N}   allocates N MiB more and writes to every page (so it is resident);
//                          replies {allocated: total MiB}
//   {do: "spin", ms: N}    keeps one core busy until the process has used N ms of CPU time (at
//                          most 20 N ms of wall time, when other processes take the cores), in
//                          slices so that the event loop still answers messages and heartbeats;
//                          replies {spun: CPU ms used, wall: ms taken} when done
//   {do: "exit", code: N}  exit(N) at once
// Anything else is echoed back.
#include <libcluster/cluster.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <vector>

using namespace LibCluster;

namespace {
std::vector<std::unique_ptr<char[]>> g_blocks;
qint64 g_allocatedMiB = 0;

void allocate(qint64 mib)
{
    constexpr size_t MiB = 1024 * 1024;
    for (qint64 i = 0; i < mib; ++i) {
        std::unique_ptr<char[]> block(new char[MiB]);
        // One write per page makes it resident; the value keeps the compiler from eliding it.
        for (size_t offset = 0; offset < MiB; offset += 4096)
            block[offset] = char(offset + size_t(i));
        g_blocks.push_back(std::move(block));
    }
    g_allocatedMiB += mib;
}

qint64 cpuMsecs()
{
    timespec now {};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

struct Spin
{
    QElapsedTimer wall;
    qint64 cpuAtStart = 0;
    qint64 cpuWanted = 0;
};

// Busy for ~20 ms at a time, then back to the event loop, until enough CPU time is used.
void spinSlice(Worker *self, std::shared_ptr<Spin> spin)
{
    volatile quint64 sink = 0;
    QElapsedTimer slice;
    slice.start();
    while (slice.elapsed() < 20)
        sink = sink + 1;
    const qint64 used = cpuMsecs() - spin->cpuAtStart;
    if (used < spin->cpuWanted && spin->wall.elapsed() < 20 * spin->cpuWanted) {
        QTimer::singleShot(0, self, [self, spin] { spinSlice(self, spin); });
        return;
    }
    QCborMap reply;
    reply.insert(QStringLiteral("spun"), used);
    reply.insert(QStringLiteral("wall"), spin->wall.elapsed());
    self->send(reply);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Worker *self = Cluster::worker();
    if (!self) {
        std::fprintf(stderr, "supervisorworker: not started by a primary\n");
        return 3;
    }
    QObject::connect(self, &Worker::messageReceived, self, [self](const QCborValue &message) {
        const QCborMap map = message.toMap();
        const QString command = map.value(QStringLiteral("do")).toString();
        if (command == QLatin1String("alloc")) {
            allocate(map.value(QStringLiteral("mb")).toInteger());
            QCborMap reply;
            reply.insert(QStringLiteral("allocated"), g_allocatedMiB);
            self->send(reply);
        } else if (command == QLatin1String("spin")) {
            auto spin = std::make_shared<Spin>();
            spin->wall.start();
            spin->cpuAtStart = cpuMsecs();
            spin->cpuWanted = map.value(QStringLiteral("ms")).toInteger();
            spinSlice(self, spin);
        } else if (command == QLatin1String("exit")) {
            std::exit(int(map.value(QStringLiteral("code")).toInteger()));
        } else {
            self->send(message);
        }
    });
    return app.exec();
}
