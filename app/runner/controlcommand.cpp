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

// What the operands of a command say, checked before connecting: a usage error never touches
// the primary.
struct Request
{
    QString endpoint;
    QString command;
    int workerId = 0;
    bool all = false; // "all" instead of a worker id
    int signal = SIGTERM;
    int count = 0;
    QJsonValue message;
    bool follow = false; // logs: go on printing what the workers write
};

// One command under way: the connection, and how it ends.
class Session
{
public:
    Session(const Request &request, bool json)
        : request(request)
        , json(json)
    { }

    void finish(int code)
    {
        exitCode = code;
        QCoreApplication::exit(code);
    }

    // The reply to a command: ok -> exit 0, printing `text` (with %worker, %workers and %how
    // filled in from the reply); else exit 1 with the error.
    ControlClient::ReplyHandler answer(const QString &text)
    {
        return [this, text](const QJsonObject &object) {
            if (json)
                printJson(object, false);
            const Control::CommandReply reply = Control::CommandReply::fromJson(object);
            if (!reply.ok && endsPrimary && client.state() != ControlClient::ConnectedState) {
                // The primary went away while shutting down: that is what was asked.
                if (!json)
                    printLine(stdout,
                        QStringLiteral("%1: the primary has shut down").arg(request.endpoint));
                finish(0);
                return;
            }
            if (!reply.ok) {
                finish(failure(QStringLiteral("%1: %2").arg(request.command, reply.error)));
                return;
            }
            if (!json && !text.isEmpty())
                printLine(stdout, filledIn(text, reply));
            finish(0);
        };
    }

    ControlClient client;
    const Request request;
    const bool json;
    int exitCode = 1;
    bool commandSent = false;
    bool endsPrimary = false; // the connection is expected to end with the command
    bool sawShutdown = false;

private:
    static QString filledIn(QString line, const Control::CommandReply &reply)
    {
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
        return line;
    }
};

// A command of `cluster-run ctl`: what --help says of it, how its operands are checked, and what
// it does once the primary has answered the connection with its snapshot.
struct Command
{
    QString name;
    QString operands; // as the usage line shows them
    int minOperands = 0;
    int maxOperands = 0;
    QString help; // lines for --help
    // Reads the operands into the request; returns what is wrong with them, or nothing.
    QString (*check)(const QStringList &operands, Request *request) = nullptr;
    void (*start)(Session &session, const QJsonObject &snapshot) = nullptr;
    bool waits = false; // runs until the primary goes away: no --timeout
    // Instead of `start`: a command that does not speak the protocol itself (the bridge relays
    // another client's) runs on its own and returns the exit code.
    int (*runAlone)(const Request &request) = nullptr;

    QString usage() const
    {
        return QStringLiteral("cluster-run ctl NAME %1")
            .arg(name + QLatin1Char(' ') + operands)
            .trimmed();
    }
};

QString checkWorkerOrAll(const QString &operand, Request *request)
{
    request->all = operand == QLatin1String("all");
    if (!request->all && !(request->workerId = parseWorkerId(operand)))
        return QStringLiteral("'%1' is neither a worker id nor 'all'").arg(operand);
    return QString();
}

QString checkScale(const QStringList &operands, Request *request)
{
    // The primary's own maximum is checked once connected (it may not be the default).
    request->count = Supervisor::parseWorkerCount(operands.at(0), std::numeric_limits<int>::max());
    return request->count < 0 ? scaleError(operands.at(0), Supervisor::DefaultMaxWorkers)
                              : QString();
}

QString checkKill(const QStringList &operands, Request *request)
{
    if (!(request->workerId = parseWorkerId(operands.at(0))))
        return QStringLiteral("'%1' is not a worker id").arg(operands.at(0));
    if (operands.size() > 1 && !(request->signal = ControlClient::signalFromName(operands.at(1))))
        return QStringLiteral("'%1' is not a signal (a name such as TERM or KILL, or a number)")
            .arg(operands.at(1));
    return QString();
}

