// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EpollEventDispatcher: socket notifiers in an epoll set, timers in a short list, posted events
// and wake-ups through an eventfd.
#include <libcluster/epolleventdispatcher.h>

#include "util/logging.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <vector>

namespace LibCluster {

using namespace Internal;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int MaxEventsPerWait = 256;

struct Timer
{
    int id;
    quint64 serial; // this registration: Qt gives a stopped timer's id to the next one started
    qint64 interval; // ms
    Qt::TimerType type;
    QObject *object;
    Clock::time_point deadline;
    bool delivering = false; // its event is being sent: a nested event loop must not send it again
};

// The notifiers of one descriptor, by QSocketNotifier::Type (Read, Write, Exception).
struct Watch
{
    QSocketNotifier *notifiers[3] = {};
    quint32 inKernel = 0; // what the epoll set watches it for now; 0: not in the set

    quint32 wanted() const
    {
        return (notifiers[QSocketNotifier::Read] ? quint32(EPOLLIN) : 0u)
            | (notifiers[QSocketNotifier::Write] ? quint32(EPOLLOUT) : 0u)
            | (notifiers[QSocketNotifier::Exception] ? quint32(EPOLLPRI) : 0u);
    }
};

} // namespace

class EpollEventDispatcherPrivate
{
public:
    // A new epoll set holding the eventfd only; -1 if none could be made.
    int newSet() const;
    // Replaces the epoll set with a new one and watches every descriptor again.
    void rebuild();
    // Brings the epoll set in line with the notifiers of `fd`.
    void sync(int fd);
    void syncAll();
    // The notifiers of the ready descriptors, to be activated in this pass.
    void collect(const epoll_event *events, int count);
    void markPending(QSocketNotifier *notifier);
    int activateNotifiers();
    int activateTimers();
    // Milliseconds until the next timer is due (0 if one is), -1 if there is none.
    int timeUntilNextTimer() const;
    Timer *timer(int id);

    int epollFd = -1;
    int wakeFd = -1;
    std::atomic<bool> wakeUpPending { false };
    // The thread that runs the loop. Its own wake-ups (an event it posts, a deleteLater()) need no
    // eventfd: it is awake, and only has to not fall asleep before sending them.
    std::atomic<Qt::HANDLE> loopThread { nullptr };
    bool postedByLoopThread = false;
    std::atomic<bool> interrupted { false };
    QHash<int, Watch> watches;
    // Descriptors whose notifiers changed since the set was last synced: enabling and disabling a
    // notifier within one pass (QAbstractSocket does, around every write) costs no system call.
    QList<int> changed;
    QList<QSocketNotifier *> pending;
    std::vector<Timer> timers;
    quint64 timerSerial = 0;
    // A descriptor was closed while still in the epoll set; if another process or descriptor
    // still holds the same socket, the set keeps reporting it under a number nobody watches.
    // Only a new set drops it.
    bool rebuildSet = false;
};

void EpollEventDispatcherPrivate::sync(int fd)
{
    const auto it = watches.find(fd);
    if (it == watches.end())
        return;
    const quint32 wanted = it->wanted();
    if (wanted != it->inKernel) {
        epoll_event event {};
        event.events = wanted;
        event.data.fd = fd;
        int op = it->inKernel == 0 ? EPOLL_CTL_ADD : wanted == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
        int result = ::epoll_ctl(epollFd, op, fd, &event);
        // The set may know the descriptor better than we do: a descriptor closed while still
        // watched leaves the set by itself, and a new one may have taken its number.
        if (result != 0 && op == EPOLL_CTL_MOD && errno == ENOENT)
            result = ::epoll_ctl(epollFd, op = EPOLL_CTL_ADD, fd, &event);
        else if (result != 0 && op == EPOLL_CTL_ADD && errno == EEXIST)
            result = ::epoll_ctl(epollFd, op = EPOLL_CTL_MOD, fd, &event);
        if (result != 0 && op != EPOLL_CTL_DEL)
            qCWarning(lcEventDispatcher)
                << "EpollEventDispatcher: cannot watch descriptor" << fd << std::strerror(errno);
        if (result != 0 && op == EPOLL_CTL_DEL && errno == EBADF)
            rebuildSet = true;
        it->inKernel = result == 0 ? wanted : 0;
    }
    if (it->wanted() == 0 && it->inKernel == 0)
        watches.erase(it);
}

int EpollEventDispatcherPrivate::newSet() const
{
    const int set = ::epoll_create1(EPOLL_CLOEXEC);
    if (set < 0)
        return -1;
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = wakeFd;
    if (::epoll_ctl(set, EPOLL_CTL_ADD, wakeFd, &event) != 0) {
        ::close(set);
        return -1;
    }
    return set;
}

