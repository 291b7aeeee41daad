// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SignalHandler: sigaction + a self-pipe read by a QSocketNotifier.
#include <libcluster/signalhandler.h>

#include "util/logging.h"

#include <QCoreApplication>
#include <QHash>
#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace LibCluster {

using namespace Internal;

namespace {
// Written by the signal handler, so plain ints: nothing else is async-signal-safe.
int g_pipe[2] = { -1, -1 };

void onSignal(int signal)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signal);
    // A full pipe means hundreds of deliveries wait to be read already: dropping one loses nothing.
    (void)!::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}
} // namespace

class SignalHandlerPrivate
{
public:
    struct Watch
    {
        int count = 0;
        struct sigaction previous
        {
        };
    };
    QHash<int, Watch> watches;
    QSocketNotifier *notifier = nullptr;
};

SignalHandler::SignalHandler()
    : d_ptr(new SignalHandlerPrivate)
{
    Q_D(SignalHandler);
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        qCWarning(lcPrimary) << "cannot create the signal pipe:" << qt_error_string(errno);
        return;
    }
    d->notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(d->notifier, &QSocketNotifier::activated, this, [this] {
        unsigned char buffer[64];
        ssize_t n;
        while ((n = ::read(g_pipe[0], buffer, sizeof buffer)) > 0) {
            for (ssize_t i = 0; i < n; ++i)
                Q_EMIT signalReceived(buffer[i]);
        }
    });
}

SignalHandler::~SignalHandler() = default;

SignalHandler *SignalHandler::instance()
{
    static SignalHandler *handler = nullptr;
    static std::once_flag created;
    std::call_once(created, [] {
        handler = new SignalHandler;
        if (QCoreApplication *application = QCoreApplication::instance())
            handler->moveToThread(application->thread());
    });
    return handler;
}

bool SignalHandler::watchSignal(int signal)
{
    Q_D(SignalHandler);
    if (signal <= 0 || signal >= NSIG || signal == SIGKILL || signal == SIGSTOP || signal == SIGCHLD
        || !d->notifier)
        return false;
    SignalHandlerPrivate::Watch &watch = d->watches[signal];
    if (watch.count++ > 0)
        return true;
    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (::sigaction(signal, &action, &watch.previous) != 0) {
        d->watches.remove(signal);
        return false;
    }
    return true;
}

void SignalHandler::unwatchSignal(int signal)
{
    Q_D(SignalHandler);
    const auto it = d->watches.find(signal);
    if (it == d->watches.end())
        return;
    if (--it->count > 0)
        return;
    ::sigaction(signal, &it->previous, nullptr);
    d->watches.erase(it);
}

bool SignalHandler::isWatching(int signal) const
{
    return d_func()->watches.contains(signal);
}

} // namespace LibCluster
