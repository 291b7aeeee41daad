// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-monitor: starts a cluster and shows it in a window, or, with --headless, in the terminal.
#include "commandline.h"
#include "headlessrunner.h"
#include "mainwindow.h"
#include "translations.h"

#include <libcluster/controlclient.h>
#include <libcluster/outputwriter.h>
#include <libcluster/signalhandler.h>

#include <QApplication>
#include <QCoreApplication>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

using namespace Monitor;

namespace {

void describeApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster"));
    QCoreApplication::setApplicationName(QStringLiteral("cluster-monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIBCLUSTER_VERSION));
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
    Translations::install(CommandLine::languageArgument(argc, argv));
    CommandLine::Options options;
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
int parseBeforeWindow(int argc, char **argv, CommandLine::Options *options)
{
    int count = argc;
    QCoreApplication app(count, argv);
    describeApplication();
    Translations::install(CommandLine::languageArgument(argc, argv));
    const int code
        = CommandLine::parse(CommandLine::withoutQtOptions(argumentList(argc, argv)), options);
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
    CommandLine::Options options;
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
    Translations::install(CommandLine::languageArgument(argc, argv));
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
