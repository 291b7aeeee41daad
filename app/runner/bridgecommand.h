// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// `cluster-run ctl NAME bridge`: stdin and stdout relayed to the control endpoint NAME, for a
// ControlClient at the other end of an ssh link (LibCluster::ControlBridge).
#pragma once

#include <QString>

namespace BridgeCommand {

// Exit codes: 0 when either side closed, 1 when there is no such endpoint or the relay failed
// (the reason on stderr, which ssh carries back to the client).
int run(const QString &name);

} // namespace BridgeCommand
