// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// ControlCommand: parse, connect, send one command, print the answer, exit with its outcome.
#include "controlcommand.h"

#include "bridgecommand.h"
#include "eventformatter.h"
#include "terminal.h"

#include <libcluster/controlclient.h>
#include <libcluster/controlpackets.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <limits>
#include <memory>

using namespace LibCluster;

namespace ControlCommand {

using Terminal::printJson;
using Terminal::printLine;

namespace {
int usageError(const QString &message)
{
    return Terminal::usageError(QStringLiteral("cluster-run ctl"), message);
}

QString scaleError(const QString &given, int maxWorkers)
{
    return QStringLiteral("scale: %1, not '%2'")
        .arg(Supervisor::workerCountError(QStringLiteral("COUNT"), maxWorkers), given);
}

int failure(const QString &message)
{
    printLine(stderr, QStringLiteral("cluster-run ctl: %1").arg(message));
    return 1;
}

const char Description[]
    = "Controls a primary started with 'cluster-run --control NAME' (or any primary that\n"
      "exposes a LibCluster::ControlServer named NAME), through its control endpoint.\n"
      "NAME may be ssh://[user@]host[:port]/NAME for one on another host: ssh (BatchMode,\n"
      "your keys and known_hosts; LIBCLUSTER_SSH replaces the program and adds options) runs\n"
      "'cluster-run ctl NAME bridge' there (LIBCLUSTER_REMOTE_RUNNER: its cluster-run).\n"
      "\n"
      "  cluster-run ctl [options] NAME COMMAND [ARGS...]\n"
      "  cluster-run ctl --list\n"
      "\n"
      "Commands:\n"
      "  status               the primary and its workers, as a table (--json: the snapshot)\n"
      "  watch                print events as they happen, until the primary goes away\n"
      "  fork                 start one more worker\n"
      "  scale COUNT          keep COUNT workers (0 to the primary's maximum); forks go a few\n"
      "                       at a time, and the primary keeps serving meanwhile\n"
      "  restart              rolling restart; returns once it has finished\n"
      "  kill ID [SIGNAL]     send SIGNAL (name or number, default SIGTERM); waits for the exit.\n"
      "                       A supervisor with respawn replaces the worker: to have fewer,\n"
      "                       scale down\n"
      "  disconnect ID|all    disconnect a worker, or every worker, gracefully; waits until\n"
      "                       they have. 'all' is Node's cluster.disconnect(): unlike\n"
      "                       'scale 0', a supervisor respawns none and keeps its count\n"
      "  send ID|all JSON     send a message (any JSON value) to one worker or to all\n"
      "  resume               let a supervisor that gave up on a crash loop respawn again\n"
      "  shutdown             shut the whole cluster down gracefully; returns once it is done\n"
      "  bridge               relay stdin and stdout to the endpoint: what a client runs\n"
      "                       through ssh for NAME given as ssh://[user@]host[:port]/NAME\n"
      "\n"
      "Exit codes: 0 done, 1 failed (no such endpoint, access denied, primary gone, command\n"
      "failed), 2 usage error.";

QString humanBytes(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("-");
    const char *units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    return unit == 0
        ? QStringLiteral("%1 B").arg(bytes)
        : QStringLiteral("%1 %2").arg(value, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

QString humanDuration(qint64 msecs)
{
    if (msecs < 0)
        return QStringLiteral("-");
    const qint64 seconds = msecs / 1000;
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1m%2s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    if (seconds < 86400)
        return QStringLiteral("%1h%2m")
            .arg(seconds / 3600)
            .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1d%2h").arg(seconds / 86400).arg((seconds / 3600) % 24);
}

QString table(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows)
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = qMax(widths[i], row.at(i).size());
        }
    QStringList lines;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i) + 2) : row.at(i);
        lines.append(line);
    }
    return lines.join(QLatin1Char('\n'));
}

