// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What the monitor shows and steers: a cluster, wherever it runs.
#pragma once

#include "workerevents.h"
#include "workerstatus.h"

#include <libcluster/address.h>
#include <libcluster/controlpackets.h>
#include <libcluster/worker.h>

#include <QCborValue>
#include <QJsonObject>
#include <QList>
#include <QObject>

#include <functional>
#include <optional>

namespace Monitor {

// The workers of a cluster, what happens to them, and the operator's commands on them. Two
// kinds: ClusterController runs a cluster in this process; RemoteClusterSource follows one that
// another primary runs, through its control endpoint. The window and the models see only this
// class, so they show both the same way.
//
// The commands are logged (commandIssued()) and carried out here; the subclasses only do them.
// A remote command that fails says so through commandFailed(), later. What happens to the
// workers is told through WorkerEvents' signals.
class ClusterSource : public WorkerEvents
{
    Q_OBJECT

public:
    enum class Status {
        Stopped, // no cluster: none started yet, stopped, or detached
        Connecting, // attaching to an endpoint that has not answered yet
        Running,
        Stopping,
        Reconnecting, // the primary went away; waiting for it (or its successor) to come back
    };
    Q_ENUM(Status)

    // How a send ended: how many workers took the message, and why not, when none did.
    using SendHandler = std::function<void(int sent, const QString &error)>;

    explicit ClusterSource(QObject *parent = nullptr);
    ~ClusterSource() override;

    Status status() const { return m_status; }
    // The port the workers listen on, as the first 'listening' said; 0 before.
    quint16 port() const { return m_port; }

    // True when the cluster runs in another process.
    virtual bool isRemote() const = 0;
    // Every worker the source can tell of, in id order: those that run or are on their way out
    // and, right after a reset, those that exited a little earlier.
    virtual QList<Monitor::WorkerStatus> workers() const = 0;
    // A worker that runs or is on its way out; nothing for one that has gone or never was.
    virtual std::optional<Monitor::WorkerStatus> worker(int id) const = 0;
    // The program the workers run, its scheduling policy ("rr"), whether their output is
    // captured (and so reaches outputReceived()).
    virtual QString program() const = 0;
    virtual QString policyName() const = 0;
    virtual bool capturesOutput() const = 0;
    // The control endpoint: the one this cluster serves, or the one attached to; empty if none.
    virtual QString endpointName() const = 0;
    // The number of workers the cluster means to keep, for the scale box.
    virtual int targetWorkerCount() const;
    // How often the workers' counters and resources are reported, in milliseconds; 0 when each
    // change is reported as it comes.
    virtual int reportInterval() const { return 0; }

    // Workers that run and have not been asked to go.
    virtual int liveWorkerCount() const;
    // Workers that run or are on their way out.
    virtual int workerCount() const;

    // The operator's commands; they do nothing unless the source is Running (disconnect and
    // kill also while it is Stopping).
    void forkWorker();
    // Forks or disconnects (the newest first) until liveWorkerCount() is `count`.
    void scaleTo(int count);
    void disconnectWorkers(const QList<int> &ids);
    void killWorkers(const QList<int> &ids, int signal);
    // To the workers with these ids, or to every connected worker when `ids` is empty. `done`
    // is called once, maybe before this returns.
    void sendMessage(const QList<int> &ids, const QCborValue &message, const SendHandler &done);
    void disconnectAll();
    // Replaces every worker, one after the other, each once its successor listens (a supervisor's
    // rolling restart); supervisionChanged() when it starts and ends.
    void rollingRestart();
    // Respawns again after the supervisor gave up on a crash loop.
    void resume();

    // Whether the supervisor gave up on a crash loop (until resume()), and whether a rolling
    // restart is under way.
    bool hasGivenUp() const { return m_gaveUp; }
    bool isRestarting() const { return m_restarting; }

Q_SIGNALS:
    void statusChanged(Monitor::ClusterSource::Status status);
    void portChanged(quint16 port);
    // The source follows another cluster, or the same one afresh after a reconnection: what
    // was shown is out of date; workers() is the new start.
    void workersReset();
    // targetWorkerCount() changed: a fork, a scale, a respawn given up, or another client's
    // command to the primary.
    void targetWorkerCountChanged();
    // What a supervisor did (respawn, replace, give up...); `workerId` 0 for the cluster.
    void supervisorEventOccurred(int workerId, const QString &text, bool alert);
    // An event the cluster's application published itself (ControlServer::publish(), e.g.
    // cluster-run's "reload"): its name, what it says, and whether it asks for attention.
    void applicationEventOccurred(const QString &name, const QString &text, bool alert);
    // hasGivenUp() or isRestarting() changed.
    void supervisionChanged();

protected:
    void setStatus(Status status);
    void setPort(quint16 port);
    // Logs a message that went out.
    void reportMessageSent(int workerId, const QCborValue &message);
    void reportMessageSentToAll(int sent, const QCborValue &message);
    // A supervisor's event, as the control protocol names it ("replaced", "gaveUp", ...), in
    // words for the event log (supervisorEventOccurred()).
    void reportSupervisorEvent(const LibCluster::Control::ClusterEvent &event);

    virtual void doFork() = 0;
    virtual void doScaleTo(int count) = 0;
    virtual void doDisconnectWorker(int id) = 0;
    virtual void doKillWorker(int id, int signal) = 0;
    virtual void doSendMessage(
        const QList<int> &ids, const QCborValue &message, const SendHandler &done)
        = 0;
    virtual void doDisconnectAll() = 0;
    virtual void doRollingRestart() = 0;
    virtual void doResume() = 0;

    // What a snapshot, or an event, says of the supervisor.
    void setSupervision(bool gaveUp, bool restarting);

private:
    void noteSupervision(const LibCluster::Control::ClusterEvent &event);

    Status m_status = Status::Stopped;
    quint16 m_port = 0;
    bool m_gaveUp = false;
    bool m_restarting = false;
};

} // namespace Monitor
