// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlCommands: the table of operator commands and their handlers.
#include "control/controlcommands.h"

#include <libcluster/cluster.h>
#include <libcluster/controlserver.h>
#include <libcluster/eventstream.h>
#include <libcluster/supervisor.h>
#include <libcluster/worker.h>

#include "control/controlprotocol.h"
#include "control/controlsession.h"
#include "control/outputhistory.h"
#include "util/logging.h"

#include <QCborValue>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <memory>
#include <utility>

namespace LibCluster::Internal {

namespace Protocol = ControlProtocol;

ControlCommands::ControlCommands(Cluster *cluster, Supervisor *supervisor, EventStream *stream,
    std::function<QString()> endpointName, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_supervisor(supervisor)
    , m_stream(stream)
    , m_history(new OutputHistory(stream, this))
    , m_endpointName(std::move(endpointName))
{
    // Connected after the event stream's: a client gets the events first, then the reply.
    if (supervisor) {
        connect(supervisor, &Supervisor::rollingRestartFinished, this,
            &ControlCommands::restartFinished);
        connect(
            supervisor, &Supervisor::shutdownFinished, this, &ControlCommands::shutdownFinished);
    }
}

void ControlCommands::reply(
    ControlSession *session, const QJsonValue &id, bool ok, const QString &errorText)
{
    reply(session, id,
        ok ? Control::CommandReply::success() : Control::CommandReply::failure(errorText));
}

void ControlCommands::reply(ControlSession *session, const QJsonValue &id,
    const Control::CommandReply &answer, const QJsonObject &fields)
{
    QJsonObject message = answer.toJson();
    for (auto it = fields.begin(); it != fields.end(); ++it)
        message.insert(it.key(), it.value());
    message.insert(QStringLiteral("type"), Protocol::reply());
    message.insert(QStringLiteral("id"), id);
    session->send(message);
}

Control::CommandReply ControlCommands::workerReply(int workerId)
{
    Control::CommandReply answer = Control::CommandReply::success();
    answer.worker = workerId;
    return answer;
}

bool ControlCommands::refuseWhileShuttingDown(ControlSession *session, const QJsonValue &id)
{
    if (!m_supervisor || !m_supervisor->isShuttingDown())
        return false;
    reply(session, id, false, ControlServer::tr("the cluster is shutting down"));
    return true;
}

Worker *ControlCommands::workerFor(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
{
    const QJsonValue value = command.value(QLatin1String("worker"));
    const int workerId = value.toInt(-1);
    Worker *worker = workerId > 0 && m_cluster ? m_cluster->workerById(workerId) : nullptr;
    if (!worker || worker->isDead()) {
        reply(session, id, false,
            value.isUndefined()
                ? ControlServer::tr("which worker? \"worker\" is missing")
                : ControlServer::tr("no worker with id %1").arg(value.toVariant().toString()));
        return nullptr;
    }
    return worker;
}

const QList<ControlCommands::Command> &ControlCommands::table()
{
    static const QList<Command> commands {
        { QLatin1String("fork"), &ControlCommands::fork },
        { QLatin1String("disconnect"), &ControlCommands::disconnectWorker },
        { QLatin1String("kill"), &ControlCommands::killWorker },
        { QLatin1String("scale"), &ControlCommands::scale },
        { QLatin1String("restart"), &ControlCommands::restart },
        { QLatin1String("send"), &ControlCommands::sendMessage },
        { QLatin1String("shutdown"), &ControlCommands::shutdown },
        { QLatin1String("snapshot"), &ControlCommands::snapshot },
        { QLatin1String("stats"), &ControlCommands::stats },
        { QLatin1String("resume"), &ControlCommands::resume },
        { QLatin1String("logs"), &ControlCommands::logs },
    };
    return commands;
}

void ControlCommands::execute(ControlSession *session, const QJsonObject &command)
{
    const QJsonValue id = command.value(QLatin1String("id"));
    const QString name = command.value(QLatin1String("cmd")).toString();
    QJsonObject arguments = command;
    for (const QLatin1String envelope :
        { QLatin1String("type"), QLatin1String("id"), QLatin1String("cmd") })
        arguments.remove(envelope);
    Q_EMIT commandReceived(name, arguments);
    if (!m_cluster) {
        reply(session, id, false, ControlServer::tr("the cluster is gone"));
        return;
    }
    if (!m_supervisor) {
        reply(session, id, false, ControlServer::tr("the cluster's supervisor is gone"));
        return;
    }
    const QList<Command> &commands = table();
    const auto found = std::find_if(commands.cbegin(), commands.cend(),
        [&name](const Command &entry) { return entry.name == name; });
    if (found != commands.cend()) {
        (this->*found->handler)(session, id, command);
        return;
    }
    if (const auto handler = m_handlers.constFind(name); handler != m_handlers.cend()) {
        const QString error = (*handler)(arguments);
        reply(session, id, error.isEmpty(), error);
        return;
    }
    reply(session, id, false, ControlServer::tr("unknown command \"%1\"").arg(name));
}

void ControlCommands::setHandler(
    const QString &command, const ControlServer::CommandHandler &handler)
{
    if (handler)
        m_handlers.insert(command, handler);
    else
        m_handlers.remove(command);
}

void ControlCommands::fork(ControlSession *session, const QJsonValue &id, const QJsonObject &)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    const int max = m_supervisor->maxWorkers();
    const int kept = m_supervisor->workerCount();
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
    const auto before = m_cluster->workers();
    for (Worker *worker : before)
        lastId = qMax(lastId, worker->id());
    m_supervisor->scaleTo(kept + 1);
    Worker *forked = nullptr;
    const auto after = m_cluster->workers();
    for (Worker *worker : after)
        if (worker->id() > lastId)
            forked = worker;
    if (!forked) {
        // During a rolling restart, or while it scales up, the supervisor forks later.
        Control::CommandReply answer = Control::CommandReply::success();
        answer.count = m_supervisor->workerCount();
        answer.deferred = true;
        reply(session, id, answer);
        return;
    }
    Control::CommandReply answer = Control::CommandReply::success();
    answer.worker = forked->id();
    answer.pid = forked->processId();
    reply(session, id, answer);
}

void ControlCommands::disconnectWorker(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
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
            QObject::connect(m_cluster, &Cluster::workerDisconnected, session, finish));
        connections->append(QObject::connect(m_cluster, &Cluster::workerExited, session, finish));
        worker->disconnectFromCluster();
        return;
    }
    worker->disconnectFromCluster();
    reply(session, id, workerReply(workerId));
}

