// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlServer: the endpoint's files (socket, token), the sessions of its clients, and the
// commands they send.
#include <libcluster/controlserver.h>

#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/eventstream.h>
#include <libcluster/supervisor.h>

#include "control/controlpaths.h"
#include "control/controlprotocol.h"
#include "ports/acceptor.h"
#include "util/logging.h"

#include <QCborValue>
#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QLocalSocket>
#include <QPointer>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QTimer>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace LibCluster {

using namespace Internal;
namespace Protocol = Internal::ControlProtocol;

namespace {
QString systemError()
{
    return QString::fromLocal8Bit(strerror(errno));
}

// Compares without stopping at the first difference, so the time taken says nothing about how
// much of a guess was right.
bool sameToken(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

QByteArray newToken()
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof(words)).toHex();
}

// One connected client. The context object of everything done on its behalf, so a reply that
// comes later is simply dropped if the client has gone.
class Session : public QObject
{
public:
    explicit Session(QLocalSocket *socket, QObject *parent)
        : QObject(parent)
        , socket(socket)
    {
        socket->setParent(this);
    }

    QLocalSocket *socket;
    QByteArray buffer;
    bool welcomed = false;
    bool closing = false;
};
} // namespace

class ControlServerPrivate
{
    Q_DECLARE_PUBLIC(ControlServer)

public:
    ControlServerPrivate(ControlServer *q, Cluster *cluster, Supervisor *supervisor)
        : q_ptr(q)
        , cluster(cluster)
        , supervisor(supervisor)
    {
        if (!supervisor) {
            // Scaling, rolling restart and graceful shutdown have one implementation, the
            // Supervisor's. One that respawns nothing keeps Node's semantics for the cluster.
            // A child of the cluster, so it never outlives what it watches.
            ownSupervisor = new Supervisor(cluster);
            this->supervisor = ownSupervisor;
        }
    }

    bool fail(ControlServer::Error code, const QString &text)
    {
        error = code;
        errorString = text;
        qCDebug(lcPrimary).noquote() << "control endpoint:" << text;
        return false;
    }
    bool writeTokenFile(const QString &directory);
    void removeFiles();

    // The application's own commands (setCommandHandler()).
    QHash<QString, ControlServer::CommandHandler> commandHandlers;

    void accepted(int fd);
    void refuseAtOnce(int fd);
    void onReadyRead(Session *session);
    void handleLine(Session *session, const QByteArray &line);
    void handleHello(Session *session, const QJsonObject &message);
    void send(Session *session, const QJsonObject &message);
    void sendEncoded(Session *session, const QByteArray &line);
    void refuse(
        Session *session, const QString &code, const QString &text, const QJsonObject &extra = {});
    void broadcast(const QJsonObject &message);

    // Commands.
    void execute(Session *session, const QJsonObject &command);
    void reply(Session *session, const QJsonValue &id, bool ok, const QString &error = QString());
    void reply(Session *session, const QJsonValue &id, const Control::CommandReply &answer);
    static Control::CommandReply workerReply(int workerId);
    Worker *workerFor(Session *session, const QJsonValue &id, const QJsonObject &command);
    bool refuseWhileShuttingDown(Session *session, const QJsonValue &id);
    bool isShuttingDown() const;
    void fork(Session *session, const QJsonValue &id);
    void disconnectWorker(Session *session, const QJsonValue &id, const QJsonObject &command);
    void disconnectAll(Session *session, const QJsonValue &id, bool wait);
    void killWorker(Session *session, const QJsonValue &id, const QJsonObject &command);
    void scale(Session *session, const QJsonValue &id, const QJsonObject &command);
    void restart(Session *session, const QJsonValue &id);
    void sendMessage(Session *session, const QJsonValue &id, const QJsonObject &command);
    void shutdown(Session *session, const QJsonValue &id, const QJsonObject &command);
    void shutdownFinished();

    ControlServer *q_ptr;
    QPointer<Cluster> cluster;
    // Given by the user, or ownSupervisor: never null while the cluster lives.
    QPointer<Supervisor> supervisor;
    QPointer<Supervisor> ownSupervisor;
    EventStream *stream = nullptr;

