// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The channel's I/O: non-blocking sendmsg/recvmsg with SCM_RIGHTS, writes coalesced per event-loop
// pass so a burst of small messages costs few system calls.
#include "channel/channel.h"

#include "util/logging.h"

#include <QDeadlineTimer>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {
constexpr qsizetype ReadBufferSize = 256 * 1024;
// Small frames are appended to the last queued chunk up to this size, so one sendmsg carries many.
constexpr qsizetype CoalesceLimit = 1024 * 1024;
// How much one readiness notification may read before the event loop gets a turn again.
constexpr int ReadsPerNotification = 16;
constexpr int MaxDescriptorsPerRead = 64;
// Queued bytes from which write() writes at once instead of at the end of the event-loop pass.
constexpr qint64 EagerWriteBytes = 32 * 1024;
// At most one warning about descriptors that could not be received per this many milliseconds.
constexpr qint64 LostWarningInterval = 10000;

QString systemError(const char *what, int error)
{
    return QStringLiteral("%1: %2").arg(
        QLatin1String(what), QString::fromLocal8Bit(strerror(error)));
}
} // namespace

Channel::Channel(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &Channel::onReadable);
    m_writeNotifier = new QSocketNotifier(fd, QSocketNotifier::Write, this);
    m_writeNotifier->setEnabled(false);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &Channel::flush);
}

Channel::~Channel()
{
    if (m_fd >= 0 && m_blockingFlushOnDestroy && !m_queue.empty() && !m_writeShutDown) {
        const QDeadlineTimer deadline(3000);
        while (!m_queue.empty() && m_fd >= 0 && !deadline.hasExpired()) {
            pollfd pfd { m_fd, POLLOUT, 0 };
            if (::poll(&pfd, 1, int(qMax<qint64>(1, deadline.remainingTime()))) <= 0)
                break;
            if (!writeSome() || m_writeShutDown)
                break;
        }
    }
    m_closedHandler = nullptr;
    m_frameHandler = nullptr;
    // The notifiers go before the descriptor, so that no event dispatcher watches a closed one.
    delete m_readNotifier;
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    closeQueuedDescriptors();
    closeKeptDescriptors();
}

void Channel::closeKeptDescriptors()
{
    for (const Frame &frame : m_kept)
        for (int fd : frame.descriptors)
            if (fd >= 0)
                ::close(fd);
}

void Channel::reportDescriptorsLost()
{
    // Once per episode, however many connections it costs: a process at its limit would otherwise
    // log a line per descriptor.
    ++m_descriptorsLost;
    if (m_lostWarningTimer.isValid() && m_lostWarningTimer.elapsed() < LostWarningInterval)
        return;
    qCWarning(lcChannel).nospace()
        << "out of file descriptors (RLIMIT_NOFILE): " << m_descriptorsLost
        << " passed descriptor(s) could not be received and were refused; raise the limit "
           "(LimitNOFILE= in a systemd unit, ulimit -n in a shell)";
    m_descriptorsLost = 0;
    m_lostWarningTimer.start();
}

bool Channel::write(
    FrameKind kind, QByteArrayView payload, const QList<int> &descriptors, Timing timing)
{
    if (m_fd < 0 || m_closing || m_writeShutDown)
        return false;
    Q_ASSERT(descriptors.size() <= MaxFrameDescriptors);
    if (!descriptors.isEmpty())
        timing = Timing::Now;
    if (timing == Timing::Now && m_queue.empty()) {
        // Straight from the caller's buffers, with the caller's own descriptors: the common case
        // (a handed-over connection, its acknowledgement) costs one system call and no copies.
        char header[FrameHeaderSize];
        writeFrameHeader(header, kind, quint32(payload.size()), int(descriptors.size()));
        const qint64 n = send(QByteArrayView(header, FrameHeaderSize), payload, descriptors);
        if (n == FrameHeaderSize + payload.size())
            return true;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            writeSideClosed(errno);
            return true; // as if queued: the peer's end-of-stream will tell what happened
        }
        // The descriptors went with the first byte, if any went; what is left waits for room (its
        // header still counts them, in case the header itself was cut).
        const bool started = n > 0;
        if (!queue(kind, payload, started ? QList<int>() : descriptors, started ? n : 0,
                int(descriptors.size())))
            return false;
        m_writeNotifier->setEnabled(true);
        return true;
    }
    if (!queue(kind, payload, descriptors, 0))
        return false;
    // A batch big enough to be worth a system call goes at once, so the reader can start on it
    // while this side is still producing (otherwise the two sides take turns instead of
    // overlapping).
    if ((timing == Timing::Now || m_pendingBytes >= EagerWriteBytes)
        && !m_writeNotifier->isEnabled())
        flush();
    else
        scheduleFlush();
    return true;
}

