// A QUdpSocket whose bound port is shared by every worker of a cluster (always one shared
// socket, as in Node: datagrams go to whichever worker reads first).
#pragma once

#include <libcluster/libcluster_export.h>

#include <QUdpSocket>

namespace LibCluster {

class UdpSocketPrivate;

// In a worker, bind() asks the primary for the shared socket. Outside a cluster it is a plain
// QUdpSocket. Every worker reads the same socket, so a datagram that readyRead() announced may
// already be gone when this worker reads: receiveDatagram() then returns an invalid datagram
// (check QNetworkDatagram::isValid(), or readDatagram()'s -1) — skip it, it is not an error.
class LIBCLUSTER_EXPORT UdpSocket : public QUdpSocket
{
    Q_OBJECT

public:
    explicit UdpSocket(QObject *parent = nullptr);
    ~UdpSocket() override;

    using QUdpSocket::bind;
    bool bind(const QHostAddress &address, quint16 port = 0,
              BindMode mode = DefaultForPlatform) override;
    void close() override;

private:
    friend class UdpSocketPrivate;
    QScopedPointer<UdpSocketPrivate> d_cluster;
};

} // namespace LibCluster
