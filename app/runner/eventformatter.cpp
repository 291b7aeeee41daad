// EventFormatter: one short line per event, in the words an operator would use.
#include "eventformatter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

namespace {
QString worker(const QJsonObject &event)
{
    return QStringLiteral("worker %1").arg(event.value(QLatin1String("id")).toInt());
}

QString json(const QJsonValue &value)
{
    // Wrapped in an array because QJsonDocument holds only objects and arrays.
    const QByteArray text = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(text.mid(1, text.size() - 2));
}

QString body(const QJsonObject &event)
{
    const QString name = event.value(QLatin1String("event")).toString();
    const qint64 pid = event.value(QLatin1String("pid")).toInteger();
    if (name == QLatin1String("fork"))
        return worker(event) + QStringLiteral(" forked");
    if (name == QLatin1String("online"))
        return worker(event) + QStringLiteral(" online (pid %1)").arg(pid);
    if (name == QLatin1String("listening"))
        return worker(event) + QStringLiteral(" listening on ")
            + event.value(QLatin1String("address"))
                  .toObject()
                  .value(QLatin1String("text"))
                  .toString();
    if (name == QLatin1String("disconnect"))
        return worker(event) + QStringLiteral(" disconnected");
    if (name == QLatin1String("exit")) {
        const int signal = event.value(QLatin1String("signal")).toInt();
        QString text = worker(event) + QStringLiteral(" (pid %1) ").arg(pid)
            + (signal ? QStringLiteral("was killed by %1")
                            .arg(event.value(QLatin1String("signalName")).toString())
                      : QStringLiteral("exited with code %1")
                            .arg(event.value(QLatin1String("code")).toInt()));
        // A kill from the primary is asked for too, though not a disconnect.
        if (event.value(QLatin1String("exitedAfterDisconnect")).toBool()
            || event.value(QLatin1String("killed")).toBool())
            text += QStringLiteral(" (as asked)");
        return text;
    }
    if (name == QLatin1String("message"))
        return worker(event) + QStringLiteral(" says: ")
            + json(event.value(QLatin1String("message")));
    if (name == QLatin1String("error"))
        return worker(event) + QStringLiteral(" error: ")
            + event.value(QLatin1String("errorString")).toString();
    if (name == QLatin1String("replaced"))
        return worker(event)
            + QStringLiteral(" replaces worker %1 (%2)")
                  .arg(event.value(QLatin1String("oldId")).toInt())
                  .arg(event.value(QLatin1String("reason")).toString());
    if (name == QLatin1String("respawnScheduled"))
        return QStringLiteral("respawning a worker in %1 ms")
            .arg(event.value(QLatin1String("delay")).toInt());
    if (name == QLatin1String("gaveUp"))
        return QStringLiteral("supervisor gave up: ")
            + event.value(QLatin1String("reason")).toString();
    if (name == QLatin1String("resumed"))
        return QStringLiteral("supervisor resumed");
    if (name == QLatin1String("heartbeatMissed"))
        return worker(event) + QStringLiteral(" missed its heartbeat");
    if (name == QLatin1String("restartFinished"))
        return event.value(QLatin1String("ok")).toBool()
            ? QStringLiteral("rolling restart finished")
            : QStringLiteral("rolling restart failed: ")
                + event.value(QLatin1String("error")).toString();
    if (name == QLatin1String("shutdownFinished"))
        return QStringLiteral("shutdown complete");
    if (name == QLatin1String("outputDropped"))
        return QStringLiteral("primary's %1 dropped %2 bytes in %3 writes (%4 bytes so far): %5")
            .arg(event.value(QLatin1String("channel")).toString())
            .arg(event.value(QLatin1String("bytes")).toInteger())
            .arg(event.value(QLatin1String("writes")).toInteger())
            .arg(event.value(QLatin1String("totalBytes")).toInteger())
            .arg(event.value(QLatin1String("closed")).toBool()
                    ? QStringLiteral("its reader has gone")
                    : QStringLiteral("its reader does not keep up"));
    if (name == QLatin1String("workerCount"))
        return QStringLiteral("keeping %1 workers")
            .arg(event.value(QLatin1String("count")).toInt());
    return QString();
}
} // namespace

QString EventFormatter::format(const QJsonObject &event)
{
    const QString text = body(event);
    if (text.isEmpty())
        return text;
    const qint64 time = event.value(QLatin1String("time")).toInteger();
    const QDateTime when
        = time > 0 ? QDateTime::fromMSecsSinceEpoch(time) : QDateTime::currentDateTime();
    return when.toString(QStringLiteral("HH:mm:ss.zzz ")) + text;
}

QStringList EventFormatter::output(const QJsonObject &event, QStringList *stderrLines)
{
    const int id = event.value(QLatin1String("id")).toInt();
    const bool isErr = event.value(QLatin1String("channel")).toString() == QLatin1String("stderr");
    QString &partial = isErr ? m_partialErr[id] : m_partialOut[id];
    partial += event.value(QLatin1String("data")).toString();
    QStringList lines;
    qsizetype newline;
    while ((newline = partial.indexOf(QLatin1Char('\n'))) >= 0) {
        lines.append(QStringLiteral("worker %1 | %2").arg(id).arg(partial.left(newline)));
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
        lines.append(QStringLiteral("worker %1 | %2").arg(workerId).arg(out));
    const QString err = m_partialErr.take(workerId);
    if (!err.isEmpty())
        stderrLines->append(QStringLiteral("worker %1 | %2").arg(workerId).arg(err));
    return lines;
}
