// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-monitor's command line: its options, and how they are read.
#pragma once

#include "clusterconfig.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

// The command line; a class also to give its texts a translation context.
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    struct Options
    {
        bool headless = false;
        QString language;
        // Attach to this control endpoint instead of starting a cluster.
        QString attach;
        Monitor::ClusterConfig config;
    };

    // -1 when the program goes on with `options`; otherwise the exit code (0 after --help or
    // --version, 2 after a mistake, which it has reported).
    static int parse(const QStringList &arguments, Options *options);
    // Options are translated too, so --lang is looked for before the parser is built.
    static QString languageArgument(int argc, char **argv);
    // `arguments` without what QGuiApplication and QApplication take out of the command line
    // themselves (-geometry, -platform, ...): the parser, run before them, must not call them
    // unknown.
    static QStringList withoutQtOptions(const QStringList &arguments);
};
