// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Handle: a shared, self-closing file descriptor.
#include <libcluster/handle.h>

#include <fcntl.h>
#include <unistd.h>

namespace LibCluster {

class HandleData
{
public:
    explicit HandleData(int fd)
        : fd(fd)
    { }
    ~HandleData()
    {
        if (fd >= 0)
            ::close(fd);
    }
    int fd;
};

Handle::Handle() = default;
Handle::~Handle() = default;
Handle::Handle(const Handle &other) = default;
Handle &Handle::operator=(const Handle &other) = default;

Handle Handle::fromDescriptor(qintptr descriptor)
{
    if (descriptor < 0)
        return Handle();
    const int copy = ::fcntl(int(descriptor), F_DUPFD_CLOEXEC, 0);
    return copy < 0 ? Handle() : adopt(copy);
}

Handle Handle::adopt(qintptr descriptor)
{
    Handle handle;
    if (descriptor >= 0)
        handle.d = std::make_shared<HandleData>(int(descriptor));
    return handle;
}

bool Handle::isValid() const
{
    return d && d->fd >= 0;
}

qintptr Handle::descriptor() const
{
    return d ? d->fd : -1;
}

qintptr Handle::takeDescriptor()
{
    if (!d || d->fd < 0)
        return -1;
    int fd = -1;
    if (d.use_count() > 1) {
        // Others hold this descriptor too (every receiver of one message gets a copy): they keep
        // it, and this caller gets a descriptor of its own.
        fd = ::fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
        if (fd < 0)
            return -1;
    } else {
        fd = d->fd;
        d->fd = -1;
    }
    d.reset();
    return fd;
}

} // namespace LibCluster