    QString name;
    QString socketPath;
    QString tokenPath;
    QByteArray token;
    int listenFd = -1;
    dev_t socketDevice = 0;
    ino_t socketInode = 0;
    Acceptor *acceptor = nullptr;
    QList<Session *> sessions;
    // A flood of unwelcomed connections is reported once, not once per connection.
    bool busyReported = false;
    QTimer *statsTimer = nullptr;
    int statsInterval = 1000;

    ControlServer::Error error = ControlServer::NoError;
    QString errorString;

    int shutdownTimeout = 10000;
    bool shutdownQuits = true;
    // Clients waiting for "restart" or "shutdown" to finish.
    struct Pending
    {
        QPointer<Session> session;
        QJsonValue id;
    };
    QList<Pending> restartWaiters;
    QList<Pending> shutdownWaiters;
};

bool ControlServerPrivate::writeTokenFile(const QString &directory)
{
    // Written under a temporary name, then renamed into place: a client never reads half a token.
    const QByteArray temporary
        = QFile::encodeName(QStringLiteral("%1/.%2.%3.tmp")
                                .arg(directory, ControlPaths::tokenFileName(name))
                                .arg(QCoreApplication::applicationPid()));
    ::unlink(temporary.constData());
    const int fd
        = ::open(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(ControlServer::SocketError,
            ControlServer::tr("cannot create the token file %1: %2").arg(tokenPath, systemError()));
    const QByteArray content = token + '\n';
    const bool written = ::fchmod(fd, 0600) == 0
        && ::write(fd, content.constData(), size_t(content.size())) == content.size();
    const int writeError = errno;
    ::close(fd);
    if (!written
        || ::rename(temporary.constData(), QFile::encodeName(tokenPath).constData()) != 0) {
        if (written)
            errno = writeError;
        const QString why = systemError();
        ::unlink(temporary.constData());
        return fail(ControlServer::SocketError,
            ControlServer::tr("cannot write the token file %1: %2").arg(tokenPath, why));
    }
    return true;
}

void ControlServerPrivate::removeFiles()
{
    // Only what is still ours: a file someone else has put in its place stays.
    struct stat info;
    const QByteArray socketFile = QFile::encodeName(socketPath);
    if (::lstat(socketFile.constData(), &info) == 0 && info.st_dev == socketDevice
        && info.st_ino == socketInode)
        ::unlink(socketFile.constData());
    QFile file(tokenPath);
    if (file.open(QIODevice::ReadOnly) && file.readAll().trimmed() == token)
        QFile::remove(tokenPath);
}

void ControlServerPrivate::accepted(int fd)
{
    Q_Q(ControlServer);
    const auto unwelcomed = std::count_if(
        sessions.cbegin(), sessions.cend(), [](const Session *s) { return !s->welcomed; });
    if (unwelcomed >= Protocol::MaxUnwelcomedClients) {
        refuseAtOnce(fd);
        return;
    }
    busyReported = false;
    auto *socket = new QLocalSocket;
    if (!socket->setSocketDescriptor(fd)) {
        ::close(fd);
        delete socket;
        return;
    }
    // Reads stop at the limit before the hello, so a stranger's bytes wait in the kernel, not here.
    socket->setReadBufferSize(Protocol::MaxHelloLength + 1);
    auto *session = new Session(socket, q);
    sessions.append(session);
    QObject::connect(
        socket, &QLocalSocket::readyRead, session, [this, session] { onReadyRead(session); });
    QObject::connect(socket, &QLocalSocket::disconnected, session, [this, session] {
        const bool counted = session->welcomed;
        session->closing = true;
        sessions.removeAll(session);
        session->deleteLater();
        if (counted)
            Q_EMIT q_ptr->clientDisconnected();
    });
    // A client that never says hello does not get to hold a connection open.
    QTimer::singleShot(Protocol::HelloTimeout, session, [this, session] {
        if (!session->welcomed)
            refuse(session, Protocol::helloTimeout(),
                ControlServer::tr("no hello within %1 ms").arg(Protocol::HelloTimeout));
    });
}

void ControlServerPrivate::refuseAtOnce(int fd)
{
    // No session, no timer, no buffer: the reason in one line, then the descriptor is closed.
    const QByteArray line = Protocol::encode(QJsonObject {
        { QStringLiteral("type"), Protocol::error() },
        { QStringLiteral("error"), Protocol::busy() },
        { QStringLiteral("message"),
            ControlServer::tr("the control endpoint \"%1\" already has %2 clients that have not "
                              "said hello yet; try again in a few seconds")
                .arg(name)
                .arg(Protocol::MaxUnwelcomedClients) },
    });
    (void)!::send(fd, line.constData(), size_t(line.size()), MSG_DONTWAIT | MSG_NOSIGNAL);
    ::close(fd);
    if (!busyReported) {
        busyReported = true;
        qCWarning(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: %2 clients have not said hello yet; refusing "
                              "new connections until they do or time out")
                   .arg(name)
                   .arg(Protocol::MaxUnwelcomedClients);
    }
}

void ControlServerPrivate::onReadyRead(Session *session)
{
    for (;;) {
        const bool welcomed = session->welcomed;
        // Before the hello, no more than a hello's worth: a client that sends more is refused
        // below without the rest ever being read.
        session->buffer.append(welcomed
                ? session->socket->readAll()
                : session->socket->read(Protocol::MaxHelloLength + 1 - session->buffer.size()));
        qsizetype newline;
        while (!session->closing && (newline = session->buffer.indexOf('\n')) >= 0) {
            const QByteArray line = session->buffer.left(newline).trimmed();
            session->buffer.remove(0, newline + 1);
            if (!line.isEmpty())
                handleLine(session, line);
        }
        if (session->closing)
            return;
        if (!session->welcomed && session->buffer.size() > Protocol::MaxHelloLength) {
            refuse(session, Protocol::badMessage(),
                ControlServer::tr("more than %1 bytes before the hello")
                    .arg(Protocol::MaxHelloLength));
            return;
        }
        if (session->buffer.size() > Protocol::MaxLineLength) {
            refuse(session, Protocol::badMessage(),
                ControlServer::tr("a line longer than %1 bytes").arg(Protocol::MaxLineLength));
            return;
        }
        if (session->welcomed == welcomed)
            return;
        // Welcomed just now: what the client sent after its hello is read in full from here on.
        session->socket->setReadBufferSize(0);
    }
}

void ControlServerPrivate::handleLine(Session *session, const QByteArray &line)
{
    QJsonObject message;
    if (!Protocol::decode(line, &message)) {
        refuse(session, Protocol::badMessage(),
            ControlServer::tr("every line must be one JSON object"));
        return;
    }
    const QString type = message.value(QLatin1String("type")).toString();
    if (!session->welcomed) {
        if (type != Protocol::hello()) {
            refuse(session, Protocol::helloExpected(),
                ControlServer::tr("the first message must be a hello"));
            return;
        }
        handleHello(session, message);
        return;
    }
    if (type == Protocol::command()) {
        execute(session, message);
    } else {
        refuse(session, Protocol::badMessage(),
            ControlServer::tr("unexpected message type \"%1\"").arg(type));
    }
}

void ControlServerPrivate::handleHello(Session *session, const QJsonObject &message)
{
    Q_Q(ControlServer);
    const QJsonValue version = message.value(QLatin1String("v"));
    if (version.toInt(-1) != Protocol::Version) {
        refuse(session, Protocol::unsupportedVersion(),
            ControlServer::tr("protocol version %1 is not supported; this primary speaks "
                              "version %2")
                .arg(version.toVariant().toString())
                .arg(Protocol::Version),
            { { QStringLiteral("supported"), QJsonArray { Protocol::Version } } });
        return;
    }
    if (!sameToken(message.value(QLatin1String("token")).toString().toLatin1(), token)) {
        qCInfo(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: refused a client with a wrong token").arg(name);
        refuse(session, Protocol::badToken(),
            ControlServer::tr("wrong token: access to the control endpoint \"%1\" is denied")
                .arg(name));
        return;
    }
    session->welcomed = true;
    send(session,
        QJsonObject {
            { QStringLiteral("type"), Protocol::welcome() },
            { QStringLiteral("v"), Protocol::Version },
            { QStringLiteral("name"), name },
            { QStringLiteral("pid"), QCoreApplication::applicationPid() },
            { QStringLiteral("statsInterval"), statsInterval },
            { QStringLiteral("snapshot"), stream->snapshot() },
        });
    Q_EMIT q->clientConnected();
}

void ControlServerPrivate::send(Session *session, const QJsonObject &message)
{
    sendEncoded(session, Protocol::encode(message));
}

void ControlServerPrivate::sendEncoded(Session *session, const QByteArray &line)
{
    if (session->closing || session->socket->state() != QLocalSocket::ConnectedState)
        return;
    if (session->socket->bytesToWrite() > Protocol::MaxPendingBytes) {
        // A client that does not read would make the primary buffer without bound.
        qCWarning(lcPrimary).noquote()
            << QStringLiteral("control endpoint %1: dropping a client that is %2 bytes behind")
                   .arg(name)
                   .arg(session->socket->bytesToWrite());
        session->closing = true;
        session->socket->abort();
        return;
    }
    session->socket->write(line);
}

void ControlServerPrivate::refuse(
    Session *session, const QString &code, const QString &text, const QJsonObject &extra)
{
    if (session->closing)
        return;
    QJsonObject message = extra;
    message.insert(QStringLiteral("type"), Protocol::error());
    message.insert(QStringLiteral("error"), code);
    message.insert(QStringLiteral("message"), text);
    session->socket->write(Protocol::encode(message));
    session->closing = true;
    // Writes what is queued, then closes.
    session->socket->disconnectFromServer();
}

void ControlServerPrivate::broadcast(const QJsonObject &message)
{
    // Encoded once, however many clients there are.
    QByteArray line;
    const QList<Session *> current = sessions;
    for (Session *session : current) {
        if (!session->welcomed)
            continue;
        if (line.isEmpty())
            line = Protocol::encode(message);
        sendEncoded(session, line);
    }
}

void ControlServerPrivate::reply(
    Session *session, const QJsonValue &id, bool ok, const QString &errorText)
{
    reply(session, id,
        ok ? Control::CommandReply::success() : Control::CommandReply::failure(errorText));
}

void ControlServerPrivate::reply(
    Session *session, const QJsonValue &id, const Control::CommandReply &answer)
{
    QJsonObject message = answer.toJson();
    message.insert(QStringLiteral("type"), Protocol::reply());
    message.insert(QStringLiteral("id"), id);
    send(session, message);
}

Control::CommandReply ControlServerPrivate::workerReply(int workerId)
{
    Control::CommandReply answer = Control::CommandReply::success();
    answer.worker = workerId;
    return answer;
}

bool ControlServerPrivate::isShuttingDown() const
{
    return supervisor && supervisor->isShuttingDown();
}

bool ControlServerPrivate::refuseWhileShuttingDown(Session *session, const QJsonValue &id)
{
    if (!isShuttingDown())
        return false;
    reply(session, id, false, ControlServer::tr("the cluster is shutting down"));
    return true;
}

Worker *ControlServerPrivate::workerFor(
    Session *session, const QJsonValue &id, const QJsonObject &command)
{
    const QJsonValue value = command.value(QLatin1String("worker"));
    const int workerId = value.toInt(-1);
    Worker *worker = workerId > 0 && cluster ? cluster->workerById(workerId) : nullptr;
    if (!worker || worker->isDead()) {
        reply(session, id, false,
            value.isUndefined()
                ? ControlServer::tr("which worker? \"worker\" is missing")
                : ControlServer::tr("no worker with id %1").arg(value.toVariant().toString()));
        return nullptr;
    }
    return worker;
}

void ControlServerPrivate::execute(Session *session, const QJsonObject &command)
{
    Q_Q(ControlServer);
    const QJsonValue id = command.value(QLatin1String("id"));
    const QString name = command.value(QLatin1String("cmd")).toString();
    QJsonObject arguments = command;
    for (const QLatin1String envelope :
        { QLatin1String("type"), QLatin1String("id"), QLatin1String("cmd") })
        arguments.remove(envelope);
    Q_EMIT q->commandReceived(name, arguments);
    if (!cluster) {
        reply(session, id, false, ControlServer::tr("the cluster is gone"));
        return;
    }
    if (!supervisor) {
        reply(session, id, false, ControlServer::tr("the cluster's supervisor is gone"));
        return;
    }
    if (name == QLatin1String("fork")) {
        fork(session, id);
    } else if (name == QLatin1String("disconnect")) {
        disconnectWorker(session, id, command);
    } else if (name == QLatin1String("kill")) {
        killWorker(session, id, command);
    } else if (name == QLatin1String("scale")) {
        scale(session, id, command);
    } else if (name == QLatin1String("restart")) {
        restart(session, id);
    } else if (name == QLatin1String("send")) {
        sendMessage(session, id, command);
    } else if (name == QLatin1String("shutdown")) {
        shutdown(session, id, command);
    } else if (name == QLatin1String("snapshot")) {
        Control::CommandReply answer = Control::CommandReply::success();
        answer.snapshot = stream->snapshot();
        reply(session, id, answer);
    } else if (name == QLatin1String("stats")) {
        Control::CommandReply answer = Control::CommandReply::success();
        answer.stats = stream->stats();
        reply(session, id, answer);
    } else if (name == QLatin1String("resume")) {
        supervisor->resume();
        reply(session, id, true);
    } else if (const auto handler = commandHandlers.constFind(name);
               handler != commandHandlers.cend()) {
        const QString error = (*handler)(arguments);
        reply(session, id, error.isEmpty(), error);
    } else {
        reply(session, id, false, ControlServer::tr("unknown command \"%1\"").arg(name));
    }
}

void ControlServer::setCommandHandler(const QString &command, const CommandHandler &handler)
{
    Q_D(ControlServer);
    if (handler)
        d->commandHandlers.insert(command, handler);
    else
        d->commandHandlers.remove(command);
}

void ControlServerPrivate::fork(Session *session, const QJsonValue &id)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    const int max = supervisor->maxWorkers();
    const int kept = supervisor->workerCount();
    if (kept >= max) {
        reply(session, id, false,
            ControlServer::tr("cannot fork: the cluster has %1 workers already, and %2")
                .arg(kept)
                .arg(
                    Supervisor::workerCountError(ControlServer::tr("the number of workers"), max)));
        return;
    }
    // Through the supervisor, so that the worker counts towards what it keeps alive.
    int lastId = 0;
    const auto before = cluster->workers();
    for (Worker *worker : before)
        lastId = qMax(lastId, worker->id());
    supervisor->scaleTo(kept + 1);
    Worker *forked = nullptr;
    const auto after = cluster->workers();
    for (Worker *worker : after)
        if (worker->id() > lastId)
            forked = worker;
    if (!forked) {
        // During a rolling restart, or while it scales up, the supervisor forks later.
        Control::CommandReply answer = Control::CommandReply::success();
        answer.count = supervisor->workerCount();
        answer.deferred = true;
        reply(session, id, answer);
        return;
    }
    Control::CommandReply answer = Control::CommandReply::success();
    answer.worker = forked->id();
    answer.pid = forked->processId();
    reply(session, id, answer);
}

void ControlServerPrivate::disconnectWorker(
    Session *session, const QJsonValue &id, const QJsonObject &command)
{
    if (command.value(QLatin1String("worker")).toString() == QLatin1String("all")) {
        disconnectAll(session, id, command.value(QLatin1String("wait")).toBool());
        return;
    }
    Worker *worker = workerFor(session, id, command);
    if (!worker)
        return;
    if (!worker->isConnected()) {
        reply(session, id, false,
            ControlServer::tr("worker %1 is already disconnected").arg(worker->id()));
        return;
    }
    const int workerId = worker->id();
    if (command.value(QLatin1String("wait")).toBool()) {
        // Through the cluster's signals, connected after the event stream's: the client gets
        // the event first, then the reply.
        auto connections = std::make_shared<QList<QMetaObject::Connection>>();
        const auto finish = [this, session, id, workerId, connections](Worker *which) {
            if (which->id() != workerId)
                return;
            for (const QMetaObject::Connection &connection : std::as_const(*connections))
                QObject::disconnect(connection);
            reply(session, id, workerReply(workerId));
        };
        connections->append(
            QObject::connect(cluster, &Cluster::workerDisconnected, session, finish));
        connections->append(QObject::connect(cluster, &Cluster::workerExited, session, finish));
        worker->disconnectFromCluster();
        return;
    }
    worker->disconnectFromCluster();
    reply(session, id, workerReply(workerId));
}

void ControlServerPrivate::disconnectAll(Session *session, const QJsonValue &id, bool wait)
{
    // The workers Cluster::disconnectAll() asks to go: those still connected.
    QList<int> asked;
    const auto all = cluster->workers();
    for (Worker *worker : all)
        if (worker->isConnected())
            asked.append(worker->id());
    Control::CommandReply fields = Control::CommandReply::success();
    fields.workers = asked;
    if (wait && !asked.isEmpty()) {
        // allDisconnected() comes after the last worker's workerDisconnected(), which the event
        // stream has already sent on: the client gets every event first, then the reply.
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(
            cluster, &Cluster::allDisconnected, session, [this, session, id, fields, connection] {
                QObject::disconnect(*connection);
                reply(session, id, fields);
            });
    }
    // Exactly what the primary itself would call, and not a scale to 0: the workers leave on
    // request (exitedAfterDisconnect), so a supervisor replaces none of them and keeps the count
    // it was given.
    cluster->disconnectAll();
    // Nobody to wait for: the reply goes now, not when the cluster's queued allDisconnected()
    // comes.
    if (!wait || asked.isEmpty())
        reply(session, id, fields);
}

void ControlServerPrivate::killWorker(
    Session *session, const QJsonValue &id, const QJsonObject &command)
{
    const QJsonValue signalValue = command.value(QLatin1String("signal"));
    int signal = SIGTERM;
    if (!signalValue.isUndefined() && !signalValue.isNull()) {
        signal = Protocol::signalFromText(signalValue.toVariant().toString());
        if (signal == 0) {
            reply(session, id, false,
                ControlServer::tr("unknown signal \"%1\"").arg(signalValue.toVariant().toString()));
            return;
        }
    }
    Worker *worker = workerFor(session, id, command);
    if (!worker)
        return;
    const int workerId = worker->id();
    if (command.value(QLatin1String("wait")).toBool()) {
        auto connection = std::make_shared<QMetaObject::Connection>();
        *connection = QObject::connect(cluster, &Cluster::workerExited, session,
            [this, session, id, workerId, connection](Worker *which, int code, int exitSignal) {
                if (which->id() != workerId)
                    return;
                QObject::disconnect(*connection);
                Control::CommandReply answer = workerReply(workerId);
                answer.code = code;
                answer.signal = exitSignal;
                answer.signalName = Cluster::signalName(exitSignal);
                reply(session, id, answer);
            });
        worker->kill(signal);
        return;
    }
    worker->kill(signal);
    Control::CommandReply answer = workerReply(workerId);
    answer.signal = signal;
    reply(session, id, answer);
}

void ControlServerPrivate::scale(Session *session, const QJsonValue &id, const QJsonObject &command)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    const int max = supervisor->maxWorkers();
    const QJsonValue value = command.value(QLatin1String("count"));
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > max || number != std::floor(number)) {
        reply(session, id, false, Supervisor::workerCountError(QStringLiteral("\"count\""), max));
        return;
    }
    const int count = int(number);
    supervisor->scaleTo(count);
    Control::CommandReply answer = Control::CommandReply::success();
    answer.count = count;
    reply(session, id, answer);
}

