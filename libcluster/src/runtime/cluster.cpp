// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Cluster: forking workers with their private channel, and the primary's bookkeeping.
#include <libcluster/cluster.h>

#include "runtime/cluster_p.h"
#include "runtime/worker_p.h"
#include "runtime/workerruntime.h"
#include "util/descriptorlimit.h"
#include "util/logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QLocalSocket>
#include <QPointer>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace LibCluster {

using namespace Internal;

namespace {
QPointer<Cluster> g_instance;
// Whether this primary set SIGPIPE to be ignored; its workers then get the default back.
bool g_ignoresSigpipe = false;

// As Node does: a reader that has gone (a closed pipe, a client that hung up) is an EPIPE from
// write(), not the end of the primary and, with it, of every worker. A disposition the
// application chose itself is left alone.
void ignoreSigpipe()
{
    static bool checked = false;
    if (checked)
        return;
    checked = true;
    struct sigaction current;
    if (::sigaction(SIGPIPE, nullptr, &current) != 0 || (current.sa_flags & SA_SIGINFO)
        || current.sa_handler != SIG_DFL)
        return;
    struct sigaction ignore = {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    g_ignoresSigpipe = ::sigaction(SIGPIPE, &ignore, nullptr) == 0;
}

// The worker's ends of its extra stdio pipes: each `from` (close-on-exec, above every `to`) goes
// to descriptor `to` in the worker.
struct ChildPipes
{
    struct Move
    {
        int from;
        int to;
    };
    std::array<Move, Settings::MaxExtraPipes> moves {};
    int count = 0;
};

// Runs in the child between fork and exec, in memory it may share with the primary: only
// async-signal-safe system calls here.
void prepareChild(
    int channelFd, const ChildPipes &pipes, pid_t primaryPid, int uid, int gid, bool restoreSigpipe)
{
    ::fcntl(channelFd, F_SETFD, 0); // the one descriptor the worker inherits
    for (int i = 0; i < pipes.count; ++i) {
        // dup2() leaves the copy inheritable; the original closes at exec.
        if (::dup2(pipes.moves[i].from, pipes.moves[i].to) < 0) {
            static const char message[] = "libcluster: cannot set up the worker's extra pipes\n";
            (void)!::write(2, message, sizeof(message) - 1);
            ::_exit(126);
        }
    }
    if (restoreSigpipe) {
        // An ignored signal stays ignored across exec: the worker starts as any program would.
        struct sigaction defaultAction = {};
        defaultAction.sa_handler = SIG_DFL;
        ::sigaction(SIGPIPE, &defaultAction, nullptr);
    }
    // A worker never outlives its primary, even one killed with SIGKILL.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != primaryPid)
        ::_exit(0);
    if (gid >= 0 && (::setgroups(0, nullptr) != 0 || ::setgid(gid_t(gid)) != 0)) {
        static const char message[] = "libcluster: cannot set the worker's group id\n";
        (void)!::write(2, message, sizeof(message) - 1);
        ::_exit(126);
    }
    if (uid >= 0 && ::setuid(uid_t(uid)) != 0) {
        static const char message[] = "libcluster: cannot set the worker's user id\n";
        (void)!::write(2, message, sizeof(message) - 1);
        ::_exit(126);
    }
}
// Moves `fd` above `floor` (keeping it close-on-exec): a descriptor the worker inherits must
// not sit where another one is moved to in the child.
int moveAbove(int fd, int floor)
{
    if (fd > floor)
        return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, floor + 1);
    if (moved >= 0)
        ::close(fd);
    return moved;
}

// One connected socket pair per extra pipe (Node's stdio 'pipe' is one too, so it goes both
// ways): the primary's end becomes the worker's QLocalSocket, the child's end is moved in
// `pipes`. On failure, `pipes` holds the child ends made so far.
bool createExtraPipes(WorkerPrivate *wd, const QList<int> &descriptors, int *channelFd,
    ChildPipes *pipes, QString *error)
{
    if (descriptors.isEmpty())
        return true;
    const int highest = *std::max_element(descriptors.cbegin(), descriptors.cend());
    const int channel = moveAbove(*channelFd, highest);
    if (channel < 0) {
        *error = QString::fromLocal8Bit(strerror(errno));
        return false;
    }
    *channelFd = channel;
    for (int to : descriptors) {
        int pair[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
            *error = QString::fromLocal8Bit(strerror(errno));
            return false;
        }
        const int from = moveAbove(pair[1], highest);
        if (from < 0) {
            *error = QString::fromLocal8Bit(strerror(errno));
            ::close(pair[0]);
            ::close(pair[1]);
            return false;
        }
        pipes->moves[pipes->count++] = { from, to };
        auto *socket = new QLocalSocket(wd->q_ptr);
        socket->setSocketDescriptor(pair[0]);
        wd->extraPipes.insert(to, socket);
    }
    return true;
}
} // namespace

