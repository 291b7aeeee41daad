// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlClient: hello with the token, then events, stats and replies; reconnection on request.
#include <libcluster/controlclient.h>

#include "control/controlpaths.h"
#include "control/controlprotocol.h"
#include "util/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocalSocket>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace LibCluster {

using namespace Internal;
namespace Protocol = Internal::ControlProtocol;

class ControlClientPrivate
{
    Q_DECLARE_PUBLIC(ControlClient)

public:
    explicit ControlClientPrivate(ControlClient *q)
        : q_ptr(q)
    { }

    void attempt();
    void setState(ControlClient::State newState);
    // Reports an error (once per kind while reconnecting) and ends this attempt.
    void fail(ControlClient::Error code, const QString &text);
    void onReadyRead();
    void handleMessage(const QJsonObject &message);
    void onSocketGone();
    void failPending(const QString &why);
    void deliverReply(qint64 id, const QJsonObject &reply);
    void dropSocket();
    void scheduleReconnect();

    ControlClient *q_ptr;
    QString name;
    QString socketPath;
    QByteArray token;
    QLocalSocket *socket = nullptr;
    QByteArray buffer;
    ControlClient::State state = ControlClient::UnconnectedState;
    ControlClient::Error error = ControlClient::NoError;
    QString errorString;
    // What was last reported through errorOccurred() since the last welcome.
    ControlClient::Error reportedError = ControlClient::NoError;
    QString reportedErrorString;
    bool retriedToken = false;
    QJsonObject snapshot;
    qint64 primaryPid = 0;

    bool autoReconnect = false;
    bool wanted = false; // connectToEndpoint() called and not cancelled
    int reconnectInterval = 500;
    QTimer *reconnectTimer = nullptr;

    qint64 lastId = 0;
    QHash<qint64, ControlClient::ReplyHandler> pending;
};

void ControlClientPrivate::setState(ControlClient::State newState)
{
    Q_Q(ControlClient);
    if (state == newState)
        return;
    state = newState;
    Q_EMIT q->stateChanged(newState);
}

void ControlClientPrivate::dropSocket()
{
    if (!socket)
        return;
    socket->disconnect(q_ptr);
    socket->abort();
    socket->deleteLater();
    socket = nullptr;
    buffer.clear();
}

void ControlClientPrivate::scheduleReconnect()
{
    if (wanted && autoReconnect)
        reconnectTimer->start(reconnectInterval);
}

void ControlClientPrivate::fail(ControlClient::Error code, const QString &text)
{
    Q_Q(ControlClient);
    dropSocket();
    error = code;
    errorString = text;
    setState(ControlClient::UnconnectedState);
    if (code != reportedError || text != reportedErrorString) {
        reportedError = code;
        reportedErrorString = text;
        Q_EMIT q->errorOccurred(code, text);
    }
    scheduleReconnect();
}

