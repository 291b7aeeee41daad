// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// `cluster-run [options] -- PROGRAM [ARGS...]`: runs a libcluster program as a supervised
// cluster, prints its events, and optionally exposes the control endpoint.
#pragma once

#include <QStringList>

namespace Runner {

// Exit codes: 0 after a graceful shutdown (or when every worker ended with code 0 and nothing
// will start another), 1 on failure, 2 on a usage error.
int run(const QStringList &arguments);

} // namespace Runner