Cluster::Cluster(QObject *parent)
    : QObject(parent)
    , d_ptr(new ClusterPrivate(this))
{
    qRegisterMetaType<LibCluster::Settings>();
    qRegisterMetaType<LibCluster::Handle>();
    qRegisterMetaType<LibCluster::Address>();
    d_ptr->sampler = new ResourceSampler(d_ptr.data(), this);
    // The primary holds every connection it has not handed over yet (and a worker, which raised
    // its own before main(), every one it serves).
    DescriptorLimit::raiseSoftToHard();
    if (isPrimary())
        ignoreSigpipe();
}

Cluster::~Cluster()
{
    Q_D(Cluster);
    // Closing a worker's channel makes it exit with code 0; give them a moment to do so before
    // QProcess's destructor resorts to SIGKILL.
    const auto workers = d->workers.values();
    for (Worker *worker : workers) {
        WorkerPrivate *wd = worker->d_func();
        if (wd->process)
            wd->process->disconnect();
        if (wd->channel)
            wd->channel->abort();
    }
    const QDeadlineTimer deadline(2000);
    for (Worker *worker : workers) {
        WorkerPrivate *wd = worker->d_func();
        if (wd->process && wd->process->state() != QProcess::NotRunning)
            wd->process->waitForFinished(int(qMax<qint64>(1, deadline.remainingTime())));
    }
    // Now, while this cluster's state is whole: every Worker, also those kept after their end
    // (autoDeleteWorkers() off), is a child and would otherwise be deleted after it.
    d->awaitingDisconnect.clear();
    d->pendingDisconnectAll = 0;
    qDeleteAll(findChildren<Worker *>(Qt::FindDirectChildrenOnly));
}

Cluster *Cluster::instance()
{
    if (!g_instance) {
        g_instance = new Cluster(QCoreApplication::instance());
        // Tear down while the application is still whole, not among its children afterwards.
        qAddPostRoutine([] { delete g_instance; });
    }
    return g_instance;
}

bool Cluster::isPrimary()
{
    return !WorkerRuntime::isWorker();
}
bool Cluster::isWorker()
{
    return WorkerRuntime::isWorker();
}
Worker *Cluster::worker()
{
    return WorkerRuntime::self();
}

void Cluster::setupPrimary(const Settings &settings)
{
    Q_D(Cluster);
    d->settings.merge(settings);
    const Settings applied = this->settings();
    QMetaObject::invokeMethod(
        this, [this, applied] { Q_EMIT setupApplied(applied); }, Qt::QueuedConnection);
}

Settings Cluster::settings() const
{
    Q_D(const Cluster);
    // Defaults filled in, as Node's cluster.settings shows them.
    Settings filled;
    filled.setExec(d->settings.exec());
    filled.setArgs(d->settings.args());
    filled.setSilent(d->settings.silent());
    filled.setCwd(d->settings.cwd());
    filled.setEnv(d->settings.env());
    filled.setUid(d->settings.uid());
    filled.setGid(d->settings.gid());
    filled.setSchedulingPolicy(schedulingPolicy());
    filled.setExtraPipes(d->settings.extraPipes());
    filled.setListenWarningTimeout(d->settings.listenWarningTimeout());
    filled.setRequestTimeout(d->settings.requestTimeout());
    filled.setDrainTimeout(d->settings.drainTimeout());
    return filled;
}