QString statusText(const QJsonObject &object, const QString &name)
{
    const Control::ClusterSnapshot snapshot = Control::ClusterSnapshot::fromJson(object);
    QStringList command { snapshot.exec };
    command += snapshot.args;
    QString text = QStringLiteral("%1: primary %2, policy %3, %4 workers\nprogram: %5\n")
                       .arg(name)
                       .arg(snapshot.pid)
                       .arg(snapshot.policy)
                       .arg(snapshot.workers.size())
                       .arg(command.join(QLatin1Char(' ')));
    if (const std::optional<Control::SupervisorState> &supervisor = snapshot.supervisor) {
        QStringList parts;
        // Those that count towards what it keeps: alive and not asked to go.
        int running = 0;
        for (const Control::WorkerSnapshot &worker : snapshot.workers) {
            if (worker.state != Worker::Disconnected && worker.state != Worker::Dead
                && !worker.exitedAfterDisconnect)
                ++running;
        }
        const int kept = supervisor->workerCount;
        parts.append(kept == running
                ? QStringLiteral("keeps %1").arg(kept)
                : QStringLiteral("keeps %1 (%2 running now)").arg(kept).arg(running));
        parts.append(
            supervisor->respawn ? QStringLiteral("respawn on") : QStringLiteral("respawn off"));
        if (const int hb = supervisor->heartbeatInterval)
            parts.append(QStringLiteral("heartbeat %1 ms").arg(hb));
        if (const qint64 memory = supervisor->memoryLimit)
            parts.append(QStringLiteral("memory limit %1").arg(humanBytes(memory)));
        if (const qint64 requests = supervisor->requestLimit)
            parts.append(QStringLiteral("request limit %1").arg(requests));
        // A primary from before the crash limit was reported sends none.
        if (supervisor->crashLimit > 0 && supervisor->respawn)
            parts.append(QStringLiteral("crash limit %1 per worker in %2 s")
                             .arg(supervisor->crashLimit)
                             .arg(supervisor->crashWindow / 1000.0));
        if (supervisor->gaveUp)
            parts.append(QStringLiteral("GAVE UP (resume with 'ctl %1 resume')").arg(name));
        if (supervisor->restarting)
            parts.append(QStringLiteral("rolling restart in progress"));
        if (supervisor->shuttingDown)
            parts.append(QStringLiteral("shutting down"));
        text += QStringLiteral("supervisor: %1\n").arg(parts.join(QStringLiteral(", ")));
    }
    QList<QStringList> rows { { QStringLiteral("ID"), QStringLiteral("PID"),
        QStringLiteral("STATE"), QStringLiteral("UPTIME"), QStringLiteral("LISTENING"),
        QStringLiteral("CONNS"), QStringLiteral("OPEN"), QStringLiteral("REQUESTS"),
        QStringLiteral("CPU%"), QStringLiteral("RSS") } };
    for (const Control::WorkerSnapshot &worker : snapshot.workers) {
        QStringList addresses;
        for (const Address &address : worker.addresses)
            addresses.append(address.toString());
        rows.append({ QString::number(worker.id), QString::number(worker.pid),
            Control::workerStateName(worker.state),
            worker.forkedAt > 0 ? humanDuration(snapshot.time - worker.forkedAt)
                                : QStringLiteral("-"),
            addresses.isEmpty() ? QStringLiteral("-") : addresses.join(QLatin1Char(',')),
            QString::number(worker.counts.connectionsAccepted),
            QString::number(worker.counts.openConnections), QString::number(worker.counts.requests),
            worker.counts.cpu >= 0 ? QString::number(worker.counts.cpu, 'f', 1)
                                   : QStringLiteral("-"),
            humanBytes(worker.counts.rss) });
    }
    return text + table(rows);
}

// Any JSON value, not only the objects and arrays QJsonDocument parses on their own.
bool parseJsonValue(const QString &text, QJsonValue *value)
{
    QJsonParseError error;
    const QJsonDocument document
        = QJsonDocument::fromJson(QByteArray("[") + text.toUtf8() + QByteArray("]"), &error);
    if (error.error != QJsonParseError::NoError || document.array().size() != 1)
        return false;
    *value = document.array().at(0);
    return true;
}

