// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventFormatter: one short line per event, in the words an operator would use.
#include "eventformatter.h"

#include <libcluster/controlpackets.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace {
using Event = LibCluster::Control::ClusterEvent;

QString worker(const Event &event)
{
    return QStringLiteral("worker %1").arg(event.id);
}

QString json(const QJsonValue &value)
{
    // Wrapped in an array because QJsonDocument holds only objects and arrays.
    const QByteArray text = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString body(const Event &event)
{
    switch (event.type) {
    case Event::Fork:
        return worker(event) + QStringLiteral(" forked");
    case Event::Online:
        return worker(event) + QStringLiteral(" online (pid %1)").arg(event.pid);
    case Event::Listening:
        return worker(event) + QStringLiteral(" listening on ") + event.address.toString();
    case Event::Disconnect:
        return worker(event) + QStringLiteral(" disconnected");
    case Event::ListenOverdue:
        return worker(event)
            + (event.exited
                    ? QStringLiteral(" exited %1 ms after it came online without listening on "
                                     "the cluster's port (did its own server fail?)")
                    : QStringLiteral(" has not listened %1 ms after it came online: it takes no "
                                     "share of the cluster's connections"))
                  .arg(event.elapsed)
            + QStringLiteral("; use LibCluster::TcpServer or LibCluster::listen(), or "
                             "--listen-warning 0 for workers that do not listen");
    case Event::Exit: {
        QString text = worker(event) + QStringLiteral(" (pid %1) ").arg(event.pid)
            + (event.signal ? QStringLiteral("was killed by %1").arg(event.signalName)
                            : QStringLiteral("exited with code %1").arg(event.code));
        // A kill from the primary is asked for too, though not a disconnect.
        if (event.exitedAfterDisconnect || event.killed)
            text += QStringLiteral(" (as asked)");
        return text;
    }
    case Event::Message:
        return worker(event) + QStringLiteral(" says: ") + json(event.message);
    case Event::Error:
        return worker(event) + QStringLiteral(" error: ") + event.errorString;
    case Event::Replaced:
        return worker(event)
            + QStringLiteral(" replaces worker %1 (%2)").arg(event.oldId).arg(event.reason);
    case Event::RespawnScheduled:
        return QStringLiteral("respawning a worker in %1 ms").arg(event.delay);
    case Event::GaveUp:
        return QStringLiteral("supervisor gave up: ") + event.reason;
    case Event::Resumed:
        return QStringLiteral("supervisor resumed");
    case Event::HeartbeatMissed:
        return worker(event) + QStringLiteral(" missed its heartbeat");
    case Event::RestartFinished:
        return event.ok ? QStringLiteral("rolling restart finished")
                        : QStringLiteral("rolling restart failed: ") + event.error;
    case Event::ShutdownFinished:
        return QStringLiteral("shutdown complete");
    case Event::OutputDropped:
        return QStringLiteral("primary's %1 dropped %2 bytes in %3 writes (%4 bytes so far): %5")
            .arg(LibCluster::Control::channelName(event.channel))
            .arg(event.bytes)
            .arg(event.writes)
            .arg(event.totalBytes)
            .arg(event.closed ? QStringLiteral("its reader has gone")
                              : QStringLiteral("its reader does not keep up"));
    case Event::WorkerCount:
        return QStringLiteral("keeping %1 workers").arg(event.count);
    default:
        // The application's own events ("reload") say themselves what a person reads.
        if (event.application && !event.text.isEmpty())
            return QStringLiteral("%1: %2").arg(event.name, event.text);
        return QString();
    }
}
} // namespace

QString EventFormatter::format(const QJsonObject &object)
{
    const Event event = Event::fromJson(object);
    const QString text = body(event);
    if (text.isEmpty())
        return text;
    const qint64 time = event.time;
    const QDateTime when
        = time > 0 ? QDateTime::fromMSecsSinceEpoch(time) : QDateTime::currentDateTime();
    return when.toString(QStringLiteral("HH:mm:ss.zzz ")) + text;
}

// Who said it and on which stream: in a log file or the journal both streams end up together.
QString EventFormatter::prefix(int workerId, bool isErr)
{
    return QStringLiteral("worker %1 %2 | ")
        .arg(workerId)
        .arg(isErr ? QLatin1String("stderr") : QLatin1String("stdout"));
}

QStringList EventFormatter::output(const QJsonObject &object, QStringList *stderrLines)
{
    const Event event = Event::fromJson(object);
    const int id = event.id;
    const bool isErr = event.channel == LibCluster::Worker::StandardError;
    QString &partial = isErr ? m_partialErr[id] : m_partialOut[id];
    partial += event.data;
    QStringList lines;
    qsizetype newline;
    while ((newline = partial.indexOf(QLatin1Char('\n'))) >= 0) {
        lines.append(prefix(id, isErr) + partial.left(newline));
        partial.remove(0, newline + 1);
    }
    if (isErr) {
        *stderrLines += lines;
        return {};
    }
    return lines;
}

QStringList EventFormatter::flush(int workerId, QStringList *stderrLines)
{
    QStringList lines;
    const QString out = m_partialOut.take(workerId);
    if (!out.isEmpty())
        lines.append(prefix(workerId, false) + out);
    const QString err = m_partialErr.take(workerId);
    if (!err.isEmpty())
        stderrLines->append(prefix(workerId, true) + err);
    return lines;
}
