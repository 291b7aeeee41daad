// Worker's private state, shared by the primary side (a forked child) and the worker side (itself).
#pragma once

#include <libcluster/worker.h>

#include "channel.h"

#include <QCborMap>
#include <QProcess>
#include <QPointer>

namespace LibCluster {

class ClusterPrivate;

class WorkerPrivate
{
    Q_DECLARE_PUBLIC(Worker)

public:
    explicit WorkerPrivate(Worker *q, int id)
        : q_ptr(q)
        , id(id)
    {
    }

    // Both sides.
    void attachChannel(int fd);
    void handleFrame(Internal::Frame &&frame);
    void handleControl(const QCborMap &message);
    void onChannelClosed(const QString &error);
    void setState(Worker::State newState);
    void reportError(Worker::Error newError, const QString &text);
    bool sendFrame(Internal::FrameKind kind, const QByteArray &payload);

    // Primary side.
    void onProcessFinished(int code, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError processError);
    void onOutput(Worker::OutputChannel channel);
    void markDisconnected();
    void markExited(int code, int signal);
    void finishIfDone();

    // Worker side.
    void beginDisconnect(bool primaryInitiated);

    Worker *q_ptr;
    const int id;
    ClusterPrivate *cluster = nullptr; // the primary that forked it; null in the worker itself
    QPointer<Internal::Channel> channel;
    QProcess *process = nullptr;
    qint64 pid = 0;
    Worker::State state = Worker::None;
    Worker::Error error = Worker::NoError;
    QString errorString;
    qint64 maxPendingBytes = 256 * 1024 * 1024;
    int exitCode = 0;
    int exitSignal = 0;
    bool exitedAfterDisconnect = false;
    bool wentOnline = false;
    bool disconnectedDone = false;
    bool exitedDone = false;
};

} // namespace LibCluster
