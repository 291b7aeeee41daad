// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// HeadlessRunner: the GUI's controller and workers model, printed instead of painted.
#include "headlessrunner.h"

#include "clustercontroller.h"
#include "workertablemodel.h"

#include <libcluster/cluster.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>

#include <QDateTime>
#include <QLocale>
#include <QTimer>

#include <csignal>
#include <unistd.h>

using namespace LibCluster;

namespace Monitor {

HeadlessRunner::HeadlessRunner(const ClusterConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_tty(::isatty(STDOUT_FILENO))
    , m_controller(new ClusterController(this))
    , m_workers(new WorkerTableModel(this))
{
    SignalHandler *signalHandler = SignalHandler::instance();
    signalHandler->watchSignal(SIGINT);
    signalHandler->watchSignal(SIGTERM);
    connect(signalHandler, &SignalHandler::signalReceived, this, [this](int signalNumber) {
        if (signalNumber == SIGINT || signalNumber == SIGTERM)
            onSignal(signalNumber);
    });
    connect(m_workers, &WorkerTableModel::ratesSampled, this, &HeadlessRunner::printStatus);
    connect(
        m_controller, &ClusterController::commandIssued, this, [this](int id, const QString &text) {
            printEvent(id > 0 ? tr("worker %1: %2").arg(id).arg(text) : text);
        });
    m_workers->setSource(m_controller);
    connect(m_controller, &ClusterSource::endpointEventOccurred, this,
        [this](const QString &text) { printEvent(text); });
    connect(m_controller, &ClusterSource::workerOnline, this, [this](int id, qint64 pid) {
        printEvent(tr("worker %1 online, process %2").arg(id).arg(pid));
    });
    connect(m_controller, &ClusterSource::workerListening, this,
        [this](int id, const Address &address) {
            printEvent(tr("worker %1 listening on %2").arg(id).arg(address.toString()));
        });
    connect(m_controller, &ClusterSource::workerDisconnected, this,
        [this](int id) { printEvent(tr("worker %1 disconnected").arg(id)); });
    connect(m_controller, &ClusterSource::workerExited, this, [this](int id, int code, int signal) {
        printEvent(signal ? tr("worker %1 ended by %2").arg(id).arg(Cluster::signalName(signal))
                          : tr("worker %1 exited with code %2").arg(id).arg(code));
        // Every worker gone without being told to: nothing left to run. Checked a moment later,
        // because a Ctrl-C in the terminal reaches the workers too, and their exits may be seen
        // before the signal that asks this runner to stop.
        if (!m_stopRequested && m_controller->workerCount() == 0) {
            QTimer::singleShot(300, this, [this] {
                if (m_stopRequested || m_controller->workerCount() > 0)
                    return;
                printEvent(tr("no workers left; stopping"));
                m_exitCode = 1;
                m_stopRequested = true;
                m_controller->stop();
            });
        }
    });
    connect(m_controller, &ClusterSource::workerErrorOccurred, this,
        [this](int id, const QString &text) {
            printEvent(tr("worker %1 error: %2").arg(id).arg(text));
        });
    connect(m_controller, &ClusterController::stopped, this, [this] {
        printEvent(tr("cluster stopped"));
        Q_EMIT finished(m_exitCode);
    });
}

HeadlessRunner::~HeadlessRunner()
{
    SignalHandler::instance()->unwatchSignal(SIGINT);
    SignalHandler::instance()->unwatchSignal(SIGTERM);
}

void HeadlessRunner::start()
{
    printEvent(
        tr("starting %n worker(s) of %1 (policy %2); Ctrl-C stops them", "", m_config.workers)
            .arg(m_config.program, schedulingPolicyName(m_config.policy)));
    m_controller->start(m_config);
}

void HeadlessRunner::printEvent(const QString &text)
{
    const QByteArray line
        = QStringLiteral("%1  %2\n")
              .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), text)
              .toLocal8Bit();
    print(m_tty && m_statusShown ? "\r\033[K" + line : line);
    m_statusShown = false;
}

void HeadlessRunner::print(const QByteArray &bytes)
{
    OutputWriter::instance()->write(OutputWriter::StandardOutput, bytes);
}

void HeadlessRunner::printStatus()
{
    if (m_controller->status() == ClusterController::Status::Stopped)
        return;
    const QLocale locale;
    const quint16 port = m_controller->port();
    const QString policy = m_controller->policyName().isEmpty()
        ? schedulingPolicyName(m_config.policy)
        : m_controller->policyName();
    const QString status = tr("%n worker(s) alive", "", m_controller->liveWorkerCount())
        + QStringLiteral(", ")
        + tr("%1 requests, %2 requests/s, policy %3, port %4")
              .arg(locale.toString(m_workers->totalRequests()),
                  locale.toString(m_workers->totalRequestRate(), 'f', 0), policy,
                  port ? QString::number(port) : QStringLiteral("-"));
    if (m_tty) {
        print("\r\033[K" + status.toLocal8Bit());
        m_statusShown = true;
    } else {
        print(QStringLiteral("%1  %2\n")
                  .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), status)
                  .toLocal8Bit());
    }
}

void HeadlessRunner::onSignal(int signalNumber)
{
    if (m_stopRequested) {
        printEvent(tr("%1 again: killing the workers").arg(Cluster::signalName(signalNumber)));
        m_controller->killAll(SIGKILL);
        return;
    }
    m_stopRequested = true;
    printEvent(
        tr("%1: stopping the workers (again to kill them)").arg(Cluster::signalName(signalNumber)));
    m_controller->stop();
}

} // namespace Monitor
