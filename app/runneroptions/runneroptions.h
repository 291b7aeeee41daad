// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What `cluster-run` is asked to run, from its command line and its configuration file: each
// option is defined once (name, bound, message) and read from either place.
#pragma once

#include <libcluster/schedulingpolicy.h>
#include <libcluster/settings.h>

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace LibCluster {
class Supervisor;
}

struct RunnerOptions
{
    enum Action {
        Run, // run the cluster
        ShowHelp, // print `text` on stdout, exit 0
        ShowVersion, // print `text` on stdout, exit 0
        CheckConfig, // the configuration file is valid: print `text` on stdout, exit 0
        RunAll, // run every cluster of the file (`clusters`), each in a cluster-run of its own
    };

    // The outcome of parse(): the options, or a message for stderr and the exit code.
    struct Result;

    // `arguments` as main() gets them, the program name first.
    static Result parse(const QStringList &arguments);

    Action action = Run;
    QString text;

    QString program; // absolute path
    QStringList arguments;
    QMap<QString, QString> environment; // added to the primary's for the workers
    int uid = -1; // -1: the primary's
    int gid = -1;
    QString cwd; // absolute; empty: the primary's
    int workers = 0;
    std::optional<LibCluster::SchedulingPolicy> policy; // unset: the library's default
    bool respawn = false;
    int crashLimit = 0;
    int crashWindow = 0;
    qint64 maxMemory = 0; // 0: no limit
    qint64 maxRequests = 0;
    int heartbeat = 0; // 0: off
    int heartbeatTimeout = 0;
    int disconnectTimeout = 0;
    int shutdownTimeout = 0;
    int listenWarning = -1; // -1: the library's default
    QString control; // the endpoint's name; empty: none
    // Where to serve Prometheus metrics and health probes, as given ("9464", "ADDR:PORT"),
    // checked by MetricsServer::parseAddress(); empty: nowhere.
    QString metrics;
    // Where the events and the workers' output go (absolute); empty: standard output and error.
    QString logFile;
    bool json = false;

    // The configuration file these options came from (absolute), and the cluster in it.
    QString configFile;
    QString configName;
    // RunAll: the names of the file's clusters, in its order (each valid; these options are the
    // last one's).
    QStringList clusters;

    // What the workers are forked with (the cluster's settings).
    LibCluster::Settings settings() const;
    // True if `other` needs other workers than these options: a different program, arguments,
    // environment, working directory, user or group.
    bool workersDiffer(const RunnerOptions &other) const;
    // The supervisor's part: respawn, crash limit, memory and request limits, heartbeat,
    // disconnect timeout. Neither the count nor the shutdown timeout.
    void configure(LibCluster::Supervisor *supervisor) const;

    bool operator==(const RunnerOptions &other) const;
    bool operator!=(const RunnerOptions &other) const { return !(*this == other); }

    // "512", "64k", "200M", "1.5G", "2GiB" (powers of 1024); -1 if it is not a size.
    static qint64 parseByteSize(const QString &text);

    // For an editor of configuration files (the monitor's New Cluster dialog), which must read
    // and write them exactly as cluster-run does.
    // The clusters of the file at `path` (empty for a file without sections); false, with every
    // "FILE:LINE: ..." mistake of its syntax in *error, if it cannot be read.
    static bool configClusters(const QString &path, QStringList *names, QString *error);
    // The cluster `name` of the file (empty: its only one), as `cluster-run --config PATH NAME`
    // reads it: every mistake in the error, one per line.
    static Result fromConfigFile(const QString &path, const QString &name = QString());
    // These options as the text of a configuration file: the section [name] (no section when
    // empty) with every key whose value is not cluster-run's default, and always program and
    // workers. `cluster-run --config` reads it back to the same options. Empty, with *error
    // saying which key, if a value cannot be written on one line.
    // `alsoWrite`: keys written even where they hold the default.
    QString toConfigText(
        const QString &name, QString *error, const QStringList &alsoWrite = QStringList()) const;
    // The whole text to write to `path` so that `cluster-run --config PATH NAME` runs these
    // options: a new file with a short header, or, when `path` holds clusters, that file with
    // [name] replaced (or added) and its other clusters and comments kept, the keys it sets for
    // every cluster overridden where they would change these options. Checked by reading it
    // back as cluster-run does; empty, with *error saying why, if it cannot be done.
    QString configFileText(const QString &path, const QString &name, QString *error) const;
    // The keys whose written values differ between `a` and `b`, in the table's order.
    static QStringList differingKeys(const RunnerOptions &a, const RunnerOptions &b);
    // Arguments quoted so that QProcess::splitCommand(), which reads the `arguments` key, gives
    // them back.
    static QString joinArguments(const QStringList &arguments);
};

struct RunnerOptions::Result
{
    RunnerOptions options;
    QString error; // empty on success; may hold several lines (one per mistake in a file)
    int exitCode = 0; // what cluster-run exits with when `error` is set

    bool ok() const { return error.isEmpty(); }
};
