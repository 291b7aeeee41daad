// ReusePortServer: the reservation decides the port (listen(0) included); every worker's own
// listening socket joins the SO_REUSEPORT group on that port.
#include "reuseportserver.h"

namespace LibCluster::Internal {

bool ReusePortServer::open(SocketError *error)
{
    m_fd = SocketFactory::reservePort(m_request, error);
    if (m_fd < 0)
        return false;
    m_address = SocketFactory::localAddress(m_fd, m_request);
    return true;
}

bool ReusePortServer::addWorker(WorkerPrivate *worker, ServerLink::Mode *mode, Handle *handle,
                                SocketError *error)
{
    ListenRequest own = m_request;
    own.port = m_address.port();
    const int fd = SocketFactory::listen(own, true, error);
    if (fd < 0)
        return false;
    m_workers.append(worker);
    *mode = ServerLink::Mode::Accept;
    *handle = Handle::adopt(fd);
    return true;
}

} // namespace LibCluster::Internal
