// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// OutputWriter: a bounded queue per standard stream, written by a thread of its own.
#include <libcluster/outputwriter.h>

#include "util/backgroundthread.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <unistd.h>

namespace LibCluster {

namespace {
using Clock = std::chrono::steady_clock;

constexpr qint64 DefaultPendingLimit = 1024 * 1024;
// One write() at most: a reader that takes a little at a time still shows progress.
constexpr qsizetype WriteSlice = 64 * 1024;
// How often outputDropped() may be emitted per stream.
constexpr int ReportInterval = 1000;
// At exit: how long a reader may take nothing before the rest is given up, and the whole wait.
constexpr auto ExitIdleTimeout = std::chrono::milliseconds(500);
constexpr auto ExitTimeout = std::chrono::milliseconds(5000);

struct StreamQueue
{
    int fd = -1;
    std::deque<QByteArray> chunks;
    std::condition_variable wake; // the writer thread waits here for chunks
    bool threadStarted = false;
    bool closed = false;
    qint64 pending = 0; // queued and being written
    qint64 written = 0;
    qint64 dropped = 0;
    qint64 droppedWrites = 0;
    qint64 reportedBytes = 0;
    qint64 reportedWrites = 0;
};

OutputWriter *g_instance = nullptr;
std::atomic<OutputWriterPrivate *> g_private { nullptr };
} // namespace

class OutputWriterPrivate
{
public:
    explicit OutputWriterPrivate(OutputWriter *q)
        : q(q)
    {
        queues[OutputWriter::StandardOutput].fd = STDOUT_FILENO;
        queues[OutputWriter::StandardError].fd = STDERR_FILENO;
    }

    // Called with `mutex` held. drop() is true when the caller is to postReport(), after
    // releasing the mutex (posting an event may say something, through this very writer).
    bool startThread(int stream);
    bool drop(StreamQueue &queue, qint64 bytes, qint64 writes);
    void postReport();
    // In the object's thread.
    void report();
    // The body of a stream's thread.
    void run(int stream);
    // Waits until nothing is pending, no byte has gone out for `idle`, or `deadline`.
    bool waitWritten(Clock::duration idle, Clock::time_point deadline);
    template <typename T> T field(OutputWriter::Stream stream, T StreamQueue::*member) const
    {
        std::lock_guard lock(mutex);
        return queues[size_t(stream)].*member;
    }

    OutputWriter *const q;
    // Shared with the writer threads: never destroyed (a thread may be blocked in write() for
    // ever, also after main() has returned).
    mutable std::mutex mutex;
    std::condition_variable progress; // a write finished, or a queue closed
    std::array<StreamQueue, 2> queues;
    qint64 maxPending = DefaultPendingLimit;
    bool reportScheduled = false;
    // exit() has begun: drops are still counted, but nothing is posted to an application that is
    // going or gone.
    bool exiting = false;
};

namespace {
void *runStream(void *argument)
{
    const auto stream = int(reinterpret_cast<quintptr>(argument));
    g_private.load()->run(stream);
    return nullptr;
}

void flushAtExit()
{
    OutputWriterPrivate *d = g_private.load();
    {
        std::lock_guard lock(d->mutex);
        d->exiting = true;
    }
    d->waitWritten(ExitIdleTimeout, Clock::now() + ExitTimeout);
}

void messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString text = qFormatLogMessage(type, context, message);
    if (type != QtFatalMsg) {
        OutputWriter::instance()->writeLine(OutputWriter::StandardError, text);
        return;
    }
    // Qt aborts once this returns: whatever can still be said, directly.
    const QByteArray bytes = text.toLocal8Bit() + '\n';
    (void)!::write(STDERR_FILENO, bytes.constData(), size_t(bytes.size()));
}
} // namespace

bool OutputWriterPrivate::startThread(int stream)
{
    return Internal::BackgroundThread::start(runStream, reinterpret_cast<void *>(quintptr(stream)),
        stream == OutputWriter::StandardOutput ? "libcluster-out" : "libcluster-err");
}

