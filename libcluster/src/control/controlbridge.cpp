// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlBridge: the client's hello gets the token, then bytes flow both ways unchanged.
#include <libcluster/controlbridge.h>

#include "control/controlpaths.h"
#include "control/controlprotocol.h"

#include <QFile>
#include <QLocalSocket>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace LibCluster {

using namespace Internal;
namespace Protocol = Internal::ControlProtocol;

class ControlBridgePrivate
{
    Q_DECLARE_PUBLIC(ControlBridge)

public:
    explicit ControlBridgePrivate(ControlBridge *q)
        : q_ptr(q)
    { }

    void readInput();
    void readSocket();
    void writeOutput();
    void finish(int code, const QString &why = QString());

    // What the bridge holds for a side that does not read: beyond this it stops reading the
    // other side, so the kernel's buffers (and in the end the primary's limit) push back.
    static constexpr qsizetype MaxBuffered = 1024 * 1024;

    ControlBridge *q_ptr;
    QLocalSocket *socket = nullptr;
    QSocketNotifier *inputNotifier = nullptr;
    QSocketNotifier *outputNotifier = nullptr;
    int inputFd = -1;
    int outputFd = -1;
    QByteArray token;
    QByteArray hello; // the client's first line, until it is complete
    bool helloSent = false;
    bool inputClosed = false;
    bool socketClosed = false;
    bool done = false;
    QByteArray output; // for outputFd
    QString errorString;
};

void ControlBridgePrivate::finish(int code, const QString &why)
{
    Q_Q(ControlBridge);
    if (done)
        return;
    done = true;
    if (!why.isEmpty())
        errorString = why;
    if (inputNotifier)
        inputNotifier->setEnabled(false);
    if (outputNotifier)
        outputNotifier->setEnabled(false);
    if (socket) {
        socket->disconnect(q);
        socket->abort();
    }
    QTimer::singleShot(0, q, [q, code] { Q_EMIT q->finished(code); });
}

void ControlBridgePrivate::readInput()
{
    char chunk[65536];
    const ssize_t n = ::read(inputFd, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        finish(
            1, ControlBridge::tr("cannot read the client's input: %1").arg(qt_error_string(errno)));
        return;
    }
    if (n == 0) {
        // The client has gone: what it sent is on its way; then the session ends.
        inputClosed = true;
        inputNotifier->setEnabled(false);
        socket->flush();
        socket->disconnectFromServer();
        if (socket->state() == QLocalSocket::UnconnectedState)
            finish(0);
        return;
    }
    if (helloSent) {
        socket->write(chunk, n);
    } else {
        hello.append(chunk, n);
        const qsizetype newline = hello.indexOf('\n');
        if (newline < 0) {
            if (hello.size() > Protocol::MaxHelloLength)
                finish(1, ControlBridge::tr("the client sent no hello"));
            return;
        }
        QJsonObject message;
        if (!Protocol::decode(hello.left(newline), &message)
            || message.value(QLatin1String("type")).toString() != Protocol::hello()) {
            finish(1, ControlBridge::tr("the client did not start with a hello"));
            return;
        }
        message.insert(QStringLiteral("token"), QString::fromLatin1(token));
        socket->write(Protocol::encode(message));
        socket->write(hello.mid(newline + 1));
        hello.clear();
        helloSent = true;
    }
    if (socket->bytesToWrite() > MaxBuffered)
        inputNotifier->setEnabled(false);
}

void ControlBridgePrivate::readSocket()
{
    while (output.size() < MaxBuffered && socket->bytesAvailable() > 0)
        output.append(socket->read(MaxBuffered - output.size()));
    writeOutput();
}

void ControlBridgePrivate::writeOutput()
{
    while (!output.isEmpty()) {
        const ssize_t n = ::write(outputFd, output.constData(), size_t(output.size()));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                outputNotifier->setEnabled(true);
                return;
            }
            finish(errno == EPIPE ? 0 : 1,
                ControlBridge::tr("cannot write to the client: %1").arg(qt_error_string(errno)));
            return;
        }
        output.remove(0, n);
    }
    outputNotifier->setEnabled(false);
    if (socketClosed) {
        finish(0);
        return;
    }
    if (socket->bytesAvailable() > 0)
        QTimer::singleShot(0, q_ptr, [this] {
            if (!done)
                readSocket();
        });
}

ControlBridge::ControlBridge(QObject *parent)
    : QObject(parent)
    , d_ptr(new ControlBridgePrivate(this))
{ }

ControlBridge::~ControlBridge() = default;

QString ControlBridge::errorString() const
{
    return d_func()->errorString;
}

bool ControlBridge::start(const QString &name, int inputFd, int outputFd)
{
    Q_D(ControlBridge);
    QString socketPath;
    QString tokenPath;
    QString why;
    if (!ControlPaths::locate(name, &socketPath, &tokenPath, &why)) {
        d->errorString = why;
        return false;
    }
    QFile tokenFile(tokenPath);
    if (!tokenFile.open(QIODevice::ReadOnly)) {
        d->errorString = tr("cannot read the token of the control endpoint \"%1\" (%2): %3")
                             .arg(name, tokenPath, tokenFile.errorString());
        return false;
    }
    d->token = tokenFile.readAll().trimmed();
    d->socket = new QLocalSocket(this);
    d->socket->setReadBufferSize(ControlBridgePrivate::MaxBuffered);
    d->socket->connectToServer(socketPath);
    if (!d->socket->waitForConnected(5000)) {
        d->errorString = tr("no primary is serving the control endpoint \"%1\" (%2): %3")
                             .arg(name, socketPath, d->socket->errorString());
        return false;
    }
    d->inputFd = inputFd;
    d->outputFd = outputFd;
    ::fcntl(inputFd, F_SETFL, ::fcntl(inputFd, F_GETFL) | O_NONBLOCK);
    ::fcntl(outputFd, F_SETFL, ::fcntl(outputFd, F_GETFL) | O_NONBLOCK);
    d->inputNotifier = new QSocketNotifier(inputFd, QSocketNotifier::Read, this);
    d->outputNotifier = new QSocketNotifier(outputFd, QSocketNotifier::Write, this);
    d->outputNotifier->setEnabled(false);
    connect(d->inputNotifier, &QSocketNotifier::activated, this, [d] { d->readInput(); });
    connect(d->outputNotifier, &QSocketNotifier::activated, this, [d] { d->writeOutput(); });
    connect(d->socket, &QLocalSocket::readyRead, this, [d] { d->readSocket(); });
    connect(d->socket, &QLocalSocket::bytesWritten, this, [d] {
        if (!d->inputClosed && d->socket->bytesToWrite() <= ControlBridgePrivate::MaxBuffered)
            d->inputNotifier->setEnabled(true);
    });
    connect(d->socket, &QLocalSocket::disconnected, this, [d] {
        if (d->inputClosed) {
            d->finish(0);
            return;
        }
        // The primary closed (it may have said why): pass on what it sent, then end.
        d->socketClosed = true;
        d->inputNotifier->setEnabled(false);
        d->readSocket();
    });
    return true;
}

} // namespace LibCluster
