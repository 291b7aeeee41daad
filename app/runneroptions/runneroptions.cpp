// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// RunnerOptions: one table of options, read by the command-line parser, the configuration file
// reader and --help alike, so that a bound and its message are written once.
#include "runneroptions.h"

#include "configfile.h"

#include <libcluster/metricsserver.h>
#include <libcluster/settings.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QThread>

#include <functional>
#include <grp.h>
#include <limits>
#include <pwd.h>

using namespace LibCluster;

namespace {

// Where a value was given: on the command line (--key) or on a line of the configuration file.
struct Origin
{
    QString key;
    QString file; // as the user named it; empty on the command line
    int line = 0;
    QString directory; // what a relative path is relative to

    bool inFile() const { return !file.isEmpty(); }
    // What a message about the value starts with: "--crash-limit", "app.conf:4: crash-limit".
    QString subject() const
    {
        return inFile() ? QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(key)
                        : QStringLiteral("--%1").arg(key);
    }
    // A message that does not name the value, for the file: "app.conf:4: policy: MESSAGE".
    QString qualify(const QString &message) const
    {
        return inFile() ? QStringLiteral("%1: %2").arg(subject(), message) : message;
    }
    QString absolutePath(const QString &path) const
    {
        return QDir::cleanPath(QDir(directory).absoluteFilePath(path));
    }
};

// Reads `value` into the options; returns what is wrong with it, or nothing.
using Apply = std::function<QString(RunnerOptions &, const QString &value, const Origin &)>;

struct Option
{
    QString name; // the long option, and the key in the file
    QString shortName;
    QString valueName; // empty: a flag, true or false in the file
    QString description;
    Apply apply;
    bool commandLine = true; // false: a key of the file only (the command line has -- PROGRAM)
    bool repeatable = false;
};

// A whole number from `min` (0 or more) to `max`; -1 if it is not one.
int parseInRange(const QString &text, int min, int max)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    return ok && value >= min && value <= max ? value : -1;
}

Apply milliseconds(int RunnerOptions::*field)
{
    return [field](RunnerOptions &options, const QString &value, const Origin &origin) {
        const int msecs = parseInRange(value, 0, std::numeric_limits<int>::max());
        if (msecs < 0)
            return QStringLiteral("%1 needs a number of milliseconds, not '%2'")
                .arg(origin.subject(), value);
        options.*field = msecs;
        return QString();
    };
}

Apply flag(bool RunnerOptions::*field)
{
    return [field](RunnerOptions &options, const QString &value, const Origin &origin) {
        if (value != QLatin1String("true") && value != QLatin1String("false"))
            return QStringLiteral("%1 needs true or false, not '%2'").arg(origin.subject(), value);
        options.*field = value == QLatin1String("true");
        return QString();
    };
}

QString applyWorkers(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.workers = Supervisor::parseWorkerCount(value);
    if (options.workers < 0)
        return QStringLiteral("%1: %2, not '%3'")
            .arg(origin.subject(), Supervisor::workerCountError(QStringLiteral("COUNT")), value);
    return QString();
}

QString applyCrashLimit(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.crashLimit = parseInRange(value, 1, Supervisor::MaxCrashLimit);
    if (options.crashLimit < 0)
        return QStringLiteral("%1 needs a whole number between 1 and %2, not '%3'")
            .arg(origin.subject())
            .arg(Supervisor::MaxCrashLimit)
            .arg(value);
    return QString();
}

QString applyCrashWindow(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.crashWindow = parseInRange(value, 1, Supervisor::MaxCrashWindow);
    if (options.crashWindow < 0)
        return QStringLiteral("%1 needs a number of milliseconds between 1 and %2, not '%3'")
            .arg(origin.subject())
            .arg(Supervisor::MaxCrashWindow)
            .arg(value);
    return QString();
}

QString applyPolicy(RunnerOptions &options, const QString &value, const Origin &origin)
{
    SchedulingPolicy policy;
    if (!schedulingPolicyFromName(value, &policy))
        return origin.qualify(
            QStringLiteral("unknown policy '%1' (rr, none, reuseport, leastconn, sticky)")
                .arg(value));
    options.policy = policy;
    return QString();
}

QString applyMaxMemory(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.maxMemory = RunnerOptions::parseByteSize(value);
    if (options.maxMemory <= 0)
        return QStringLiteral("%1 needs a size such as 512M or 1G, not '%2'")
            .arg(origin.subject(), value);
    return QString();
}

QString applyMaxRequests(RunnerOptions &options, const QString &value, const Origin &origin)
{
    bool ok = false;
    options.maxRequests = value.toLongLong(&ok);
    if (!ok || options.maxRequests <= 0)
        return QStringLiteral("%1 needs a positive number, not '%2'").arg(origin.subject(), value);
    return QString();
}

QString applyListenWarning(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.listenWarning = parseInRange(value, 0, Settings::MaxListenWarningTimeout);
    if (options.listenWarning < 0)
        return QStringLiteral("%1 needs a number of milliseconds between 0 and %2, not '%3'")
            .arg(origin.subject())
            .arg(Settings::MaxListenWarningTimeout)
            .arg(value);
    return QString();
}

QString applyCwd(RunnerOptions &options, const QString &value, const Origin &origin)
{
    const QString directory = origin.absolutePath(value);
    if (value.isEmpty() || !QFileInfo(directory).isDir())
        return QStringLiteral("%1: no such directory: %2").arg(origin.subject(), value);
    options.cwd = directory;
    return QString();
}

// Opened when the cluster starts, where an error can name it; here only what is plainly wrong.
QString applyLogFile(RunnerOptions &options, const QString &value, const Origin &origin)
{
    if (value.isEmpty())
        return QStringLiteral("%1: needs the path of a file").arg(origin.subject());
    const QString path = origin.absolutePath(value);
    if (QFileInfo(path).isDir())
        return QStringLiteral("%1: %2 is a directory, not a file").arg(origin.subject(), value);
    options.logFile = path;
    return QString();
}

