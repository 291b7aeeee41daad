// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// PortRegistry: the primary's answers to its workers' listen, close, ack and room.
#include "ports/portregistry.h"

#include "channel/channel.h"
#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "util/logging.h"

namespace LibCluster::Internal {

void PortRegistry::listen(WorkerPrivate *worker, const QCborMap &message, SchedulingPolicy policy)
{
    const ListenRequest request = ListenRequest::fromMap(message);
    QCborMap reply;
    reply.insert(QStringLiteral("seq"), message.value(QStringLiteral("seq")));
    Handle handle;
    SocketError error;
    bool ok = false;
    SharedServer *server = nullptr;
    if (request.kind != QLatin1String("tcp") && request.kind != QLatin1String("udp")
        && request.kind != QLatin1String("local")) {
        error.errorString = QStringLiteral("unknown kind of server: %1").arg(request.kind);
    } else {
        auto it = m_servers.find(request.key());
        if (it == m_servers.end()) {
            auto created = SharedServer::create(policy, request, m_lastKey + 1);
            if (created->open(&error)) {
                ++m_lastKey;
                it = m_servers.emplace(request.key(), std::move(created)).first;
                qCDebug(lcPrimary) << "shared server" << m_lastKey << "for" << request.key() << "at"
                                   << it->second->address().toString();
            }
        }
        if (it != m_servers.end()) {
            server = it->second.get();
            ServerLink::Mode mode = ServerLink::Mode::Accept;
            ok = server->addWorker(worker, &mode, &handle, &error);
            reply.insert(QStringLiteral("key"), server->key());
            reply.insert(QStringLiteral("mode"), mode == ServerLink::Mode::Handed ? 1 : 0);
        }
    }
    reply.insert(QStringLiteral("ok"), ok);
    if (!ok) {
        // A failed listen leaves nothing behind, so a later one can try again.
        qCDebug(lcPrimary) << "worker" << worker->id << "cannot listen on" << request.key() << ":"
                           << error.errorString;
        reply.insert(QStringLiteral("error"), int(error.error));
        reply.insert(QStringLiteral("errorString"), error.errorString);
        if (server)
            dropIfUnused(server);
    }
    QList<int> descriptors;
    if (handle.isValid())
        descriptors.append(int(handle.descriptor()));
    if (worker->channel)
        worker->channel->write(FrameKind::Runtime,
            RuntimeProtocol::encode(RuntimeProtocol::reply(), reply), descriptors);
}

void PortRegistry::close(WorkerPrivate *worker, int key)
{
    if (SharedServer *server = serverByKey(key)) {
        server->removeWorker(worker);
        dropIfUnused(server);
    }
}

void PortRegistry::acknowledge(WorkerPrivate *worker, const QCborMap &message)
{
    using Answer = SharedServer::Answer;
    SharedServer *server = serverByKey(int(message.value(QStringLiteral("key")).toInteger()));
    if (!server)
        return;
    const Answer answer = message.value(QStringLiteral("accepted")).toBool() ? Answer::Taken
        : message.value(QStringLiteral("full")).toBool()                     ? Answer::Full
        : message.value(QStringLiteral("limit")).toBool()                    ? Answer::AtLimit
                                                                             : Answer::Closed;
    server->acknowledge(worker, message.value(QStringLiteral("conn")).toInteger(),
        int(message.value(QStringLiteral("n")).toInteger(1)), answer);
}

void PortRegistry::room(WorkerPrivate *worker, int key)
{
    if (SharedServer *server = serverByKey(key))
        server->hasRoom(worker);
}

void PortRegistry::leaveAll(WorkerPrivate *worker)
{
    for (auto it = m_servers.begin(); it != m_servers.end();) {
        it->second->removeWorker(worker);
        it = it->second->isEmpty() ? m_servers.erase(it) : std::next(it);
    }
}

QList<const SharedServer *> PortRegistry::servers() const
{
    QList<const SharedServer *> list;
    for (const auto &entry : m_servers)
        list.append(entry.second.get());
    return list;
}

SharedServer *PortRegistry::serverByKey(int key) const
{
    for (const auto &entry : m_servers)
        if (entry.second->key() == key)
            return entry.second.get();
    return nullptr;
}

void PortRegistry::dropIfUnused(SharedServer *server)
{
    if (!server->isEmpty())
        return;
    qCDebug(lcPrimary) << "closing shared server" << server->key();
    m_servers.erase(server->request().key());
}

} // namespace LibCluster::Internal
