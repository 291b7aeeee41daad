// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A cluster another primary runs, followed and steered through its control endpoint.
#pragma once

#include "clustersource.h"

#include <QJsonObject>
#include <QMap>

#include <deque>

namespace LibCluster {
class ControlClient;
}

namespace Monitor {

// The ClusterSource of a cluster that runs in another process (`cluster-run --control NAME`,
// another monitor): a LibCluster::ControlClient's snapshot, events and stats turned into worker
// statuses and source signals, and the commands sent as control commands.
//
// It follows the endpoint's name, not one process: when the primary goes away it keeps trying
// (Reconnecting), and a primary that comes back under that name is taken up from its snapshot
// (workersReset()).
class RemoteClusterSource : public ClusterSource
{
    Q_OBJECT

public:
    explicit RemoteClusterSource(QObject *parent = nullptr);
    ~RemoteClusterSource() override;

    // Follows the endpoint `name` of this user from now on.
    void attach(const QString &name);
    // Stops following; the cluster itself runs on.
    void detach();

    LibCluster::ControlClient *client() const { return m_client; }
    // The primary's process id while connected; 0 otherwise.
    qint64 primaryProcessId() const;

    bool isRemote() const override { return true; }
    QList<WorkerStatus> workers() const override;
    std::optional<WorkerStatus> worker(int id) const override;
    QString program() const override { return m_program; }
    QString policyName() const override { return m_policy; }
    bool capturesOutput() const override { return m_outputCaptured; }
    QString endpointName() const override { return m_name; }
    int targetWorkerCount() const override;
    int reportInterval() const override;

    // A WORKER object of the protocol (docs/control-protocol.md), and an entry of the
    // snapshot's "exited" list.
    static WorkerStatus statusFromWorkerSnapshot(const LibCluster::Control::WorkerSnapshot &worker);
    static WorkerStatus statusFromExitRecord(const LibCluster::Control::ExitRecord &record);

protected:
    void doFork() override;
    void doScaleTo(int count) override;
    void doDisconnectWorker(int id) override;
    void doKillWorker(int id, int signal) override;
    void doSendMessage(
        const QList<int> &ids, const QCborValue &message, const SendHandler &done) override;
    void doDisconnectAll() override;
    void doRollingRestart() override;
    void doResume() override;

private:
    void onConnected(const QJsonObject &snapshot);
    void onDisconnected();
    void updateStatus();
    void applySettings(const LibCluster::Control::ClusterSnapshot &snapshot);
    void applyEvent(const QJsonObject &event);
    void applyStats(const QJsonObject &stats);
    // The running worker `id`, or nullptr.
    WorkerStatus *runningWorker(int id);
    void retire(int id);
    void remember(const WorkerStatus &status);
    // A reply handler that logs a failed command.
    std::function<void(const QJsonObject &)> failureLogger(int workerId);

    LibCluster::ControlClient *m_client;
    QString m_name;
    bool m_attached = false;
    bool m_everConnected = false;
    // Connected and the welcome's snapshot taken in.
    bool m_welcomed = false;
    // Running or on their way out, by id.
    QMap<int, WorkerStatus> m_workers;
    // The last few that exited, oldest first.
    std::deque<WorkerStatus> m_exited;
    QString m_program;
    QStringList m_arguments;
    QString m_policy;
    bool m_outputCaptured = false;
    int m_targetCount = -1;
};

} // namespace Monitor