void ControlCommands::disconnectAll(ControlSession *session, const QJsonValue &id, bool wait)
{
    // The workers Cluster::disconnectAll() asks to go: those still connected.
    QList<int> asked;
    const auto all = m_cluster->workers();
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
            m_cluster, &Cluster::allDisconnected, session, [this, session, id, fields, connection] {
                QObject::disconnect(*connection);
                reply(session, id, fields);
            });
    }
    // Exactly what the primary itself would call, and not a scale to 0: the workers leave on
    // request (exitedAfterDisconnect), so a supervisor replaces none of them and keeps the count
    // it was given.
    m_cluster->disconnectAll();
    // Nobody to wait for: the reply goes now, not when the cluster's queued allDisconnected()
    // comes.
    if (!wait || asked.isEmpty())
        reply(session, id, fields);
}

void ControlCommands::killWorker(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
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
        *connection = QObject::connect(m_cluster, &Cluster::workerExited, session,
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

void ControlCommands::scale(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    const int max = m_supervisor->maxWorkers();
    const QJsonValue value = command.value(QLatin1String("count"));
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > max || number != std::floor(number)) {
        reply(session, id, false, Supervisor::workerCountError(QStringLiteral("\"count\""), max));
        return;
    }
    const int count = int(number);
    m_supervisor->scaleTo(count);
    Control::CommandReply answer = Control::CommandReply::success();
    answer.count = count;
    reply(session, id, answer);
}

void ControlCommands::restart(ControlSession *session, const QJsonValue &id, const QJsonObject &)
{
    if (refuseWhileShuttingDown(session, id))
        return;
    m_restartWaiters.append(Pending { session, id });
    // Joins a restart already under way; may finish (and reply) before it returns.
    if (!m_supervisor->isRestarting())
        m_supervisor->rollingRestart();
}

void ControlCommands::sendMessage(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
{
    if (!command.contains(QLatin1String("message"))) {
        reply(session, id, false, ControlServer::tr("\"message\" is missing"));
        return;
    }
    const QCborValue message = QCborValue::fromJsonValue(command.value(QLatin1String("message")));
    if (command.value(QLatin1String("worker")).toString() == QLatin1String("all")) {
        int sent = 0;
        QList<Control::CommandReply::Failure> failed;
        const auto all = m_cluster->workers();
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

void ControlCommands::shutdown(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
{
    const int timeout = command.value(QLatin1String("timeout")).toInt(m_shutdownTimeout);
    m_shutdownWaiters.append(Pending { session, id });
    qCInfo(lcPrimary).noquote()
        << QStringLiteral("control endpoint %1: shutdown requested").arg(m_endpointName());
    m_supervisor->shutdown(timeout, m_shutdownQuits);
}

void ControlCommands::snapshot(ControlSession *session, const QJsonValue &id, const QJsonObject &)
{
    Control::CommandReply answer = Control::CommandReply::success();
    answer.snapshot = m_stream->snapshot();
    reply(session, id, answer);
}

void ControlCommands::stats(ControlSession *session, const QJsonValue &id, const QJsonObject &)
{
    Control::CommandReply answer = Control::CommandReply::success();
    answer.stats = m_stream->stats();
    reply(session, id, answer);
}

void ControlCommands::logs(
    ControlSession *session, const QJsonValue &id, const QJsonObject &command)
{
    int workerId = -1;
    if (command.contains(QLatin1String("worker"))) {
        const QJsonValue value = command.value(QLatin1String("worker"));
        workerId = value.isDouble() ? value.toInt(-1) : -1;
        if (workerId < 0
            || (!m_history->contains(workerId)
                && !(m_cluster && m_cluster->workerById(workerId)))) {
            reply(session, id, false,
                ControlServer::tr("no worker with id %1").arg(value.toVariant().toString()));
            return;
        }
    }
    reply(session, id, Control::CommandReply::success(),
        { { QStringLiteral("output"), m_history->output(workerId) } });
}

void ControlCommands::resume(ControlSession *session, const QJsonValue &id, const QJsonObject &)
{
    m_supervisor->resume();
    reply(session, id, true);
}

void ControlCommands::restartFinished(bool ok, const QString &error)
{
    const QList<Pending> waiters = std::exchange(m_restartWaiters, {});
    for (const Pending &pending : waiters)
        if (pending.session)
            reply(pending.session, pending.id, ok, error);
}

void ControlCommands::shutdownFinished()
{
    const QList<Pending> waiters = std::exchange(m_shutdownWaiters, {});
    for (const Pending &pending : waiters) {
        if (!pending.session)
            continue;
        reply(pending.session, pending.id, true);
        // The application may quit right after this: get the reply out now.
        pending.session->flush();
    }
}

} // namespace LibCluster::Internal
