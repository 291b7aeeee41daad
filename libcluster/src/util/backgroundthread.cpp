// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// BackgroundThread: pthread_create() under a full signal mask, which the new thread inherits.
#include "util/backgroundthread.h"

#include <csignal>
#include <pthread.h>

namespace LibCluster::Internal {

bool BackgroundThread::start(void *(*body)(void *), void *argument, const char *name)
{
    sigset_t all;
    sigset_t previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    const bool started = pthread_create(&thread, &attributes, body, argument) == 0;
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (started)
        pthread_setname_np(thread, name);
    return started;
}

} // namespace LibCluster::Internal