QString applyEnvironment(RunnerOptions &options, const QString &value, const Origin &origin)
{
    static const QRegularExpression pattern(QStringLiteral("^([A-Za-z_][A-Za-z0-9_]*)=(.*)$"));
    const QRegularExpressionMatch match = pattern.match(value);
    if (!match.hasMatch())
        return QStringLiteral("%1 needs NAME=VALUE (NAME of letters, digits and _), not '%2'")
            .arg(origin.subject(), value);
    options.environment.insert(match.captured(1), match.captured(2));
    return QString();
}

// A user or group as a name or a number; -1 if there is no such name.
QString applyUser(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.uid = parseInRange(value, 0, std::numeric_limits<int>::max());
    if (options.uid < 0) {
        const passwd *entry = ::getpwnam(value.toLocal8Bit().constData());
        options.uid = entry ? int(entry->pw_uid) : -1;
    }
    if (options.uid < 0)
        return QStringLiteral("%1: no such user: '%2'").arg(origin.subject(), value);
    return QString();
}

QString applyGroup(RunnerOptions &options, const QString &value, const Origin &origin)
{
    options.gid = parseInRange(value, 0, std::numeric_limits<int>::max());
    if (options.gid < 0) {
        const group *entry = ::getgrnam(value.toLocal8Bit().constData());
        options.gid = entry ? int(entry->gr_gid) : -1;
    }
    if (options.gid < 0)
        return QStringLiteral("%1: no such group: '%2'").arg(origin.subject(), value);
    return QString();
}

QString applyControl(RunnerOptions &options, const QString &value, const Origin &)
{
    options.control = value;
    return QString();
}

QString applyMetrics(RunnerOptions &options, const QString &value, const Origin &origin)
{
    QHostAddress address;
    quint16 port = 0;
    QString why;
    if (!MetricsServer::parseAddress(value, &address, &port, &why))
        return QStringLiteral("%1: %2").arg(origin.subject(), why);
    options.metrics = value;
    return QString();
}

QString applyProgram(RunnerOptions &options, const QString &value, const Origin &origin)
{
    if (value.isEmpty())
        return QStringLiteral("%1 needs a program").arg(origin.subject());
    options.program = value;
    return QString();
}

QString applyArguments(RunnerOptions &options, const QString &value, const Origin &)
{
    options.arguments = QProcess::splitCommand(value);
    return QString();
}

// Every option, in the order --help shows them.
const QList<Option> &optionTable()
{
    static const QList<Option> table {
        { QStringLiteral("program"), {}, QStringLiteral("PATH"),
            QStringLiteral("The program (in the file; on the command line: -- PROGRAM)."),
            applyProgram, false },
        { QStringLiteral("arguments"), {}, QStringLiteral("ARGS"),
            QStringLiteral("Its arguments, split as a shell would (in the file)."), applyArguments,
            false },
        { QStringLiteral("workers"), QStringLiteral("w"), QStringLiteral("COUNT"),
            QStringLiteral("Number of workers, 0 to %1 (default: one per CPU core).")
                .arg(Supervisor::DefaultMaxWorkers),
            applyWorkers },
        { QStringLiteral("policy"), {}, QStringLiteral("NAME"),
            QStringLiteral("How workers share ports: rr, none, reuseport, leastconn, sticky "
                           "(default: rr, or LIBCLUSTER_SCHED_POLICY)."),
            applyPolicy },
        { QStringLiteral("respawn"), {}, {},
            QStringLiteral("Replace workers that exit unasked, with backoff; give up on a crash "
                           "loop."),
            flag(&RunnerOptions::respawn) },
        { QStringLiteral("crash-limit"), {}, QStringLiteral("N"),
            QStringLiteral(
                "With --respawn: give up when one worker slot exits unexpectedly more than N "
                "times within --crash-window, or more than N (at least the number of "
                "workers) workers in a row die before they are ready (default %1).")
                .arg(Supervisor::DefaultCrashLimit),
            applyCrashLimit },
        { QStringLiteral("crash-window"), {}, QStringLiteral("MS"),
            QStringLiteral("The time --crash-limit counts over, in milliseconds (default %1).")
                .arg(Supervisor::DefaultCrashWindow),
            applyCrashWindow },
        { QStringLiteral("control"), {}, QStringLiteral("NAME"),
            QStringLiteral("Expose the control endpoint NAME for 'cluster-run ctl NAME ...' and "
                           "the monitor."),
            applyControl },
        { QStringLiteral("max-memory"), {}, QStringLiteral("SIZE"),
            QStringLiteral("Replace a worker whose resident memory exceeds SIZE (bytes, or with "
                           "K, M, G)."),
            applyMaxMemory },
        { QStringLiteral("max-requests"), {}, QStringLiteral("N"),
            QStringLiteral("Replace a worker after it has served N requests."), applyMaxRequests },
        { QStringLiteral("heartbeat"), {}, QStringLiteral("MS"),
            QStringLiteral("Ping each worker every MS milliseconds; replace one that does not "
                           "answer within --heartbeat-timeout."),
            milliseconds(&RunnerOptions::heartbeat) },
        { QStringLiteral("heartbeat-timeout"), {}, QStringLiteral("MS"),
            QStringLiteral("How long a worker may take to answer (default: 3 heartbeats)."),
            milliseconds(&RunnerOptions::heartbeatTimeout) },
        { QStringLiteral("disconnect-timeout"), {}, QStringLiteral("MS"),
            QStringLiteral("Kill a disconnecting worker after MS milliseconds (default 10000; 0 "
                           "waits forever)."),
            milliseconds(&RunnerOptions::disconnectTimeout) },
        { QStringLiteral("shutdown-timeout"), {}, QStringLiteral("MS"),
            QStringLiteral("On SIGTERM/SIGINT or 'ctl shutdown', kill what still runs after MS "
                           "milliseconds (default 10000)."),
            milliseconds(&RunnerOptions::shutdownTimeout) },
        { QStringLiteral("listen-warning"), {}, QStringLiteral("MS"),
            QStringLiteral("Warn of a worker that has not listened on the cluster's port MS "
                           "milliseconds after it came online, 0 to %1 (default %2; 0 for "
                           "workers that do not listen).")
                .arg(Settings::MaxListenWarningTimeout)
                .arg(Settings::DefaultListenWarningTimeout),
            applyListenWarning },
        { QStringLiteral("cwd"), {}, QStringLiteral("DIR"),
            QStringLiteral("Working directory of the workers."), applyCwd },
        { QStringLiteral("env"), {}, QStringLiteral("NAME=VALUE"),
            QStringLiteral("Set NAME in the workers' environment (may be repeated)."),
            applyEnvironment, true, true },
        { QStringLiteral("user"), {}, QStringLiteral("USER"),
            QStringLiteral("Run the workers as USER (a name or a uid), with its group unless "
                           "--group says otherwise; the primary must run as root."),
            applyUser },
        { QStringLiteral("group"), {}, QStringLiteral("GROUP"),
            QStringLiteral("Run the workers with GROUP (a name or a gid)."), applyGroup },
        { QStringLiteral("metrics"), {}, QStringLiteral("ADDR:PORT"),
            QStringLiteral("Serve Prometheus metrics (/metrics) and health probes (/healthz, "
                           "/readyz) on ADDR:PORT, or on loopback for a bare PORT."),
            applyMetrics },
        { QStringLiteral("log-file"), {}, QStringLiteral("PATH"),
            QStringLiteral("Write the events and the workers' output to PATH (appending) "
                           "instead of standard output and error; SIGUSR1 re-opens it."),
            applyLogFile },
        { QStringLiteral("json"), {}, {},
            QStringLiteral("Print events as JSON lines (see docs/control-protocol.md)."),
            flag(&RunnerOptions::json) },
    };
    return table;
}