bool Channel::queue(FrameKind kind, QByteArrayView payload, const QList<int> &descriptors,
    qsizetype alreadyWritten, int announcedDescriptors)
{
    QList<int> copies;
    for (int fd : descriptors) {
        const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
        if (copy < 0) {
            qCWarning(lcChannel) << "cannot duplicate descriptor" << fd << strerror(errno);
            for (int c : copies)
                ::close(c);
            return false;
        }
        copies.append(copy);
    }
    if (alreadyWritten == 0 && copies.isEmpty() && !m_queue.empty()
        && m_queue.back().data.size() < CoalesceLimit) {
        appendFrameHeader(m_queue.back().data, kind, quint32(payload.size()), 0);
        m_queue.back().data.append(payload.data(), payload.size());
    } else {
        Chunk chunk;
        // Room for the small frames that will likely follow in this event-loop pass.
        chunk.data.reserve(qMax<qsizetype>(FrameHeaderSize + payload.size(), 64 * 1024));
        appendFrameHeader(chunk.data, kind, quint32(payload.size()),
            announcedDescriptors >= 0 ? announcedDescriptors : int(copies.size()));
        chunk.data.append(payload.data(), payload.size());
        chunk.offset = alreadyWritten;
        chunk.descriptors = std::move(copies);
        m_queue.push_back(std::move(chunk));
    }
    m_pendingBytes += FrameHeaderSize + payload.size() - alreadyWritten;
    return true;
}

QByteArray *Channel::beginFrame()
{
    Q_ASSERT(m_openFrameStart < 0);
    if (m_fd < 0 || m_closing || m_writeShutDown)
        return nullptr;
    // The same chunks queue() would use: appended to the last one while it is small enough.
    m_openFrameChunkIsNew = m_queue.empty() || m_queue.back().data.size() >= CoalesceLimit;
    if (m_openFrameChunkIsNew) {
        m_queue.emplace_back();
        m_queue.back().data.reserve(64 * 1024);
    }
    QByteArray &data = m_queue.back().data;
    m_openFrameStart = data.size();
    data.resize(m_openFrameStart + FrameHeaderSize);
    return &data;
}

qsizetype Channel::openFramePayloadSize() const
{
    Q_ASSERT(m_openFrameStart >= 0);
    return m_queue.back().data.size() - m_openFrameStart - FrameHeaderSize;
}

qsizetype Channel::commitFrame(FrameKind kind)
{
    const qsizetype payloadSize = openFramePayloadSize();
    char header[FrameHeaderSize];
    writeFrameHeader(header, kind, quint32(payloadSize), 0);
    std::memcpy(m_queue.back().data.data() + m_openFrameStart, header, FrameHeaderSize);
    m_openFrameStart = -1;
    m_pendingBytes += FrameHeaderSize + payloadSize;
    // As write() does for a coalesced frame.
    if (m_pendingBytes >= EagerWriteBytes && !m_writeNotifier->isEnabled())
        flush();
    else
        scheduleFlush();
    return payloadSize;
}

void Channel::abandonFrame()
{
    Q_ASSERT(m_openFrameStart >= 0);
    if (m_openFrameChunkIsNew)
        m_queue.pop_back();
    else
        m_queue.back().data.truncate(m_openFrameStart);
    m_openFrameStart = -1;
}

void Channel::closeQueuedDescriptors()
{
    for (const Chunk &chunk : m_queue)
        for (int fd : chunk.descriptors)
            ::close(fd);
}

void Channel::scheduleFlush()
{
    if (m_flushScheduled || m_writeNotifier->isEnabled())
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushScheduled = false;
            flush();
        },
        Qt::QueuedConnection);
}

void Channel::flush()
{
    if (m_fd < 0)
        return;
    if (!m_writeShutDown && !writeSome())
        return;
    if (m_queue.empty()) {
        m_writeNotifier->setEnabled(false);
        if (m_closing && !m_writeShutDown) {
            ::shutdown(m_fd, SHUT_WR);
            m_writeShutDown = true;
        }
    } else {
        m_writeNotifier->setEnabled(true);
    }
}

