// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Frame decoding: validates every header before trusting it, because the peer may be anything.
#include "channel/framedecoder.h"

#include <unistd.h>

namespace LibCluster::Internal {

FrameDecoder::FrameDecoder(quint32 maxPayload)
    : m_maxPayload(maxPayload)
{ }

FrameDecoder::~FrameDecoder()
{
    releaseDescriptors();
}

void FrameDecoder::releaseDescriptors()
{
    for (int fd : m_descriptors)
        ::close(fd);
    m_descriptors.clear();
    m_descriptorsLost = false;
}

int FrameDecoder::closeUnclaimedDescriptors()
{
    const qsizetype available = m_buffer.size() - m_readPos;
    qsizetype keep = 0;
    if (available >= FrameHeaderSize)
        keep = quint8(m_buffer.at(m_readPos + FrameHeaderSize - 1)); // the descriptor count
    else if (available > 0)
        return 0; // a header cut short: its count is not known yet
    int closed = 0;
    while (qsizetype(m_descriptors.size()) > keep) {
        ::close(m_descriptors.back());
        m_descriptors.pop_back();
        ++closed;
    }
    if (available == 0)
        m_descriptorsLost = false;
    return closed;
}

void FrameDecoder::compact()
{
    // Drop consumed bytes before growing, so a long stream of small frames stays in a
    // small buffer without copying on every frame. resize() keeps the capacity.
    if (m_readPos > 0 && m_readPos == m_buffer.size()) {
        m_buffer.resize(0);
        m_readPos = 0;
    } else if (m_readPos > 64 * 1024) {
        m_buffer.remove(0, m_readPos);
        m_readPos = 0;
    }
}

void FrameDecoder::append(const char *data, qsizetype size)
{
    compact();
    m_buffer.append(data, size);
}

char *FrameDecoder::prepareAppend(qsizetype size)
{
    compact();
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + size);
    return m_buffer.data() + old;
}

void FrameDecoder::commitAppend(qsizetype size, qsizetype used)
{
    m_buffer.resize(m_buffer.size() - size + used);
}

void FrameDecoder::appendDescriptors(const int *descriptors, int count)
{
    for (int i = 0; i < count; ++i)
        m_descriptors.push_back(descriptors[i]);
}

FrameDecoder::Result FrameDecoder::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = why;
    return Failed;
}

FrameDecoder::Result FrameDecoder::next(Frame *frame, PayloadMode mode)
{
    if (!m_error.isEmpty())
        return Failed;
    const qsizetype available = m_buffer.size() - m_readPos;
    if (available < FrameHeaderSize)
        return NeedMore;
    const auto *header = reinterpret_cast<const uchar *>(m_buffer.constData() + m_readPos);
    const quint32 size = (quint32(header[0]) << 24) | (quint32(header[1]) << 16)
        | (quint32(header[2]) << 8) | quint32(header[3]);
    const quint8 kind = header[4];
    const int descriptorCount = header[5];
    if (kind != quint8(FrameKind::Runtime) && kind != quint8(FrameKind::Message))
        return fail(QStringLiteral("unknown frame kind %1").arg(kind));
    if (size > m_maxPayload)
        return fail(QStringLiteral("frame of %1 bytes exceeds the limit of %2 bytes")
                        .arg(size)
                        .arg(m_maxPayload));
    if (descriptorCount > MaxFrameDescriptors)
        return fail(QStringLiteral("frame declares %1 descriptors, more than the limit of %2")
                        .arg(descriptorCount)
                        .arg(MaxFrameDescriptors));
    if (available - FrameHeaderSize < qsizetype(size))
        return NeedMore;
    const int arrived = int(qMin<qsizetype>(m_descriptors.size(), descriptorCount));
    if (arrived < descriptorCount && !m_descriptorsLost)
        return fail(QStringLiteral("frame declares %1 descriptors but %2 arrived")
                        .arg(descriptorCount)
                        .arg(m_descriptors.size()));

    frame->kind = FrameKind(kind);
    const char *payload = m_buffer.constData() + m_readPos + FrameHeaderSize;
    frame->payload
        = mode == View ? QByteArray::fromRawData(payload, size) : QByteArray(payload, size);
    frame->descriptors.clear();
    for (int i = 0; i < arrived; ++i) {
        frame->descriptors.append(m_descriptors.front());
        m_descriptors.pop_front();
    }
    if (arrived < descriptorCount) {
        // The receiver could not take them: the frame says so rather than the stream failing.
        frame->descriptors.insert(arrived, descriptorCount - arrived, -1);
        m_descriptorsLost = false;
    }
    m_readPos += FrameHeaderSize + size;
    return FrameReady;
}

} // namespace LibCluster::Internal
