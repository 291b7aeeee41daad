// A file descriptor that travels with a message: a connected socket, a listening socket, a pipe.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QMetaType>
#include <QSharedPointer>

namespace LibCluster {

class HandleData;

// Handle owns its descriptor and closes it when the last copy goes away, so a handle that is
// received and ignored never leaks. Take the descriptor with takeDescriptor() to keep it, e.g.
// to give it to QTcpSocket::setSocketDescriptor() or QTcpServer::setSocketDescriptor().
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
    // Gives up ownership: the caller must close the returned descriptor. Every copy of this
    // handle becomes invalid.
    qintptr takeDescriptor();

private:
    QSharedPointer<HandleData> d;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Handle)
