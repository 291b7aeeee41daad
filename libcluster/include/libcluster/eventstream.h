// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief A cluster's state and events as JSON: the vocabulary of the control protocol
//! (docs/control-protocol.md), also usable in-process, e.g. to log events as JSON lines.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QJsonObject>
#include <QObject>

namespace LibCluster {

class Cluster;
class Supervisor;
class Worker;
class EventStreamPrivate;

//! \brief A cluster (and its supervisor) as JSON: a snapshot, periodic stats and one object per
//! event.
//!
//! What ControlServer sends its clients, built from the Cluster's and Supervisor's signals; the
//! names and fields are those of docs/control-protocol.md, and Control::ClusterSnapshot,
//! Control::ClusterStats and Control::ClusterEvent read them back as types.
class LIBCLUSTER_EXPORT EventStream : public QObject
{
    Q_OBJECT
    Q_DECLARE_PRIVATE(EventStream)

public:
    //! \brief Follows `cluster` and, when given, `supervisor`, from now on. Neither is owned.
    explicit EventStream(
        Cluster *cluster, Supervisor *supervisor = nullptr, QObject *parent = nullptr);
    //! \brief Stops following; the cluster and supervisor are left as they are.
    ~EventStream() override;

    //! \brief The cluster this stream follows.
    Cluster *cluster() const;
    //! \brief The supervisor this stream follows; null when none was given.
    Supervisor *supervisor() const;

    //! \brief Everything a late observer needs: the primary, policy, settings, every worker, the
    //! last few workers that exited, and the supervisor's settings and state.
    QJsonObject snapshot() const;
    //! \brief Per-worker numbers that change all the time (connections, requests, CPU, memory),
    //! with totals; meant to be taken periodically.
    QJsonObject stats() const;
    //! \brief One worker as the snapshot shows it.
    QJsonObject workerObject(const LibCluster::Worker *worker) const;

    //! \brief Whether each message from a worker becomes a "message" event (default: true).
    //!
    //! A message event is the message turned into JSON, one per message: under a storm of
    //! messages that is much of the primary's work. A stream nobody reads messages from for the
    //! moment (ControlServer while no client is connected) turns them off; every other event is
    //! emitted either way.
    //!@{
    bool messageEventsEnabled() const;
    void setMessageEventsEnabled(bool enabled);
    //!@}

    //! \brief The largest event publish() takes, as compact JSON: far below the protocol's line
    //! limit, so that one event can never cost a client its connection.
    static constexpr qsizetype MaxPublishedEventSize = 64 * 1024;

    //! \brief Emits an event of the application's own, beside the library's: for example
    //! "reload" when it re-read its configuration.
    //!
    //! The event is `fields` with `"event": name`, `"time"` and `"application": true` (which
    //! replace any of those in `fields`); docs/control-protocol.md says how clients show it:
    //! `"text"` is a line for a person, `"alert": true` marks something that went wrong.
    //! Returns false, and emits nothing, when `name` is not 1 to 64 of [A-Za-z0-9._-] starting
    //! with a letter, is the name of one of the library's events, or the event is larger than
    //! MaxPublishedEventSize.
    bool publish(const QString &name, const QJsonObject &fields = {});

Q_SIGNALS:
    //! \brief One object per cluster or supervisor signal.
    //!
    //! `{"event": NAME, "time": ms since the epoch, ...}`; the names and fields are listed in
    //! docs/control-protocol.md.
    void eventOccurred(const QJsonObject &event);

private:
    QScopedPointer<EventStreamPrivate> d_ptr;
};

} // namespace LibCluster
