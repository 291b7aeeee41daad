// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-monitor: starts a cluster and shows it in a window, or, with --headless, in the terminal.
#include "clusterconfig.h"
#include "headlessrunner.h"
#include "mainwindow.h"
#include "translations.h"

#include <libcluster/controlclient.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>
#include <libcluster/supervisor.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSettings>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace Monitor;

namespace {

struct Options
{
    bool headless = false;
    QString language;
    // Attach to this control endpoint instead of starting a cluster.
    QString attach;
    ClusterConfig config;
};

// Options are translated too, so --lang is looked for before the parser is built.
QString languageArgument(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--lang") && i + 1 < argc)
            return QString::fromLocal8Bit(argv[i + 1]);
        if (!std::strncmp(argv[i], "--lang=", 7))
            return QString::fromLocal8Bit(argv[i] + 7);
    }
    return QString();
}

// The command line; a class only to give its texts a translation context.
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    // -1 when the program goes on with `options`; otherwise the exit code (0 after --help or
    // --version, 2 after a mistake, which it has reported).
    static int parse(const QStringList &arguments, Options *options);
};

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

void describeApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster"));
    QCoreApplication::setApplicationName(QStringLiteral("cluster-monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIBCLUSTER_VERSION));
}

// What QGuiApplication and QApplication take out of the command line themselves (-geometry,
// -platform, ...): the parser, run before them, must not call them unknown. Each with whether a
// value follows.
QStringList withoutQtOptions(const QStringList &arguments)
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

QStringList argumentList(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    return arguments;
}

int runHeadless(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    describeApplication();
    Translations::install(languageArgument(argc, argv));
    Options options;
    if (const int code = CommandLine::parse(app.arguments(), &options); code >= 0)
        return code;
    // A primary from here on: nothing it prints may hold up its event loop, Qt's messages included.
    LibCluster::OutputWriter::installMessageHandler();
    HeadlessRunner runner(options.config);
    QObject::connect(&runner, &HeadlessRunner::finished, &app, &QCoreApplication::exit);
    runner.start();
    return app.exec();
}

// --help, --version and mistakes need no display: the command line is read before the window's
// application exists, which aborts without one.
int parseBeforeWindow(int argc, char **argv, Options *options)
{
    int count = argc;
    QCoreApplication app(count, argv);
    describeApplication();
    Translations::install(languageArgument(argc, argv));
    const int code = CommandLine::parse(withoutQtOptions(argumentList(argc, argv)), options);
    Translations::uninstall();
    // A remote one is asked through ssh by the window, which shows ssh's answer.
    if (code >= 0 || options->attach.isEmpty()
        || LibCluster::ControlClient::isRemoteEndpoint(options->attach))
        return code;
    // A name nobody serves is a mistake to say now, not a window that connects for ever.
    if (!LibCluster::ControlClient::availableEndpoints().contains(options->attach)) {
        std::fprintf(stderr, "cluster-monitor: %s\n",
            qPrintable(CommandLine::tr("no control endpoint %1 exists; start the cluster with "
                                       "cluster-run --control %1, or see the running ones with "
                                       "cluster-run ctl --list")
                           .arg(options->attach)));
        return 1;
    }
    return -1;
}

int runWindow(int argc, char **argv)
{
    Options options;
    if (const int code = parseBeforeWindow(argc, argv, &options); code >= 0)
        return code;
    // Qt takes -geometry out of argv; a size asked for there wins over the remembered one.
    bool geometryGiven = false;
    for (int i = 1; i < argc; ++i)
        geometryGiven = geometryGiven || !std::strcmp(argv[i], "-geometry")
            || !std::strcmp(argv[i], "--geometry");
    QApplication app(argc, argv);
    describeApplication();
    QGuiApplication::setDesktopFileName(QStringLiteral("cluster-monitor"));
    Translations::install(languageArgument(argc, argv));
    MainWindow window;
    window.setPersistent(true);
    window.restoreSettings(!geometryGiven);
    // Ctrl-C in the terminal, or SIGTERM: the same graceful stop as closing the window.
    LibCluster::SignalHandler *signalHandler = LibCluster::SignalHandler::instance();
    signalHandler->watchSignal(SIGINT);
    signalHandler->watchSignal(SIGTERM);
    QObject::connect(
        signalHandler, &LibCluster::SignalHandler::signalReceived, &window, [&window](int signal) {
            if (signal == SIGINT || signal == SIGTERM)
                window.close();
        });
    window.show();
    if (options.attach.isEmpty())
        window.startCluster(options.config);
    else
        window.attach(options.attach);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--"))
            break;
        if (!std::strcmp(argv[i], "--headless"))
            return runHeadless(argc, argv);
    }
    return runWindow(argc, argv);
}