bool OutputWriterPrivate::drop(StreamQueue &queue, qint64 bytes, qint64 writes)
{
    queue.dropped += bytes;
    queue.droppedWrites += writes;
    if (reportScheduled || exiting)
        return false;
    reportScheduled = true;
    return true;
}

void OutputWriterPrivate::postReport()
{
    // From any thread: the report is made in the object's.
    QMetaObject::invokeMethod(
        q, [this] { report(); }, Qt::QueuedConnection);
}

void OutputWriterPrivate::report()
{
    std::array<std::pair<qint64, qint64>, 2> news;
    {
        std::lock_guard lock(mutex);
        for (size_t i = 0; i < queues.size(); ++i) {
            StreamQueue &queue = queues[i];
            news[i] = { queue.dropped - queue.reportedBytes,
                queue.droppedWrites - queue.reportedWrites };
            queue.reportedBytes = queue.dropped;
            queue.reportedWrites = queue.droppedWrites;
        }
    }
    // Drops from here on wait for the timer, so a slot that prints (and drops) is no loop.
    QTimer::singleShot(ReportInterval, q, [this] {
        bool more = false;
        {
            std::lock_guard lock(mutex);
            reportScheduled = false;
            for (const StreamQueue &queue : queues)
                more = more || queue.dropped != queue.reportedBytes;
            reportScheduled = more;
        }
        if (more)
            report();
    });
    for (size_t i = 0; i < news.size(); ++i)
        if (news[i].first > 0)
            Q_EMIT q->outputDropped(OutputWriter::Stream(i), news[i].first, news[i].second);
}

void OutputWriterPrivate::run(int stream)
{
    StreamQueue &queue = queues[size_t(stream)];
    std::unique_lock lock(mutex);
    for (;;) {
        queue.wake.wait(lock, [&] { return !queue.chunks.empty(); });
        // Many short lines go out in one write().
        QByteArray chunk = std::move(queue.chunks.front());
        queue.chunks.pop_front();
        qint64 writes = 1;
        while (!queue.chunks.empty() && chunk.size() + queue.chunks.front().size() <= WriteSlice) {
            chunk += queue.chunks.front();
            queue.chunks.pop_front();
            ++writes;
        }
        lock.unlock();
        qsizetype done = 0;
        int error = 0;
        while (done < chunk.size()) {
            const size_t slice = size_t(qMin(chunk.size() - done, WriteSlice));
            const ssize_t n = ::write(queue.fd, chunk.constData() + done, slice);
            if (n > 0) {
                done += n;
                lock.lock();
                queue.written += n;
                queue.pending -= n;
                lock.unlock();
                progress.notify_all();
            } else if (n < 0 && errno == EAGAIN) {
                // Someone else made the descriptor non-blocking; wait as write() would have.
                pollfd writable { queue.fd, POLLOUT, 0 };
                ::poll(&writable, 1, -1);
            } else if (n == 0 || errno != EINTR) {
                error = n == 0 ? EIO : errno;
                break;
            }
        }
        lock.lock();
        if (error) {
            const qint64 unwritten = chunk.size() - done;
            queue.pending -= unwritten;
            qint64 bytes = unwritten;
            if (error == EPIPE || error == EBADF || error == EINVAL) {
                // Nobody will ever read this stream again.
                queue.closed = true;
                for (const QByteArray &rest : queue.chunks) {
                    bytes += rest.size();
                    queue.pending -= rest.size();
                    ++writes;
                }
                queue.chunks.clear();
            }
            const bool post = drop(queue, bytes, writes);
            progress.notify_all();
            if (post) {
                lock.unlock();
                postReport();
                lock.lock();
            }
        }
    }
}

bool OutputWriterPrivate::waitWritten(Clock::duration idle, Clock::time_point deadline)
{
    std::unique_lock lock(mutex);
    const auto pending = [this] {
        qint64 total = 0;
        for (const StreamQueue &queue : queues)
            total += queue.pending;
        return total;
    };
    qint64 left = pending();
    while (left > 0) {
        const auto until = std::min(deadline, Clock::now() + idle);
        if (progress.wait_until(lock, until) == std::cv_status::timeout) {
            const qint64 now = pending();
            if (now == left || Clock::now() >= deadline)
                return now == 0;
        }
        left = pending();
    }
    return true;
}

