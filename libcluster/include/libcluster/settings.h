// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief The settings a primary forks its workers with: the counterpart of Node's
//! cluster.settings.
#pragma once

#include <libcluster/libcluster_export.h>
#include <libcluster/schedulingpolicy.h>

#include <QMetaType>
#include <QProcessEnvironment>
#include <QSharedDataPointer>
#include <QStringList>

namespace LibCluster {

class SettingsPrivate;

//! \brief The settings a primary forks its workers with: Node's cluster.settings.
//!
//! A value class in which every field is either set or unset. Cluster::setupPrimary() merges the
//! fields that are set into the cluster's settings, the way Node merges the object given to
//! setupPrimary(): a later call changes only what it names.
//!
//! Each field has a getter (its value, or its default when unset), a setter (which sets it) and a
//! `has` function (whether it is set); each group below documents the three together.
class LIBCLUSTER_EXPORT Settings
{
public:
    //! \brief Settings with no field set: merged into a cluster's settings, they change nothing.
    Settings();
    //! \brief A copy of `other` (shared until either changes).
    Settings(const Settings &other);
    //! \brief Makes this a copy of `other`.
    Settings &operator=(const Settings &other);
    //! \brief Destroys the settings.
    ~Settings();

    //! \brief The program each worker runs.
    //!
    //! Default: this program (QCoreApplication::applicationFilePath()).
    //!@{
    QString exec() const;
    void setExec(const QString &program);
    bool hasExec() const;
    //!@}

    //! \brief The worker's arguments.
    //!
    //! Default: this program's arguments, without the program name.
    //!@{
    QStringList args() const;
    void setArgs(const QStringList &arguments);
    bool hasArgs() const;
    //!@}

    //! \brief When true, each worker's stdout and stderr are captured and reported through
    //! Worker::outputReceived() instead of going to the primary's own stdout and stderr.
    //!@{
    bool silent() const;
    void setSilent(bool silent);
    bool hasSilent() const;
    //!@}

    //! \brief The worker's working directory.
    //!
    //! Default: the primary's.
    //!@{
    QString cwd() const;
    void setCwd(const QString &directory);
    bool hasCwd() const;
    //!@}

    //! \brief The environment workers start from.
    //!
    //! Default: the primary's environment. Cluster::fork(extra) adds to and overrides it for one
    //! worker.
    //!@{
    QProcessEnvironment env() const;
    void setEnv(const QProcessEnvironment &environment);
    bool hasEnv() const;
    //!@}

    //! \brief User and group identity of the worker; applied only when the primary runs as root.
    //!
    //! -1 means "the primary's".
    //!@{
    int uid() const;
    void setUid(int uid);
    bool hasUid() const;
    int gid() const;
    void setGid(int gid);
    bool hasGid() const;
    //!@}

    //! \brief Node's settings.stdio entries past stderr: a pipe between the primary and each worker
    //! at each of these descriptor numbers in the worker (Node's 'pipe' at index 4 is {4}).
    //!
    //! Both ends are one connected Unix stream socket, so data flows both ways:
    //! Worker::extraPipe(n) gives either side its end as a QLocalSocket; a worker may also use
    //! descriptor n as it is. At most MaxExtraPipes descriptors, each from 3 to
    //! MaxExtraPipeDescriptor, none twice; a list that breaks these bounds is refused with a
    //! warning and the setting stays as it was.
    //!@{
    static constexpr int MaxExtraPipes = 16;
    static constexpr int MaxExtraPipeDescriptor = 255;
    QList<int> extraPipes() const;
    void setExtraPipes(const QList<int> &descriptors);
    bool hasExtraPipes() const;
    //!@}

    //! \brief How workers share server ports.
    //!
    //! Default: LIBCLUSTER_SCHED_POLICY ("rr", "none", "reuseport", "leastconn", "sticky") if set
    //! and valid, else RoundRobin. Only the value at the cluster's first fork counts.
    //!@{
    SchedulingPolicy schedulingPolicy() const;
    void setSchedulingPolicy(SchedulingPolicy policy);
    bool hasSchedulingPolicy() const;
    //!@}

    //! \brief How long a worker may be online without listening on a shared server (TcpServer,
    //! LocalServer, UdpSocket) before the primary warns of it (Worker::listenOverdue()), once per
    //! worker.
    //!
    //! A worker that serves through a server the cluster never sees (a plain QTcpServer,
    //! QHttpServer::listen()) takes no share of the cluster's connections, and nothing else would
    //! say so. Default DefaultListenWarningTimeout; 0 turns the warning off, for workers that are
    //! not meant to listen (they only handle messages). Values outside 0..MaxListenWarningTimeout
    //! are refused with a warning and the setting stays as it was.
    //!@{
    static constexpr int DefaultListenWarningTimeout = 5000;
    static constexpr int MaxListenWarningTimeout = 3600000;
    int listenWarningTimeout() const;
    void setListenWarningTimeout(int msecs);
    bool hasListenWarningTimeout() const;
    //!@}

    //! \brief How long a worker waits for its primary to answer a request (the listen() of a
    //! TcpServer, LocalServer or UdpSocket) before that call fails with SocketTimeoutError and a
    //! message saying so, e.g. when the primary is stopped or its event loop hangs.
    //!
    //! From MinRequestTimeout to MaxRequestTimeout milliseconds; a value outside is refused with a
    //! warning and the setting stays as it was.
    //!@{
    static constexpr int DefaultRequestTimeout = 10000;
    static constexpr int MinRequestTimeout = 100;
    static constexpr int MaxRequestTimeout = 600000;
    int requestTimeout() const;
    void setRequestTimeout(int msecs);
    bool hasRequestTimeout() const;
    //!@}

    //! \brief How long a disconnecting worker lets the connections its servers accepted finish
    //! before it closes its channel anyway (a TcpServer's quiet connections close sooner, after
    //! TcpServer::closingIdleTimeout()).
    //!
    //! From 0 to MaxDrainTimeout milliseconds; a value outside is refused with a warning and the
    //! setting stays as it was.
    //!@{
    static constexpr int DefaultDrainTimeout = 10000;
    static constexpr int MaxDrainTimeout = 600000;
    int drainTimeout() const;
    void setDrainTimeout(int msecs);
    bool hasDrainTimeout() const;
    //!@}

    //! \brief Fields set in `other` override those of this object.
    void merge(const Settings &other);

    //! \brief True when the same fields are set, to the same values.
    bool operator==(const Settings &other) const;
    //! \brief True when a field is set in one and not the other, or set to another value.
    bool operator!=(const Settings &other) const { return !(*this == other); }

private:
    QSharedDataPointer<SettingsPrivate> d;
};

} // namespace LibCluster

Q_DECLARE_METATYPE(LibCluster::Settings)