void ControlServerPrivate::restart(Session *session, const QJsonValue &id)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    restartWaiters.append(Pending { session, id });
    // Joins a restart already under way; may finish (and reply) before it returns.
    if (!supervisor->isRestarting())
        supervisor->rollingRestart();
}

void ControlServerPrivate::sendMessage(
    Session *session, const QJsonValue &id, const QJsonObject &command)
{
    if (!command.contains(QLatin1String("message"))) {
        reply(session, id, false, ControlServer::tr("\"message\" is missing"));
        return;
    }
    const QCborValue message = QCborValue::fromJsonValue(command.value(QLatin1String("message")));
    if (command.value(QLatin1String("worker")).toString() == QLatin1String("all")) {
        int sent = 0;
        QList<Control::CommandReply::Failure> failed;
        const auto all = cluster->workers();
        for (Worker *worker : all) {
            if (!worker->isConnected())
                continue;
            if (worker->send(message))
                ++sent;
            else
                failed.append({ worker->id(), worker->errorString() });
        }
        Control::CommandReply answer = failed.isEmpty()
            ? Control::CommandReply::success()
            : Control::CommandReply::failure(
                ControlServer::tr("%1 workers could not be sent the message").arg(failed.size()));
        answer.sent = sent;
        answer.failed = failed;
        reply(session, id, answer);
        return;
    }
    Worker *worker = workerFor(session, id, command);
    if (!worker)
        return;
    if (!worker->send(message)) {
        reply(session, id, false, worker->errorString());
        return;
    }
    reply(session, id, workerReply(worker->id()));
}

