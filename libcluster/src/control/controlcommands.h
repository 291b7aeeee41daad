// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The operator's commands on a control endpoint, and the replies they get.
#pragma once

#include <libcluster/controlpackets.h>
#include <libcluster/controlserver.h>

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace LibCluster {
class Cluster;
class EventStream;
class Supervisor;
class Worker;
} // namespace LibCluster

namespace LibCluster::Internal {

class ControlSession;
class OutputHistory;

// Carries out a client's "command" message (fork, disconnect, kill, scale, restart, send,
// shutdown, snapshot, stats, resume, logs) on a cluster and its supervisor, and replies to it; a
// reply that has to wait (a restart, a shutdown, "wait": true) goes out when that is done, if the
// client is still there.
class ControlCommands : public QObject
{
    Q_OBJECT

public:
    // None is owned. `endpointName` names the endpoint in the primary's log.
    ControlCommands(Cluster *cluster, Supervisor *supervisor, EventStream *stream,
        std::function<QString()> endpointName, QObject *parent = nullptr);

    void execute(ControlSession *session, const QJsonObject &command);

    int shutdownTimeout() const { return m_shutdownTimeout; }
    void setShutdownTimeout(int msecs) { m_shutdownTimeout = qMax(0, msecs); }
    bool shutdownQuitsApplication() const { return m_shutdownQuits; }
    void setShutdownQuitsApplication(bool quit) { m_shutdownQuits = quit; }
    // The application's own commands (ControlServer::setCommandHandler()); the table's commands
    // come first and cannot be replaced.
    void setHandler(const QString &command, const ControlServer::CommandHandler &handler);

Q_SIGNALS:
    // Before the command is carried out: its name and its arguments (without the envelope).
    void commandReceived(const QString &command, const QJsonObject &arguments);

private:
    using Handler
        = void (ControlCommands::*)(ControlSession *, const QJsonValue &, const QJsonObject &);
    struct Command
    {
        QLatin1String name;
        Handler handler;
    };
    static const QList<Command> &table();

    void reply(
        ControlSession *session, const QJsonValue &id, bool ok, const QString &error = QString());
    // `fields` are added to the reply (a command's own, such as "output").
    void reply(ControlSession *session, const QJsonValue &id, const Control::CommandReply &answer,
        const QJsonObject &fields = QJsonObject());
    static Control::CommandReply workerReply(int workerId);
    Worker *workerFor(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    bool refuseWhileShuttingDown(ControlSession *session, const QJsonValue &id);

    void fork(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void disconnectWorker(
        ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void disconnectAll(ControlSession *session, const QJsonValue &id, bool wait);
    void killWorker(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void scale(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void logs(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void restart(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void sendMessage(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void shutdown(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void snapshot(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void stats(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void resume(ControlSession *session, const QJsonValue &id, const QJsonObject &command);
    void restartFinished(bool ok, const QString &error);
    void shutdownFinished();

    QPointer<Cluster> m_cluster;
    QPointer<Supervisor> m_supervisor;
    EventStream *m_stream;
    OutputHistory *m_history;
    std::function<QString()> m_endpointName;
    int m_shutdownTimeout = 10000;
    bool m_shutdownQuits = true;
    QHash<QString, ControlServer::CommandHandler> m_handlers;
    // Clients waiting for "restart" or "shutdown" to finish.
    struct Pending
    {
        QPointer<ControlSession> session;
        QJsonValue id;
    };
    QList<Pending> m_restartWaiters;
    QList<Pending> m_shutdownWaiters;
};

} // namespace LibCluster::Internal
