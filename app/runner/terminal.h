// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What cluster-run and cluster-run ctl write to the terminal: whole lines, JSON, usage errors.
#pragma once

#include <libcluster/outputwriter.h>

#include <QJsonObject>
#include <QString>

#include <cstdio>

namespace Terminal {

// One line, in the locale's encoding, flushed at once (the other end may be a pipe someone reads
// line by line).
void printLine(FILE *stream, const QString &line);
// One JSON object on stdout: a single line, or indented for people.
void printJson(const QJsonObject &object, bool indented = false);
// The same for a primary, whose event loop must never wait for a reader: through the library's
// OutputWriter, which drops (and counts) what a stalled or vanished reader cannot take.
void writeLine(LibCluster::OutputWriter::Stream stream, const QString &line);
void writeJson(const QJsonObject &object);
// "COMMAND: MESSAGE" and where to find help, on stderr; the exit code for a usage error (2).
int usageError(const QString &command, const QString &message);

} // namespace Terminal
