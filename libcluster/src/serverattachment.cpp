// ServerAttachment: the cluster's listen for a QTcpServer whose functions libcluster cannot
// override; connections are counted by watching the sockets the server creates as its children.
#include "serverattachment.h"

#include "acceptretry.h"
#include "logging.h"

#include <QChildEvent>
#include <QTcpServer>
#include <QTcpSocket>

namespace LibCluster::Internal {

namespace {
// QTcpServer::incomingConnection() is protected; naming it through a subclass gives a pointer to
// the base's virtual function, so the call still reaches the server's own override.
struct IncomingConnection : QTcpServer
{
    using QTcpServer::incomingConnection;
};
} // namespace

ServerAttachment *ServerAttachment::of(QTcpServer *server)
{
    if (auto *existing = server->findChild<ServerAttachment *>(QString(), Qt::FindDirectChildrenOnly))
        return existing;
    return new ServerAttachment(server);
}

ServerAttachment::ServerAttachment(QTcpServer *server)
    : QObject(server)
    , m_server(server)
    , m_link(
          ServerLink::Kind::Tcp, [server] { return server->isListening(); },
          [this](qintptr fd) { take(fd); }, [server] { server->close(); })
{
    new AcceptRetry(server, [this] { return !m_handed; });
    server->installEventFilter(this);
    connect(server, &QTcpServer::newConnection, this, &ServerAttachment::trackNewSockets);
}

bool ServerAttachment::listen(const QHostAddress &address, quint16 port, QString *errorString)
{
    if (m_server->isListening()) {
        *errorString = QStringLiteral("the server is already listening");
        return false;
    }
    m_link.close(); // a listen before a QTcpServer::close() the primary has not heard of
    const QString text = address == QHostAddress::Any ? QString() : address.toString();
    ServerLink::Result result = m_link.open(text, port, QString());
    if (!result.ok) {
        *errorString = result.errorString;
        return false;
    }
    if (!m_server->setSocketDescriptor(result.handle.takeDescriptor())) {
        *errorString = m_server->errorString();
        m_link.close();
        return false;
    }
    m_handed = result.mode == ServerLink::Mode::Handed;
    if (m_handed) {
        // QTcpServer turns accepting back on in nextPendingConnection(); with no room for a
        // pending connection it still never accepts one, and the primary's policy holds.
        m_server->pauseAccepting();
        m_server->setMaxPendingConnections(0);
    }
    const QHostAddress bound = address == QHostAddress::Any ? QHostAddress(QHostAddress::AnyIPv6)
                                                             : m_server->serverAddress();
    m_link.announceListening(Address(bound.toString(), m_server->serverPort(),
        bound.protocol() == QAbstractSocket::IPv4Protocol ? Address::IPv4 : Address::IPv6));
    return true;
}

bool ServerAttachment::eventFilter(QObject *watched, QEvent *event)
{
    // Sent while the child is still being constructed: what it is can only be seen later.
    if (watched == m_server && event->type() == QEvent::ChildAdded)
        m_newChildren.append(static_cast<QChildEvent *>(event)->child());
    return false;
}

void ServerAttachment::take(qintptr fd)
{
    QPointer<QTcpServer> guard(m_server);
    (m_server->*(&IncomingConnection::incomingConnection))(fd);
    if (guard)
        emit m_server->newConnection();
}

void ServerAttachment::trackNewSockets()
{
    const auto children = std::exchange(m_newChildren, {});
    for (const QPointer<QObject> &child : children)
        if (auto *socket = qobject_cast<QAbstractSocket *>(child.data()))
            m_link.track(socket);
}

} // namespace LibCluster::Internal
