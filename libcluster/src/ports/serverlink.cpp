// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ServerLink: the listen request and its bookkeeping in the worker.
#include "ports/serverlink.h"

#include "ports/listenrequest.h"
#include "runtime/runtimeprotocol.h"
#include "runtime/worker_p.h"
#include "runtime/workerruntime.h"
#include "util/logging.h"

#include <libcluster/tcpserver.h>

#include <QSet>

namespace LibCluster::Internal {

namespace {
WorkerPrivate *runtime()
{
    return WorkerRuntime::selfPrivate();
}

QString kindName(ServerLink::Kind kind)
{
    switch (kind) {
    case ServerLink::Kind::Tcp:
        return QStringLiteral("tcp");
    case ServerLink::Kind::Udp:
        return QStringLiteral("udp");
    case ServerLink::Kind::Local:
        return QStringLiteral("local");
    }
    return QString();
}
} // namespace

ServerLink::ServerLink(Kind kind, std::function<bool()> accepting,
    std::function<void(qintptr)> take, std::function<void()> closeServer)
    : m_kind(kind)
    , m_accepting(std::move(accepting))
    , m_take(std::move(take))
    , m_closeServer(std::move(closeServer))
{ }

ServerLink::~ServerLink()
{
    close();
}

bool ServerLink::inWorker()
{
    return runtime() != nullptr;
}

ServerLink::Result ServerLink::open(
    const QString &address, quint16 port, const QString &name, int socketOptions)
{
    Result result;
    WorkerPrivate *worker = runtime();
    if (!worker) {
        result.errorString = QStringLiteral("not a worker");
        return result;
    }
    ListenRequest request;
    request.kind = kindName(m_kind);
    request.address = address;
    request.port = port;
    request.name = name;
    request.socketOptions = socketOptions;
    // The lowest index no open server of this worker with the same spec holds.
    const QString base = request.key();
    QSet<int> taken;
    for (const ServerLink *link : std::as_const(worker->links))
        if (link->m_base == base)
            taken.insert(link->m_index);
    while (taken.contains(request.index))
        ++request.index;

    QString error;
    const QCborMap reply
        = worker->request(RuntimeProtocol::listen(), request.toMap(), &result.handle, &error);
    if (!error.isEmpty()) {
        result.error = QAbstractSocket::SocketTimeoutError;
        result.errorString = error;
        return result;
    }
    if (!reply.value(QStringLiteral("ok")).toBool()) {
        result.error
            = QAbstractSocket::SocketError(reply.value(QStringLiteral("error")).toInteger());
        result.errorString = reply.value(QStringLiteral("errorString")).toString();
        return result;
    }
    if (!result.handle.isValid()) {
        // The primary always sends the socket with a successful reply: it arrived without it
        // because this process had no descriptor left to receive it in.
        result.error = QAbstractSocket::SocketResourceError;
        result.errorString = QStringLiteral(
            "the listening socket could not be received: the worker is out of file "
            "descriptors (raise RLIMIT_NOFILE)");
        return result;
    }
    result.ok = true;
    result.mode
        = reply.value(QStringLiteral("mode")).toInteger() == 1 ? Mode::Handed : Mode::Accept;
    m_key = int(reply.value(QStringLiteral("key")).toInteger());
    m_counts->key = m_key;
    m_counts->refusedAtLimit = false;
    m_base = base;
    m_index = request.index;
    worker->links.insert(m_key, this);
    return result;
}

void ServerLink::announceListening(const Address &address)
{
    WorkerPrivate *worker = runtime();
    if (!worker || m_key <= 0)
        return;
    QCborMap message;
    message.insert(QStringLiteral("key"), m_key);
    message.insert(QStringLiteral("address"), address.address());
    message.insert(QStringLiteral("port"), address.port());
    message.insert(QStringLiteral("addressType"), int(address.addressType()));
    worker->sendFrame(
        FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::listening(), message));
}

void ServerLink::close()
{
    if (m_key <= 0)
        return;
    if (WorkerPrivate *worker = runtime()) {
        QCborMap message;
        message.insert(QStringLiteral("key"), m_key);
        worker->sendFrame(
            FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::close(), message));
        worker->links.remove(m_key);
    }
    m_key = 0;
    m_counts->key = 0;
    m_counts->refusedAtLimit = false;
}

void ServerLink::setMaxConnections(int max, const char *owner)
{
    if (max < -1 || max > TcpServer::MaxConnectionsLimit) {
        qCWarning(lcWorker).nospace()
            << owner << "::setMaxConnections(" << max << ") ignored: use -1 for no limit, or 0 to "
            << TcpServer::MaxConnectionsLimit;
        return;
    }
    m_counts->max = max;
    m_counts->reportRoom();
}

bool ServerLink::refusesAtLimit(int alsoTaking)
{
    if (!m_counts->isAtLimit(alsoTaking) || m_counts->dropAtLimit)
        return false;
    m_counts->refusedAtLimit = true;
    return true;
}

void ServerLink::dropped()
{
    if (WorkerPrivate *worker = runtime())
        worker->scheduleCountsReport();
}

void ServerLink::Counts::reportRoom()
{
    if (!refusedAtLimit || key <= 0 || isAtLimit())
        return;
    refusedAtLimit = false;
    if (WorkerPrivate *worker = runtime()) {
        QCborMap message;
        message.insert(QStringLiteral("key"), key);
        worker->sendFrame(
            FrameKind::Runtime, RuntimeProtocol::encode(RuntimeProtocol::room(), message));
    }
}

std::function<void()> ServerLink::opened()
{
    ++m_counts->accepted;
    ++m_counts->open;
    if (WorkerPrivate *worker = runtime())
        worker->connectionOpened();
    auto counts = m_counts;
    auto done = std::make_shared<bool>(false);
    return [counts, done] {
        if (*done)
            return;
        *done = true;
        --counts->open;
        counts->reportRoom();
        if (WorkerPrivate *worker = runtime())
            worker->connectionClosed();
    };
}

} // namespace LibCluster::Internal
