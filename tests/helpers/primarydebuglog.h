// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// PrimaryDebugLog: what libcluster.primary says at debug level in this process, kept for a test.
#pragma once

#include <QStringList>

// Turns libcluster.primary's debug messages on and keeps them, in order, instead of printing
// them; every other message goes on to the handler that was installed before. One at a time.
class PrimaryDebugLog
{
public:
    PrimaryDebugLog();
    ~PrimaryDebugLog();
    Q_DISABLE_COPY_MOVE(PrimaryDebugLog)

    // The messages so far.
    QStringList lines() const;
    // Those that start with `prefix`.
    QStringList linesStartingWith(const QString &prefix) const;
};
