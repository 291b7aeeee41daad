// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Helpers of the control protocol that need more than a header.
#include "control/controlprotocol.h"

#include <libcluster/cluster.h>

#include <csignal>

namespace LibCluster::Internal::ControlProtocol {

int signalFromText(const QString &text)
{
    bool isNumber = false;
    const int number = text.toInt(&isNumber);
    if (isNumber)
        return number > 0 && number <= SIGRTMAX ? number : 0;
    QString name = text.trimmed().toUpper();
    if (!name.startsWith(QLatin1String("SIG")))
        name.prepend(QLatin1String("SIG"));
    for (int signal = 1; signal < SIGRTMIN; ++signal)
        if (Cluster::signalName(signal) == name)
            return signal;
    return 0;
}

} // namespace LibCluster::Internal::ControlProtocol