const Option *findOption(const QString &name)
{
    for (const Option &option : optionTable())
        if (option.name == name)
            return &option;
    return nullptr;
}

const char Description[]
    = "Runs PROGRAM, a program built with libcluster, as a cluster of worker processes:\n"
      "the primary (this process) forks the workers, shares their server ports, prints\n"
      "their events, and shuts them down gracefully on SIGTERM or SIGINT.\n"
      "\n"
      "  cluster-run [options] -- PROGRAM [ARGS...]\n"
      "  cluster-run [options] --config FILE [NAME] [-- PROGRAM [ARGS...]]\n"
      "                                 run the cluster NAME of FILE (an INI file: one\n"
      "                                 [NAME] section per cluster, each option a key),\n"
      "                                 or without NAME every cluster of FILE, each in a\n"
      "                                 cluster-run of its own whose lines start with\n"
      "                                 'NAME | '; the command line overrides the file\n"
      "  cluster-run --check-config FILE [NAME]   check FILE without starting anything\n"
      "  cluster-run ctl [--json] NAME COMMAND [ARGS...]   control a primary started with\n"
      "                                                    --control NAME (cluster-run ctl "
      "--help)\n"
      "\n"
      "Without --respawn or --control, cluster-run ends once no worker is left: with 0 if\n"
      "they all exited with 0, else 1.\n"
      "Running every cluster of FILE, cluster-run passes SIGTERM, SIGINT and SIGUSR1 on to\n"
      "each; SIGHUP re-reads FILE, starts the clusters added, stops those removed and\n"
      "reloads the others. A cluster that fails (exits non-zero or is killed) is started\n"
      "again after 1 s, doubling up to 60 s; one that ends with 0 is done. cluster-run\n"
      "ends when every cluster has: 0 if each ended with 0, else 1.\n"
      "Exit codes: 0 after a graceful shutdown, 1 on failure (an invalid FILE included),\n"
      "2 on a usage error.";

// Puts the options together: defaults, then the file, then the command line, then the checks
// that look at more than one option.
class Builder
{
public:
    Builder()
    {
        options.workers = QThread::idealThreadCount();
        options.crashLimit = Supervisor::DefaultCrashLimit;
        options.crashWindow = Supervisor::DefaultCrashWindow;
        options.heartbeatTimeout = -1;
        options.disconnectTimeout = 10000;
        options.shutdownTimeout = 10000;
    }

    void set(const Option &option, const QString &value, const Origin &origin)
    {
        const QString error = option.apply(options, value, origin);
        if (!error.isEmpty())
            fail(error, origin);
        else
            origins.insert(option.name, origin);
    }

    // The entries of one scope of the file (its defaults, or a section).
    void setFromFile(const ConfigFile &file, const QList<ConfigFile::Entry> &entries)
    {
        QHash<QString, int> seen;
        for (const ConfigFile::Entry &entry : entries) {
            const Origin origin { entry.key, file.path(), entry.line, file.directory() };
            const Option *option = findOption(entry.key);
            if (!option) {
                fail(origin.qualify(QStringLiteral("unknown key (known: %1)")
                                        .arg(knownKeys().join(QStringLiteral(", ")))),
                    origin);
                continue;
            }
            if (!option->repeatable && seen.contains(entry.key)) {
                fail(origin.qualify(
                         QStringLiteral("already set on line %1").arg(seen.value(entry.key))),
                    origin);
                continue;
            }
            seen.insert(entry.key, entry.line);
            set(*option, entry.value, origin);
        }
    }