qint64 Channel::send(QByteArrayView head, QByteArrayView tail, const QList<int> &descriptors)
{
    iovec iov[2] = {
        { const_cast<char *>(head.data()), size_t(head.size()) },
        { const_cast<char *>(tail.data()), size_t(tail.size()) },
    };
    msghdr msg {};
    msg.msg_iov = iov;
    msg.msg_iovlen = tail.isEmpty() ? 1 : 2;
    alignas(cmsghdr) char ancillary[CMSG_SPACE(sizeof(int) * MaxFrameDescriptors)];
    if (!descriptors.isEmpty()) {
        const size_t bytes = sizeof(int) * size_t(descriptors.size());
        msg.msg_control = ancillary;
        msg.msg_controllen = CMSG_SPACE(bytes);
        cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
        cmsg->cmsg_level = SOL_SOCKET;
        cmsg->cmsg_type = SCM_RIGHTS;
        cmsg->cmsg_len = CMSG_LEN(bytes);
        std::memcpy(CMSG_DATA(cmsg), descriptors.constData(), bytes);
    }
    ssize_t n;
    do {
        n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return n;
}

void Channel::writeSideClosed(int error)
{
    qCDebug(lcChannel) << "write side closed:" << strerror(error);
    closeQueuedDescriptors();
    m_queue.clear();
    m_pendingBytes = 0;
    m_writeShutDown = true;
    m_writeNotifier->setEnabled(false);
}

bool Channel::writeSome()
{
    while (!m_queue.empty()) {
        Chunk &chunk = m_queue.front();
        const qint64 n = send(QByteArrayView(chunk.data).sliced(chunk.offset), {},
            chunk.offset == 0 ? chunk.descriptors : QList<int>());
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return true;
            // The peer is gone. What it wrote before going may still be unread: stop writing,
            // keep reading until the end of the stream.
            writeSideClosed(errno);
            return true;
        }
        if (!chunk.descriptors.isEmpty()) {
            for (int fd : chunk.descriptors)
                ::close(fd);
            chunk.descriptors.clear();
        }
        chunk.offset += n;
        m_pendingBytes -= n;
        if (chunk.offset == chunk.data.size())
            m_queue.pop_front();
    }
    return true;
}

void Channel::onReadable()
{
    readAndDispatch(ReadsPerNotification, true);
}

bool Channel::readAndDispatch(int maxReads, bool stopWhenShort)
{
    for (int i = 0; i < maxReads && m_fd >= 0; ++i) {
        QString error;
        switch (readSome(&error)) {
        case ReadStatus::Data:
            dispatchFrames();
            break;
        case ReadStatus::ShortData:
            dispatchFrames();
            // Most likely all there was: asking again would mostly cost a system call that
            // finds nothing, and anything that did arrive meanwhile wakes the notifier again.
            if (stopWhenShort)
                return true;
            break;
        case ReadStatus::WouldBlock:
            return true;
        case ReadStatus::End:
            closeAtEnd();
            return false;
        case ReadStatus::Failed:
            closeAtEnd(error);
            return false;
        }
    }
    return false;
}

void Channel::closeAtEnd(const QString &error)
{
    if (m_fd < 0 || m_atEnd)
        return;
    m_atEnd = true;
    m_endError = error;
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    // Inside a handler's nested event loop this returns at once; the outer dispatch finishes
    // delivering and then closes.
    dispatchFrames();
}

Channel::ReadStatus Channel::readSome(QString *error)
{
    for (;;) {
        char *target = m_decoder.prepareAppend(ReadBufferSize);
        iovec iov { target, size_t(ReadBufferSize) };
        alignas(cmsghdr) char ancillary[CMSG_SPACE(sizeof(int) * MaxDescriptorsPerRead)];
        msghdr msg {};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ancillary;
        msg.msg_controllen = sizeof(ancillary);
        const ssize_t n = ::recvmsg(m_fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        m_decoder.commitAppend(ReadBufferSize, n > 0 ? n : 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return ReadStatus::WouldBlock;
            if (errno == ECONNRESET)
                return ReadStatus::End;
            *error = systemError("read", errno);
            return ReadStatus::Failed;
        }
        for (cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
            if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
                const int count = qMin(
                    int((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int)), MaxDescriptorsPerRead);
                int fds[MaxDescriptorsPerRead];
                std::memcpy(fds, CMSG_DATA(cmsg), sizeof(int) * size_t(count));
                m_decoder.appendDescriptors(fds, count);
            }
        }
        if (msg.msg_flags & MSG_CTRUNC) {
            // Our ancillary buffer holds more than a frame may carry, so this process is out of
            // descriptors (EMFILE): the kernel dropped what it could not install. The frame that
            // carried them says so; the channel itself is fine.
            m_decoder.markDescriptorsLost();
            reportDescriptorsLost();
        }
        if (n == 0)
            return ReadStatus::End;
        return n < ReadBufferSize ? ReadStatus::ShortData : ReadStatus::Data;
    }
}