SchedulingPolicy Cluster::schedulingPolicy() const
{
    Q_D(const Cluster);
    return d->policyFrozen ? d->policy : d->settings.schedulingPolicy();
}

int Cluster::resourceSampleInterval() const
{
    return d_func()->sampler->interval();
}

void Cluster::setResourceSampleInterval(int msecs)
{
    d_func()->sampler->setInterval(msecs);
}

Worker *Cluster::fork(const QProcessEnvironment &extraEnv)
{
    Q_D(Cluster);
    return d->fork(extraEnv);
}

QList<Worker *> Cluster::workers() const
{
    return d_func()->workers.values();
}

Worker *Cluster::workerById(int id) const
{
    return d_func()->workers.value(id);
}

void Cluster::disconnectAll()
{
    Q_D(Cluster);
    ++d->pendingDisconnectAll;
    // Node's callback runs once cluster.workers is empty: wait for every worker listed now to
    // leave the list (disconnected and exited), not only for the disconnects.
    const auto workers = d->workers.values();
    for (Worker *worker : workers)
        d->awaitingDisconnect.insert(worker);
    for (Worker *worker : workers) {
        if (worker->isConnected()) {
            WorkerPrivate::get(worker)->leftWithAll = true;
            worker->disconnectFromCluster();
        }
    }
    if (d->awaitingDisconnect.isEmpty()) {
        QMetaObject::invokeMethod(
            this,
            [d] {
                if (d->awaitingDisconnect.isEmpty() && d->pendingDisconnectAll > 0) {
                    --d->pendingDisconnectAll;
                    Q_EMIT d->q_func()->allDisconnected();
                }
            },
            Qt::QueuedConnection);
    }
}

bool Cluster::autoDeleteWorkers() const
{
    return d_func()->autoDeleteWorkers;
}

void Cluster::setAutoDeleteWorkers(bool enable)
{
    d_func()->autoDeleteWorkers = enable;
}

QString Cluster::signalName(int signal)
{
    if (signal <= 0)
        return QString();
    const char *abbreviation = ::sigabbrev_np(signal);
    return abbreviation ? QLatin1String("SIG") + QLatin1String(abbreviation) : QString();
}

