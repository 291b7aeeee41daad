// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// BridgeCommand: a ControlBridge on stdin and stdout, until either side closes.
#include "bridgecommand.h"

#include "terminal.h"

#include <libcluster/controlbridge.h>

#include <QCoreApplication>

namespace BridgeCommand {

int run(const QString &name)
{
    LibCluster::ControlBridge bridge;
    if (!bridge.start(name)) {
        Terminal::printLine(
            stderr, QStringLiteral("cluster-run ctl: %1").arg(bridge.errorString()));
        return 1;
    }
    QObject::connect(&bridge, &LibCluster::ControlBridge::finished, &bridge, [&bridge](int code) {
        if (code != 0)
            Terminal::printLine(
                stderr, QStringLiteral("cluster-run ctl: %1").arg(bridge.errorString()));
        QCoreApplication::exit(code);
    });
    return QCoreApplication::exec();
}

} // namespace BridgeCommand
