// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A QUdpSocket whose bound port is shared by every worker of a cluster (always one shared
//! socket, as in Node: datagrams go to whichever worker reads first).
#pragma once

#include <libcluster/libcluster_export.h>

#include <QNetworkDatagram>
#include <QUdpSocket>

namespace LibCluster {

class UdpSocketPrivate;

//! \brief A QUdpSocket whose bound port every worker of a cluster shares.
//!
//! In a worker, bind() asks the primary for the shared socket. Outside a cluster it is a plain
//! QUdpSocket. Every worker reads the same socket, so a datagram that readyRead() announced may
//! already be gone when this worker reads: receiveDatagram() then returns an invalid datagram
//! (check QNetworkDatagram::isValid(), or readDatagram()'s -1) — skip it, it is not an error. For
//! the same reason pendingDatagramSize() may describe a datagram another worker took: size a
//! readDatagram() buffer for the largest datagram expected, not from pendingDatagramSize(), or the
//! next datagram can come out cut short. receiveDatagram() here does that by itself.
class LIBCLUSTER_EXPORT UdpSocket : public QUdpSocket
{
    Q_OBJECT

public:
    //! \brief A socket that is not bound yet.
    explicit UdpSocket(QObject *parent = nullptr);
    //! \brief Closes the socket (see close()).
    ~UdpSocket() override;

    using QUdpSocket::bind;
    //! \brief Binds to `address` and `port`: in a worker, the socket every worker bound there
    //! shares, made by the primary; as QUdpSocket::bind() outside a cluster.
    bool bind(
        const QHostAddress &address, quint16 port = 0, BindMode mode = DefaultForPlatform) override;
    //! \brief Closes this worker's copy of the shared socket and tells the primary that this
    //! worker no longer uses it.
    void close() override;
    //! \brief QUdpSocket::receiveDatagram(), except that without a `maxSize` it reads up to the
    //! largest UDP datagram (65,507 bytes) instead of pendingDatagramSize(), which another worker's
    //! read can make stale.
    //!
    //! Reached through a UdpSocket (QUdpSocket's is not virtual).
    QNetworkDatagram receiveDatagram(qint64 maxSize = -1);

private:
    friend class UdpSocketPrivate;
    QScopedPointer<UdpSocketPrivate> d_cluster;
};

} // namespace LibCluster
