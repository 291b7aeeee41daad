// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MetricsServer's private state: the listening socket, its clients and the cluster's figures.
#pragma once

#include <libcluster/metricsserver.h>

#include <QSet>

class QTcpServer;
class QTimer;

namespace LibCluster {

namespace Internal {
class ClusterMetrics;
class HttpConnection;
} // namespace Internal

class MetricsServerPrivate
{
    Q_DECLARE_PUBLIC(MetricsServer)

public:
    explicit MetricsServerPrivate(MetricsServer *q)
        : q_ptr(q)
    { }

    void acceptAll();
    void answer(
        Internal::HttpConnection *connection, const QByteArray &method, const QByteArray &path);
    // Out of descriptors: stop accepting for a moment instead of spinning on the error.
    void backOff();

    MetricsServer *q_ptr;
    Internal::ClusterMetrics *metrics = nullptr;
    QTcpServer *server = nullptr;
    QTimer *resume = nullptr;
    QSet<Internal::HttpConnection *> connections;
    int maxConnections = MetricsServer::DefaultMaxConnections;
    int readyPercent = MetricsServer::DefaultReadyPercent;
    MetricsServer::Error error = MetricsServer::NoError;
    QString errorString;
    bool warnedBackOff = false;
};

} // namespace LibCluster