void EpollEventDispatcherPrivate::rebuild()
{
    rebuildSet = false;
    const int fresh = newSet();
    if (fresh < 0) {
        qCWarning(lcEventDispatcher)
            << "EpollEventDispatcher: cannot renew the epoll set" << std::strerror(errno);
        return;
    }
    ::close(epollFd);
    epollFd = fresh;
    for (Watch &watch : watches)
        watch.inKernel = 0;
    changed += watches.keys(); // a descriptor listed twice is synced once, then found in line
}

void EpollEventDispatcherPrivate::syncAll()
{
    if (rebuildSet)
        rebuild();
    for (int fd : std::as_const(changed))
        sync(fd);
    changed.clear();
}

void EpollEventDispatcherPrivate::markPending(QSocketNotifier *notifier)
{
    // A nested loop (run by a handler of this pass) may find the same descriptor ready again:
    // one activation per notifier and pass.
    if (!pending.contains(notifier))
        pending.append(notifier);
}

void EpollEventDispatcherPrivate::collect(const epoll_event *events, int count)
{
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == wakeFd)
            continue;
        const auto it = watches.constFind(fd);
        if (it == watches.constEnd()) {
            // Nobody watches this number: a registration left behind by a descriptor closed
            // while in the set. Level-triggered, it would end every wait at once from now on.
            if (::epoll_ctl(epollFd, EPOLL_CTL_DEL, fd, nullptr) != 0)
                rebuildSet = true;
            continue;
        }
        const quint32 ready = events[i].events;
        // As with poll: an error or a hang-up wakes readers and writers, who then learn which.
        QSocketNotifier *read = it->notifiers[QSocketNotifier::Read];
        QSocketNotifier *write = it->notifiers[QSocketNotifier::Write];
        QSocketNotifier *exception = it->notifiers[QSocketNotifier::Exception];
        if (read && (ready & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)))
            markPending(read);
        if (write && (ready & (EPOLLOUT | EPOLLHUP | EPOLLERR)))
            markPending(write);
        if (exception && (ready & (EPOLLPRI | EPOLLHUP | EPOLLERR)))
            markPending(exception);
    }
}