void ControlClientPrivate::attempt()
{
    Q_Q(ControlClient);
    dropSocket();
    setState(ControlClient::ConnectingState);
    if (!ControlPaths::isValidName(name)) {
        wanted = false; // no point in trying again
        fail(ControlClient::EndpointNotFoundError,
            ControlClient::tr("\"%1\" is not a valid endpoint name").arg(name));
        return;
    }
    QString why;
    const QStringList directories = ControlPaths::searchDirectories(&why);
    if (directories.isEmpty()) {
        fail(ControlClient::EndpointNotFoundError,
            ControlClient::tr("no control endpoint named \"%1\": %2").arg(name, why));
        return;
    }
    const auto found
        = std::find_if(directories.cbegin(), directories.cend(), [this](const QString &d) {
              return QFileInfo::exists(d + QLatin1Char('/') + ControlPaths::socketFileName(name));
          });
    const QString directory = found != directories.cend() ? *found : directories.first();
    socketPath = directory + QLatin1Char('/') + ControlPaths::socketFileName(name);
    if (!QFileInfo::exists(socketPath)) {
        fail(ControlClient::EndpointNotFoundError,
            ControlClient::tr("no control endpoint named \"%1\" (%2 does not exist)")
                .arg(name, socketPath));
        return;
    }
    const QString tokenPath = directory + QLatin1Char('/') + ControlPaths::tokenFileName(name);
    QFile tokenFile(tokenPath);
    if (!tokenFile.open(QIODevice::ReadOnly)) {
        fail(ControlClient::TokenError,
            ControlClient::tr("cannot read the token of the control endpoint \"%1\" (%2): %3")
                .arg(name, tokenPath, tokenFile.errorString()));
        return;
    }
    token = tokenFile.readAll().trimmed();

    socket = new QLocalSocket(q);
    QObject::connect(socket, &QLocalSocket::connected, q, [this] {
        socket->write(Protocol::encode(QJsonObject {
            { QStringLiteral("type"), Protocol::hello() },
            { QStringLiteral("v"), Protocol::Version },
            { QStringLiteral("token"), QString::fromLatin1(token) },
        }));
    });
    QObject::connect(socket, &QLocalSocket::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(socket, &QLocalSocket::disconnected, q, [this] { onSocketGone(); });
    QObject::connect(socket, &QLocalSocket::errorOccurred, q,
        [this](QLocalSocket::LocalSocketError socketError) {
            if (socketError == QLocalSocket::PeerClosedError) {
                onSocketGone();
            } else if (state == ControlClient::ConnectingState
                && (socketError == QLocalSocket::ServerNotFoundError
                    || socketError == QLocalSocket::ConnectionRefusedError)) {
                fail(ControlClient::EndpointNotFoundError,
                    ControlClient::tr("no primary is serving the control endpoint \"%1\" any more "
                                      "(%2 is left over)")
                        .arg(name, socketPath));
            } else {
                onSocketGone();
            }
        });
    socket->connectToServer(socketPath);
}

void ControlClientPrivate::onReadyRead()
{
    if (!socket)
        return;
    buffer.append(socket->readAll());
    qsizetype newline;
    while (socket && (newline = buffer.indexOf('\n')) >= 0) {
        const QByteArray line = buffer.left(newline).trimmed();
        buffer.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        QJsonObject message;
        if (!Protocol::decode(line, &message)) {
            fail(ControlClient::ProtocolError,
                ControlClient::tr("the control endpoint \"%1\" sent something that is not JSON")
                    .arg(name));
            return;
        }
        handleMessage(message);
    }
    if (socket && buffer.size() > Protocol::MaxLineLength)
        fail(ControlClient::ProtocolError,
            ControlClient::tr("the control endpoint \"%1\" sent an overlong line").arg(name));
}

void ControlClientPrivate::handleMessage(const QJsonObject &message)
{
    Q_Q(ControlClient);
    const QString type = message.value(QLatin1String("type")).toString();
    if (type == Protocol::error()) {
        const QString code = message.value(QLatin1String("error")).toString();
        const QString text = message.value(QLatin1String("message")).toString();
        if (code == Protocol::badToken()) {
            // A primary that just replaced a dead one may have written its token after we read
            // the old one: one more try with what the file holds now.
            QFile tokenFile(QFileInfo(socketPath).absolutePath() + QLatin1Char('/')
                + ControlPaths::tokenFileName(name));
            if (!retriedToken && tokenFile.open(QIODevice::ReadOnly)
                && tokenFile.readAll().trimmed() != token) {
                retriedToken = true;
                QTimer::singleShot(0, q, [this] {
                    if (wanted && state == ControlClient::ConnectingState)
                        attempt();
                });
                dropSocket();
                return;
            }
            fail(ControlClient::AccessDeniedError, text);
        } else if (code == Protocol::unsupportedVersion()) {
            fail(ControlClient::VersionError, text);
        } else {
            fail(ControlClient::ProtocolError, text);
        }
        return;
    }
    if (state != ControlClient::ConnectedState) {
        if (type != Protocol::welcome()) {
            fail(ControlClient::ProtocolError,
                ControlClient::tr("the control endpoint \"%1\" did not welcome us").arg(name));
            return;
        }
        if (message.value(QLatin1String("v")).toInt() != Protocol::Version) {
            fail(ControlClient::VersionError,
                ControlClient::tr("the control endpoint \"%1\" speaks protocol version %2, not %3")
                    .arg(name)
                    .arg(message.value(QLatin1String("v")).toInt())
                    .arg(Protocol::Version));
            return;
        }
        snapshot = message.value(QLatin1String("snapshot")).toObject();
        primaryPid = message.value(QLatin1String("pid")).toInteger();
        error = ControlClient::NoError;
        errorString.clear();
        reportedError = ControlClient::NoError;
        reportedErrorString.clear();
        retriedToken = false;
        setState(ControlClient::ConnectedState);
        Q_EMIT q->connected(snapshot);
        return;
    }
    if (type == Protocol::event()) {
        Q_EMIT q->eventReceived(message);
    } else if (type == Protocol::stats()) {
        Q_EMIT q->statsReceived(message);
    } else if (type == Protocol::reply()) {
        deliverReply(message.value(QLatin1String("id")).toInteger(), message);
    }
    // Anything else is from a newer primary: ignored.
}

void ControlClientPrivate::deliverReply(qint64 id, const QJsonObject &reply)
{
    Q_Q(ControlClient);
    const ControlClient::ReplyHandler handler = pending.take(id);
    QPointer<ControlClient> guard(q);
    if (handler)
        handler(reply);
    if (guard)
        Q_EMIT q->replyReceived(id, reply);
}

void ControlClientPrivate::failPending(const QString &why)
{
    const QList<qint64> ids = pending.keys();
    for (qint64 id : ids) {
        if (!pending.contains(id))
            continue;
        deliverReply(id,
            QJsonObject {
                { QStringLiteral("type"), Protocol::reply() },
                { QStringLiteral("id"), id },
                { QStringLiteral("ok"), false },
                { QStringLiteral("error"), why },
            });
    }
}

void ControlClientPrivate::onSocketGone()
{
    Q_Q(ControlClient);
    if (!socket)
        return;
    // Messages that arrived with the hang-up (an error, a last reply) come first.
    if (socket->bytesAvailable() > 0)
        onReadyRead();
    if (!socket)
        return; // handled: the server said why
    const bool wasConnected = state == ControlClient::ConnectedState;
    dropSocket();
    setState(ControlClient::UnconnectedState);
    const QString why
        = ControlClient::tr("the primary behind the control endpoint \"%1\" went away").arg(name);
    failPending(why);
    if (wasConnected)
        Q_EMIT q->disconnected();
    fail(ControlClient::ConnectionLostError, why);
}

ControlClient::ControlClient(QObject *parent)
    : QObject(parent)
    , d_ptr(new ControlClientPrivate(this))
{
    Q_D(ControlClient);
    d->reconnectTimer = new QTimer(this);
    d->reconnectTimer->setSingleShot(true);
    connect(d->reconnectTimer, &QTimer::timeout, this, [d] {
        if (d->wanted && d->state != ConnectedState)
            d->attempt();
    });
}

ControlClient::~ControlClient()
{
    Q_D(ControlClient);
    d->wanted = false;
    d->dropSocket();
}

void ControlClient::connectToEndpoint(const QString &name)
{
    Q_D(ControlClient);
    disconnectFromEndpoint();
    d->name = name;
    d->wanted = true;
    d->error = NoError;
    d->errorString.clear();
    d->reportedError = NoError;
    d->reportedErrorString.clear();
    d->retriedToken = false;
    d->setState(ConnectingState);
    // From the event loop, so that every signal of this attempt reaches slots connected after
    // this call.
    QTimer::singleShot(0, this, [d] {
        if (d->wanted && d->state == ConnectingState && !d->socket)
            d->attempt();
    });
}

void ControlClient::disconnectFromEndpoint()
{
    Q_D(ControlClient);
    d->wanted = false;
    d->reconnectTimer->stop();
    const bool wasConnected = d->state == ConnectedState;
    d->dropSocket();
    d->failPending(tr("disconnected from the control endpoint \"%1\"").arg(d->name));
    d->setState(UnconnectedState);
    if (wasConnected)
        Q_EMIT disconnected();
}

QString ControlClient::endpointName() const
{
    return d_func()->name;
}
ControlClient::State ControlClient::state() const
{
    return d_func()->state;
}
ControlClient::Error ControlClient::error() const
{
    return d_func()->error;
}
QString ControlClient::errorString() const
{
    return d_func()->errorString;
}
QJsonObject ControlClient::snapshot() const
{
    return d_func()->snapshot;
}
qint64 ControlClient::primaryProcessId() const
{
    return d_func()->primaryPid;
}

void ControlClient::setAutoReconnect(bool on)
{
    Q_D(ControlClient);
    d->autoReconnect = on;
    if (!on)
        d->reconnectTimer->stop();
    else if (d->wanted && d->state == UnconnectedState)
        d->scheduleReconnect();
}

bool ControlClient::autoReconnect() const
{
    return d_func()->autoReconnect;
}
void ControlClient::setReconnectInterval(int msecs)
{
    d_func()->reconnectInterval = qMax(10, msecs);
}
int ControlClient::reconnectInterval() const
{
    return d_func()->reconnectInterval;
}

qint64 ControlClient::sendCommand(
    const QString &command, const QJsonObject &arguments, const ReplyHandler &handler)
{
    Q_D(ControlClient);
    const qint64 id = ++d->lastId;
    d->pending.insert(id, handler);
    if (d->state != ConnectedState || !d->socket) {
        const QString why = tr("not connected to the control endpoint \"%1\"").arg(d->name);
        QTimer::singleShot(0, this, [d, id, why] {
            if (d->pending.contains(id))
                d->deliverReply(id,
                    QJsonObject {
                        { QStringLiteral("type"), Protocol::reply() },
                        { QStringLiteral("id"), id },
                        { QStringLiteral("ok"), false },
                        { QStringLiteral("error"), why },
                    });
        });
        return id;
    }
    QJsonObject message = arguments;
    message.insert(QStringLiteral("type"), Protocol::command());
    message.insert(QStringLiteral("id"), id);
    message.insert(QStringLiteral("cmd"), command);
    d->socket->write(Protocol::encode(message));
    return id;
}

qint64 ControlClient::resume(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("resume"), {}, handler);
}

