// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// UdpSocket: QUdpSocket bound to the socket the primary shares among all workers.
#include <libcluster/udpsocket.h>

#include "ports/serverlink.h"

#include <QTimer>

namespace LibCluster {

using namespace Internal;

class UdpSocketPrivate
{
public:
    explicit UdpSocketPrivate(UdpSocket *q)
        : link(
            ServerLink::Kind::Udp, [] { return false; }, [](qintptr) {}, [q] { q->close(); })
    { }

    ServerLink link;
    // While bound in a cluster: catches a datagram QUdpSocket stopped announcing (see below).
    QTimer *watch = nullptr;
    bool pendingAtLastLook = false;
};

UdpSocket::UdpSocket(QObject *parent)
    : QUdpSocket(parent)
    , d_cluster(new UdpSocketPrivate(this))
{
    // QUdpSocket stops announcing datagrams after readyRead() until one is read. When another
    // worker read it first there is none to read, and this socket would never announce a
    // datagram again. Re-arming it takes a read, which could swallow a datagram arriving at
    // that moment; instead a datagram found pending at two looks in a row is announced again
    // (an extra readyRead() is harmless), and reading it re-arms QUdpSocket.
    d_cluster->watch = new QTimer(this);
    d_cluster->watch->setInterval(50);
    connect(d_cluster->watch, &QTimer::timeout, this, [this] {
        const bool pending = hasPendingDatagrams();
        if (pending && d_cluster->pendingAtLastLook)
            Q_EMIT readyRead();
        d_cluster->pendingAtLastLook = pending;
    });
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
        Q_EMIT errorOccurred(result.error);
        return false;
    }
    if (!setSocketDescriptor(result.handle.takeDescriptor(), BoundState, ReadWrite)) {
        d_cluster->link.close();
        return false;
    }
    d_cluster->watch->start();
    const QHostAddress bound = localAddress();
    d_cluster->link.announceListening(Address(bound.toString(), localPort(),
        bound.protocol() == QAbstractSocket::IPv4Protocol ? Address::Udp4 : Address::Udp6));
    return true;
}

QNetworkDatagram UdpSocket::receiveDatagram(qint64 maxSize)
{
    // The size of the datagram at the head now is no promise about the one this read gets.
    constexpr qint64 LargestUdpPayload = 65507;
    return QUdpSocket::receiveDatagram(maxSize < 0 ? LargestUdpPayload : maxSize);
}

void UdpSocket::close()
{
    d_cluster->watch->stop();
    d_cluster->link.close();
    QUdpSocket::close();
}

} // namespace LibCluster