Worker *ClusterPrivate::fork(const QProcessEnvironment &extraEnv)
{
    Q_Q(Cluster);
    if (!policyFrozen) {
        policy = settings.schedulingPolicy();
        policyFrozen = true;
        qCDebug(lcPrimary) << "scheduling policy" << schedulingPolicyName(policy);
    }
    auto *worker = new Worker(++lastId, q);
    WorkerPrivate *wd = worker->d_func();
    wd->cluster = this;
    workers.insert(wd->id, worker);
    const Settings effective = q->settings();
    wd->listenWarningTimeout = effective.listenWarningTimeout();

    QMetaObject::invokeMethod(
        q,
        [q, guard = QPointer<Worker>(worker)] {
            if (guard)
                Q_EMIT q->workerForked(guard);
        },
        Qt::QueuedConnection);

    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        const QString why = QString::fromLocal8Bit(strerror(errno));
        QMetaObject::invokeMethod(
            worker,
            [wd, why] {
                wd->reportError(Worker::FailedToStart,
                    Worker::tr("cannot create the channel for worker %1: %2").arg(wd->id).arg(why));
                wd->markExited(127, 0);
                wd->markDisconnected();
            },
            Qt::QueuedConnection);
        return worker;
    }
    wd->attachChannel(pair[0]);
    int childFd = pair[1];
    ChildPipes pipes;
    QString pipesError;
    if (!createExtraPipes(wd, effective.extraPipes(), &childFd, &pipes, &pipesError)) {
        ::close(childFd);
        for (int i = 0; i < pipes.count; ++i)
            ::close(pipes.moves[i].from);
        QMetaObject::invokeMethod(
            worker,
            [wd, pipesError] {
                wd->reportError(Worker::FailedToStart,
                    Worker::tr("cannot create the extra pipes for worker %1: %2")
                        .arg(wd->id)
                        .arg(pipesError));
                wd->markExited(127, 0);
                if (wd->channel)
                    wd->channel->abort();
                wd->markDisconnected();
            },
            Qt::QueuedConnection);
        return worker;
    }

    QProcessEnvironment env = effective.env();
    env.insert(extraEnv);
    env.insert(QString::fromLatin1(WorkerRuntime::environmentVariable()),
        QStringLiteral("%1:%2").arg(wd->id).arg(childFd));
    env.insert(QString::fromLatin1(WorkerRuntime::timeoutsVariable()),
        QStringLiteral("%1:%2").arg(effective.requestTimeout()).arg(effective.drainTimeout()));
    if (pipes.count > 0) {
        QStringList numbers;
        for (int i = 0; i < pipes.count; ++i)
            numbers.append(QString::number(pipes.moves[i].to));
        env.insert(QString::fromLatin1(WorkerRuntime::extraPipesVariable()),
            numbers.join(QLatin1Char(',')));
    } else {
        env.remove(QString::fromLatin1(WorkerRuntime::extraPipesVariable()));
    }

    auto *process = new QProcess(worker);
    wd->process = process;
    process->setProgram(effective.exec());
    process->setArguments(effective.args());
    process->setProcessEnvironment(env);
    if (!effective.cwd().isEmpty())
        process->setWorkingDirectory(effective.cwd());
    process->setStandardInputFile(QProcess::nullDevice());
    process->setProcessChannelMode(
        effective.silent() ? QProcess::SeparateChannels : QProcess::ForwardedChannels);
    int uid = -1;
    int gid = -1;
    if (effective.uid() >= 0 || effective.gid() >= 0) {
        if (::geteuid() == 0) {
            uid = effective.uid();
            gid = effective.gid();
        } else {
            qCWarning(lcPrimary) << "uid/gid settings need a primary running as root; ignored";
        }
    }
    const pid_t primaryPid = ::getpid();
    const bool restoreSigpipe = g_ignoresSigpipe;
    process->setChildProcessModifier([childFd, pipes, primaryPid, uid, gid, restoreSigpipe] {
        prepareChild(childFd, pipes, primaryPid, uid, gid, restoreSigpipe);
    });

    QObject::connect(process, &QProcess::finished, worker,
        [wd](int code, QProcess::ExitStatus status) { wd->onProcessFinished(code, status); });
    // Queued: QProcess may report a failure from inside start(), before workerForked() is out.
    QObject::connect(
        process, &QProcess::errorOccurred, worker,
        [wd](QProcess::ProcessError error) { wd->onProcessError(error); }, Qt::QueuedConnection);
    QObject::connect(process, &QProcess::readyReadStandardOutput, worker,
        [wd] { wd->onOutput(Worker::StandardOutput); });
    QObject::connect(process, &QProcess::readyReadStandardError, worker,
        [wd] { wd->onOutput(Worker::StandardError); });

    qCDebug(lcPrimary) << "forking worker" << wd->id << effective.exec() << effective.args();
    process->start();
    ::close(childFd);
    for (int i = 0; i < pipes.count; ++i)
        ::close(pipes.moves[i].from);
    wd->pid = process->processId();
    return worker;
}

void ClusterPrivate::removeWorker(Worker *worker)
{
    workers.remove(worker->id());
}

void ClusterPrivate::workerFinished(Worker *worker)
{
    Q_Q(Cluster);
    if (!awaitingDisconnect.remove(worker) || !awaitingDisconnect.isEmpty())
        return;
    const int calls = pendingDisconnectAll;
    pendingDisconnectAll = 0;
    for (int i = 0; i < calls; ++i)
        Q_EMIT q->allDisconnected();
}

void ClusterPrivate::forgetWorker(Worker *worker)
{
    const int id = worker->id();
    if (workers.value(id) == worker) {
        WorkerPrivate *wd = worker->d_func();
        // Still running: its servers go on without it, and its process is stopped without
        // waiting for it here (QProcess's destructor would block the event loop until it ends).
        ports.leaveAll(wd);
        workers.remove(id);
        if (wd->channel)
            wd->channel->abort();
        if (QProcess *process = wd->process; process && process->state() != QProcess::NotRunning) {
            process->disconnect();
            process->setParent(q_ptr);
            QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
            process->kill();
            wd->process = nullptr;
        }
    }
    workerFinished(worker);
}

} // namespace LibCluster