int parseWorkerId(const QString &text)
{
    bool ok = false;
    const int id = text.toInt(&ok);
    return ok && id > 0 ? id : 0;
}
} // namespace

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(Description));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption jsonOption(QStringLiteral("json"),
        QStringLiteral("Print JSON (status: the snapshot; watch: "
                       "events as JSON lines; others: the reply)."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
        QStringLiteral("Give up after MS milliseconds without an answer (default 60000; 0 "
                       "waits forever; watch never times out)."),
        QStringLiteral("MS"), QStringLiteral("60000"));
    const QCommandLineOption listOption(
        QStringLiteral("list"), QStringLiteral("List this user's control endpoints."));
    parser.addOptions({ jsonOption, timeoutOption, listOption });
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The control endpoint."));
    parser.addPositionalArgument(QStringLiteral("COMMAND"),
        QStringLiteral("What to do (see above)."), QStringLiteral("COMMAND [ARGS...]"));
    // "cluster-run ctl ..." reads as one program name.
    QStringList args = arguments;
    args[0] = QStringLiteral("cluster-run ctl");
    // QCommandLineParser takes "-1" for an option named "1". No option here starts with a
    // digit, so such an argument is an operand ("scale -1" then says what is wrong with it):
    // it goes through the parser under a stand-in and comes back afterwards.
    QStringList negatives;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--"))
            break;
        if (args.at(i).size() > 1 && args.at(i).at(0) == QLatin1Char('-')
            && args.at(i).at(1).isDigit() && args.at(i - 1) != QLatin1String("--timeout")) {
            args[i] = QStringLiteral("\u2063%1").arg(negatives.size());
            negatives.append(arguments.at(i));
        }
    }
    if (!parser.parse(args))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        // The usage line names the program as it was started; say it as the user types it.
        QString help = parser.helpText();
        help.replace(QCoreApplication::arguments().constFirst() + QLatin1Char(' '),
            QStringLiteral("cluster-run ctl "));
        printLine(stdout, help);
        return 0;
    }
    const bool json = parser.isSet(jsonOption);
    if (parser.isSet(listOption)) {
        const QStringList endpoints = ControlClient::availableEndpoints();
        if (json)
            printJson(QJsonObject { { QStringLiteral("endpoints"),
                          QJsonArray::fromStringList(endpoints) } },
                false);
        else
            for (const QString &endpoint : endpoints)
                printLine(stdout, endpoint);
        return 0;
    }
    bool timeoutOk = false;
    const int timeout = parser.value(timeoutOption).toInt(&timeoutOk);
    if (!timeoutOk || timeout < 0)
        return usageError(QStringLiteral("--timeout needs a number of milliseconds, not '%1'")
                              .arg(parser.value(timeoutOption)));

    QStringList positional = parser.positionalArguments();
    for (QString &argument : positional)
        if (argument.startsWith(QChar(0x2063)))
            argument = negatives.value(argument.mid(1).toInt());
    if (positional.size() < 2)
        return usageError(positional.isEmpty() ? QStringLiteral("which endpoint, and what to do?")
                                               : QStringLiteral("what to do? (status, scale N, "
                                                                "restart, kill ID, ...)"));
    const QString name = positional.at(0);
    const QString command = positional.at(1);
    const QStringList rest = positional.mid(2);

    // Validate everything before connecting: a usage error never touches the primary.
    const auto expectArgs = [&](int min, int max, const QString &usage) -> bool {
        return rest.size() >= min && rest.size() <= max
            ? true
            : (usageError(QStringLiteral("usage: %1").arg(usage)), false);
    };
    int workerId = 0;
    int signal = SIGTERM;
    int count = 0;
    QJsonValue message;
    bool workerAll = false;
    if (command == QLatin1String("status") || command == QLatin1String("watch")
        || command == QLatin1String("fork") || command == QLatin1String("restart")
        || command == QLatin1String("resume") || command == QLatin1String("shutdown")) {
        if (!expectArgs(0, 0, QStringLiteral("cluster-run ctl NAME %1").arg(command)))
            return 2;
    } else if (command == QLatin1String("scale")) {
        if (!expectArgs(1, 1, QStringLiteral("cluster-run ctl NAME scale COUNT")))
            return 2;
        // The primary's own maximum is checked once connected (it may not be the default).
        count = Supervisor::parseWorkerCount(rest.at(0), std::numeric_limits<int>::max());
        if (count < 0)
            return usageError(scaleError(rest.at(0), Supervisor::DefaultMaxWorkers));
    } else if (command == QLatin1String("kill")) {
        if (!expectArgs(1, 2, QStringLiteral("cluster-run ctl NAME kill ID [SIGNAL]")))
            return 2;
        if (!(workerId = parseWorkerId(rest.at(0))))
            return usageError(QStringLiteral("'%1' is not a worker id").arg(rest.at(0)));
        if (rest.size() > 1 && !(signal = ControlClient::signalFromName(rest.at(1))))
            return usageError(
                QStringLiteral("'%1' is not a signal (a name such as TERM or KILL, or a "
                               "number)")
                    .arg(rest.at(1)));
    } else if (command == QLatin1String("disconnect")) {
        if (!expectArgs(1, 1, QStringLiteral("cluster-run ctl NAME disconnect ID|all")))
            return 2;
        workerAll = rest.at(0) == QLatin1String("all");
        if (!workerAll && !(workerId = parseWorkerId(rest.at(0))))
            return usageError(
                QStringLiteral("'%1' is neither a worker id nor 'all'").arg(rest.at(0)));
    } else if (command == QLatin1String("send")) {
        if (!expectArgs(2, 2, QStringLiteral("cluster-run ctl NAME send ID|all JSON")))
            return 2;
        workerAll = rest.at(0) == QLatin1String("all");
        if (!workerAll && !(workerId = parseWorkerId(rest.at(0))))
            return usageError(
                QStringLiteral("'%1' is neither a worker id nor 'all'").arg(rest.at(0)));
        if (!parseJsonValue(rest.at(1), &message))
            return usageError(QStringLiteral("the message is not JSON: %1").arg(rest.at(1)));
    } else if (command == QLatin1String("bridge")) {
        return expectArgs(0, 0, QStringLiteral("cluster-run ctl NAME bridge"))
            ? BridgeCommand::run(name)
            : 2;
    } else {
        return usageError(QStringLiteral("unknown command '%1'").arg(command));
    }

    ControlClient client;
    int exitCode = 1;
    bool sawShutdown = false;
    bool commandSent = false;
    const auto finish = [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::exit(code);
    };
    // One answer for every command: ok -> 0 with `text`, else 1 with the error.
    const auto answer = [&, json](const QString &text) {
        return [&, json, text](const QJsonObject &object) {
            if (json)
                printJson(object, false);
            const Control::CommandReply reply = Control::CommandReply::fromJson(object);
            const bool ok = reply.ok;
            if (!ok && command == QLatin1String("shutdown")
                && client.state() != ControlClient::ConnectedState) {
                // The primary went away while shutting down: that is what was asked.
                if (!json)
                    printLine(stdout, QStringLiteral("%1: the primary has shut down").arg(name));
                finish(0);
                return;
            }
            if (!ok) {
                finish(failure(QStringLiteral("%1: %2").arg(command, reply.error)));
                return;
            }
            if (!json && !text.isEmpty()) {
                QString line = text;
                line.replace(QLatin1String("%how"),
                    reply.signal.value_or(0)
                        ? QStringLiteral("killed by %1").arg(reply.signalName.value_or(QString()))
                        : QStringLiteral("exited with code %1").arg(reply.code.value_or(0)));
                QStringList workers;
                for (int id : reply.workers.value_or(QList<int>()))
                    workers.append(QString::number(id));
                line.replace(QLatin1String("%workers"),
                    workers.isEmpty() ? QStringLiteral("none was connected")
                                      : workers.join(QStringLiteral(", ")));
                line.replace(QLatin1String("%worker"), QString::number(reply.worker.value_or(0)));
                printLine(stdout, line);
            }
            finish(0);
        };
    };

    QObject::connect(&client, &ControlClient::errorOccurred, &client,
        [&](ControlClient::Error error, const QString &text) {
            if (commandSent && command == QLatin1String("shutdown")
                && error == ControlClient::ConnectionLostError)
                return; // the pending reply says so
            if (command == QLatin1String("watch") && error == ControlClient::ConnectionLostError
                && sawShutdown) {
                finish(0);
                return;
            }
            finish(failure(text));
        });
    QObject::connect(&client, &ControlClient::connected, &client, [&](const QJsonObject &snapshot) {
        commandSent = true;
        if (command == QLatin1String("status")) {
            if (json)
                printJson(snapshot, true);
            else
                printLine(stdout, statusText(snapshot, name));
            finish(0);
        } else if (command == QLatin1String("watch")) {
            if (!json)
                printLine(stdout,
                    QStringLiteral("watching %1 (primary %2); Ctrl+C to stop")
                        .arg(name)
                        .arg(client.primaryProcessId()));
        } else if (command == QLatin1String("fork")) {
            client.fork(answer(QStringLiteral("forked worker %worker")));
        } else if (command == QLatin1String("scale")) {
            const std::optional<Control::SupervisorState> supervisor
                = Control::ClusterSnapshot::fromJson(snapshot).supervisor;
            // A primary from before maxWorkers was reported sends none.
            const int max = supervisor && supervisor->maxWorkers > 0
                ? supervisor->maxWorkers
                : Supervisor::DefaultMaxWorkers;
            if (count > max) {
                finish(usageError(scaleError(QString::number(count), max)));
                return;
            }
            client.scaleTo(count, answer(QStringLiteral("scaling to %1 workers").arg(count)));
        } else if (command == QLatin1String("restart")) {
            client.rollingRestart(answer(QStringLiteral("rolling restart finished")));
        } else if (command == QLatin1String("kill")) {
            client.killWorker(
                workerId, signal, true, answer(QStringLiteral("worker %1 %how").arg(workerId)));
        } else if (command == QLatin1String("disconnect") && workerAll) {
            client.disconnectAll(
                true, answer(QStringLiteral("every worker disconnected (%workers)")));
        } else if (command == QLatin1String("disconnect")) {
            client.disconnectWorker(
                workerId, true, answer(QStringLiteral("worker %1 disconnected").arg(workerId)));
        } else if (command == QLatin1String("send")) {
            if (workerAll)
                client.sendMessageToAll(message, answer(QStringLiteral("sent to every worker")));
            else
                client.sendMessage(
                    workerId, message, answer(QStringLiteral("sent to worker %1").arg(workerId)));
        } else if (command == QLatin1String("resume")) {
            client.resume(answer(QStringLiteral("resumed")));
        } else if (command == QLatin1String("shutdown")) {
            client.shutdown(answer(QStringLiteral("%1: shut down").arg(name)));
        }
    });
    auto formatter = std::make_shared<EventFormatter>();
    if (command == QLatin1String("watch")) {
        QObject::connect(&client, &ControlClient::eventReceived, &client,
            [&, json, formatter](const QJsonObject &event) {
                using Event = Control::ClusterEvent;
                const Event::Type type = Event::fromJson(event).type;
                if (type == Event::ShutdownFinished)
                    sawShutdown = true;
                if (json) {
                    printJson(event, false);
                    return;
                }
                QStringList errLines;
                QStringList outLines;
                if (type == Event::Output) {
                    outLines = formatter->output(event, &errLines);
                } else {
                    const QString line = EventFormatter::format(event);
                    if (!line.isEmpty())
                        outLines.append(line);
                }
                for (const QString &line : std::as_const(outLines))
                    printLine(stdout, line);
                for (const QString &line : std::as_const(errLines))
                    printLine(stderr, line);
            });
    }
    QTimer timer;
    if (timeout > 0 && command != QLatin1String("watch")) {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &client, [&] {
            finish(
                failure(QStringLiteral("no answer from '%1' within %2 ms").arg(name).arg(timeout)));
        });
        timer.start(timeout);
    }
    client.connectToEndpoint(name);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace ControlCommand
