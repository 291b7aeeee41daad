// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Terminal: output helpers shared by cluster-run and its ctl command.
#include "terminal.h"

#include <QJsonDocument>

namespace Terminal {

void printLine(FILE *stream, const QString &line)
{
    const QByteArray bytes = line.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void printJson(const QJsonObject &object, bool indented)
{
    QByteArray bytes
        = QJsonDocument(object).toJson(indented ? QJsonDocument::Indented : QJsonDocument::Compact);
    if (!bytes.endsWith('\n'))
        bytes += '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void writeLine(LibCluster::OutputWriter::Stream stream, const QString &line)
{
    LibCluster::OutputWriter::instance()->writeLine(stream, line);
}

void writeJson(const QJsonObject &object)
{
    LibCluster::OutputWriter::instance()->write(LibCluster::OutputWriter::StandardOutput,
        QByteArray(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n'));
}

int usageError(const QString &command, const QString &message)
{
    printLine(stderr, QStringLiteral("%1: %2").arg(command, message));
    printLine(stderr, QStringLiteral("Try '%1 --help' for more information.").arg(command));
    return 2;
}

} // namespace Terminal
