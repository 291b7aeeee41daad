// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The operator delete of the server classes that QHttpServer::bind() adopts: a local variable
// deleted by its parent is reported, with the way out, before it corrupts the heap.
#pragma once

#include <cstddef>

namespace LibCluster::Internal {

// Frees `pointer`, made by operator new for a `className` (the class's name without the
// namespace, as in "TcpServer"). If it lies in this thread's stack, the object is a local variable
// that its parent (a QHttpServer since bind()) deleted: stops the program with qFatal() and says
// what to write instead.
void deleteAdoptableServer(void *pointer, const char *className) noexcept;

} // namespace LibCluster::Internal