QString checkLogs(const QStringList &operands, Request *request)
{
    if (!operands.isEmpty() && !(request->workerId = parseWorkerId(operands.at(0))))
        return QStringLiteral("'%1' is not a worker id").arg(operands.at(0));
    return QString();
}

QString checkDisconnect(const QStringList &operands, Request *request)
{
    return checkWorkerOrAll(operands.at(0), request);
}

QString checkSend(const QStringList &operands, Request *request)
{
    const QString error = checkWorkerOrAll(operands.at(0), request);
    if (error.isEmpty() && !parseJsonValue(operands.at(1), &request->message))
        return QStringLiteral("the message is not JSON: %1").arg(operands.at(1));
    return error;
}

void startStatus(Session &session, const QJsonObject &snapshot)
{
    if (session.json)
        printJson(snapshot, true);
    else
        printLine(stdout, statusText(snapshot, session.request.endpoint));
    session.finish(0);
}

void startWatch(Session &session, const QJsonObject &)
{
    auto formatter = std::make_shared<EventFormatter>();
    QObject::connect(&session.client, &ControlClient::eventReceived, &session.client,
        [&session, formatter](const QJsonObject &event) {
            using Event = Control::ClusterEvent;
            const Event::Type type = Event::fromJson(event).type;
            if (type == Event::ShutdownFinished)
                session.sawShutdown = true;
            if (session.json) {
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
    if (!session.json)
        printLine(stdout,
            QStringLiteral("watching %1 (primary %2); Ctrl+C to stop")
                .arg(session.request.endpoint)
                .arg(session.client.primaryProcessId()));
}

// The output the primary kept, as `watch` prints it; with --follow, then what comes.
void startLogs(Session &session, const QJsonObject &)
{
    auto formatter = std::make_shared<EventFormatter>();
    const int workerId = session.request.workerId;
    const auto print = [&session, formatter](const QJsonObject &event) {
        if (session.json) {
            printJson(event, false);
            return;
        }
        QStringList errLines;
        const QStringList outLines = formatter->output(event, &errLines);
        for (const QString &line : outLines)
            printLine(stdout, line);
        for (const QString &line : std::as_const(errLines))
            printLine(stderr, line);
    };
    QJsonObject arguments;
    if (workerId > 0)
        arguments.insert(QStringLiteral("worker"), workerId);
    session.client.sendCommand(QStringLiteral("logs"), arguments,
        [&session, formatter, print, workerId](const QJsonObject &reply) {
            if (!reply.value(QLatin1String("ok")).toBool()) {
                session.finish(failure(QStringLiteral("logs: %1")
                                           .arg(reply.value(QLatin1String("error")).toString())));
                return;
            }
            QList<int> workers;
            for (const QJsonValue &value : reply.value(QLatin1String("output")).toArray()) {
                QJsonObject event = value.toObject();
                const int id = event.take(QLatin1String("worker")).toInt();
                if (!workers.contains(id))
                    workers.append(id);
                event.insert(QStringLiteral("event"), QStringLiteral("output"));
                event.insert(QStringLiteral("id"), id);
                print(event);
            }
            if (!session.request.follow) {
                for (int id : std::as_const(workers)) {
                    QStringList errLines;
                    for (const QString &line : formatter->flush(id, &errLines))
                        printLine(stdout, line);
                    for (const QString &line : std::as_const(errLines))
                        printLine(stderr, line);
                }
                session.finish(0);
                return;
            }
            QObject::connect(&session.client, &ControlClient::eventReceived, &session.client,
                [&session, print, workerId](const QJsonObject &event) {
                    using Event = Control::ClusterEvent;
                    const Event parsed = Event::fromJson(event);
                    if (parsed.type == Event::ShutdownFinished)
                        session.sawShutdown = true;
                    if (parsed.type == Event::Output && (workerId == 0 || parsed.id == workerId))
                        print(event);
                });
        });
}

void startFork(Session &session, const QJsonObject &)
{
    session.client.fork(session.answer(QStringLiteral("forked worker %worker")));
}

void startScale(Session &session, const QJsonObject &snapshot)
{
    const std::optional<Control::SupervisorState> supervisor
        = Control::ClusterSnapshot::fromJson(snapshot).supervisor;
    // A primary from before maxWorkers was reported sends none.
    const int max = supervisor && supervisor->maxWorkers > 0 ? supervisor->maxWorkers
                                                             : Supervisor::DefaultMaxWorkers;
    const int count = session.request.count;
    if (count > max) {
        session.finish(usageError(scaleError(QString::number(count), max)));
        return;
    }
    session.client.scaleTo(
        count, session.answer(QStringLiteral("scaling to %1 workers").arg(count)));
}

void startRestart(Session &session, const QJsonObject &)
{
    session.client.rollingRestart(session.answer(QStringLiteral("rolling restart finished")));
}

void startKill(Session &session, const QJsonObject &)
{
    const int id = session.request.workerId;
    session.client.killWorker(
        id, session.request.signal, true, session.answer(QStringLiteral("worker %1 %how").arg(id)));
}

void startDisconnect(Session &session, const QJsonObject &)
{
    const int id = session.request.workerId;
    if (session.request.all)
        session.client.disconnectAll(
            true, session.answer(QStringLiteral("every worker disconnected (%workers)")));
    else
        session.client.disconnectWorker(
            id, true, session.answer(QStringLiteral("worker %1 disconnected").arg(id)));
}

void startSend(Session &session, const QJsonObject &)
{
    const int id = session.request.workerId;
    if (session.request.all)
        session.client.sendMessageToAll(
            session.request.message, session.answer(QStringLiteral("sent to every worker")));
    else
        session.client.sendMessage(id, session.request.message,
            session.answer(QStringLiteral("sent to worker %1").arg(id)));
}

void startReload(Session &session, const QJsonObject &)
{
    session.client.sendCommand(QStringLiteral("reload"), QJsonObject(),
        session.answer(QStringLiteral("%1: configuration reloaded").arg(session.request.endpoint)));
}

void startResume(Session &session, const QJsonObject &)
{
    session.client.resume(session.answer(QStringLiteral("resumed")));
}

void startShutdown(Session &session, const QJsonObject &)
{
    session.endsPrimary = true;
    session.client.shutdown(
        session.answer(QStringLiteral("%1: shut down").arg(session.request.endpoint)));
}

int runBridge(const Request &request)
{
    return BridgeCommand::run(request.endpoint);
}

// Every command: --help, the operand checks and what runs once connected all read this table.
const QList<Command> &commandTable()
{
    static const QList<Command> table {
        { QStringLiteral("status"), {}, 0, 0,
            QStringLiteral("the primary and its workers, as a table (--json: the snapshot)"),
            nullptr, startStatus },
        { QStringLiteral("watch"), {}, 0, 0,
            QStringLiteral("print events as they happen, until the primary goes away"), nullptr,
            startWatch, true },
        { QStringLiteral("logs"), QStringLiteral("[ID]"), 0, 1,
            QStringLiteral("the recent output of worker ID, or of every worker, as the\n"
                           "primary keeps it (its last 64 Ki characters); --follow goes on\n"
                           "printing what they write until the primary goes away"),
            checkLogs, startLogs },
        { QStringLiteral("fork"), {}, 0, 0, QStringLiteral("start one more worker"), nullptr,
            startFork },
        { QStringLiteral("scale"), QStringLiteral("COUNT"), 1, 1,
            QStringLiteral("keep COUNT workers (0 to the primary's maximum); forks go a few\n"
                           "at a time, and the primary keeps serving meanwhile"),
            checkScale, startScale },
        { QStringLiteral("restart"), {}, 0, 0,
            QStringLiteral("rolling restart; returns once it has finished"), nullptr,
            startRestart },
        { QStringLiteral("kill"), QStringLiteral("ID [SIGNAL]"), 1, 2,
            QStringLiteral("send SIGNAL (name or number, default SIGTERM); waits for the exit.\n"
                           "A supervisor with respawn replaces the worker: to have fewer,\n"
                           "scale down"),
            checkKill, startKill },
        { QStringLiteral("disconnect"), QStringLiteral("ID|all"), 1, 1,
            QStringLiteral("disconnect a worker, or every worker, gracefully; waits until\n"
                           "they have. 'all' is Node's cluster.disconnect(): unlike\n"
                           "'scale 0', a supervisor respawns none and keeps its count"),
            checkDisconnect, startDisconnect },
        { QStringLiteral("send"), QStringLiteral("ID|all JSON"), 2, 2,
            QStringLiteral("send a message (any JSON value) to one worker or to all"), checkSend,
            startSend },
        { QStringLiteral("reload"), {}, 0, 0,
            QStringLiteral("re-read cluster-run's --config file and apply it: new workers by a\n"
                           "rolling restart, the count by scaling; an invalid file changes\n"
                           "nothing (as SIGHUP)"),
            nullptr, startReload },
        { QStringLiteral("resume"), {}, 0, 0,
            QStringLiteral("let a supervisor that gave up on a crash loop respawn again"), nullptr,
            startResume },
        { QStringLiteral("shutdown"), {}, 0, 0,
            QStringLiteral("shut the whole cluster down gracefully; returns once it is done"),
            nullptr, startShutdown },
        { QStringLiteral("bridge"), {}, 0, 0,
            QStringLiteral("relay stdin and stdout to the endpoint: what a client runs\n"
                           "through ssh for NAME given as ssh://[user@]host[:port]/NAME"),
            nullptr, nullptr, true, runBridge },
    };
    return table;
}

const Command *findCommand(const QString &name)
{
    for (const Command &command : commandTable())
        if (command.name == name)
            return &command;
    return nullptr;
}

QString description()
{
    QString text = QStringLiteral(
        "Controls a primary started with 'cluster-run --control NAME' (or any primary that\n"
        "exposes a LibCluster::ControlServer named NAME), through its control endpoint.\n"
        "NAME may be ssh://[user@]host[:port]/NAME for one on another host: ssh (BatchMode,\n"
        "your keys and known_hosts; LIBCLUSTER_SSH replaces the program and adds options) runs\n"
        "'cluster-run ctl NAME bridge' there (LIBCLUSTER_REMOTE_RUNNER: its cluster-run).\n"
        "\n"
        "  cluster-run ctl [options] NAME COMMAND [ARGS...]\n"
        "  cluster-run ctl --list\n"
        "\n"
        "Commands:\n");
    for (const Command &command : commandTable()) {
        const QStringList help = command.help.split(QLatin1Char('\n'));
        text += QStringLiteral("  %1 %2\n")
                    .arg(QString(command.name + QLatin1Char(' ') + command.operands)
                             .trimmed()
                             .leftJustified(20),
                        help.join(QStringLiteral("\n                       ")));
    }
    return text
        + QStringLiteral("\n"
                         "Exit codes: 0 done, 1 failed (no such endpoint, access denied, primary "
                         "gone, command\n"
                         "failed), 2 usage error.");
}

// The endpoint, the command and its operands from what the parser left, checked; the exit code
// of a usage error otherwise.
std::optional<Request> readRequest(const QStringList &positional, int *exitCode)
{
    *exitCode = 2;
    if (positional.size() < 2) {
        usageError(positional.isEmpty()
                ? QStringLiteral("which endpoint, and what to do?")
                : QStringLiteral("what to do? (status, scale N, restart, kill ID, ...)"));
        return std::nullopt;
    }
    Request request;
    request.endpoint = positional.at(0);
    request.command = positional.at(1);
    const QStringList operands = positional.mid(2);
    const Command *command = findCommand(request.command);
    if (!command) {
        usageError(QStringLiteral("unknown command '%1'").arg(request.command));
        return std::nullopt;
    }
    if (operands.size() < command->minOperands || operands.size() > command->maxOperands) {
        usageError(QStringLiteral("usage: %1").arg(command->usage()));
        return std::nullopt;
    }
    const QString error = command->check ? command->check(operands, &request) : QString();
    if (!error.isEmpty()) {
        usageError(error);
        return std::nullopt;
    }
    return request;
}

// QCommandLineParser takes "-1" for an option named "1". No option here starts with a digit, so
// such an argument is an operand ("scale -1" then says what is wrong with it): it goes through
// the parser under a stand-in and comes back afterwards.
QStringList hideNegativeNumbers(const QStringList &arguments, QStringList *hidden)
{
    QStringList args = arguments;
    for (qsizetype i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--"))
            break;
        if (args.at(i).size() > 1 && args.at(i).at(0) == QLatin1Char('-')
            && args.at(i).at(1).isDigit() && args.at(i - 1) != QLatin1String("--timeout")) {
            args[i] = QStringLiteral("\u2063%1").arg(hidden->size());
            hidden->append(arguments.at(i));
        }
    }
    return args;
}

void restoreNegativeNumbers(QStringList *positional, const QStringList &hidden)
{
    for (QString &argument : *positional)
        if (argument.startsWith(QChar(0x2063)))
            argument = hidden.value(argument.mid(1).toInt());
}

int listEndpoints(bool json)
{
    const QStringList endpoints = ControlClient::availableEndpoints();
    if (json)
        printJson(
            QJsonObject { { QStringLiteral("endpoints"), QJsonArray::fromStringList(endpoints) } },
            false);
    else
        for (const QString &endpoint : endpoints)
            printLine(stdout, endpoint);
    return 0;
}

// Connects, carries the command out, and returns its exit code.
int execute(const Request &request, bool json, int timeout)
{
    const Command *command = findCommand(request.command);
    if (command->runAlone)
        return command->runAlone(request);
    Session session(request, json);
    QObject::connect(&session.client, &ControlClient::errorOccurred, &session.client,
        [&session](ControlClient::Error error, const QString &text) {
            const bool lost = error == ControlClient::ConnectionLostError;
            if (lost && session.commandSent && session.endsPrimary)
                return; // the pending reply says so
            if (lost && session.sawShutdown) {
                session.finish(0);
                return;
            }
            session.finish(failure(text));
        });
    QObject::connect(&session.client, &ControlClient::connected, &session.client,
        [&session, command](const QJsonObject &snapshot) {
            session.commandSent = true;
            command->start(session, snapshot);
        });
    QTimer timer;
    if (timeout > 0 && !command->waits && !request.follow) {
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, &session.client, [&] {
            session.finish(failure(QStringLiteral("no answer from '%1' within %2 ms")
                                       .arg(request.endpoint)
                                       .arg(timeout)));
        });
        timer.start(timeout);
    }
    session.client.connectToEndpoint(request.endpoint);
    QCoreApplication::exec();
    return session.exitCode;
}
} // namespace

int run(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description());
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
    const QCommandLineOption followOption(QStringLiteral("follow"),
        QStringLiteral("logs: go on printing the workers' output as it comes (no --timeout)."));
    parser.addOptions({ jsonOption, timeoutOption, listOption, followOption });
    parser.addPositionalArgument(QStringLiteral("NAME"), QStringLiteral("The control endpoint."));
    parser.addPositionalArgument(QStringLiteral("COMMAND"),
        QStringLiteral("What to do (see above)."), QStringLiteral("COMMAND [ARGS...]"));
    // "cluster-run ctl ..." reads as one program name.
    QStringList named = arguments;
    named[0] = QStringLiteral("cluster-run ctl");
    QStringList negatives;
    if (!parser.parse(hideNegativeNumbers(named, &negatives)))
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
    if (parser.isSet(listOption))
        return listEndpoints(json);
    bool timeoutOk = false;
    const int timeout = parser.value(timeoutOption).toInt(&timeoutOk);
    if (!timeoutOk || timeout < 0)
        return usageError(QStringLiteral("--timeout needs a number of milliseconds, not '%1'")
                              .arg(parser.value(timeoutOption)));

    QStringList positional = parser.positionalArguments();
    restoreNegativeNumbers(&positional, negatives);
    int exitCode = 0;
    std::optional<Request> request = readRequest(positional, &exitCode);
    if (!request)
        return exitCode;
    request->follow = parser.isSet(followOption);
    if (request->follow && request->command != QLatin1String("logs"))
        return usageError(QStringLiteral("--follow is only for 'logs'"));
    return execute(*request, json, timeout);
}

} // namespace ControlCommand
