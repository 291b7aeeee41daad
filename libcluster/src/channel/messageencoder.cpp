// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageEncoder: rewinds instead of reallocating; gives back memory after a very large message.
#include "channel/messageencoder.h"

#include <QCborValue>

namespace LibCluster::Internal {

namespace {
// A buffer grown past this by one large message is not kept for the small ones that follow.
constexpr qsizetype KeepCapacity = 1024 * 1024;
} // namespace

MessageEncoder::MessageEncoder()
    : m_device(&m_data)
    , m_writer(&m_device)
{
    m_device.open(QIODevice::WriteOnly);
}

QByteArrayView MessageEncoder::encode(const QCborValue &value)
{
    if (m_data.size() > KeepCapacity) {
        m_device.close();
        m_data = QByteArray();
        m_device.open(QIODevice::WriteOnly);
    }
    m_device.seek(0);
    value.toCbor(m_writer);
    return QByteArrayView(m_data.constData(), m_device.pos());
}

} // namespace LibCluster::Internal