void ControlServerPrivate::shutdown(
    Session *session, const QJsonValue &id, const QJsonObject &command)
{
    const int timeout = command.value(QLatin1String("timeout")).toInt(shutdownTimeout);
    shutdownWaiters.append(Pending { session, id });
    qCInfo(lcPrimary).noquote()
        << QStringLiteral("control endpoint %1: shutdown requested").arg(name);
    supervisor->shutdown(timeout, shutdownQuits);
}

void ControlServerPrivate::shutdownFinished()
{
    const QList<Pending> waiters = std::exchange(shutdownWaiters, {});
    for (const Pending &pending : waiters) {
        if (!pending.session)
            continue;
        reply(pending.session, pending.id, true);
        // The application may quit right after this: get the reply out now.
        pending.session->socket->flush();
    }
}

ControlServer::ControlServer(Cluster *cluster, Supervisor *supervisor, QObject *parent)
    : QObject(parent)
    , d_ptr(new ControlServerPrivate(this, cluster, supervisor))
{
    Q_D(ControlServer);
    d->stream = new EventStream(cluster, d->supervisor, this);
    connect(d->stream, &EventStream::eventOccurred, this, [d](const QJsonObject &event) {
        QJsonObject message = event;
        message.insert(QStringLiteral("type"), Protocol::event());
        d->broadcast(message);
    });
    d->statsTimer = new QTimer(this);
    connect(d->statsTimer, &QTimer::timeout, this, [d] {
        if (std::none_of(d->sessions.cbegin(), d->sessions.cend(),
                [](const Session *s) { return s->welcomed; }))
            return;
        QJsonObject message = d->stream->stats();
        message.insert(QStringLiteral("type"), Protocol::stats());
        d->broadcast(message);
    });
    if (d->supervisor) {
        connect(d->supervisor, &Supervisor::rollingRestartFinished, this,
            [d](bool ok, const QString &error) {
                const QList<ControlServerPrivate::Pending> waiters
                    = std::exchange(d->restartWaiters, {});
                for (const auto &pending : waiters)
                    if (pending.session)
                        d->reply(pending.session, pending.id, ok, error);
            });
        connect(d->supervisor, &Supervisor::shutdownFinished, this, [d] { d->shutdownFinished(); });
    }
}

