// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ClusterMetrics: reads what Cluster, Worker, the resource sampler, the shared servers, the
// supervisor and the output writer already keep; counts only the events nothing else counts.
#include "metrics/clustermetrics.h"

#include <libcluster/cluster.h>
#include <libcluster/controlpackets.h>
#include <libcluster/outputwriter.h>
#include <libcluster/supervisor.h>

#include "metrics/exposition.h"
#include "ports/sharedserver.h"
#include "runtime/cluster_p.h"
#include "runtime/worker_p.h"

#include <QDateTime>
#include <QFile>
#include <QMetaEnum>
#include <QSet>

#include <QScopeGuard>

#include <charconv>
#include <cmath>
#include <unistd.h>

namespace LibCluster::Internal {

namespace {

// Why a worker ended, as the exits family's "reason" label says it.
constexpr const char *ExitReasons[] = { "disconnected", "killed", "signal", "failed", "exited" };

QByteArray exitReason(Worker *worker, int code, int signal)
{
    if (worker->exitedAfterDisconnect())
        return "disconnected"; // asked to go by either side
    if (WorkerPrivate::get(worker)->killRequested)
        return "killed"; // the primary's kill()
    if (signal != 0)
        return "signal"; // a crash or a signal from outside
    return code != 0 ? "failed" : "exited";
}

// Without a temporary QByteArray: this runs once per counter and worker.
void appendInteger(QByteArray &out, qint64 value)
{
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    out.append(digits, end - digits);
}

QByteArray workerLabels(int id)
{
    QByteArray labels("{");
    Exposition::label(labels, "worker", qint64(id));
    return labels.append('}');
}

} // namespace

ClusterMetrics::ClusterMetrics(Cluster *cluster, Supervisor *supervisor, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_supervisor(supervisor)
{
    for (const char *reason : ExitReasons)
        m_exits.insert(reason, 0);
    const auto existing = cluster->workers();
    for (Worker *worker : existing) {
        const double started = processStartTime(worker->processId());
        if (started > 0)
            m_startTimes.insert(worker->id(), started);
    }
    connect(cluster, &Cluster::workerForked, this, [this](Worker *worker) {
        ++m_forks;
        m_startTimes.insert(worker->id(), double(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
    });
    connect(cluster, &Cluster::workerExited, this, &ClusterMetrics::countExit);
    if (supervisor) {
        const QMetaEnum reasons = QMetaEnum::fromType<Supervisor::ReplaceReason>();
        for (int i = 0; i < reasons.keyCount(); ++i)
            m_restarts.insert(
                Control::replaceReasonName(Supervisor::ReplaceReason(reasons.value(i))).toUtf8(),
                0);
        connect(supervisor, &Supervisor::workerReplaced, this,
            [this](int, Worker *, Supervisor::ReplaceReason reason) {
                ++m_restarts[Control::replaceReasonName(reason).toUtf8()];
            });
    }
}

const QByteArray &ClusterMetrics::escapedName(const QString &name) const
{
    auto it = m_escapedNames.constFind(name);
    if (it != m_escapedNames.constEnd())
        return *it;
    // Bounded: workers send at most MaxCounterNames names each, but may change them.
    if (m_escapedNames.size() >= MaxEscapedNames)
        m_escapedNames.clear();
    QByteArray escaped;
    Exposition::appendEscaped(escaped, name);
    return *m_escapedNames.insert(name, escaped);
}

void ClusterMetrics::countExit(Worker *worker, int code, int signal)
{
    ++m_exits[exitReason(worker, code, signal)];
    m_startTimes.remove(worker->id());
}

double ClusterMetrics::processStartTime(qint64 pid)
{
    if (pid <= 0)
        return 0;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    QFile system(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly) || !system.open(QIODevice::ReadOnly))
        return 0;
    // After the command's closing parenthesis: state is field 3, starttime field 22.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 20)
        return 0;
    const qint64 ticks = fields.at(19).toLongLong();
    qint64 bootTime = 0;
    for (const QByteArray &entry : system.readAll().split('\n'))
        if (entry.startsWith("btime "))
            bootTime = entry.mid(6).trimmed().toLongLong();
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    if (bootTime <= 0 || ticksPerSecond <= 0)
        return 0;
    return double(bootTime) + double(ticks) / double(ticksPerSecond);
}

int ClusterMetrics::aliveWorkers() const
{
    int alive = 0;
    if (m_cluster) {
        const auto workers = m_cluster->workers();
        for (const Worker *worker : workers)
            alive += worker->isDead() ? 0 : 1;
    }
    return alive;
}

int ClusterMetrics::listeningWorkers() const
{
    int listening = 0;
    if (m_cluster) {
        const auto workers = m_cluster->workers();
        for (const Worker *worker : workers)
            listening += worker->state() == Worker::Listening ? 1 : 0;
    }
    return listening;
}

int ClusterMetrics::desiredWorkers() const
{
    return m_supervisor ? m_supervisor->workerCount() : aliveWorkers();
}

bool ClusterMetrics::isReady(int percent, QString *why) const
{
    const int desired = desiredWorkers();
    const int listening = listeningWorkers();
    // Whole workers: 50 % of 3 needs 2.
    const int needed = int(std::ceil(double(desired) * percent / 100.0));
    QString reason;
    if (m_supervisor && m_supervisor->isShuttingDown())
        reason = QStringLiteral("the cluster is shutting down");
    else if (desired == 0)
        reason = QStringLiteral("no worker is wanted (the cluster is scaled to 0)");
    else if (listening < needed)
        reason = QStringLiteral("%1 of %2 workers listen; %3 (%4 %) must")
                     .arg(listening)
                     .arg(desired)
                     .arg(needed)
                     .arg(percent);
    if (why)
        *why = reason;
    return reason.isEmpty();
}

void ClusterMetrics::write(QByteArray *out) const
{
    if (!m_cluster)
        return;
    // The last answer's size: one allocation instead of a few dozen for a big one.
    out->reserve(out->size() + m_lastSize + m_lastSize / 8);
    const qsizetype start = out->size();
    const auto remember = qScopeGuard([&] { m_lastSize = out->size() - start; });
    Exposition text(out);
    const QList<Worker *> workers = m_cluster->workers();
    // Labels of each worker, made once per scrape.
    QList<QByteArray> labels;
    labels.reserve(workers.size());
    for (const Worker *worker : workers)
        labels.append(workerLabels(worker->id()));

    text.family("libcluster_workers_desired", Exposition::Gauge,
        "Workers the cluster should have: the supervisor's count, else the workers alive.");
    text.sample(qint64(desiredWorkers()));
    text.family(
        "libcluster_workers_alive", Exposition::Gauge, "Worker processes that have not exited.");
    text.sample(qint64(aliveWorkers()));
    text.family("libcluster_workers_listening", Exposition::Gauge,
        "Workers that listen on a shared server.");
    text.sample(qint64(listeningWorkers()));
    text.family("libcluster_forks_total", Exposition::Counter,
        "Workers forked since the metrics server started.");
    text.sample(m_forks);
    text.family("libcluster_exits_total", Exposition::Counter,
        "Workers that exited, by reason: disconnected (asked to go), killed (by the primary), "
        "signal (ended by a signal), failed (non-zero exit code), exited (code 0, unasked).");
    for (auto it = m_exits.cbegin(); it != m_exits.cend(); ++it)
        text.sample(QByteArray("{reason=\"" + it.key() + "\"}"), it.value());
    if (m_supervisor) {
        text.family("libcluster_restarts_total", Exposition::Counter,
            "Workers the supervisor replaced, by reason.");
        for (auto it = m_restarts.cbegin(); it != m_restarts.cend(); ++it)
            text.sample(QByteArray("{reason=\"" + it.key() + "\"}"), it.value());
        text.family("libcluster_crash_loop", Exposition::Gauge,
            "1 while the supervisor has given up respawning after a crash loop, else 0.");
        text.sample(qint64(m_supervisor->hasGivenUp() ? 1 : 0));
    }

    qint64 queued = 0;
    for (const Worker *worker : workers)
        queued += worker->bytesToWrite();
    text.family("libcluster_channel_queue_bytes", Exposition::Gauge,
        "Bytes the primary has queued on its workers' channels for readers that lag behind.");
    text.sample(queued);

    const OutputWriter *output = OutputWriter::instance();
    text.family("libcluster_output_dropped_bytes_total", Exposition::Counter,
        "Bytes of the primary's own stdout and stderr dropped because nobody read them.");
    text.sample(
        QByteArrayView("{stream=\"stdout\"}"), output->bytesDropped(OutputWriter::StandardOutput));
    text.sample(
        QByteArrayView("{stream=\"stderr\"}"), output->bytesDropped(OutputWriter::StandardError));

    // Per shared server, where the primary hands out connections.
    const ClusterPrivate *cluster = ClusterPrivate::get(m_cluster.data());
    QByteArray waiting;
    QByteArray pinned;
    QSet<QString> seen;
    for (const SharedServer *server : cluster->ports.servers()) {
        const QString address = server->address().toString();
        if (seen.contains(address)) // one series per label set
            continue;
        seen.insert(address);
        QByteArray serverLabels("{");
        Exposition::label(serverLabels, "server", address);
        Exposition::label(
            serverLabels, "policy", schedulingPolicyName(m_cluster->schedulingPolicy()));
        serverLabels.append('}');
        waiting += QByteArray("libcluster_server_waiting_connections" + serverLabels + ' '
            + QByteArray::number(server->waitingConnections()) + '\n');
        if (server->pinnedClients() >= 0)
            pinned += QByteArray("libcluster_server_pinned_clients" + serverLabels + ' '
                + QByteArray::number(server->pinnedClients()) + '\n');
    }
    text.family("libcluster_server_waiting_connections", Exposition::Gauge,
        "Connections a shared server's primary accepted that no worker has taken yet.");
    out->append(waiting);
    text.family("libcluster_server_pinned_clients", Exposition::Gauge,
        "Client addresses a Sticky server keeps with one worker.");
    out->append(pinned);

    // Per worker.
    text.family("libcluster_worker_requests_total", Exposition::Counter,
        "Requests the worker served (its \"requests\" counter).");
    const QString requests = QStringLiteral("requests");
    for (qsizetype i = 0; i < workers.size(); ++i)
        text.sample(labels.at(i), workers.at(i)->counter(requests));
    text.family("libcluster_worker_events_total", Exposition::Counter,
        "Every counter the worker keeps with Worker::addToCounter(), by name.");
    for (qsizetype i = 0; i < workers.size(); ++i) {
        const QHash<QString, qint64> counters = workers.at(i)->counters();
        if (counters.isEmpty())
            continue;
        // `{worker="N",counter="` once per worker; each name escaped once per name and kept,
        // since the same few names come back in every worker and every scrape.
        QByteArray prefix = "libcluster_worker_events_total" + labels.at(i);
        prefix.chop(1);
        prefix.append(",counter=\"");
        for (auto it = counters.cbegin(); it != counters.cend(); ++it) {
            out->append(prefix);
            out->append(escapedName(it.key()));
            out->append("\"} ", 3);
            appendInteger(*out, it.value());
            out->append('\n');
        }
    }
    text.family("libcluster_worker_open_connections", Exposition::Gauge,
        "Connections open in the worker on shared servers.");
    for (qsizetype i = 0; i < workers.size(); ++i)
        text.sample(labels.at(i), qint64(workers.at(i)->openConnections()));
    text.family("libcluster_worker_connections_accepted_total", Exposition::Counter,
        "Connections the worker accepted or was handed on shared servers.");
    for (qsizetype i = 0; i < workers.size(); ++i)
        text.sample(labels.at(i), workers.at(i)->connectionsAccepted());

    static const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    text.family("libcluster_worker_cpu_seconds_total", Exposition::Counter,
        "User and system CPU time of the worker process, as last sampled.");
    for (qsizetype i = 0; i < workers.size(); ++i) {
        const qint64 ticks = WorkerPrivate::get(workers.at(i))->lastCpuTicks;
        if (ticks >= 0 && ticksPerSecond > 0)
            text.sample(labels.at(i), double(ticks) / double(ticksPerSecond));
    }
    text.family("libcluster_worker_resident_memory_bytes", Exposition::Gauge,
        "Resident memory of the worker process, as last sampled.");
    for (qsizetype i = 0; i < workers.size(); ++i)
        if (workers.at(i)->residentMemory() >= 0)
            text.sample(labels.at(i), workers.at(i)->residentMemory());
    text.family("libcluster_worker_start_time_seconds", Exposition::Gauge,
        "When the worker was forked, in seconds since the Unix epoch.");
    for (qsizetype i = 0; i < workers.size(); ++i) {
        const auto started = m_startTimes.constFind(workers.at(i)->id());
        if (started != m_startTimes.constEnd())
            text.sample(labels.at(i), *started);
    }
    text.family("libcluster_worker_state", Exposition::Gauge,
        "The worker's state: 1 for the state it is in, 0 for the others.");
    const QMetaEnum states = QMetaEnum::fromType<Worker::State>();
    for (qsizetype i = 0; i < workers.size(); ++i) {
        const Worker::State state = workers.at(i)->state();
        for (int s = 0; s < states.keyCount(); ++s) {
            const auto each = Worker::State(states.value(s));
            QByteArray stateLabels = labels.at(i);
            stateLabels.chop(1);
            stateLabels.append(",state=\"").append(Control::workerStateName(each).toUtf8());
            stateLabels.append("\"}");
            text.sample(stateLabels, qint64(each == state ? 1 : 0));
        }
    }
}

} // namespace LibCluster::Internal