    void finish()
    {
        if (!errors.isEmpty())
            return;
        const Origin programOrigin = origins.value(QStringLiteral("program"));
        if (options.program.isEmpty()) {
            if (options.configFile.isEmpty())
                fail(QStringLiteral(
                         "which program? Usage: cluster-run [options] -- PROGRAM [ARGS...]"),
                    {});
            else
                fail(QStringLiteral("%1: cluster '%2' names no program (program = PATH in the "
                                    "file, or -- PROGRAM [ARGS...] on the command line)")
                         .arg(configShown, options.configName),
                    Origin { {}, configShown, 0, {} });
            return;
        }
        const Origin workersOrigin = origins.value(QStringLiteral("workers"));
        if (options.workers == 0 && options.control.isEmpty()) {
            fail(
                QStringLiteral("%1 0 makes sense only with --control").arg(workersOrigin.subject()),
                workersOrigin);
            return;
        }
        // Three heartbeats, capped: a heartbeat near INT_MAX must not overflow into a negative
        // timeout.
        if (options.heartbeatTimeout < 0)
            options.heartbeatTimeout
                = int(qMin<qint64>(qint64(options.heartbeat) * 3, std::numeric_limits<int>::max()));
        if (options.uid >= 0 && !origins.contains(QStringLiteral("group"))) {
            const passwd *entry = ::getpwuid(uid_t(options.uid));
            options.gid = entry ? int(entry->pw_gid) : -1;
        }
        QString why;
        options.program = resolveProgram(options.program, programOrigin, &why);
        if (options.program.isEmpty())
            fail(programOrigin.qualify(why), programOrigin);
    }

    // Without a file there is one error at most: the first.
    RunnerOptions::Result result() const
    {
        RunnerOptions::Result result;
        result.options = options;
        if (!errors.isEmpty()) {
            result.error = errors.constFirst();
            result.exitCode = fileErrors ? 1 : 2;
        }
        return result;
    }

    void fail(const QString &message, const Origin &origin)
    {
        errors.append(message);
        if (origin.inFile())
            fileErrors = true;
    }

    static QStringList knownKeys()
    {
        QStringList keys;
        for (const Option &option : optionTable())
            keys.append(option.name);
        return keys;
    }

    RunnerOptions options;
    QHash<QString, Origin> origins;
    QStringList errors;
    bool fileErrors = false;
    QString configShown;

private:
    // The program as a path: given with a slash, as is (relative to the file's directory when
    // it comes from the file); otherwise looked up in PATH.
    static QString resolveProgram(const QString &program, const Origin &origin, QString *error)
    {
        if (program.contains(QLatin1Char('/'))) {
            const QFileInfo info(origin.absolutePath(program));
            if (!info.exists()) {
                *error = QStringLiteral("program not found: %1").arg(program);
                return QString();
            }
            if (!info.isFile() || !info.isExecutable()) {
                *error = QStringLiteral("not an executable program: %1").arg(program);
                return QString();
            }
            return info.absoluteFilePath();
        }
        const QString found = QStandardPaths::findExecutable(program);
        if (found.isEmpty())
            *error = QStringLiteral("program not found in PATH: %1").arg(program);
        return found;
    }
};

RunnerOptions::Result usageError(const QString &message)
{
    RunnerOptions::Result result;
    result.error = message;
    result.exitCode = 2;
    return result;
}

// The command line's part, kept apart so that it can go on top of each cluster of a file.
struct CommandLine
{
    QList<QPair<const Option *, QString>> values;
    QStringList command; // PROGRAM [ARGS...], or empty
    QString configFile;
    QString configName;
    bool check = false;
};

// One cluster's options: the defaults, the file's defaults and its section, the command line.
Builder build(
    const CommandLine &commandLine, const ConfigFile *file, const ConfigFile::Section *section)
{
    Builder builder;
    if (file) {
        builder.options.configFile = QFileInfo(file->path()).absoluteFilePath();
        builder.options.configName = section ? section->name : QString();
        builder.configShown = file->path();
        builder.setFromFile(*file, file->defaults());
        if (section)
            builder.setFromFile(*file, section->entries);
    }
    for (const auto &[option, value] : commandLine.values)
        builder.set(*option, value, Origin { option->name, {}, 0, QDir::currentPath() });
    if (!commandLine.command.isEmpty()) {
        builder.options.program = commandLine.command.constFirst();
        builder.options.arguments = commandLine.command.mid(1);
        builder.origins.insert(QStringLiteral("program"),
            Origin { QStringLiteral("program"), {}, 0, QDir::currentPath() });
    }
    builder.finish();
    return builder;
}
} // namespace

