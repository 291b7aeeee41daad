// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Worker bootstrap: runs when the library loads (before main) and when the application starts.
#include "runtime/workerruntime.h"

#include <libcluster/settings.h>
#include <libcluster/worker.h>

#include "runtime/primarywatcher.h"
#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "util/descriptorlimit.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QPointer>

#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>

namespace LibCluster {

using namespace Internal;

namespace {
int g_workerId = 0;
int g_channelFd = -1;
bool g_watchingPrimary = false;
int g_extraPipes[Settings::MaxExtraPipes];
int g_extraPipeCount = 0;

// The extra stdio pipes the primary made: kept from the worker's own children, as the channel.
void readExtraPipes()
{
    const char *value = ::getenv(WorkerRuntime::extraPipesVariable());
    if (!value)
        return;
    for (const char *p = value; *p && g_extraPipeCount < Settings::MaxExtraPipes;) {
        char *end = nullptr;
        const long fd = std::strtol(p, &end, 10);
        if (end == p)
            break;
        struct stat info;
        if (fd >= 3 && fd <= Settings::MaxExtraPipeDescriptor && ::fstat(int(fd), &info) == 0
            && S_ISSOCK(info.st_mode)) {
            ::fcntl(int(fd), F_SETFD, FD_CLOEXEC);
            g_extraPipes[g_extraPipeCount++] = int(fd);
        }
        p = *end == ',' ? end + 1 : end;
    }
    ::unsetenv(WorkerRuntime::extraPipesVariable());
}
QPointer<Worker> g_self;
int g_requestTimeout = Settings::DefaultRequestTimeout;
int g_drainTimeout = Settings::DefaultDrainTimeout;

// The primary's Settings::requestTimeout() and drainTimeout(); what is missing or out of bounds
// keeps its default.
void readTimeouts()
{
    const char *value = ::getenv(WorkerRuntime::timeoutsVariable());
    if (!value)
        return;
    int request = 0;
    int drain = -1;
    char tail = 0;
    if (std::sscanf(value, "%d:%d%c", &request, &drain, &tail) == 2) {
        if (request >= Settings::MinRequestTimeout && request <= Settings::MaxRequestTimeout)
            g_requestTimeout = request;
        if (drain >= 0 && drain <= Settings::MaxDrainTimeout)
            g_drainTimeout = drain;
    }
    ::unsetenv(WorkerRuntime::timeoutsVariable());
}

// Before main(): read and remove the bootstrap variable, so user code and the worker's own
// children never see it.
void readBootstrap()
{
    const char *value = ::getenv(WorkerRuntime::environmentVariable());
    if (!value)
        return;
    int id = 0;
    int fd = -1;
    char tail = 0;
    const bool parsed = std::sscanf(value, "%d:%d%c", &id, &fd, &tail) == 2;
    ::unsetenv(WorkerRuntime::environmentVariable());
    struct stat info;
    if (!parsed || id <= 0 || fd < 0 || ::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode))
        return; // not a channel we can use: this process is a primary
    // The channel was inherited across exec; the worker's own children must not inherit it too.
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    g_workerId = id;
    g_channelFd = fd;
    readExtraPipes();
    readTimeouts();
    // Before user code opens anything: a worker holds every connection it serves.
    DescriptorLimit::raiseSoftToHard();
    // From now on, before any user code runs: a worker never outlives its primary, not even one
    // that ignores SIGTERM or blocks in main() before its event loop.
    g_watchingPrimary = PrimaryWatcher::start(fd);
}
Q_CONSTRUCTOR_FUNCTION(readBootstrap)

// With the QCoreApplication: bring up the worker's side of the channel and say "online" as soon
// as the event loop runs, i.e. once the worker can actually answer.
void startRuntime()
{
    WorkerRuntime::start();
}
Q_COREAPP_STARTUP_FUNCTION(startRuntime)
} // namespace

void WorkerRuntime::start()
{
    if (g_workerId <= 0 || g_self)
        return;
    auto *self = new Worker(g_workerId, QCoreApplication::instance());
    WorkerPrivate *d = self->d_func();
    d->attachChannel(g_channelFd);
    // A message sent right before the worker exits still reaches the primary.
    d->channel->setBlockingFlushOnDestroy(true);
    d->pid = QCoreApplication::applicationPid();
    for (int i = 0; i < g_extraPipeCount; ++i)
        d->extraPipeDescriptors.append(g_extraPipes[i]);
    d->requestTimeout = g_requestTimeout;
    d->drainTimeout = g_drainTimeout;
    d->wentOnline = true;
    d->state = Worker::Online;
    g_self = self;
    qCDebug(lcWorker) << "worker" << g_workerId << "starting";
    if (!g_watchingPrimary)
        qCWarning(lcWorker) << "worker" << g_workerId
                            << "cannot watch its primary: it ends with its primary only if it "
                               "lets SIGTERM or its closed channel end it";
    // Queued ahead of anything user code sends; written once the event loop runs (or when a
    // blocking call such as a listen request flushes the channel first).
    d->sendFrame(FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::online()));
}

bool WorkerRuntime::isWorker()
{
    return g_workerId > 0;
}

Worker *WorkerRuntime::self()
{
    return g_self;
}

WorkerPrivate *WorkerRuntime::selfPrivate()
{
    return g_self ? g_self->d_func() : nullptr;
}

} // namespace LibCluster
