// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Logging categories: QT_LOGGING_RULES="libcluster.*=true" is the counterpart of
// NODE_DEBUG=cluster.
#pragma once

#include <QLoggingCategory>

namespace LibCluster::Internal {
Q_DECLARE_LOGGING_CATEGORY(lcPrimary)
Q_DECLARE_LOGGING_CATEGORY(lcWorker)
Q_DECLARE_LOGGING_CATEGORY(lcChannel)
Q_DECLARE_LOGGING_CATEGORY(lcEventDispatcher)
} // namespace LibCluster::Internal
