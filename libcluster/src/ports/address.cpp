// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Address: Node's listening address, printable.
#include <libcluster/address.h>

namespace LibCluster {

QString Address::addressTypeName() const
{
    switch (m_type) {
    case Local:
        return QStringLiteral("-1");
    case IPv4:
        return QStringLiteral("4");
    case IPv6:
        return QStringLiteral("6");
    case Udp4:
        return QStringLiteral("udp4");
    case Udp6:
        return QStringLiteral("udp6");
    }
    return QString();
}

QString Address::toString() const
{
    if (m_type == Local)
        return m_address;
    if (m_address.contains(QLatin1Char(':')))
        return QStringLiteral("[%1]:%2").arg(m_address).arg(m_port);
    return QStringLiteral("%1:%2").arg(m_address).arg(m_port);
}

} // namespace LibCluster
