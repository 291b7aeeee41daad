// cluster-monitor: starts a cluster and shows it in a window, or, with --headless, in the terminal.
#include "clusterconfig.h"
#include "headlessrunner.h"
#include "mainwindow.h"
#include "translations.h"

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
    static bool parse(const QStringList &arguments, Options *options);
};

bool CommandLine::parse(const QStringList &arguments, Options *options)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Starts a cluster of worker processes and monitors it. Without options: hello-http "
           "workers, one per core, on port 8000, round-robin."));
    parser.addHelpOption();
    parser.addVersionOption();
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
        tr("Replace workers that exit unexpectedly, with backoff; give up on a crash loop."));
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
           "--control NAME) and follow it, also across restarts."),
        QStringLiteral("NAME"));
    parser.addOptions({ headless, lang, program, workers, respawn, crashLimit, crashWindow, port,
        policy, noCapture, last, control, attach });
    parser.addPositionalArgument(QStringLiteral("arguments"), tr("The worker program's arguments."),
        QStringLiteral("[-- arguments...]"));
    parser.process(arguments);

    options->headless = parser.isSet(headless);
    options->language = parser.value(lang);
    if (!options->language.isEmpty()
        && !QStringList { QStringLiteral("de"), QStringLiteral("fr"), QStringLiteral("en") }
                .contains(options->language)) {
        std::fprintf(stderr, "%s\n",
            qPrintable(tr("Unknown language %1; use de, fr or en.").arg(options->language)));
        return false;
    }

    bool ok = true;
    const uint portNumber = parser.isSet(port) ? parser.value(port).toUInt(&ok) : 8000;
    if (!ok || portNumber > 65535) {
        std::fprintf(stderr, "%s\n", qPrintable(tr("Invalid port %1.").arg(parser.value(port))));
        return false;
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
            std::fprintf(stderr, "%s\n",
                qPrintable(
                    QStringLiteral("--workers: %1, not '%2'")
                        .arg(LibCluster::Supervisor::workerCountError(QStringLiteral("COUNT")),
                            parser.value(workers))));
            return false;
        }
        options->config.workers = count;
    }
    if (parser.isSet(respawn))
        options->config.respawn = true;
    if (parser.isSet(crashLimit)) {
        const int limit = parser.value(crashLimit).toInt(&ok);
        if (!ok || limit < 1 || limit > LibCluster::Supervisor::MaxCrashLimit) {
            std::fprintf(stderr, "%s\n",
                qPrintable(tr("--crash-limit needs a whole number between 1 and %1, not '%2'.")
                               .arg(LibCluster::Supervisor::MaxCrashLimit)
                               .arg(parser.value(crashLimit))));
            return false;
        }
        options->config.crashLimit = limit;
    }
    if (parser.isSet(crashWindow)) {
        const int window = parser.value(crashWindow).toInt(&ok);
        if (!ok || window < 1 || window > LibCluster::Supervisor::MaxCrashWindow) {
            std::fprintf(stderr, "%s\n",
                qPrintable(tr("--crash-window needs a number of milliseconds between 1 and %1, "
                              "not '%2'.")
                               .arg(LibCluster::Supervisor::MaxCrashWindow)
                               .arg(parser.value(crashWindow))));
            return false;
        }
        options->config.crashWindow = window;
    }
    if (parser.isSet(policy)
        && !LibCluster::schedulingPolicyFromName(parser.value(policy), &options->config.policy)) {
        std::fprintf(
            stderr, "%s\n", qPrintable(tr("Unknown policy %1.").arg(parser.value(policy))));
        return false;
    }
    if (parser.isSet(noCapture) || options->headless)
        options->config.captureOutput = !parser.isSet(noCapture) && !options->headless;
    if (parser.isSet(control)) {
        if (!ClusterConfig::isValidEndpointName(parser.value(control))) {
            std::fprintf(stderr, "%s\n",
                qPrintable(tr("Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not "
                              "starting with a dot.")
                               .arg(parser.value(control))));
            return false;
        }
        options->config.controlName = parser.value(control);
    }
    if (parser.isSet(attach)) {
        options->attach = parser.value(attach);
        if (!ClusterConfig::isValidEndpointName(options->attach)) {
            std::fprintf(stderr, "%s\n",
                qPrintable(tr("Invalid endpoint name %1: 1 to 64 of A-Z a-z 0-9 . _ -, not "
                              "starting with a dot.")
                               .arg(options->attach)));
            return false;
        }
        if (options->headless) {
            std::fprintf(stderr, "%s\n",
                qPrintable(tr("--attach needs the window; without a display, follow the "
                              "cluster with: cluster-run ctl %1 watch")
                               .arg(options->attach)));
            return false;
        }
    }
    return true;
}

void describeApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster"));
    QCoreApplication::setApplicationName(QStringLiteral("cluster-monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIBCLUSTER_VERSION));
}

int runHeadless(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    describeApplication();
    Translations::install(languageArgument(argc, argv));
    Options options;
    if (!CommandLine::parse(app.arguments(), &options))
        return 2;
    // A primary from here on: nothing it prints may hold up its event loop, Qt's messages included.
    LibCluster::OutputWriter::installMessageHandler();
    HeadlessRunner runner(options.config);
    QObject::connect(&runner, &HeadlessRunner::finished, &app, &QCoreApplication::exit);
    runner.start();
    return app.exec();
}

int runWindow(int argc, char **argv)
{
    // Qt takes -geometry out of argv; a size asked for there wins over the remembered one.
    bool geometryGiven = false;
    for (int i = 1; i < argc; ++i)
        geometryGiven = geometryGiven || !std::strcmp(argv[i], "-geometry")
                || !std::strcmp(argv[i], "--geometry");
    QApplication app(argc, argv);
    describeApplication();
    QGuiApplication::setDesktopFileName(QStringLiteral("cluster-monitor"));
    Translations::install(languageArgument(argc, argv));
    Options options;
    if (!CommandLine::parse(app.arguments(), &options))
        return 2;
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
