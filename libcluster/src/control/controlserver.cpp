// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlServer: an endpoint (ControlEndpoint), its clients (ControlSession) and their commands
// (ControlCommands) put together, with the event stream and the stats timer that feed them.
#include <libcluster/controlserver.h>

#include <libcluster/eventstream.h>
#include <libcluster/supervisor.h>

#include "control/controlcommands.h"
#include "control/controlendpoint.h"
#include "control/controlpaths.h"
#include "control/controlprotocol.h"
#include "control/controlsession.h"

#include <QCoreApplication>
#include <QPointer>
#include <QTimer>

namespace LibCluster {

using namespace Internal;
namespace Protocol = Internal::ControlProtocol;

class ControlServerPrivate
{
public:
    ControlServerPrivate(Cluster *cluster, Supervisor *supervisor)
        : supervisor(supervisor)
    {
        if (!supervisor) {
            // Scaling, rolling restart and graceful shutdown have one implementation, the
            // Supervisor's. One that respawns nothing keeps Node's semantics for the cluster.
            // A child of the cluster, so it never outlives what it watches.
            ownSupervisor = new Supervisor(cluster);
            this->supervisor = ownSupervisor;
        }
    }

    void welcome(ControlServer *q, ControlSession *session);

    // Given by the user, or ownSupervisor: never null while the cluster lives.
    QPointer<Supervisor> supervisor;
    QPointer<Supervisor> ownSupervisor;
    EventStream *stream = nullptr;
    ControlEndpoint *endpoint = nullptr;
    ControlCommands *commands = nullptr;
    QTimer *statsTimer = nullptr;
    int statsInterval = 1000;
};

void ControlServerPrivate::welcome(ControlServer *q, ControlSession *session)
{
    // Messages from now on, for this client.
    stream->setMessageEventsEnabled(true);
    session->send(QJsonObject {
        { QStringLiteral("type"), Protocol::welcome() },
        { QStringLiteral("v"), Protocol::Version },
        { QStringLiteral("name"), endpoint->name() },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
        { QStringLiteral("statsInterval"), statsInterval },
        { QStringLiteral("snapshot"), stream->snapshot() },
    });
    Q_EMIT q->clientConnected();
}

ControlServer::ControlServer(Cluster *cluster, Supervisor *supervisor, QObject *parent)
    : QObject(parent)
    , d_ptr(new ControlServerPrivate(cluster, supervisor))
{
    Q_D(ControlServer);
    d->stream = new EventStream(cluster, d->supervisor, this);
    // Only clients read the stream's messages (its output, the history keeps): no JSON per
    // message while none is connected.
    d->stream->setMessageEventsEnabled(false);
    d->endpoint = new ControlEndpoint(this);
    // After the stream, so that the stream's events reach a client before a reply.
    d->commands = new ControlCommands(
        cluster, d->supervisor, d->stream, [d] { return d->endpoint->name(); }, this);
    connect(d->commands, &ControlCommands::commandReceived, this, &ControlServer::commandReceived);
    connect(
        d->endpoint, &ControlEndpoint::sessionStarted, this, [this, d](ControlSession *session) {
            connect(session, &ControlSession::helloAccepted, this,
                [this, d, session] { d->welcome(this, session); });
            connect(session, &ControlSession::commandReceived, d->commands,
                [d, session](
                    const QJsonObject &command) { d->commands->execute(session, command); });
        });
    connect(d->endpoint, &ControlEndpoint::sessionEnded, this, [this, d](ControlSession *session) {
        if (d->endpoint->welcomedCount() == 0)
            d->stream->setMessageEventsEnabled(false);
        if (session->isWelcomed())
            Q_EMIT clientDisconnected();
    });
    connect(d->stream, &EventStream::eventOccurred, this, [d](const QJsonObject &event) {
        QJsonObject message = event;
        message.insert(QStringLiteral("type"), Protocol::event());
        d->endpoint->broadcast(message);
    });
    d->statsTimer = new QTimer(this);
    connect(d->statsTimer, &QTimer::timeout, this, [d] {
        if (d->endpoint->welcomedCount() == 0)
            return;
        QJsonObject message = d->stream->stats();
        message.insert(QStringLiteral("type"), Protocol::stats());
        d->endpoint->broadcast(message);
    });
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
    if (!d->endpoint->listen(name))
        return false;
    if (d->statsInterval > 0)
        d->statsTimer->start(d->statsInterval);
    return true;
}

void ControlServer::close()
{
    Q_D(ControlServer);
    if (!d->endpoint->isListening())
        return;
    d->statsTimer->stop();
    d->endpoint->close();
}

bool ControlServer::isListening() const
{
    return d_func()->endpoint->isListening();
}
QString ControlServer::name() const
{
    return d_func()->endpoint->name();
}
QString ControlServer::socketPath() const
{
    return d_func()->endpoint->socketPath();
}
QString ControlServer::tokenPath() const
{
    return d_func()->endpoint->tokenPath();
}
int ControlServer::clientCount() const
{
    return d_func()->endpoint->welcomedCount();
}
ControlServer::Error ControlServer::error() const
{
    return d_func()->endpoint->error();
}
QString ControlServer::errorString() const
{
    return d_func()->endpoint->errorString();
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

void ControlServer::setCommandHandler(const QString &command, const CommandHandler &handler)
{
    d_func()->commands->setHandler(command, handler);
}

int ControlServer::shutdownTimeout() const
{
    return d_func()->commands->shutdownTimeout();
}
void ControlServer::setShutdownTimeout(int msecs)
{
    d_func()->commands->setShutdownTimeout(msecs);
}
bool ControlServer::shutdownQuitsApplication() const
{
    return d_func()->commands->shutdownQuitsApplication();
}
void ControlServer::setShutdownQuitsApplication(bool quit)
{
    d_func()->commands->setShutdownQuitsApplication(quit);
}
EventStream *ControlServer::eventStream() const
{
    return d_func()->stream;
}

bool ControlServer::publish(const QString &name, const QJsonObject &fields)
{
    return d_func()->stream->publish(name, fields);
}

QString ControlServer::runtimeDirectory()
{
    QString ignored;
    return ControlPaths::runtimeDirectory(false, &ignored);
}

} // namespace LibCluster
