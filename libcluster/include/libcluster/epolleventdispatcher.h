// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// An event dispatcher for servers with many connections per process: Linux epoll instead of poll.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QAbstractEventDispatcher>

#include <memory>

namespace LibCluster {

class EpollEventDispatcherPrivate;

// Qt's own dispatchers hand the kernel the whole list of sockets on every pass of the event loop
// (poll), so a worker with hundreds of keep-alive connections pays for all of them to learn that
// a few are ready. This one keeps the list in the kernel (epoll) and hears only of the ready ones.
// Timers, posted events, socket notifiers, nested event loops and QEventLoop's flags behave as
// with Qt's dispatcher; what differs is that timers have millisecond resolution.
//
// Install it before the application object exists, in the primary and in workers alike:
//
//     QCoreApplication::setEventDispatcher(new LibCluster::EpollEventDispatcher);
//     QCoreApplication app(argc, argv);
//
// or for a thread with QThread::setEventDispatcher() before it starts.
class LIBCLUSTER_EXPORT EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(
        int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    std::unique_ptr<EpollEventDispatcherPrivate> d;
};

} // namespace LibCluster
