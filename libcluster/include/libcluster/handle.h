// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A file descriptor that travels with a message: a connected socket, a listening socket, a
//! pipe.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QMetaType>

#include <memory>

namespace LibCluster {

class HandleData;

//! \brief A file descriptor sent or received with a message (Worker::send(),
//! Worker::messageReceived()).
//!
//! Handle owns its descriptor and closes it when the last copy goes away, so a handle that is
//! received and ignored never leaks. Copies share the descriptor, and each copy may take it: every
//! slot connected to a messageReceived() signal (the Worker's and the Cluster's) gets the same
//! message with the same Handle, and one slot taking the descriptor must not leave the others with
//! nothing. Take it with takeDescriptor() to keep it, e.g. to give it to
//! QTcpSocket::setSocketDescriptor() or QTcpServer::setSocketDescriptor(); read or write through
//! descriptor() only while you hold the Handle.
class LIBCLUSTER_EXPORT Handle
{
public:
    //! \brief An invalid handle: no descriptor (what a message without one carries).
    Handle();
    //! \brief Closes the descriptor if this is its last copy and it was not taken.
    ~Handle();
    //! \brief Another copy of the same descriptor (not a duplicate: see takeDescriptor()).
    Handle(const Handle &other);
    //! \brief Makes this a copy of `other`, letting go of the descriptor held before.
    Handle &operator=(const Handle &other);

    //! \brief A handle with a duplicate of `descriptor`; the caller keeps its own copy.
    //!
    //! Returns an invalid handle when `descriptor` is not an open descriptor.
    static Handle fromDescriptor(qintptr descriptor);
    //! \brief A handle that takes ownership of `descriptor`.
    static Handle adopt(qintptr descriptor);

    //! \brief True while the handle holds a descriptor (it has one and it was not taken).
    bool isValid() const;
    //! \brief The descriptor, still owned by the handle; -1 if invalid or taken.
    qintptr descriptor() const;
    //! \brief A descriptor the caller owns and must close; this Handle becomes invalid.
    //!
    //! Every other copy keeps its own: while other copies exist (another slot received the same
    //! message), the caller gets a duplicate (close-on-exec) and they keep the original; the last
    //! copy hands over the original itself. -1 if this Handle is invalid, or if no duplicate could
    //! be made (the process is out of descriptors; this Handle stays valid then).
    qintptr takeDescriptor();

private:
    std::shared_ptr<HandleData> d;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Handle)