qint64 ControlClient::requestSnapshot(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("snapshot"), {}, handler);
}

qint64 ControlClient::requestStats(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("stats"), {}, handler);
}

qint64 ControlClient::fork(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("fork"), {}, handler);
}

qint64 ControlClient::disconnectWorker(int workerId, bool wait, const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("disconnect"),
        { { QStringLiteral("worker"), workerId }, { QStringLiteral("wait"), wait } }, handler);
}

qint64 ControlClient::disconnectAll(bool wait, const ReplyHandler &handler)
{
    // A primary older than "all" takes it for a worker id it does not have. Its error would
    // read as if a worker were missing; say instead what is.
    const ReplyHandler explained = [handler](const QJsonObject &reply) {
        if (!handler)
            return;
        if (reply.value(QLatin1String("ok")).toBool()
            || reply.value(QLatin1String("error")).toString()
                != QLatin1String("no worker with id all")) {
            handler(reply);
            return;
        }
        QJsonObject answer = reply;
        answer.insert(QStringLiteral("error"),
            tr("this primary cannot disconnect all workers at once: its libcluster is older "
               "than this one"));
        handler(answer);
    };
    return sendCommand(QStringLiteral("disconnect"),
        { { QStringLiteral("worker"), QStringLiteral("all") }, { QStringLiteral("wait"), wait } },
        explained);
}

