// UdpSocket: QUdpSocket bound to the socket the primary shares among all workers.
#include <libcluster/udpsocket.h>

#include "serverlink.h"

#include <QSignalBlocker>

namespace LibCluster {

using namespace Internal;

class UdpSocketPrivate
{
public:
    explicit UdpSocketPrivate(UdpSocket *q)
        : link(
                ServerLink::Kind::Udp, [](qintptr) { return false; }, [q] { q->close(); })
    {
    }

    ServerLink link;
};

UdpSocket::UdpSocket(QObject *parent)
    : QUdpSocket(parent)
    , d_cluster(new UdpSocketPrivate(this))
{
    // QUdpSocket stops watching the socket after readyRead() until a datagram is read. When
    // another worker read it first there is none to read, and this socket would never hear of
    // a datagram again: after the slots have run, a read that finds nothing re-arms it.
    connect(
            this, &QIODevice::readyRead, this,
            [this] {
                if (!d_cluster->link.isOpen() || hasPendingDatagrams())
                    return;
                const QSignalBlocker quiet(this);
                char none;
                readDatagram(&none, 0);
                setSocketError(UnknownSocketError);
            },
            Qt::QueuedConnection);
}

UdpSocket::~UdpSocket()
{
    d_cluster->link.close();
}

bool UdpSocket::bind(const QHostAddress &address, quint16 port, BindMode mode)
{
    if (!ServerLink::inWorker())
        return QUdpSocket::bind(address, port, mode);
    if (state() != UnconnectedState) {
        qWarning("QAbstractSocket::bind() called on a socket that is not unconnected");
        return false;
    }
    const QString text = address == QHostAddress::Any ? QString() : address.toString();
    ServerLink::Result result = d_cluster->link.open(text, port, QString());
    if (!result.ok) {
        setErrorString(result.errorString);
        setSocketError(result.error);
        emit errorOccurred(result.error);
        return false;
    }
    if (!setSocketDescriptor(result.handle.takeDescriptor(), BoundState, ReadWrite)) {
        d_cluster->link.close();
        return false;
    }
    const QHostAddress bound = localAddress();
    d_cluster->link.announceListening(Address(
            bound.toString(), localPort(),
            bound.protocol() == QAbstractSocket::IPv4Protocol ? Address::Udp4 : Address::Udp6));
    return true;
}

void UdpSocket::close()
{
    d_cluster->link.close();
    QUdpSocket::close();
}

} // namespace LibCluster