int EpollEventDispatcherPrivate::activateNotifiers()
{
    int activated = 0;
    // A handler may disable or delete any notifier, which takes it off the list (see
    // unregisterSocketNotifier()), so the list is consumed from the front, never iterated.
    while (!pending.isEmpty()) {
        QSocketNotifier *notifier = pending.takeFirst();
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

Timer *EpollEventDispatcherPrivate::timer(int id)
{
    for (Timer &t : timers)
        if (t.id == id)
            return &t;
    return nullptr;
}

int EpollEventDispatcherPrivate::activateTimers()
{
    if (timers.empty())
        return 0;
    const Clock::time_point now = Clock::now();
    // The timers due now; one started by a timer event waits for the next pass, even if it got
    // the id of one that was due and has been stopped meanwhile.
    struct Due
    {
        Clock::time_point deadline;
        int id;
        quint64 serial;
    };
    QVarLengthArray<Due, 16> due;
    for (const Timer &t : timers)
        if (t.deadline <= now && !t.delivering)
            due.append({ t.deadline, t.id, t.serial });
    // In the order of their deadlines, as Qt's dispatchers do, also when a pass comes late and
    // finds several due at once.
    std::stable_sort(
        due.begin(), due.end(), [](const Due &a, const Due &b) { return a.deadline < b.deadline; });
    int activated = 0;
    for (const Due &next : due) {
        const int id = next.id;
        Timer *t = timer(id);
        if (!t || t->serial != next.serial || t->delivering)
            continue; // stopped (perhaps replaced), or being delivered by an outer pass
        // The next deadline keeps the rhythm; one missed entirely is skipped, not caught up.
        t->deadline += std::chrono::milliseconds(t->interval);
        if (t->deadline <= now)
            t->deadline = now + std::chrono::milliseconds(t->interval);
        t->delivering = true;
        QObject *object = t->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        // The list may have changed under the handler.
        if ((t = timer(id)))
            t->delivering = false;
        ++activated;
    }
    return activated;
}

int EpollEventDispatcherPrivate::timeUntilNextTimer() const
{
    if (timers.empty())
        return -1;
    Clock::time_point next = Clock::time_point::max();
    for (const Timer &t : timers)
        if (!t.delivering && t.deadline < next)
            next = t.deadline;
    if (next == Clock::time_point::max())
        return -1;
    const auto left = next - Clock::now();
    if (left <= Clock::duration::zero())
        return 0;
    // Rounded up: waking before the deadline would only mean waiting again.
    return int(qMin<qint64>(std::chrono::ceil<std::chrono::milliseconds>(left).count(),
        std::numeric_limits<int>::max()));
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
    , d(std::make_unique<EpollEventDispatcherPrivate>())
{
    d->wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    d->epollFd = d->wakeFd < 0 ? -1 : d->newSet();
    if (d->epollFd < 0)
        qFatal("EpollEventDispatcher: cannot create the eventfd or the epoll set: %s",
            std::strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(d->epollFd);
    ::close(d->wakeFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    d->loopThread.store(QThread::currentThreadId(), std::memory_order_relaxed);
    d->interrupted.store(false, std::memory_order_relaxed);
    Q_EMIT awake();
    // Whatever this thread posted before here is sent now; what it posts from here on must keep
    // the wait below from blocking.
    d->postedByLoopThread = false;
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !d->interrupted.load();
    if (canWait)
        Q_EMIT aboutToBlock();
    if (d->interrupted.load())
        return false;

    int timeout = 0;
    if (canWait)
        timeout = includeTimers ? d->timeUntilNextTimer() : -1;

    if (d->postedByLoopThread)
        timeout = 0;
    int events = 0;
    bool woken = false;
    if (includeNotifiers) {
        d->syncAll();
        epoll_event ready[MaxEventsPerWait];
        const int count = ::epoll_wait(d->epollFd, ready, MaxEventsPerWait, timeout);
        for (int i = 0; i < count; ++i)
            woken = woken || ready[i].data.fd == d->wakeFd;
        if (count > 0)
            d->collect(ready, count);
    } else {
        // Sockets must not end the wait: only a wake-up or a timer may.
        pollfd wake { d->wakeFd, POLLIN, 0 };
        woken = ::poll(&wake, 1, timeout) > 0;
    }
    if (woken) {
        eventfd_t value;
        ::eventfd_read(d->wakeFd, &value);
        d->wakeUpPending.store(false);
        ++events;
    }
    if (includeNotifiers)
        events += d->activateNotifiers();
    if (includeTimers)
        events += d->activateTimers();
    return events > 0;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = d->watches[fd];
    QSocketNotifier *&slot = watch.notifiers[notifier->type()];
    if (slot && slot != notifier) {
        qCWarning(lcEventDispatcher)
            << "EpollEventDispatcher: a second notifier of the same type for"
            << "descriptor" << fd;
        // The first one's descriptor may have been closed and its number reused: make sure the
        // set watches the current one.
        watch.inKernel = 0;
    }
    slot = notifier;
    d->changed.append(fd);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    d->pending.removeAll(notifier);
    const int fd = int(notifier->socket());
    const auto it = d->watches.find(fd);
    if (it == d->watches.end() || it->notifiers[notifier->type()] != notifier)
        return;
    it->notifiers[notifier->type()] = nullptr;
    if (it->wanted() == 0) {
        // At once, not at the next sync: the descriptor is often closed right after this.
        d->sync(fd);
        return;
    }
    d->changed.append(fd);
}

void EpollEventDispatcher::registerTimer(
    int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    d->timers.push_back(Timer { timerId, ++d->timerSerial, interval, timerType, object,
        Clock::now() + std::chrono::milliseconds(interval) });
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    for (auto it = d->timers.begin(); it != d->timers.end(); ++it) {
        if (it->id == timerId) {
            d->timers.erase(it);
            return true;
        }
    }
    return false;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    const auto size = d->timers.size();
    d->timers.erase(std::remove_if(d->timers.begin(), d->timers.end(),
                        [object](const Timer &t) { return t.object == object; }),
        d->timers.end());
    return d->timers.size() != size;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(
    QObject *object) const
{
    QList<TimerInfo> list;
    for (const Timer &t : d->timers)
        if (t.object == object)
            list.append(TimerInfo(t.id, int(t.interval), t.type));
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const Timer *t = d->timer(timerId);
    if (!t)
        return -1;
    const auto left
        = std::chrono::duration_cast<std::chrono::milliseconds>(t->deadline - Clock::now());
    return int(qMax<qint64>(0, left.count()));
}

void EpollEventDispatcher::wakeUp()
{
    if (QThread::currentThreadId() == d->loopThread.load(std::memory_order_relaxed)) {
        d->postedByLoopThread = true;
        return;
    }
    // From another thread: one write until the loop has seen it.
    if (!d->wakeUpPending.exchange(true))
        ::eventfd_write(d->wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    d->interrupted.store(true);
    wakeUp();
}

} // namespace LibCluster
