// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The monitor without a display: runs the same cluster and prints live counts to the terminal.
#pragma once

#include "clusterconfig.h"

#include <QObject>

#include <cstdio>

namespace Monitor {

class ClusterController;
class WorkerTableModel;

// Prints each worker event as a line and, once a second, the workers alive, the requests and
// requests/s, the policy and the port (on a terminal, one status line kept up to date at the
// bottom), never blocking on its output. SIGINT or SIGTERM stop the cluster gracefully; a second
// one kills what is left.
class HeadlessRunner : public QObject
{
    Q_OBJECT

public:
    explicit HeadlessRunner(const ClusterConfig &config, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    void start();
    ClusterController *controller() const { return m_controller; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void printEvent(const QString &text);
    void printStatus();
    // Through the library's OutputWriter: this process is a primary, and a stalled reader of its
    // output must not hold up its event loop.
    void print(const QByteArray &bytes);
    void onSignal(int signalNumber);

    ClusterConfig m_config;
    bool m_tty;
    bool m_statusShown = false;
    bool m_stopRequested = false;
    int m_exitCode = 0;
    ClusterController *m_controller;
    WorkerTableModel *m_workers;
};

} // namespace Monitor
