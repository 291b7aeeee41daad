// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The stack check behind TcpServer's and SslServer's operator delete.
#include "ports/adoptableserver.h"

#include <QtGlobal>

#include <new>

#include <pthread.h>

namespace LibCluster::Internal {

namespace {
// Whether `pointer` lies in this thread's stack: a local variable, never made by new.
bool isOnThisThreadsStack(const void *pointer)
{
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0)
        return false;
    void *lowest = nullptr;
    size_t size = 0;
    const bool known = pthread_attr_getstack(&attributes, &lowest, &size) == 0;
    pthread_attr_destroy(&attributes);
    const auto address = reinterpret_cast<quintptr>(pointer);
    const auto begin = reinterpret_cast<quintptr>(lowest);
    return known && address >= begin && address - begin < size;
}
} // namespace

void deleteAdoptableServer(void *pointer, const char *className) noexcept
{
    // The usual way here: `TcpServer server;` declared before the QHttpServer it is bound to.
    // Freeing a stack address aborts anyway (glibc: "free(): invalid pointer"), and the variable
    // would be destroyed a second time after this; say what happened and what to do.
    if (pointer && isOnThisThreadsStack(pointer))
        qFatal("LibCluster::%s: a local variable was deleted, most likely by its parent "
               "(QHttpServer::bind() makes the server a child of the QHttpServer). Create it with "
               "new (new %s(&httpServer)), or declare it after the QHttpServer so that it is "
               "destroyed first.",
            className, className);
    ::operator delete(pointer);
}

} // namespace LibCluster::Internal
