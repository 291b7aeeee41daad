// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// CommandLine: cluster-monitor's options, read with QCommandLineParser.
#include "commandline.h"

#include <libcluster/controlclient.h>
#include <libcluster/supervisor.h>

#include <QCommandLineParser>
#include <QSettings>

#include <cstdio>
#include <cstring>

using namespace Monitor;

namespace {

// As cluster-run says it: the program, the mistake, and where to read more. Exit code 2.
int usageError(const QString &message)
{
    std::fprintf(stderr, "cluster-monitor: %s\n", qPrintable(message));
    std::fprintf(stderr, "%s\n",
        qPrintable(CommandLine::tr("Try 'cluster-monitor --help' for more information.")));
    return 2;
}

void printLine(const QString &text)
{
    std::fprintf(stdout, "%s\n", qPrintable(text));
    std::fflush(stdout);
}

} // namespace

int CommandLine::parse(const QStringList &arguments, Options *options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Starts a cluster of worker processes and monitors it. Without options: hello-http "
           "workers, one per core, on port 8000, round-robin."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption headless(
        QStringLiteral("headless"), tr("Run without a window; print live counts to the terminal."));
    const QCommandLineOption lang(QStringLiteral("lang"),
        tr("Language of the interface: de, fr or en."), QStringLiteral("LANG"));
    const QCommandLineOption program(QStringLiteral("program"),
        tr("The worker program (default: hello-http). Its arguments "
           "follow after --."),
        QStringLiteral("PATH"));
    const QCommandLineOption workers(QStringLiteral("workers"),
        tr("Number of workers, 0 to %1 (default: one per core).")
            .arg(LibCluster::Supervisor::DefaultMaxWorkers),
        QStringLiteral("COUNT"));
    const QCommandLineOption respawn(QStringLiteral("respawn"),
        tr("Replace workers that exit unexpectedly, with backoff; give up on a crash loop "
           "(the default)."));
    const QCommandLineOption noRespawn(QStringLiteral("no-respawn"),
        tr("Leave workers that exit unexpectedly gone, as Node's cluster does."));
    const QCommandLineOption crashLimit(QStringLiteral("crash-limit"),
        tr("With --respawn: give up when one worker slot exits unexpectedly more than N times "
           "within --crash-window, or more than N (at least the number of workers) workers in "
           "a row die before they are ready (default %1).")
            .arg(LibCluster::Supervisor::DefaultCrashLimit),
        QStringLiteral("N"));
    const QCommandLineOption crashWindow(QStringLiteral("crash-window"),
        tr("The time --crash-limit counts over, in milliseconds (default %1).")
            .arg(LibCluster::Supervisor::DefaultCrashWindow),
        QStringLiteral("MS"));
    const QCommandLineOption port(
        QStringLiteral("port"), tr("Port for hello-http (default: 8000)."), QStringLiteral("P"));
    const QCommandLineOption policy(QStringLiteral("policy"),
        tr("Scheduling policy: rr, none, reuseport, leastconn, sticky."), QStringLiteral("NAME"));
    const QCommandLineOption noCapture(QStringLiteral("no-capture"),
        tr("Pass the workers' output through instead of capturing it."));
    const QCommandLineOption last(
        QStringLiteral("last"), tr("Start the cluster last chosen in the New cluster dialog."));
    const QCommandLineOption control(QStringLiteral("control"),
        tr("Name of the started cluster's control endpoint (default: monitor-PID)."),
        QStringLiteral("NAME"));
    const QCommandLineOption attach(QStringLiteral("attach"),
        tr("Start no cluster: attach to the one behind the control endpoint NAME (cluster-run "
           "--control NAME), or ssh://[user@]host[:port]/NAME on another host, and follow it, "
           "also across restarts."),
        QStringLiteral("NAME"));
    parser.addOptions({ headless, lang, program, workers, respawn, noRespawn, crashLimit,
        crashWindow, port, policy, noCapture, last, control, attach });
    parser.addPositionalArgument(QStringLiteral("arguments"), tr("The worker program's arguments."),
        QStringLiteral("[-- arguments...]"));
    // Not process(): that exits with 1, and --help and --version would go through a message box
    // on some platforms.
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(helpOption)) {
        // The usage line names the program as it was started; say it as the user types it.
        QString help = parser.helpText();
        help.replace(arguments.constFirst() + QLatin1Char(' '), QStringLiteral("cluster-monitor "));
        printLine(help);
        return 0;
    }
    if (parser.isSet(versionOption)) {
        printLine(QStringLiteral("cluster-monitor %1").arg(QCoreApplication::applicationVersion()));
        return 0;
    }

    options->headless = parser.isSet(headless);
    options->language = parser.value(lang);
    if (!options->language.isEmpty()
        && !QStringList { QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("en") }
                .contains(options->language)) {
        return usageError(tr("Unknown language %1; use de, fr or en.").arg(options->language));
    }

    bool ok = true;
    const uint portNumber = parser.isSet(port) ? parser.value(port).toUInt(&ok) : 8000;
    if (!ok || portNumber > 65535) {
        return usageError(tr("Invalid port %1.").arg(parser.value(port)));
    }
    if (parser.isSet(last)) {
        QSettings settings;
        options->config = ClusterConfig::load(settings);
    } else {
        options->config = ClusterConfig::defaults(quint16(portNumber));
    }
    if (parser.isSet(program)) {
        options->config.program = parser.value(program);
        options->config.arguments = parser.positionalArguments();
    } else if (!parser.positionalArguments().isEmpty()) {
        options->config.arguments += parser.positionalArguments();
    }
    if (parser.isSet(workers)) {
        const int count = LibCluster::Supervisor::parseWorkerCount(parser.value(workers));
        if (count < 0) {
            return usageError(
                QStringLiteral("--workers: %1, not '%2'")
                    .arg(LibCluster::Supervisor::workerCountError(QStringLiteral("COUNT")),
                        parser.value(workers)));
        }
        options->config.workers = count;
    }
    if (parser.isSet(respawn) && parser.isSet(noRespawn))
        return usageError(tr("--respawn and --no-respawn exclude each other."));
    if (parser.isSet(respawn))
        options->config.respawn = true;
    if (parser.isSet(noRespawn))
        options->config.respawn = false;
    if (parser.isSet(crashLimit)) {
        const int limit = parser.value(crashLimit).toInt(&ok);
        if (!ok || limit < 1 || limit > LibCluster::Supervisor::MaxCrashLimit) {
            return usageError(tr("--crash-limit needs a whole number between 1 and %1, not '%2'.")
                                  .arg(LibCluster::Supervisor::MaxCrashLimit)
                                  .arg(parser.value(crashLimit)));
        }
        options->config.crashLimit = limit;
    }
    if (parser.isSet(crashWindow)) {
        const int window = parser.value(crashWindow).toInt(&ok);
        if (!ok || window < 1 || window > LibCluster::Supervisor::MaxCrashWindow) {
            return usageError(tr("--crash-window needs a number of milliseconds between 1 and %1, "
                                 "not '%2'.")
                                  .arg(LibCluster::Supervisor::MaxCrashWindow)
                                  .arg(parser.value(crashWindow)));
        }
        options->config.crashWindow = window;
    }
    if (parser.isSet(policy)
        && !LibCluster::schedulingPolicyFromName(parser.value(policy), &options->config.policy)) {
        return usageError(tr("Unknown policy %1.").arg(parser.value(policy)));
    }
    if (parser.isSet(noCapture) || options->headless)
        options->config.captureOutput = !parser.isSet(noCapture) && !options->headless;
    if (parser.isSet(control)) {
        if (!ClusterConfig::isValidEndpointName(parser.value(control))) {
            return usageError(tr("Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not "
                                 "starting with a dot.")
                                  .arg(parser.value(control)));
        }
        options->config.controlName = parser.value(control);
    }
    if (parser.isSet(attach)) {
        options->attach = parser.value(attach);
        QString why;
        if (LibCluster::ControlClient::isRemoteEndpoint(options->attach)) {
            if (!LibCluster::ControlClient::isValidEndpoint(options->attach, &why))
                return usageError(why);
        } else if (!ClusterConfig::isValidEndpointName(options->attach)) {
            return usageError(tr("Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not "
                                 "starting with a dot; or ssh://[user@]host[:port]/NAME for one "
                                 "on another host.")
                                  .arg(options->attach));
        }
        if (options->headless) {
            return usageError(tr("--attach needs the window; without a display, follow the "
                                 "cluster with: cluster-run ctl %1 watch")
                                  .arg(options->attach));
        }
    }
    return -1;
}

