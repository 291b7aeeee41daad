// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlClient: hello with the token, then events, stats and replies; reconnection on request.
#include <libcluster/controlclient.h>

#include "control/controlpaths.h"
#include "control/controlprotocol.h"
#include "control/sshendpoint.h"
#include "util/logging.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLocalSocket>
#include <QPointer>
#include <QProcess>
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
    // The ssh:// kind of attempt: ssh runs the bridge on the remote host (SshEndpoint).
    void attemptSsh();
    void onSshFinished(int exitCode, QProcess::ExitStatus status);
    // What ssh (and the bridge behind it) said on stderr, trimmed; the last lines only.
    QString sshWords() const;
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
    // The connection: a QLocalSocket to a local endpoint, or the ssh process (its stdin and
    // stdout) for an ssh:// one.
    QIODevice *socket = nullptr;
    QProcess *ssh = nullptr;
    QByteArray sshStderr;
    // Failed attempts in a row over ssh: each waits twice as long as the one before, up to
    // MaxSshBackoff, so that an unreachable host is not hammered.
    int sshFailures = 0;
    static constexpr int MaxSshBackoff = 30000;
    static constexpr qsizetype MaxSshStderr = 4096;
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
    if (ssh) {
        // The link ends with ssh; the bridge on the other side then reads the end of its input.
        QProcess *process = ssh;
        ssh = nullptr;
        if (process->state() == QProcess::NotRunning) {
            process->deleteLater();
        } else {
            QObject::connect(process, &QProcess::finished, process, &QObject::deleteLater);
            process->kill();
        }
    } else {
        static_cast<QLocalSocket *>(socket)->abort();
        socket->deleteLater();
    }
    socket = nullptr;
    buffer.clear();
}

void ControlClientPrivate::scheduleReconnect()
{
    if (!wanted || !autoReconnect)
        return;
    int delay = reconnectInterval;
    if (SshEndpoint::isSshAddress(name)) {
        for (int i = 1; i < sshFailures && delay < MaxSshBackoff; ++i)
            delay *= 2;
        delay = qMax(reconnectInterval, qMin(delay, MaxSshBackoff));
    }
    reconnectTimer->start(delay);
}

void ControlClientPrivate::attemptSsh()
{
    Q_Q(ControlClient);
    SshEndpoint endpoint;
    QString why;
    if (!SshEndpoint::parse(name, &endpoint, &why)) {
        wanted = false; // no point in trying again
        fail(ControlClient::EndpointNotFoundError, why);
        return;
    }
    ++sshFailures; // until welcomed
    sshStderr.clear();
    ssh = new QProcess(q);
    socket = ssh;
    ssh->setProgram(endpoint.program());
    ssh->setArguments(endpoint.arguments());
    ssh->setReadChannel(QProcess::StandardOutput);
    QObject::connect(ssh, &QProcess::readyReadStandardOutput, q, [this] { onReadyRead(); });
    QObject::connect(ssh, &QProcess::readyReadStandardError, q, [this] {
        sshStderr.append(ssh->readAllStandardError());
        if (sshStderr.size() > MaxSshStderr)
            sshStderr.remove(0, sshStderr.size() - MaxSshStderr);
    });
    QObject::connect(ssh, &QProcess::finished, q,
        [this](int exitCode, QProcess::ExitStatus status) { onSshFinished(exitCode, status); });
    QObject::connect(ssh, &QProcess::errorOccurred, q, [this](QProcess::ProcessError processError) {
        if (processError != QProcess::FailedToStart)
            return; // the end comes through finished()
        fail(ControlClient::SshError,
            ControlClient::tr("cannot start %1 to reach \"%2\": %3 (install OpenSSH's client, "
                              "or name it in LIBCLUSTER_SSH)")
                .arg(ssh->program(), name, ssh->errorString()));
    });
    // The token is the remote user's to read: the bridge puts it in. Written at once, the hello
    // waits in the pipe until ssh has logged in.
    QObject::connect(ssh, &QProcess::started, q, [this] {
        ssh->write(Protocol::encode(QJsonObject {
            { QStringLiteral("type"), Protocol::hello() },
            { QStringLiteral("v"), Protocol::Version },
        }));
    });
    ssh->start();
}

QString ControlClientPrivate::sshWords() const
{
    QStringList lines = QString::fromLocal8Bit(sshStderr).trimmed().split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    // The last lines say what finally went wrong; earlier ones are often warnings.
    return lines.mid(qMax<qsizetype>(0, lines.size() - 3)).join(QLatin1Char(' '));
}