namespace {

using ParsedOptions = QList<QPair<const Option *, QCommandLineOption>>;

// The command line's options, checked: a wrong one is reported whatever else is wrong.
QString readOptions(
    const QCommandLineParser &parser, const ParsedOptions &parsed, CommandLine *commandLine)
{
    Builder check;
    for (const auto &[option, cliOption] : parsed) {
        if (!parser.isSet(cliOption))
            continue;
        const QStringList values = option->valueName.isEmpty()
            ? QStringList { QStringLiteral("true") }
            : option->repeatable ? parser.values(cliOption)
                                 : QStringList { parser.value(cliOption) };
        for (const QString &value : values) {
            check.set(*option, value, Origin { option->name, {}, 0, QDir::currentPath() });
            if (!check.errors.isEmpty())
                return check.errors.constFirst();
            commandLine->values.append({ option, value });
        }
    }
    return QString();
}

// The operands: PROGRAM [ARGS...]; with a file, first the cluster's name, then optionally
// -- PROGRAM [ARGS...].
QString readOperands(const QStringList &arguments, QStringList positional, CommandLine *commandLine)
{
    if (!commandLine->configFile.isEmpty()) {
        // The parser drops a "--" before the first operand, and keeps one after it.
        const qsizetype dashes = arguments.indexOf(QStringLiteral("--"), 1);
        const bool commandOnly = dashes >= 0 && positional == arguments.mid(dashes + 1);
        if (!positional.isEmpty() && !commandOnly) {
            commandLine->configName = positional.takeFirst();
            if (!positional.isEmpty() && positional.takeFirst() != QLatin1String("--"))
                return QStringLiteral("after the cluster's name only -- PROGRAM [ARGS...] may "
                                      "follow (options go before --config)");
        }
        if (commandLine->check && !positional.isEmpty())
            return QStringLiteral("--check-config runs no program");
    }
    commandLine->command = positional;
    return QString();
}

// The clusters of the file that the command line names: NAME, or every one (to check, or to run
// side by side). A null section is a file without sections.
QString selectSections(const ConfigFile &file, const CommandLine &commandLine,
    QList<const ConfigFile::Section *> *sections)
{
    if (!commandLine.configName.isEmpty()) {
        const ConfigFile::Section *section = file.section(commandLine.configName);
        if (!section)
            return QStringLiteral("%1 has no cluster named '%2' (it has %3)")
                .arg(file.path(), commandLine.configName,
                    file.sections().isEmpty() ? QStringLiteral("no [NAME] sections")
                                              : file.sectionNames().join(QStringLiteral(", ")));
        sections->append(section);
    } else if (file.sections().isEmpty()) {
        sections->append(nullptr);
    } else {
        for (const ConfigFile::Section &section : file.sections())
            sections->append(&section);
    }
    return QString();
}

// Clusters that run side by side cannot share a control endpoint or a metrics address: the
// second would fail to start. Each mistake once, on the cluster that repeats it.
void checkSharedResources(const QList<Builder> &builders, QStringList *errors, bool *inFile)
{
    QHash<QString, QString> controls; // endpoint -> cluster
    QHash<QString, QString> metrics; // "address:port" -> cluster
    for (const Builder &builder : builders) {
        const QString cluster = builder.options.configName;
        const auto clash = [&](const QString &key, const QString &what, const QString &other) {
            const Origin origin = builder.origins.value(key);
            const QString error = QStringLiteral("%1: %2 is also [%3]'s: clusters of one file run "
                                                 "side by side, each needs its own")
                                      .arg(origin.subject(), what, other);
            if (!errors->contains(error))
                errors->append(error);
            *inFile = *inFile || origin.inFile();
        };
        const QString control = builder.options.control;
        if (!control.isEmpty() && controls.contains(control))
            clash(QStringLiteral("control"),
                QStringLiteral("the control endpoint '%1'").arg(control), controls.value(control));
        else if (!control.isEmpty())
            controls.insert(control, cluster);
        QHostAddress address;
        quint16 port = 0;
        if (builder.options.metrics.isEmpty()
            || !MetricsServer::parseAddress(builder.options.metrics, &address, &port) || port == 0)
            continue;
        const QString where = QStringLiteral("%1:%2").arg(address.toString()).arg(port);
        if (metrics.contains(where))
            clash(QStringLiteral("metrics"), QStringLiteral("the metrics address %1").arg(where),
                metrics.value(where));
        else
            metrics.insert(where, cluster);
    }
}

RunnerOptions::Result readConfigFile(const CommandLine &commandLine)
{
    RunnerOptions::Result result;
    ConfigFile file;
    if (!file.load(commandLine.configFile)) {
        result.error = file.errors().join(QLatin1Char('\n'));
        result.exitCode = 1;
        return result;
    }
    QList<const ConfigFile::Section *> sections;
    const QString usage = selectSections(file, commandLine, &sections);
    if (!usage.isEmpty())
        return usageError(usage);
    // Every mistake in the file at once, each said once (a default can be wrong for each
    // cluster).
    QStringList errors;
    bool inFile = commandLine.check;
    QList<Builder> builders;
    for (const ConfigFile::Section *section : std::as_const(sections)) {
        builders.append(build(commandLine, &file, section));
        const Builder &builder = builders.constLast();
        for (const QString &error : builder.errors)
            if (!errors.contains(error))
                errors.append(error);
        inFile = inFile || builder.fileErrors;
        result.options = builder.options;
    }
    if (errors.isEmpty() && builders.size() > 1)
        checkSharedResources(builders, &errors, &inFile);
    if (!errors.isEmpty()) {
        result.error = errors.join(QLatin1Char('\n'));
        result.exitCode = inFile ? 1 : 2;
    } else if (commandLine.check) {
        result.options.action = RunnerOptions::CheckConfig;
        result.options.text = file.sections().isEmpty()
            ? QStringLiteral("%1: valid").arg(file.path())
            : QStringLiteral("%1: valid (%2)")
                  .arg(file.path(),
                      commandLine.configName.isEmpty()
                          ? file.sectionNames().join(QStringLiteral(", "))
                          : commandLine.configName);
    } else if (sections.size() > 1) {
        result.options.action = RunnerOptions::RunAll;
        result.options.clusters = file.sectionNames();
    }
    return result;
}

RunnerOptions::Result textResult(RunnerOptions::Action action, const QString &text)
{
    RunnerOptions::Result result;
    result.options.action = action;
    result.options.text = text;
    return result;
}

} // namespace

