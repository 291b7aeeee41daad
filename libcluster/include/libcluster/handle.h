// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A file descriptor that travels with a message: a connected socket, a listening socket, a pipe.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QMetaType>

#include <memory>

namespace LibCluster {

class HandleData;

// Handle owns its descriptor and closes it when the last copy goes away, so a handle that is
// received and ignored never leaks. Copies share the descriptor, and each copy may take it:
// every slot connected to a messageReceived() signal (the Worker's and the Cluster's) gets the
// same message with the same Handle, and one slot taking the descriptor must not leave the
// others with nothing. Take it with takeDescriptor() to keep it, e.g. to give it to
// QTcpSocket::setSocketDescriptor() or QTcpServer::setSocketDescriptor(); read or write through
// descriptor() only while you hold the Handle.
class LIBCLUSTER_EXPORT Handle
{
public:
    Handle();
    ~Handle();
    Handle(const Handle &other);
    Handle &operator=(const Handle &other);

    // A handle with a duplicate of `descriptor`; the caller keeps its own copy. Returns an
    // invalid handle when `descriptor` is not an open descriptor.
    static Handle fromDescriptor(qintptr descriptor);
    // A handle that takes ownership of `descriptor`.
    static Handle adopt(qintptr descriptor);

    bool isValid() const;
    // The descriptor, still owned by the handle; -1 if invalid or taken.
    qintptr descriptor() const;
    // A descriptor the caller owns and must close; this Handle becomes invalid, and every other
    // copy keeps its own: while other copies exist (another slot received the same message),
    // the caller gets a duplicate (close-on-exec) and they keep the original; the last copy
    // hands over the original itself. -1 if this Handle is invalid, or if no duplicate could be
    // made (the process is out of descriptors; this Handle stays valid then).
    qintptr takeDescriptor();

private:
    std::shared_ptr<HandleData> d;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Handle)
