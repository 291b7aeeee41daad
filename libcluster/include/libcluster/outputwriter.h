// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief This process's standard output and standard error, written without ever blocking the
//! caller: a primary whose output is a pipe nobody reads keeps serving, and one whose reader went
//! away lives on. What cannot be written is dropped and counted.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QByteArrayView>
#include <QObject>
#include <QString>

namespace LibCluster {

class OutputWriterPrivate;

//! \brief This process's standard output and standard error, written without ever blocking the
//! caller; what cannot be written is dropped and counted.
//!
//! One per process (instance()). write() only queues: a thread per stream does the writing, so a
//! reader that stalls holds up that thread, never the event loop. The queue of each stream holds at
//! most maxPendingBytes(); a write that does not fit is dropped whole (a line stays a line), and so
//! is everything once the reader has gone (the stream is closed). Drops are counted and reported by
//! outputDropped(). The descriptors are used as they were inherited: nothing about them changes, so
//! a terminal or pipe shared with other processes behaves for them as before.
//!
//! At exit, queued output is written for as long as it keeps going out (a reader that does not read
//! for half a second, or five seconds in all, ends the wait).
class LIBCLUSTER_EXPORT OutputWriter : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(OutputWriter)

public:
    //! \brief Which of the process's two output streams.
    enum Stream {
        StandardOutput, //!< Standard output, descriptor 1.
        StandardError, //!< Standard error, descriptor 2.
    };
    Q_ENUM(Stream)

    //! \brief The bounds of setMaxPendingBytes(); the default is 1 MiB per stream.
    //!@{
    static constexpr qint64 MinPendingLimit = 4 * 1024;
    static constexpr qint64 MaxPendingLimit = 256 * 1024 * 1024;
    //!@}

    //! \brief The writer of this process, created on first use (in the application's thread when
    //! there is an application) and never destroyed.
    static OutputWriter *instance();

    //! \brief Queues `bytes` for `stream`; false when they were dropped.
    //!
    //! Safe from any thread.
    bool write(Stream stream, QByteArrayView bytes);
    //! \brief Queues `line` in the locale's encoding, and a newline, as write() does.
    bool writeLine(Stream stream, const QString &line);

    //! \brief How many bytes each stream may hold that its reader has not taken yet.
    //!
    //! Clamped to [MinPendingLimit, MaxPendingLimit].
    //!@{
    qint64 maxPendingBytes() const;
    void setMaxPendingBytes(qint64 bytes);
    //!@}

    //! \brief Bytes of `stream` written to its descriptor so far.
    qint64 bytesWritten(Stream stream) const;
    //! \brief Bytes of `stream` queued and not written yet.
    qint64 bytesPending(Stream stream) const;
    //! \brief Bytes of `stream` dropped so far (the queue was full, or the stream closed).
    qint64 bytesDropped(Stream stream) const;
    //! \brief Writes dropped: usually lines.
    qint64 writesDropped(Stream stream) const;
    //! \brief The reader has gone (or the descriptor cannot be written at all): everything is
    //! dropped.
    bool isClosed(Stream stream) const;

    //! \brief Sends both streams to the file at `path` from now on: opened for appending (created,
    //! mode 0644, if missing) and put in place of descriptors 1 and 2, so what is queued and what
    //! the process or its children write there goes to the file too.
    //!
    //! Called again with the same path after the file was moved away (logrotate), it starts a new
    //! file there while the old one keeps what was written before. False, with the reason naming
    //! `path` in `errorString`, if the file cannot be opened: the streams then go on where they
    //! went. Never blocks on the file's reader; the writer threads write as before.
    bool redirectToFile(const QString &path, QString *errorString = nullptr);
    //! \brief Waits at most `msecs` for everything queued to be written; true if it was.
    bool flush(int msecs);

    //! \brief Routes Qt's messages (qDebug(), qWarning(), logging categories) through the writer to
    //! standard error, formatted as Qt formats them (QT_MESSAGE_PATTERN).
    //!
    //! A fatal message is written directly, as the process is about to end.
    static void installMessageHandler();

Q_SIGNALS:
    //! \brief Output of `stream` was dropped: `bytes` in `writes` writes since the last report.
    //!
    //! Emitted in the application's thread, at most once a second per stream.
    void outputDropped(LibCluster::OutputWriter::Stream stream, qint64 bytes, qint64 writes);

private:
    OutputWriter();
    ~OutputWriter() override;

    QScopedPointer<OutputWriterPrivate> d_ptr;
};

} // namespace LibCluster