RunnerOptions::Result RunnerOptions::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QString::fromLatin1(Description));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    ParsedOptions parsed;
    for (const Option &option : optionTable()) {
        if (!option.commandLine)
            continue;
        QStringList names { option.name };
        if (!option.shortName.isEmpty())
            names.prepend(option.shortName);
        parsed.append({ &option, QCommandLineOption(names, option.description, option.valueName) });
        parser.addOption(parsed.constLast().second);
    }
    const QCommandLineOption configOption(QStringLiteral("config"),
        QStringLiteral("Read the options from FILE (see above)."), QStringLiteral("FILE"));
    const QCommandLineOption checkOption(QStringLiteral("check-config"),
        QStringLiteral("Check FILE (every cluster in it, or NAME) and exit: 0 if it is valid, "
                       "1 with every mistake otherwise."),
        QStringLiteral("FILE"));
    parser.addOptions({ configOption, checkOption });
    parser.addPositionalArgument(QStringLiteral("PROGRAM"), QStringLiteral("The program to run."),
        QStringLiteral("-- PROGRAM"));
    parser.addPositionalArgument(
        QStringLiteral("ARGS"), QStringLiteral("Its arguments."), QStringLiteral("[ARGS...]"));

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        // The usage line names the program as it was started; say it as the user types it.
        return textResult(ShowHelp,
            parser.helpText().replace(
                arguments.value(0) + QLatin1Char(' '), QStringLiteral("cluster-run ")));
    }
    if (parser.isSet(versionOption))
        return textResult(ShowVersion,
            QStringLiteral("cluster-run %1").arg(QCoreApplication::applicationVersion()));

    CommandLine commandLine;
    QString error = readOptions(parser, parsed, &commandLine);
    commandLine.check = parser.isSet(checkOption);
    if (error.isEmpty() && commandLine.check && parser.isSet(configOption))
        error = QStringLiteral("--config and --check-config go separately");
    commandLine.configFile = parser.value(commandLine.check ? checkOption : configOption);
    if (error.isEmpty())
        error = readOperands(arguments, parser.positionalArguments(), &commandLine);
    if (!error.isEmpty())
        return usageError(error);
    return commandLine.configFile.isEmpty() ? build(commandLine, nullptr, nullptr).result()
                                            : readConfigFile(commandLine);
}

qint64 RunnerOptions::parseByteSize(const QString &text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)(?:i?[bB])?\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    double value = match.captured(1).toDouble();
    const QChar unit = match.captured(2).isEmpty() ? QChar() : match.captured(2).at(0).toUpper();
    const QString units = QStringLiteral("KMGT");
    for (qsizetype i = 0; unit != QChar() && i <= units.indexOf(unit); ++i)
        value *= 1024;
    if (value > 9.0e18)
        return -1;
    return qint64(value);
}

LibCluster::Settings RunnerOptions::settings() const
{
    Settings settings;
    if (policy)
        settings.setSchedulingPolicy(*policy);
    if (listenWarning >= 0)
        settings.setListenWarningTimeout(listenWarning);
    if (!cwd.isEmpty())
        settings.setCwd(cwd);
    if (!environment.isEmpty()) {
        QProcessEnvironment workers = QProcessEnvironment::systemEnvironment();
        for (auto it = environment.cbegin(); it != environment.cend(); ++it)
            workers.insert(it.key(), it.value());
        settings.setEnv(workers);
    }
    if (uid >= 0)
        settings.setUid(uid);
    if (gid >= 0)
        settings.setGid(gid);
    settings.setExec(program);
    settings.setArgs(arguments);
    // The workers' output comes through the primary, one prefixed line at a time (or as JSON),
    // so that it never tears the event lines apart.
    settings.setSilent(true);
    return settings;
}

bool RunnerOptions::workersDiffer(const RunnerOptions &other) const
{
    return program != other.program || arguments != other.arguments
        || environment != other.environment || cwd != other.cwd || uid != other.uid
        || gid != other.gid;
}

void RunnerOptions::configure(Supervisor *supervisor) const
{
    supervisor->setRespawn(respawn);
    supervisor->setCrashLimit(crashLimit, crashWindow);
    supervisor->setMemoryLimit(maxMemory);
    supervisor->setRequestLimit(maxRequests);
    supervisor->setHeartbeat(heartbeat, heartbeatTimeout);
    supervisor->setDisconnectTimeout(disconnectTimeout);
}

bool RunnerOptions::operator==(const RunnerOptions &other) const
{
    return action == other.action && text == other.text && program == other.program
        && arguments == other.arguments && environment == other.environment && uid == other.uid
        && gid == other.gid && cwd == other.cwd && workers == other.workers
        && policy == other.policy && respawn == other.respawn && crashLimit == other.crashLimit
        && crashWindow == other.crashWindow && maxMemory == other.maxMemory
        && maxRequests == other.maxRequests && heartbeat == other.heartbeat
        && heartbeatTimeout == other.heartbeatTimeout
        && disconnectTimeout == other.disconnectTimeout && shutdownTimeout == other.shutdownTimeout
        && listenWarning == other.listenWarning && control == other.control
        && metrics == other.metrics && logFile == other.logFile && json == other.json
        && configFile == other.configFile && configName == other.configName
        && clusters == other.clusters;
}

