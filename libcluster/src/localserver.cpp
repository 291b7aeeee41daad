// LocalServer: QLocalServer with the listening socket obtained from the primary.
#include <libcluster/localserver.h>

#include "serverlink.h"

#include <QChildEvent>
#include <QLocalSocket>
#include <QPointer>

namespace LibCluster {

using namespace Internal;

class LocalServerPrivate
{
public:
    explicit LocalServerPrivate(LocalServer *q)
        : link(
                ServerLink::Kind::Local, [this](qintptr fd) { return deliver(fd); },
                [q] { q->close(); })
        , q(q)
    {
    }

    bool deliver(qintptr fd)
    {
        if (!q->isListening())
            return false;
        // QLocalServer::incomingConnection() emits newConnection() itself.
        q->incomingConnection(quintptr(fd));
        return true;
    }

    ServerLink link;
    LocalServer *q;
    // Where the primary accepts, this worker holds no listening socket of its own.
    bool handedListening = false;
    QString name;
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
};

LocalServer::LocalServer(QObject *parent)
    : QLocalServer(parent)
    , d_cluster(new LocalServerPrivate(this))
{
}

LocalServer::~LocalServer()
{
    d_cluster->link.close();
}

bool LocalServer::listen(const QString &name)
{
    d_cluster->errorString.clear();
    if (!ServerLink::inWorker())
        return QLocalServer::listen(name);
    if (isListening())
        return false;
    ServerLink::Result result = d_cluster->link.open(QString(), 0, name);
    if (!result.ok) {
        d_cluster->error = result.error;
        d_cluster->errorString = result.errorString;
        return false;
    }
    d_cluster->name = name;
    if (result.mode == ServerLink::Mode::Handed) {
        d_cluster->handedListening = true;
    } else if (!QLocalServer::listen(qintptr(result.handle.takeDescriptor()))) {
        d_cluster->error = QLocalServer::serverError();
        d_cluster->errorString = QLocalServer::errorString();
        d_cluster->link.close();
        return false;
    }
    d_cluster->link.announceListening(Address(name, 0, Address::Local));
    return true;
}

void LocalServer::close()
{
    d_cluster->link.close();
    d_cluster->handedListening = false;
    if (QLocalServer::isListening())
        QLocalServer::close();
}

bool LocalServer::isListening() const
{
    return d_cluster->handedListening || QLocalServer::isListening();
}

QString LocalServer::serverName() const
{
    return d_cluster->handedListening ? d_cluster->name : QLocalServer::serverName();
}

QString LocalServer::fullServerName() const
{
    return d_cluster->handedListening ? d_cluster->name : QLocalServer::fullServerName();
}

QAbstractSocket::SocketError LocalServer::serverError() const
{
    return d_cluster->errorString.isEmpty() ? QLocalServer::serverError() : d_cluster->error;
}

QString LocalServer::errorString() const
{
    return d_cluster->errorString.isEmpty() ? QLocalServer::errorString() : d_cluster->errorString;
}

void LocalServer::incomingConnection(quintptr socketDescriptor)
{
    // QLocalServer queues the socket it creates where we cannot reach it; pick it up as it is
    // made a child of this server, to count it.
    QPointer<QLocalSocket> created;
    const auto before = findChildren<QLocalSocket *>(Qt::FindDirectChildrenOnly);
    QLocalServer::incomingConnection(socketDescriptor);
    const auto after = findChildren<QLocalSocket *>(Qt::FindDirectChildrenOnly);
    for (QLocalSocket *socket : after)
        if (!before.contains(socket))
            created = socket;
    if (created)
        d_cluster->link.track(created.data());
}

} // namespace LibCluster