ControlServer::~ControlServer()
{
    close();
    delete d_func()->ownSupervisor;
}

bool ControlServer::listen(const QString &name)
{
    Q_D(ControlServer);
    close();
    d->error = NoError;
    d->errorString.clear();
    if (!ControlPaths::isValidName(name))
        return d->fail(InvalidNameError,
            tr("\"%1\" is not a valid endpoint name (1 to 64 letters, digits, '.', "
               "'_' or '-', not starting with '.')")
                .arg(name));
    QString why;
    QString warning;
    const QString directory = ControlPaths::runtimeDirectory(true, &why, &warning);
    if (directory.isEmpty())
        return d->fail(RuntimeDirectoryError, why);
    if (!warning.isEmpty())
        qCWarning(lcPrimary).noquote() << "control endpoint:" << warning;
    const QString socketPath = directory + QLatin1Char('/') + ControlPaths::socketFileName(name);
    const QByteArray encoded = QFile::encodeName(socketPath);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if (encoded.size() >= qsizetype(sizeof(address.sun_path)))
        return d->fail(RuntimeDirectoryError, tr("the socket path %1 is too long").arg(socketPath));
    std::memcpy(address.sun_path, encoded.constData(), size_t(encoded.size()));

    // Two primaries starting under one name must not both take a stale file for theirs to
    // remove: the check, the removal and the bind happen under a lock on the directory.
    const int directoryFd
        = ::open(QFile::encodeName(directory).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (directoryFd >= 0)
        ::flock(directoryFd, LOCK_EX);
    const auto unlock = qScopeGuard([directoryFd] {
        if (directoryFd >= 0)
            ::close(directoryFd); // releases the lock
    });

    switch (ControlPaths::probe(socketPath)) {
    case ControlPaths::Probe::Live:
        return d->fail(AddressInUseError,
            tr("a control endpoint named \"%1\" is already running (%2); it is left "
               "alone")
                .arg(name, socketPath));
    case ControlPaths::Probe::NotASocket:
        return d->fail(
            SocketError, tr("%1 exists and is not a socket; it is left alone").arg(socketPath));
    case ControlPaths::Probe::Stale:
        qCInfo(lcPrimary).noquote() << "control endpoint: removing the stale socket" << socketPath;
        ::unlink(encoded.constData());
        break;
    case ControlPaths::Probe::Missing:
        break;
    }

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return d->fail(SocketError, tr("cannot create a socket: %1").arg(systemError()));
    // bind() never replaces an existing file: if another primary got here first, it keeps the name.
    if (::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) != 0) {
        const bool inUse = errno == EADDRINUSE;
        const QString text = systemError();
        ::close(fd);
        return inUse
            ? d->fail(AddressInUseError,
                tr("a control endpoint named \"%1\" is already running (%2)").arg(name, socketPath))
            : d->fail(SocketError, tr("cannot bind %1: %2").arg(socketPath, text));
    }
    struct stat info;
    ::lstat(encoded.constData(), &info);
    d->name = name;
    d->socketPath = socketPath;
    d->tokenPath = directory + QLatin1Char('/') + ControlPaths::tokenFileName(name);
    d->socketDevice = info.st_dev;
    d->socketInode = info.st_ino;
    d->token = newToken();
    // Nobody can connect before listen(): the token is in place and the mode is 0600 by then.
    if (!d->writeTokenFile(directory) || ::chmod(encoded.constData(), 0600) != 0
        || ::listen(fd, 64) != 0) {
        if (d->error == NoError)
            d->fail(SocketError, tr("cannot listen on %1: %2").arg(socketPath, systemError()));
        ::close(fd);
        d->removeFiles();
        d->name.clear();
        d->socketPath.clear();
        d->tokenPath.clear();
        d->token.clear();
        return false;
    }
    d->listenFd = fd;
    // The accept loop every shared port uses too: out of descriptors, it backs off on a timer
    // instead of spinning.
    d->acceptor = new Acceptor(
        fd, [d](int accepted) { d->accepted(accepted); }, this);
    if (d->statsInterval > 0)
        d->statsTimer->start(d->statsInterval);
    qCDebug(lcPrimary) << "control endpoint" << name << "at" << socketPath;
    return true;
}