void Channel::dispatchFrames()
{
    // A handler that runs a nested event loop may get here again; the outer loop carries on.
    if (m_dispatching)
        return;
    m_dispatching = true;
    QPointer<Channel> self(this);
    Frame frame;
    while (m_fd >= 0) {
        if (!m_kept.empty()) {
            frame = std::move(m_kept.front());
            m_kept.pop_front();
        } else {
            // A view into the decoder's buffer: handlers decode the payload before anything
            // else can be read into it.
            const auto result = m_decoder.next(&frame, FrameDecoder::View);
            if (result == FrameDecoder::NeedMore) {
                if (const int closed = m_decoder.closeUnclaimedDescriptors())
                    qCWarning(lcChannel) << "closed" << closed
                                         << "descriptors the peer sent with no frame to claim them";
                break;
            }
            if (result == FrameDecoder::Failed) {
                qCWarning(lcChannel) << "protocol error:" << m_decoder.errorString();
                finish(m_decoder.errorString());
                break;
            }
        }
        if (m_frameHandler)
            m_frameHandler(std::move(frame));
        else
            for (int fd : frame.descriptors)
                if (fd >= 0)
                    ::close(fd);
        if (!self)
            return;
    }
    m_dispatching = false;
    if (m_atEnd && m_fd >= 0) {
        QString error = m_endError;
        if (error.isEmpty() && m_decoder.bufferedBytes() > 0)
            error = QStringLiteral("the stream ended in the middle of a frame");
        finish(error);
    }
}

bool Channel::waitForFrame(
    const std::function<bool(const Frame &)> &match, int msecs, Frame *out, QString *error)
{
    const QDeadlineTimer deadline(msecs);
    auto fail = [&](const QString &why) {
        *error = why;
        if (!m_kept.empty())
            QMetaObject::invokeMethod(this, &Channel::dispatchFrames, Qt::QueuedConnection);
        return false;
    };
    while (!m_queue.empty() && m_fd >= 0 && !m_writeShutDown) {
        pollfd pfd { m_fd, POLLOUT, 0 };
        if (::poll(&pfd, 1, int(qMax<qint64>(0, deadline.remainingTime()))) <= 0)
            return fail(QStringLiteral("timed out writing to the channel"));
        writeSome();
    }
    while (m_fd >= 0) {
        Frame frame;
        const auto result = m_decoder.next(&frame);
        if (result == FrameDecoder::Failed) {
            finish(m_decoder.errorString());
            return fail(m_decoder.errorString());
        }
        if (result == FrameDecoder::FrameReady) {
            if (match(frame)) {
                *out = std::move(frame);
                if (!m_kept.empty())
                    QMetaObject::invokeMethod(this, &Channel::dispatchFrames, Qt::QueuedConnection);
                return true;
            }
            m_kept.push_back(std::move(frame));
            continue;
        }
        if (deadline.hasExpired())
            return fail(QStringLiteral("timed out waiting for the other side"));
        pollfd pfd { m_fd, POLLIN, 0 };
        const int ready = ::poll(&pfd, 1, int(qMax<qint64>(0, deadline.remainingTime())));
        if (ready < 0 && errno != EINTR)
            return fail(systemError("poll", errno));
        if (ready <= 0)
            continue;
        QString readError;
        switch (readSome(&readError)) {
        case ReadStatus::Data:
        case ReadStatus::ShortData:
        case ReadStatus::WouldBlock:
            break;
        case ReadStatus::End:
            // Deliver what came before the end from the event loop, then report the close.
            QMetaObject::invokeMethod(
                this, [this] { closeAtEnd(); }, Qt::QueuedConnection);
            return fail(QStringLiteral("the channel closed"));
        case ReadStatus::Failed:
            QMetaObject::invokeMethod(
                this, [this, readError] { closeAtEnd(readError); }, Qt::QueuedConnection);
            return fail(readError);
        }
    }
    return fail(QStringLiteral("the channel is closed"));
}

void Channel::drainAndClose()
{
    // The writer is dead; if the stream has not ended once everything it wrote has been read,
    // another process holds its end.
    if (readAndDispatch(std::numeric_limits<int>::max(), false))
        closeAtEnd();
}

void Channel::abort(const QString &error)
{
    finish(error);
}

void Channel::closeAfterWriting()
{
    if (m_fd < 0 || m_closing)
        return;
    m_closing = true;
    scheduleFlush();
}

void Channel::finish(const QString &error)
{
    if (m_fd < 0)
        return;
    delete m_readNotifier;
    m_readNotifier = nullptr;
    m_writeNotifier->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    closeQueuedDescriptors();
    m_queue.clear();
    m_pendingBytes = 0;
    closeKeptDescriptors();
    m_kept.clear();
    // Whatever arrived for frames that will never be read (a protocol error stops here with the
    // rest of the stream unread) is released now, not when this object goes.
    m_decoder.releaseDescriptors();
    QMetaObject::invokeMethod(
        this,
        [this, error] {
            if (m_closedHandler)
                m_closedHandler(error);
        },
        Qt::QueuedConnection);
}

} // namespace LibCluster::Internal
