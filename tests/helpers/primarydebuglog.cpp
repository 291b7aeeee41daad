// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// PrimaryDebugLog: what libcluster.primary says at debug level in this process, kept for a test.
#include "primarydebuglog.h"

#include <QLoggingCategory>

namespace {

QStringList g_lines;
QtMessageHandler g_previous = nullptr;

void keepPrimaryDebug(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg && qstrcmp(context.category, "libcluster.primary") == 0)
        g_lines.append(message);
    else
        g_previous(type, context, message);
}

} // namespace

PrimaryDebugLog::PrimaryDebugLog()
{
    g_lines.clear();
    g_previous = qInstallMessageHandler(keepPrimaryDebug);
    QLoggingCategory::setFilterRules(QStringLiteral("libcluster.primary.debug=true"));
}

PrimaryDebugLog::~PrimaryDebugLog()
{
    QLoggingCategory::setFilterRules(QString());
    qInstallMessageHandler(g_previous);
}

QStringList PrimaryDebugLog::lines() const
{
    return g_lines;
}

QStringList PrimaryDebugLog::linesStartingWith(const QString &prefix) const
{
    QStringList found;
    for (const QString &line : std::as_const(g_lines))
        if (line.startsWith(prefix))
            found.append(line);
    return found;
}