void ControlServer::close()
{
    Q_D(ControlServer);
    if (d->listenFd < 0)
        return;
    delete d->acceptor;
    d->acceptor = nullptr;
    ::close(d->listenFd);
    d->listenFd = -1;
    d->statsTimer->stop();
    const QList<Session *> sessions = std::exchange(d->sessions, {});
    for (Session *session : sessions) {
        session->socket->disconnect(session);
        session->socket->flush();
        session->socket->abort();
        delete session;
    }
    d->removeFiles();
    d->name.clear();
    d->socketPath.clear();
    d->tokenPath.clear();
    d->token.clear();
}

bool ControlServer::isListening() const
{
    return d_func()->listenFd >= 0;
}
QString ControlServer::name() const
{
    return d_func()->name;
}
QString ControlServer::socketPath() const
{
    return d_func()->socketPath;
}
QString ControlServer::tokenPath() const
{
    return d_func()->tokenPath;
}

int ControlServer::clientCount() const
{
    Q_D(const ControlServer);
    return int(std::count_if(
        d->sessions.cbegin(), d->sessions.cend(), [](const Session *s) { return s->welcomed; }));
}

ControlServer::Error ControlServer::error() const
{
    return d_func()->error;
}
QString ControlServer::errorString() const
{
    return d_func()->errorString;
}
int ControlServer::statsInterval() const
{
    return d_func()->statsInterval;
}

void ControlServer::setStatsInterval(int msecs)
{
    Q_D(ControlServer);
    d->statsInterval = qMax(0, msecs);
    if (d->statsInterval > 0 && isListening())
        d->statsTimer->start(d->statsInterval);
    else
        d->statsTimer->stop();
}

int ControlServer::shutdownTimeout() const
{
    return d_func()->shutdownTimeout;
}
void ControlServer::setShutdownTimeout(int msecs)
{
    d_func()->shutdownTimeout = qMax(0, msecs);
}
bool ControlServer::shutdownQuitsApplication() const
{
    return d_func()->shutdownQuits;
}
void ControlServer::setShutdownQuitsApplication(bool quit)
{
    d_func()->shutdownQuits = quit;
}
EventStream *ControlServer::eventStream() const
{
    return d_func()->stream;
}

QString ControlServer::runtimeDirectory()
{
    QString ignored;
    return ControlPaths::runtimeDirectory(false, &ignored);
}

} // namespace LibCluster
