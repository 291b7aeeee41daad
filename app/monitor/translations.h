// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Loads the monitor's translations (and Qt's own) for the system language or a chosen one.
#pragma once

#include <QString>
#include <QStringList>

namespace Monitor {

class Translations
{
public:
    // Installs the translators for `language` ("de", "fr", "en"), or for the system locale's
    // languages when it is empty. Returns the language now in use ("en" when no translation
    // matched). Replaces whatever an earlier call installed.
    static QString install(const QString &language = QString());
    static void uninstall();
    // The languages the monitor ships: "en" and one per translation.
    static QStringList available();
};

} // namespace Monitor