namespace {

// What a key is written as: the values that read back to the option (several for a repeatable
// key), none when it is unset.
using Write = std::function<QStringList(const RunnerOptions &)>;

QStringList number(qint64 value)
{
    return { QString::number(value) };
}

QStringList text(const QString &value)
{
    return value.isEmpty() ? QStringList() : QStringList { value };
}

QStringList boolean(bool value)
{
    return { value ? QStringLiteral("true") : QStringLiteral("false") };
}

QStringList byteSize(qint64 bytes)
{
    if (bytes <= 0)
        return {};
    const QString units = QStringLiteral("KMGT");
    qsizetype unit = -1;
    while (unit + 1 < units.size() && bytes % 1024 == 0) {
        bytes /= 1024;
        ++unit;
    }
    return { unit < 0 ? QString::number(bytes) : QString::number(bytes) + units.at(unit) };
}

// A user or group by name where it has one, so that the file reads as it would be written.
QStringList userName(int uid)
{
    if (uid < 0)
        return {};
    const passwd *entry = ::getpwuid(uid_t(uid));
    return { entry ? QString::fromLocal8Bit(entry->pw_name) : QString::number(uid) };
}

QStringList groupName(int gid)
{
    if (gid < 0)
        return {};
    const group *entry = ::getgrgid(gid_t(gid));
    return { entry ? QString::fromLocal8Bit(entry->gr_name) : QString::number(gid) };
}

// The writer of every key of optionTable(), the reverse of its Apply.
const QHash<QString, Write> &writers()
{
    using O = RunnerOptions;
    static const QHash<QString, Write> table {
        { QStringLiteral("program"), [](const O &o) { return text(o.program); } },
        { QStringLiteral("arguments"),
            [](const O &o) {
                return o.arguments.isEmpty() ? QStringList()
                                             : QStringList { O::joinArguments(o.arguments) };
            } },
        { QStringLiteral("workers"), [](const O &o) { return number(o.workers); } },
        { QStringLiteral("policy"),
            [](const O &o) {
                return o.policy ? QStringList { schedulingPolicyName(*o.policy) } : QStringList();
            } },
        { QStringLiteral("respawn"), [](const O &o) { return boolean(o.respawn); } },
        { QStringLiteral("crash-limit"), [](const O &o) { return number(o.crashLimit); } },
        { QStringLiteral("crash-window"), [](const O &o) { return number(o.crashWindow); } },
        { QStringLiteral("control"), [](const O &o) { return text(o.control); } },
        { QStringLiteral("max-memory"), [](const O &o) { return byteSize(o.maxMemory); } },
        { QStringLiteral("max-requests"),
            [](const O &o) { return o.maxRequests > 0 ? number(o.maxRequests) : QStringList(); } },
        { QStringLiteral("heartbeat"), [](const O &o) { return number(o.heartbeat); } },
        { QStringLiteral("heartbeat-timeout"),
            [](const O &o) { return number(o.heartbeatTimeout); } },
        { QStringLiteral("disconnect-timeout"),
            [](const O &o) { return number(o.disconnectTimeout); } },
        { QStringLiteral("shutdown-timeout"),
            [](const O &o) { return number(o.shutdownTimeout); } },
        { QStringLiteral("listen-warning"),
            [](const O &o) {
                return o.listenWarning >= 0 ? number(o.listenWarning) : QStringList();
            } },
        { QStringLiteral("cwd"), [](const O &o) { return text(o.cwd); } },
        { QStringLiteral("env"),
            [](const O &o) {
                QStringList values;
                for (auto it = o.environment.cbegin(); it != o.environment.cend(); ++it)
                    values.append(it.key() + QLatin1Char('=') + it.value());
                return values;
            } },
        { QStringLiteral("user"), [](const O &o) { return userName(o.uid); } },
        { QStringLiteral("group"), [](const O &o) { return groupName(o.gid); } },
        { QStringLiteral("metrics"), [](const O &o) { return text(o.metrics); } },
        { QStringLiteral("log-file"), [](const O &o) { return text(o.logFile); } },
        { QStringLiteral("json"), [](const O &o) { return boolean(o.json); } },
    };
    return table;
}

} // namespace

bool RunnerOptions::configClusters(const QString &path, QStringList *names, QString *error)
{
    ConfigFile file;
    if (!file.load(path)) {
        *error = file.errors().join(QLatin1Char('\n'));
        return false;
    }
    *names = file.sectionNames();
    return true;
}

RunnerOptions::Result RunnerOptions::fromConfigFile(const QString &path, const QString &name)
{
    CommandLine commandLine;
    commandLine.configFile = path;
    commandLine.configName = name;
    return readConfigFile(commandLine);
}

QString RunnerOptions::toConfigText(
    const QString &name, QString *error, const QStringList &alsoWrite) const
{
    // What the file need not say: cluster-run's defaults, with what finish() derives from the
    // other keys. Program and workers are always written (the default count is the machine's).
    RunnerOptions unsaid = Builder().options;
    unsaid.program.clear();
    unsaid.workers = -1;
    unsaid.heartbeatTimeout
        = int(qMin<qint64>(qint64(heartbeat) * 3, std::numeric_limits<int>::max()));
    if (uid >= 0) {
        const passwd *entry = ::getpwuid(uid_t(uid));
        unsaid.gid = entry ? int(entry->pw_gid) : -1;
    }
    ConfigFile::Section section { name, 0, {} };
    QList<QPair<const Option *, QStringList>> written;
    for (const Option &option : optionTable()) {
        const Write write = writers().value(option.name);
        if (!write) {
            *error = QStringLiteral("%1: this key cannot be written yet").arg(option.name);
            return QString();
        }
        const QStringList values = write(*this);
        if (values == write(unsaid) && !alsoWrite.contains(option.name))
            continue;
        written.append({ &option, values });
        for (const QString &value : values)
            section.entries.append(ConfigFile::Entry { option.name, value, 0 });
    }
    const QString text = ConfigFile::format(section, error);
    if (text.isEmpty())
        return QString();
    // Read back as cluster-run will, or refused: QProcess::splitCommand() drops an empty
    // argument, for one.
    for (const auto &[option, values] : std::as_const(written)) {
        RunnerOptions back = *this;
        back.environment.clear();
        for (const QString &value : values) {
            const QString why = option->apply(back, value, Origin { option->name, {}, 0, {} });
            if (!why.isEmpty()) {
                *error = why;
                return QString();
            }
        }
        if (writers().value(option->name)(back) != values) {
            *error = QStringLiteral("%1: '%2' would not read back the same")
                         .arg(option->name, values.join(QLatin1Char(' ')));
            return QString();
        }
    }
    return text;
}

