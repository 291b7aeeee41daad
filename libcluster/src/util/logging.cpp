// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Logging categories; debug output is off unless enabled with QT_LOGGING_RULES.
#include "util/logging.h"

namespace LibCluster::Internal {
Q_LOGGING_CATEGORY(lcPrimary, "libcluster.primary", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorker, "libcluster.worker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcChannel, "libcluster.channel", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEventDispatcher, "libcluster.eventdispatcher", QtInfoMsg)
} // namespace LibCluster::Internal
