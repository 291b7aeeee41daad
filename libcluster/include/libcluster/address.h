// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief Where a worker listens: Node's `address` argument of the 'listening' event.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QMetaType>
#include <QString>

namespace LibCluster {

//! \brief Where a server of a worker listens: an address, a port and what kind of socket.
//!
//! Worker::listening() and Cluster::workerListening() carry one, as Node's 'listening' event
//! carries its `address` object; a value class, comparable, usable in QVariant.
class LIBCLUSTER_EXPORT Address
{
public:
    //! \brief Node's addressType: 4, 6, -1 (a Unix socket path), "udp4", "udp6".
    //!
    //! The UDP values are not Node's strings but numbers, so that the type stays an enum;
    //! addressTypeName() gives Node's spelling.
    enum AddressType {
        Local = -1, //!< A Unix socket path (LocalServer); port() is 0.
        IPv4 = 4, //!< A TCP server on an IPv4 address.
        IPv6 = 6, //!< A TCP server on an IPv6 address.
        Udp4 = 104, //!< A UdpSocket bound to an IPv4 address ("udp4").
        Udp6 = 106 //!< A UdpSocket bound to an IPv6 address ("udp6").
    };

    //! \brief An empty IPv4 address with port 0.
    Address() = default;
    //! \brief Where a server of kind `type` listens: `address` (or a socket path) and `port`.
    Address(const QString &address, quint16 port, AddressType type)
        : m_address(address)
        , m_port(port)
        , m_type(type)
    { }

    //! \brief The IP address, or the socket path for Local.
    QString address() const { return m_address; }
    //! \brief The port; 0 for a Local socket path.
    quint16 port() const { return m_port; }
    //! \brief What kind of socket listens there.
    AddressType addressType() const { return m_type; }
    //! \brief "4", "6", "-1", "udp4" or "udp6", as Node prints it.
    QString addressTypeName() const;
    //! \brief "127.0.0.1:8000", "[::1]:8000", "/run/app.sock".
    QString toString() const;

    //! \brief True when address, port and type are all the same.
    bool operator==(const Address &other) const
    {
        return m_address == other.m_address && m_port == other.m_port && m_type == other.m_type;
    }
    //! \brief True when address, port or type differ.
    bool operator!=(const Address &other) const { return !(*this == other); }

private:
    QString m_address;
    quint16 m_port = 0;
    AddressType m_type = IPv4;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Address)
