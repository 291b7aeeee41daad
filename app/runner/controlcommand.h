// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// `cluster-run ctl NAME COMMAND [ARGS...]`: one command to a running primary through its control
// endpoint (ControlClient), with a human answer or JSON.
#pragma once

#include <QStringList>

namespace ControlCommand {

// `arguments` starts with "ctl". Exit codes: 0 done, 1 failed (no such endpoint, access denied,
// the primary went away, the command failed), 2 usage error.
int run(const QStringList &arguments);

} // namespace ControlCommand
