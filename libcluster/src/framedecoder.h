// Turns the byte stream and descriptors read from a channel back into frames (see frame.h).
#pragma once

#include "frame.h"

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
    quint32 m_maxPayload;
    QString m_error;
};

} // namespace LibCluster::Internal
