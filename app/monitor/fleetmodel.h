// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The Fleet view's table: one row per cluster the monitor watches, on this host or through ssh.
#pragma once

#include <QAbstractTableModel>
#include <QList>

class QSettings;
class QTimer;

namespace Monitor {

class RemoteClusterSource;

// Several clusters watched at once, each through a RemoteClusterSource of its own: a local
// endpoint name or `ssh://[user@]host[:port]/NAME`. A row per cluster with its host, name,
// workers alive of desired, requests per second, CPU, memory, state and crash-loop state; the
// figures are summed over the cluster's workers and refreshed once a second.
class FleetModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        HostColumn,
        NameColumn,
        WorkersColumn,
        RateColumn,
        CpuColumn,
        MemoryColumn,
        StateColumn,
        CrashLoopColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // The endpoint as given (a name or an ssh:// address).
        EndpointRole = Qt::UserRole + 1,
        // The number behind a figure, for sorting.
        SortRole,
        // ClusterSource::Status, as an int.
        StatusRole,
    };

    // At most this many clusters: each is a connection (and, for a remote one, an ssh process).
    static constexpr int MaxClusters = 64;

    explicit FleetModel(QObject *parent = nullptr);
    ~FleetModel() override;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Starts watching `endpoint`; false, with `why`, when it is not a valid endpoint, is
    // watched already, or the fleet is full.
    bool addCluster(const QString &endpoint, QString *why = nullptr);
    void removeCluster(int row);
    QStringList endpoints() const;
    RemoteClusterSource *source(int row) const;
    int rowOfEndpoint(const QString &endpoint) const;

    // The endpoint's host as shown: "user@host:port" for an ssh:// one, "local" otherwise; and
    // its name.
    static QString hostOf(const QString &endpoint);
    static QString nameOf(const QString &endpoint);

    // The set of clusters, in QSettings (group "fleet").
    void save(QSettings &settings) const;
    void restore(QSettings &settings);

private:
    struct Entry
    {
        QString endpoint;
        RemoteClusterSource *source = nullptr;
        // (time in ms, requests so far) of the last few seconds: the rate is taken over all of
        // them, since stats and samples both come once a second and a single pair aliases.
        QList<QPair<qint64, qint64>> samples;
        double rate = 0;
    };
    void sample();
    void rowChanged(RemoteClusterSource *source);
    QString stateText(const Entry &entry) const;

    QList<Entry> m_entries;
    QTimer *m_timer;
};

} // namespace Monitor
