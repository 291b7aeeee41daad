// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief Unix signals (SIGTERM, SIGINT, SIGHUP, ...) as a Qt signal, for the whole process: one
//! owner of the process's signal dispositions, however many parts of the program want to hear of
//! them.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QObject>

namespace LibCluster {

class SignalHandlerPrivate;

//! \brief Unix signals as a Qt signal: the one owner of this process's signal dispositions.
//!
//! One per process (instance()). watchSignal() installs a handler that only writes the signal's
//! number to a pipe (all an async-signal handler may safely do); signalReceived() is emitted from
//! the event loop of the application's thread when the pipe is read. Each watchSignal() is balanced
//! by an unwatchSignal(): when the last watcher of a signal goes, the disposition the process had
//! before is restored (for SIGTERM usually the default: the process ends).
class LIBCLUSTER_EXPORT SignalHandler : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(SignalHandler)

public:
    //! \brief The handler of this process, created on first use (in the application's thread when
    //! there is an application) and never destroyed.
    static SignalHandler *instance();

    //! \brief Starts catching `signal`; false (and nothing changes) for a signal that cannot be
    //! caught here: SIGKILL, SIGSTOP, SIGCHLD (QProcess reaps its children itself) or no signal at
    //! all.
    bool watchSignal(int signal);
    //! \brief Balances one watchSignal(); the last one restores the disposition from before.
    void unwatchSignal(int signal);
    //! \brief True while at least one watchSignal() of `signal` is not balanced yet.
    bool isWatching(int signal) const;

Q_SIGNALS:
    //! \brief `signal` was delivered to the process; once per delivery (the kernel merges
    //! deliveries of one signal that arrive while it is pending).
    void signalReceived(int signal);

private:
    SignalHandler();
    ~SignalHandler() override;

    QScopedPointer<SignalHandlerPrivate> d_ptr;
};

} // namespace LibCluster