OutputWriter::OutputWriter()
    : d_ptr(new OutputWriterPrivate(this))
{ }

OutputWriter::~OutputWriter() = default;

OutputWriter *OutputWriter::instance()
{
    static std::once_flag created;
    std::call_once(created, [] {
        auto *writer = new OutputWriter;
        if (QCoreApplication *application = QCoreApplication::instance())
            writer->moveToThread(application->thread());
        g_instance = writer;
        g_private = writer->d_func();
        std::atexit(flushAtExit);
    });
    return g_instance;
}

bool OutputWriter::write(Stream stream, QByteArrayView bytes)
{
    Q_D(OutputWriter);
    if (bytes.isEmpty())
        return true;
    std::unique_lock lock(d->mutex);
    StreamQueue &queue = d->queues[size_t(stream)];
    if (!queue.closed && queue.pending + bytes.size() <= d->maxPending && !queue.threadStarted)
        queue.threadStarted = d->startThread(stream);
    if (queue.closed || queue.pending + bytes.size() > d->maxPending || !queue.threadStarted) {
        const bool post = d->drop(queue, bytes.size(), 1);
        lock.unlock();
        if (post)
            d->postReport();
        return false;
    }
    queue.chunks.push_back(bytes.toByteArray());
    queue.pending += bytes.size();
    queue.wake.notify_one();
    return true;
}

bool OutputWriter::writeLine(Stream stream, const QString &line)
{
    return write(stream, QByteArray(line.toLocal8Bit() + '\n'));
}

qint64 OutputWriter::maxPendingBytes() const
{
    Q_D(const OutputWriter);
    std::lock_guard lock(d->mutex);
    return d->maxPending;
}

void OutputWriter::setMaxPendingBytes(qint64 bytes)
{
    Q_D(OutputWriter);
    std::lock_guard lock(d->mutex);
    d->maxPending = qBound(MinPendingLimit, bytes, MaxPendingLimit);
}

qint64 OutputWriter::bytesWritten(Stream stream) const
{
    return d_func()->field(stream, &StreamQueue::written);
}

qint64 OutputWriter::bytesPending(Stream stream) const
{
    return d_func()->field(stream, &StreamQueue::pending);
}

qint64 OutputWriter::bytesDropped(Stream stream) const
{
    return d_func()->field(stream, &StreamQueue::dropped);
}

qint64 OutputWriter::writesDropped(Stream stream) const
{
    return d_func()->field(stream, &StreamQueue::droppedWrites);
}

bool OutputWriter::isClosed(Stream stream) const
{
    return d_func()->field(stream, &StreamQueue::closed);
}

bool OutputWriter::redirectToFile(const QString &path, QString *errorString)
{
    Q_D(OutputWriter);
    const QByteArray encoded = QFile::encodeName(path);
    const int fd = encoded.isEmpty()
        ? -1
        : ::open(encoded.constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        const int error = encoded.isEmpty() ? ENOENT : errno;
        if (errorString)
            *errorString = tr("cannot open the log file %1: %2")
                               .arg(path, QString::fromLocal8Bit(::strerror(error)));
        return false;
    }
    // dup2() swaps each descriptor in one step: a write in progress ends in the old file, the
    // next goes to the new one.
    std::lock_guard lock(d->mutex);
    for (StreamQueue &queue : d->queues) {
        if (::dup2(fd, queue.fd) < 0) {
            const int error = errno;
            ::close(fd);
            if (errorString)
                *errorString = tr("cannot use the log file %1: %2")
                                   .arg(path, QString::fromLocal8Bit(::strerror(error)));
            return false;
        }
        // A file is written again even where the reader of the stream had gone.
        queue.closed = false;
    }
    ::close(fd);
    return true;
}

bool OutputWriter::flush(int msecs)
{
    Q_D(OutputWriter);
    const auto timeout = std::chrono::milliseconds(qMax(0, msecs));
    return d->waitWritten(timeout, Clock::now() + timeout);
}

void OutputWriter::installMessageHandler()
{
    instance();
    qInstallMessageHandler(messageHandler);
}

} // namespace LibCluster
