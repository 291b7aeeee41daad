// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// AppendDevice: the array's own size doubles as the room reserved, so a write is a bounds check
// and a memcpy.
#include "channel/appenddevice.h"

namespace LibCluster::Internal {

AppendDevice::AppendDevice()
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

void AppendDevice::start(QByteArray *buffer)
{
    m_buffer = buffer;
    m_size = buffer->size();
    // Room already allocated costs nothing to claim.
    buffer->resize(qMax(buffer->capacity(), m_size + 64));
    m_data = buffer->data();
    m_capacity = buffer->size();
}

void AppendDevice::finish()
{
    m_buffer->resize(m_size);
    m_buffer = nullptr;
    m_data = nullptr;
    m_size = m_capacity = 0;
}

void AppendDevice::grow(qsizetype needed)
{
    m_buffer->resize(qMax(m_size + needed, 2 * m_capacity));
    m_data = m_buffer->data();
    m_capacity = m_buffer->size();
}

qint64 AppendDevice::readData(char *, qint64)
{
    return -1;
}

qint64 AppendDevice::writeData(const char *data, qint64 size)
{
    append(data, qsizetype(size));
    return size;
}

} // namespace LibCluster::Internal