qint64 ControlClient::killWorker(int workerId, int signal, bool wait, const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("kill"),
        { { QStringLiteral("worker"), workerId }, { QStringLiteral("signal"), signal },
            { QStringLiteral("wait"), wait } },
        handler);
}

qint64 ControlClient::scaleTo(int count, const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("scale"), { { QStringLiteral("count"), count } }, handler);
}

qint64 ControlClient::rollingRestart(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("restart"), {}, handler);
}

qint64 ControlClient::sendMessage(
    int workerId, const QJsonValue &message, const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("send"),
        { { QStringLiteral("worker"), workerId }, { QStringLiteral("message"), message } },
        handler);
}

qint64 ControlClient::sendMessageToAll(const QJsonValue &message, const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("send"),
        { { QStringLiteral("worker"), QStringLiteral("all") },
            { QStringLiteral("message"), message } },
        handler);
}

qint64 ControlClient::shutdown(const ReplyHandler &handler)
{
    return sendCommand(QStringLiteral("shutdown"), {}, handler);
}

QStringList ControlClient::availableEndpoints()
{
    QString ignored;
    QStringList live;
    const QStringList directories = ControlPaths::searchDirectories(&ignored);
    for (const QString &directory : directories) {
        const QStringList names = ControlPaths::namesIn(directory);
        for (const QString &name : names)
            if (!live.contains(name)
                && ControlPaths::probe(
                       directory + QLatin1Char('/') + ControlPaths::socketFileName(name))
                    == ControlPaths::Probe::Live)
                live.append(name);
    }
    live.sort();
    return live;
}

int ControlClient::signalFromName(const QString &text)
{
    return Protocol::signalFromText(text);
}

} // namespace LibCluster
