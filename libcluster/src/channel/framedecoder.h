// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Turns the byte stream and descriptors read from a channel back into frames (see frame.h).
#pragma once

#include "channel/frame.h"

#include <QString>

#include <deque>

namespace LibCluster::Internal {

class FrameDecoder
{
public:
    enum Result { NeedMore, FrameReady, Failed };
    // Copy: the frame's payload is its own. View: it points into the decoder's buffer and is
    // valid only until the next append().
    enum PayloadMode { Copy, View };

    explicit FrameDecoder(quint32 maxPayload = MaxFramePayload);
    ~FrameDecoder(); // closes descriptors no frame claimed
    FrameDecoder(const FrameDecoder &) = delete;
    FrameDecoder &operator=(const FrameDecoder &) = delete;

    void append(const char *data, qsizetype size);
    // For reading straight into the decoder: room for up to `size` bytes, of which
    // commitAppend() then keeps the `used` first.
    char *prepareAppend(qsizetype size);
    void commitAppend(qsizetype size, qsizetype used);
    // Takes ownership of the descriptors.
    void appendDescriptors(const int *descriptors, int count);
    // Descriptors the peer sent with the bytes appended last could not all be received (the
    // receiver was out of descriptors: MSG_CTRUNC). The frame that declared them is delivered
    // with -1 in place of each one missing, instead of failing the stream.
    void markDescriptorsLost() { m_descriptorsLost = true; }
    // Closes the descriptors no frame can claim any more, and returns how many. Descriptors travel
    // with the first byte of their frame, so once every byte received is part of a returned frame,
    // those still held came with frames that declared none; and while a frame is incomplete,
    // only as many as its header declares can be its. Called by the reader after it has taken
    // every frame ready.
    int closeUnclaimedDescriptors();
    // Closes every descriptor held, for a stream that will not be read any further.
    void releaseDescriptors();

    // Extracts the next complete frame into `frame`. After Failed the stream is unusable:
    // errorString() says why, and every later call fails too.
    Result next(Frame *frame, PayloadMode mode = Copy);

    // Bytes received that are not yet part of a returned frame.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_readPos; }
    QString errorString() const { return m_error; }

private:
    Result fail(const QString &why);
    void compact();

    QByteArray m_buffer;
    qsizetype m_readPos = 0;
    std::deque<int> m_descriptors;
    bool m_descriptorsLost = false;
    quint32 m_maxPayload;
    QString m_error;
};

} // namespace LibCluster::Internal