void ControlClientPrivate::onSshFinished(int exitCode, QProcess::ExitStatus status)
{
    Q_Q(ControlClient);
    if (!ssh)
        return;
    sshStderr.append(ssh->readAllStandardError());
    if (ssh->bytesAvailable() > 0)
        onReadyRead();
    if (!ssh)
        return; // handled: the server said why
    const bool wasConnected = state == ControlClient::ConnectedState;
    const QString words = sshWords();
    QString why;
    ControlClient::Error code = ControlClient::ConnectionLostError;
    if (wasConnected) {
        why = words.isEmpty()
            ? ControlClient::tr("the link to \"%1\" went away").arg(name)
            : ControlClient::tr("the link to \"%1\" went away: %2").arg(name, words);
    } else {
        // 255 is ssh's own failure (no route, refused key, unknown host key); anything else
        // comes from the far side's bridge (no such endpoint, no cluster-run).
        code = status == QProcess::NormalExit && exitCode == 255
            ? ControlClient::SshError
            : ControlClient::EndpointNotFoundError;
        why = words.isEmpty()
            ? ControlClient::tr("ssh could not reach \"%1\" (exit code %2)").arg(name).arg(exitCode)
            : words;
    }
    dropSocket();
    setState(ControlClient::UnconnectedState);
    failPending(why);
    if (wasConnected)
        Q_EMIT q->disconnected();
    fail(code, why);
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
    if (SshEndpoint::isSshAddress(name)) {
        attemptSsh();
        return;
    }
    QString tokenPath;
    QString why;
    if (!ControlPaths::locate(name, &socketPath, &tokenPath, &why)) {
        if (!ControlPaths::isValidName(name))
            wanted = false; // no point in trying again
        fail(ControlClient::EndpointNotFoundError, why);
        return;
    }
    QFile tokenFile(tokenPath);
    if (!tokenFile.open(QIODevice::ReadOnly)) {
        fail(ControlClient::TokenError,
            ControlClient::tr("cannot read the token of the control endpoint \"%1\" (%2): %3")
                .arg(name, tokenPath, tokenFile.errorString()));
        return;
    }
    token = tokenFile.readAll().trimmed();

    auto *local = new QLocalSocket(q);
    socket = local;
    QObject::connect(local, &QLocalSocket::connected, q, [this] {
        socket->write(Protocol::encode(QJsonObject {
            { QStringLiteral("type"), Protocol::hello() },
            { QStringLiteral("v"), Protocol::Version },
            { QStringLiteral("token"), QString::fromLatin1(token) },
        }));
    });
    QObject::connect(local, &QLocalSocket::readyRead, q, [this] { onReadyRead(); });
    QObject::connect(local, &QLocalSocket::disconnected, q, [this] { onSocketGone(); });
    QObject::connect(
        local, &QLocalSocket::errorOccurred, q, [this](QLocalSocket::LocalSocketError socketError) {
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
    local->connectToServer(socketPath);
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
        if (code == Protocol::badToken() && !ssh) {
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
        sshFailures = 0;
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
    // ssh processes on their way out (killed, not yet reaped) go with this object: reaped now,
    // which takes a moment after SIGKILL, rather than left as zombies.
    const QList<QProcess *> processes = findChildren<QProcess *>();
    for (QProcess *process : processes) {
        process->disconnect(this);
        process->kill();
        process->waitForFinished(1000);
    }
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
    d->sshFailures = 0;
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

bool ControlClient::isRemoteEndpoint(const QString &endpoint)
{
    return SshEndpoint::isSshAddress(endpoint);
}

bool ControlClient::isValidEndpoint(const QString &endpoint, QString *why)
{
    if (SshEndpoint::isSshAddress(endpoint))
        return SshEndpoint::parse(endpoint, nullptr, why);
    if (ControlPaths::isValidName(endpoint))
        return true;
    if (why)
        *why = tr("\"%1\" is not a valid endpoint name: 1 to 64 letters, digits, dots, dashes and "
                  "underscores, not starting with a dot; or ssh://[user@]host[:port]/NAME for one "
                  "on another host")
                   .arg(endpoint);
    return false;
}

int ControlClient::signalFromName(const QString &text)
{
    return Protocol::signalFromText(text);
}

} // namespace LibCluster
