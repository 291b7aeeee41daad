// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief An event dispatcher for servers with many connections per process: Linux epoll instead of
//! poll.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QAbstractEventDispatcher>

#include <memory>

namespace LibCluster {

class EpollEventDispatcherPrivate;

//! \brief An event dispatcher that waits with Linux epoll instead of poll: for servers with many
//! connections per process.
//!
//! Qt's own dispatchers hand the kernel the whole list of sockets on every pass of the event loop
//! (poll), so a worker with hundreds of keep-alive connections pays for all of them to learn that a
//! few are ready. This one keeps the list in the kernel (epoll) and hears only of the ready ones.
//! Timers, posted events, socket notifiers, nested event loops and QEventLoop's flags behave as
//! with Qt's dispatcher; what differs is that timers have millisecond resolution.
//!
//! Install it before the application object exists, in the primary and in workers alike:
//!
//! \code
//! QCoreApplication::setEventDispatcher(new LibCluster::EpollEventDispatcher);
//! QCoreApplication app(argc, argv);
//! \endcode
//!
//! or for a thread with QThread::setEventDispatcher() before it starts.
class LIBCLUSTER_EXPORT EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    //! \brief A dispatcher with its own epoll instance; give it to
    //! QCoreApplication::setEventDispatcher() or QThread::setEventDispatcher().
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    //! \brief Closes the epoll instance and the wake-up descriptor.
    ~EpollEventDispatcher() override;

    //! \brief As QAbstractEventDispatcher::processEvents(): one pass of the event loop, waiting in
    //! epoll_wait() unless `flags` say not to wait.
    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    //! \brief As QAbstractEventDispatcher's: the notifier's descriptor is added to (or removed
    //! from) the epoll set, which the kernel keeps between passes.
    //!@{
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    //!@}

    //! \brief As QAbstractEventDispatcher's; timers are kept here and fire with millisecond
    //! resolution.
    //!@{
    void registerTimer(
        int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    //!@}

    //! \brief As QAbstractEventDispatcher's: wakes up a processEvents() that waits, from any
    //! thread.
    void wakeUp() override;
    //! \brief As QAbstractEventDispatcher's: makes the running processEvents() return as soon as
    //! possible.
    void interrupt() override;

private:
    std::unique_ptr<EpollEventDispatcherPrivate> d;
};

} // namespace LibCluster
