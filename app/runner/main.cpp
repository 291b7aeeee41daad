// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-run: the headless runner. `cluster-run [options] -- PROGRAM [ARGS...]` runs a cluster;
// `cluster-run ctl NAME COMMAND` controls one that runs with --control NAME.
#include "controlcommand.h"
#include "runner.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("cluster-run"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LIBCLUSTER_VERSION));
    const QStringList arguments = QCoreApplication::arguments();
    if (arguments.size() > 1 && arguments.at(1) == QLatin1String("ctl"))
        return ControlCommand::run(arguments.mid(1));
    return Runner::run(arguments);
}
