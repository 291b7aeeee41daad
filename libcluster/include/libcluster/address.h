// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Where a worker listens: Node's `address` argument of the 'listening' event.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QMetaType>
#include <QString>

namespace LibCluster {

class LIBCLUSTER_EXPORT Address
{
public:
    // Node's addressType: 4, 6, -1 (a Unix socket path), "udp4", "udp6".
    enum AddressType { Local = -1, IPv4 = 4, IPv6 = 6, Udp4 = 104, Udp6 = 106 };

    Address() = default;
    Address(const QString &address, quint16 port, AddressType type)
        : m_address(address)
        , m_port(port)
        , m_type(type)
    { }

    // The IP address, or the socket path for Local.
    QString address() const { return m_address; }
    quint16 port() const { return m_port; }
    AddressType addressType() const { return m_type; }
    // "4", "6", "-1", "udp4" or "udp6", as Node prints it.
    QString addressTypeName() const;
    // "127.0.0.1:8000", "[::1]:8000", "/run/app.sock".
    QString toString() const;

    bool operator==(const Address &other) const
    {
        return m_address == other.m_address && m_port == other.m_port && m_type == other.m_type;
    }
    bool operator!=(const Address &other) const { return !(*this == other); }

private:
    QString m_address;
    quint16 m_port = 0;
    AddressType m_type = IPv4;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Address)
