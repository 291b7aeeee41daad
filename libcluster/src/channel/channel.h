// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// One end of a worker's private channel: a connected Unix stream socket driven without
// QLocalSocket (which drops passed descriptors), with frames, descriptors and a write queue.
#pragma once

#include "channel/frame.h"
#include "channel/framedecoder.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

class QSocketNotifier;

namespace LibCluster::Internal {

class Channel : public QObject
{
    Q_OBJECT

public:
    // Takes ownership of `fd`, a connected AF_UNIX stream socket.
    explicit Channel(int fd, QObject *parent = nullptr);
    // With blockingFlushOnDestroy set, pending frames are written (for at most a few seconds)
    // before the socket closes, so messages a worker sends just before it exits arrive.
    ~Channel() override;

    bool isOpen() const { return m_fd >= 0; }
    int descriptor() const { return m_fd; }

    // Called for each frame received, in order. The handler may close or abort the channel.
    void setFrameHandler(std::function<void(Frame &&)> handler)
    {
        m_frameHandler = std::move(handler);
    }
    // Called once, from the event loop, when the channel has closed for any reason; `error` is
    // empty for an orderly close.
    void setClosedHandler(std::function<void(const QString &error)> handler)
    {
        m_closedHandler = std::move(handler);
    }

    enum class Timing {
        Coalesced, // at the end of the event-loop pass, with the frames that follow it
        Now, // at once when nothing queued is in the way (e.g. an answer the peer waits on)
    };
    // Sends one frame without ever blocking; what cannot be written yet is queued and written from
    // the event loop. A frame that carries descriptors is always sent Now. The caller keeps its own
    // descriptors: they are duplicated only if the frame has to wait. False if the channel is not
    // open or is closing.
    bool write(FrameKind kind, QByteArrayView payload, const QList<int> &descriptors = {},
        Timing timing = Timing::Coalesced);
    qint64 bytesToWrite() const { return m_pendingBytes; }

    // Builds a frame in place at the end of the write queue, for a payload encoded straight into
    // it: beginFrame() writes a header whose length commitFrame() fills in; the caller appends
    // the payload to the array returned, and nothing else may write to the channel meanwhile.
    // abandonFrame() takes every byte of it back, as if it had never begun. Null if the channel
    // is not open or is closing.
    QByteArray *beginFrame();
    // Sends the frame begun (as write() with Timing::Coalesced) and returns the payload's size.
    qsizetype commitFrame(FrameKind kind);
    void abandonFrame();
    // The payload appended so far to the frame begun.
    qsizetype openFramePayloadSize() const;

    // Orderly close: writes what is queued, half-closes, and keeps reading until the peer closes.
    void closeAfterWriting();
    bool isClosing() const { return m_closing; }
    // Closes at once; queued frames are discarded.
    void abort(const QString &error = QString());
    // Reads whatever the peer has already written, without waiting. Used when the peer process
    // is known to be gone: if the stream has no end by then, someone else holds the peer's end.
    void drainAndClose();

    void setBlockingFlushOnDestroy(bool on) { m_blockingFlushOnDestroy = on; }

    // Blocks for at most `msecs` until a frame for which `match` returns true arrives, writing
    // what is queued first. Frames read meanwhile are kept and delivered in order from the event
    // loop afterwards. For the few calls whose Qt API is synchronous (QTcpServer::listen()).
    // False on timeout or when the channel closed; `error` then says which.
    bool waitForFrame(
        const std::function<bool(const Frame &)> &match, int msecs, Frame *frame, QString *error);

private:
    struct Chunk
    {
        QByteArray data;
        qsizetype offset = 0;
        QList<int> descriptors; // sent with the first byte of `data`, then closed
    };

    void scheduleFlush();
    void closeQueuedDescriptors();
    void flush();
    // Returns false when the socket failed (the channel is then closed).
    bool writeSome();
    // One non-blocking sendmsg of `head` then `tail`, with `descriptors` attached: the bytes
    // written, or -1 with errno set (never EINTR).
    qint64 send(QByteArrayView head, QByteArrayView tail, const QList<int> &descriptors);
    // The peer is gone: drop what is queued, stop writing, keep reading to the end of the stream.
    void writeSideClosed(int error);
    // Queues what is left of a frame of which `alreadyWritten` bytes went out already, with the
    // header it was sent with (`announcedDescriptors`, or as many as `descriptors` holds).
    bool queue(FrameKind kind, QByteArrayView payload, const QList<int> &descriptors,
        qsizetype alreadyWritten, int announcedDescriptors = -1);
    enum class ReadStatus {
        Data, // a full buffer: there may well be more
        ShortData, // less than asked for
        WouldBlock,
        End,
        Failed,
    };
    void onReadable();
    // Reads and delivers at most `maxReads` times, or until a read comes back short if
    // `stopWhenShort`; true when the socket has nothing more for now.
    bool readAndDispatch(int maxReads, bool stopWhenShort);
    // One recvmsg into the decoder; no frames are delivered and nothing is closed here.
    ReadStatus readSome(QString *error);
    // Delivers kept frames, then decoded ones; closes the channel on a protocol error.
    void dispatchFrames();
    // The stream ended (or failed with `error`): deliver every complete frame, then close.
    void closeAtEnd(const QString &error = QString());
    void finish(const QString &error);
    void closeKeptDescriptors();
    void reportDescriptorsLost();

    int m_fd = -1;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    FrameDecoder m_decoder;
    std::deque<Chunk> m_queue;
    std::deque<Frame> m_kept; // read during waitForFrame(), not yet delivered
    qint64 m_pendingBytes = 0;
    qsizetype m_openFrameStart = -1; // where the frame begun starts in the last chunk
    bool m_openFrameChunkIsNew = false;
    bool m_flushScheduled = false;
    bool m_closing = false;
    bool m_writeShutDown = false;
    bool m_dispatching = false;
    bool m_atEnd = false; // nothing more to read; close once the frames read are delivered
    QString m_endError;
    bool m_blockingFlushOnDestroy = false;
    qint64 m_descriptorsLost = 0; // since the last warning
    QElapsedTimer m_lostWarningTimer;
    std::function<void(Frame &&)> m_frameHandler;
    std::function<void(const QString &)> m_closedHandler;
};

} // namespace LibCluster::Internal
