// ClusterController: start, stop, fork, scale, disconnect, kill and send, through the public API.
#include "clustercontroller.h"

#include <libcluster/cluster.h>

#include <QTimer>

#include <algorithm>

using namespace LibCluster;

namespace Monitor {

namespace {
// Forking is a fork+exec in this thread; a few per pass keep a scale to 64 from freezing the UI.
constexpr int ForksPerPass = 4;
} // namespace

ClusterController::ClusterController(QObject *parent)
    : QObject(parent)
    , m_graceTimer(new QTimer(this))
{
    m_graceTimer->setSingleShot(true);
    connect(m_graceTimer, &QTimer::timeout, this, [this] {
        if (!m_cluster)
            return;
        const auto workers = m_cluster->workers();
        for (Worker *worker : workers) {
            if (!worker->isDead()) {
                Q_EMIT commandIssued(worker->id(),
                    tr("still running after %1 s: killed with SIGKILL")
                        .arg(m_gracePeriod / 1000.0));
                worker->kill(SIGKILL);
            }
        }
    });
}

ClusterController::~ClusterController()
{
    // The Cluster's destructor closes every channel; workers then exit on their own.
    delete m_cluster;
}

void ClusterController::setStatus(Status status)
{
    if (m_status == status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

void ClusterController::start(const ClusterConfig &config)
{
    if (m_status != Status::Stopped) {
        m_nextConfig = config;
        m_startAfterStop = true;
        stop();
        return;
    }
    m_config = config;
    createCluster();
    m_pendingForks = qMax(0, config.workers);
    setStatus(Status::Running);
    forkPending();
}

void ClusterController::createCluster()
{
    m_port = 0;
    Q_EMIT portChanged(0);
    m_cluster = new Cluster(this);
    Settings settings;
    settings.setExec(m_config.program);
    settings.setArgs(m_config.arguments);
    settings.setSilent(m_config.captureOutput);
    settings.setSchedulingPolicy(m_config.policy);
    m_cluster->setupPrimary(settings);
    connect(m_cluster, &Cluster::workerListening, this, [this](Worker *, const Address &address) {
        if (m_port == 0 && address.port() != 0) {
            m_port = address.port();
            Q_EMIT portChanged(m_port);
        }
    });
    // After every other slot has seen the worker's last signal.
    const auto checkLater
        = [this] { QTimer::singleShot(0, this, &ClusterController::checkStopped); };
    connect(m_cluster, &Cluster::workerExited, this, checkLater);
    connect(m_cluster, &Cluster::workerDisconnected, this, checkLater);
    Q_EMIT clusterStarted(m_cluster);
}

void ClusterController::stop()
{
    if (m_status != Status::Running) {
        if (m_status == Status::Stopped && m_startAfterStop)
            checkStopped();
        return;
    }
    m_pendingForks = 0;
    setStatus(Status::Stopping);
    Q_EMIT commandIssued(0, tr("stopping the cluster"));
    if (m_cluster)
        m_cluster->disconnectAll();
    m_graceTimer->start(m_gracePeriod);
    // From the event loop: there may be no worker left to report anything.
    QTimer::singleShot(0, this, &ClusterController::checkStopped);
}

void ClusterController::checkStopped()
{
    if (m_status != Status::Stopping || (m_cluster && !m_cluster->workers().isEmpty()))
        return;
    m_graceTimer->stop();
    if (m_cluster) {
        // The last worker's final signal is still being delivered; let it finish first.
        m_cluster->disconnect(this);
        m_cluster->deleteLater();
        m_cluster = nullptr;
    }
    setStatus(Status::Stopped);
    Q_EMIT stopped();
    if (m_startAfterStop) {
        m_startAfterStop = false;
        start(m_nextConfig);
    }
}

Worker *ClusterController::fork()
{
    if (m_status != Status::Running || !m_cluster)
        return nullptr;
    return m_cluster->fork();
}

void ClusterController::forkPending()
{
    m_forkScheduled = false;
    for (int i = 0; i < ForksPerPass && m_pendingForks > 0; ++i) {
        --m_pendingForks;
        fork();
    }
    if (m_pendingForks > 0 && m_status == Status::Running) {
        m_forkScheduled = true;
        QTimer::singleShot(0, this, &ClusterController::forkPending);
    }
}

QList<Worker *> ClusterController::liveWorkers() const
{
    QList<Worker *> live;
    if (!m_cluster)
        return live;
    const auto workers = m_cluster->workers();
    for (Worker *worker : workers) {
        const Worker::State state = worker->state();
        if ((state == Worker::None || state == Worker::Online || state == Worker::Listening)
            && !worker->exitedAfterDisconnect())
            live.append(worker);
    }
    return live;
}

int ClusterController::workerCount() const
{
    return m_cluster ? int(m_cluster->workers().size()) : 0;
}

void ClusterController::scaleTo(int count)
{
    if (m_status != Status::Running)
        return;
    count = qMax(0, count);
    QList<Worker *> live = liveWorkers();
    const int current = int(live.size()) + m_pendingForks;
    Q_EMIT commandIssued(0, tr("scale from %1 to %2 workers").arg(live.size()).arg(count));
    if (count >= current) {
        m_pendingForks += count - current;
        if (!m_forkScheduled)
            forkPending();
        return;
    }
    // Fewer: first drop forks not made yet, then disconnect the newest workers.
    int excess = current - count;
    const int dropped = qMin(excess, m_pendingForks);
    m_pendingForks -= dropped;
    excess -= dropped;
    std::sort(live.begin(), live.end(), [](Worker *a, Worker *b) { return a->id() > b->id(); });
    for (int i = 0; i < excess && i < live.size(); ++i)
        live.at(i)->disconnectFromCluster();
}

void ClusterController::disconnectWorkers(const QList<int> &ids)
{
    if (!m_cluster)
        return;
    for (int id : ids) {
        if (Worker *worker = m_cluster->workerById(id); worker && worker->isConnected()) {
            Q_EMIT commandIssued(id, tr("disconnect requested"));
            worker->disconnectFromCluster();
        }
    }
}

void ClusterController::killWorkers(const QList<int> &ids, int signal)
{
    if (!m_cluster)
        return;
    for (int id : ids) {
        if (Worker *worker = m_cluster->workerById(id); worker && !worker->isDead()) {
            Q_EMIT commandIssued(id, tr("kill with %1 requested").arg(Cluster::signalName(signal)));
            worker->kill(signal);
        }
    }
}

int ClusterController::sendMessage(const QList<int> &ids, const QCborValue &message)
{
    if (!m_cluster)
        return 0;
    QList<Worker *> targets;
    if (ids.isEmpty()) {
        const auto workers = m_cluster->workers();
        for (Worker *worker : workers)
            if (worker->isConnected())
                targets.append(worker);
    } else {
        for (int id : ids)
            if (Worker *worker = m_cluster->workerById(id))
                targets.append(worker);
    }
    int sent = 0;
    for (Worker *worker : std::as_const(targets)) {
        // A failed send reports itself through workerErrorOccurred, which the log shows.
        if (worker->send(message)) {
            ++sent;
            Q_EMIT commandIssued(
                worker->id(), tr("message sent: %1").arg(message.toDiagnosticNotation().left(200)));
        }
    }
    return sent;
}

void ClusterController::disconnectAll()
{
    if (!m_cluster)
        return;
    m_pendingForks = 0;
    Q_EMIT commandIssued(0, tr("disconnect all workers"));
    m_cluster->disconnectAll();
}

} // namespace Monitor
