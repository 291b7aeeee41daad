// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Writes the configuration files and scripts the tests hand to the programs they run.
#pragma once

#include <QString>

// Writes `text` as UTF-8 to `path`, replacing whatever was there. Returns `path`, or an empty
// string when the file could not be written (the caller's QVERIFY says which).
QString writeTextFile(const QString &path, const QString &text);