QString CommandLine::languageArgument(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--lang") && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (!std::strncmp(argv[i], "--lang=", 7))
            return QString::fromLocal8Bit(argv[i] + 7);
    }
    return QString();
}

QStringList CommandLine::withoutQtOptions(const QStringList &arguments)
{
    static const QStringList withValue { QStringLiteral("platform"),
        QStringLiteral("platformpluginpath"), QStringLiteral("platformtheme"),
        QStringLiteral("plugin"), QStringLiteral("qwindowgeometry"), QStringLiteral("geometry"),
        QStringLiteral("qwindowtitle"), QStringLiteral("title"), QStringLiteral("qwindowicon"),
        QStringLiteral("icon"), QStringLiteral("display"), QStringLiteral("name"),
        QStringLiteral("style"), QStringLiteral("stylesheet"), QStringLiteral("session") };
    static const QStringList flags { QStringLiteral("reverse"), QStringLiteral("widgetcount"),
        QStringLiteral("testability"), QStringLiteral("nograb"), QStringLiteral("dograb"),
        QStringLiteral("sync") };
    QStringList kept;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (i == 0 || !argument.startsWith(QLatin1Char('-'))) {
            kept.append(argument);
            continue;
        }
        if (argument == QLatin1String("--")) {
            kept += arguments.mid(i);
            break;
        }
        QString name = argument.mid(argument.startsWith(QLatin1String("--")) ? 2 : 1);
        if (name.startsWith(QLatin1String("qmljsdebugger=")) || flags.contains(name))
            continue;
        if (withValue.contains(name)) {
            ++i;
            continue;
        }
        kept.append(argument);
    }
    return kept;
}