namespace {
// The options `text` gives as the cluster `name` of a file at `path`, read as cluster-run reads
// it (from a temporary file next to it, so that relative paths mean the same).
RunnerOptions::Result readBack(const QString &text, const QString &path, const QString &name)
{
    RunnerOptions::Result result;
    QTemporaryFile file(QFileInfo(path).absolutePath() + QStringLiteral("/.cluster-check-XXXXXX"));
    if (!file.open()) {
        // A folder the file cannot be written to: its own error comes when it is written.
        file.setFileTemplate(QDir::temp().filePath(QStringLiteral("cluster-check-XXXXXX")));
        if (!file.open()) {
            result.error = QStringLiteral("cannot check the file: %1").arg(file.errorString());
            return result;
        }
    }
    const QByteArray bytes = text.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        result.error = QStringLiteral("cannot check the file: %1").arg(file.errorString());
        return result;
    }
    result = RunnerOptions::fromConfigFile(file.fileName(), name);
    result.error.replace(file.fileName(), path);
    return result;
}

// What runs, whatever file it came from.
bool sameCluster(RunnerOptions a, RunnerOptions b)
{
    a.configFile = b.configFile;
    a.configName = b.configName;
    a.action = b.action;
    a.text = b.text;
    return a == b;
}
} // namespace

QString RunnerOptions::configFileText(
    const QString &path, const QString &name, QString *error) const
{
    ConfigFile existing;
    const bool keep = !name.isEmpty() && QFileInfo::exists(path);
    // A cluster without a name would replace the whole file: never the clusters it holds.
    if (name.isEmpty() && QFileInfo::exists(path) && existing.load(path)
        && !existing.sections().isEmpty()) {
        *error = QStringLiteral("%1 holds named clusters, which a cluster without a name would "
                                "replace; give this one a name (a control endpoint) or choose "
                                "another file")
                     .arg(path);
        return QString();
    }
    if (keep && !existing.load(path)) {
        *error = QStringLiteral("%1 is not a valid configuration, so its other clusters cannot "
                                "be kept; fix it or choose another file:\n%2")
                     .arg(path, existing.errors().join(QLatin1Char('\n')));
        return QString();
    }
    QStringList lines;
    qsizetype from = 0;
    qsizetype to = 0;
    if (keep && !existing.sections().isEmpty()) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
            return QString();
        }
        lines = QString::fromUtf8(file.read(ConfigFile::MaxSize)).split(QLatin1Char('\n'));
        if (!lines.isEmpty() && lines.constLast().isEmpty())
            lines.removeLast();
        // [name] runs from its header to the next section; a new one goes at the end.
        from = to = lines.size();
        const QList<ConfigFile::Section> &sections = existing.sections();
        for (qsizetype i = 0; i < sections.size(); ++i) {
            if (sections.at(i).name != name)
                continue;
            from = sections.at(i).line - 1;
            to = i + 1 < sections.size() ? sections.at(i + 1).line - 1 : lines.size();
            // The comments above the next section are that section's.
            while (to > from + 1
                && (lines.at(to - 1).trimmed().isEmpty()
                    || lines.at(to - 1).trimmed().startsWith(QLatin1Char('#'))
                    || lines.at(to - 1).trimmed().startsWith(QLatin1Char(';'))))
                --to;
        }
    } else {
        lines = QStringList { QStringLiteral("# A cluster-run configuration."),
            QStringLiteral("#   check: cluster-run --check-config %1").arg(path),
            name.isEmpty()
                ? QStringLiteral("#   run:   cluster-run --config %1").arg(path)
                : QStringLiteral("#   run:   cluster-run --config %1 %2").arg(path, name) };
        from = to = lines.size();
    }
    // Keys the file sets for every cluster would apply to this one too: where they change it,
    // this cluster says its own value.
    QStringList alsoWrite;
    for (int attempt = 0; attempt < 2; ++attempt) {
        const QString section = toConfigText(name, error, alsoWrite);
        if (section.isEmpty())
            return QString();
        QStringList merged = lines.mid(0, from);
        if (!merged.isEmpty() && !merged.constLast().trimmed().isEmpty() && from == lines.size())
            merged.append(QString());
        merged += section.split(QLatin1Char('\n'));
        merged.removeLast(); // after the last line break
        if (to < lines.size() && !lines.at(to).trimmed().isEmpty())
            merged.append(QString());
        merged += lines.mid(to);
        const QString text = merged.join(QLatin1Char('\n')) + QLatin1Char('\n');
        const Result back = readBack(text, path, name);
        if (!back.ok()) {
            *error = back.error;
            return QString();
        }
        if (sameCluster(back.options, *this))
            return text;
        const QStringList keys = differingKeys(back.options, *this);
        if (keys.isEmpty()) {
            *error = QStringLiteral("%1: the cluster would not read back the same").arg(path);
            return QString();
        }
        if (attempt == 1) {
            *error = QStringLiteral("%1 sets %2 for every cluster, which [%3] cannot undo; "
                                    "choose another file")
                         .arg(path, keys.join(QStringLiteral(", ")), name);
            return QString();
        }
        alsoWrite += keys;
    }
    return QString();
}

QStringList RunnerOptions::differingKeys(const RunnerOptions &a, const RunnerOptions &b)
{
    QStringList keys;
    for (const Option &option : optionTable()) {
        const Write write = writers().value(option.name);
        if (write && write(a) != write(b))
            keys.append(option.name);
    }
    return keys;
}

QString RunnerOptions::joinArguments(const QStringList &arguments)
{
    QStringList quoted;
    for (QString argument : arguments) {
        if (argument.isEmpty() || argument.contains(QLatin1Char(' '))
            || argument.contains(QLatin1Char('"')) || argument.contains(QLatin1Char('\t'))) {
            argument.replace(QLatin1String("\""), QLatin1String("\"\"\""));
            argument = QLatin1Char('"') + argument + QLatin1Char('"');
        }
        quoted.append(argument);
    }
    return quoted.join(QLatin1Char(' '));
}
