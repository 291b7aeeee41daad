// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Writes a table model as CSV (RFC 4180): the event log's export.
#pragma once

#include <QString>
#include <Qt>

class QAbstractItemModel;
class QIODevice;

namespace Monitor {

class CsvWriter
{
public:
    // A model may answer this role with the text that belongs in a file (e.g. a full ISO
    // timestamp where the view shows only the time of day); DisplayRole otherwise.
    static constexpr int ExportRole = Qt::UserRole + 100;

    // Header row, then every row of `model`, UTF-8, CRLF line ends. False and `error` set when
    // the device fails.
    static bool write(const QAbstractItemModel *model, QIODevice *device, QString *error = nullptr);
    // One field, quoted when it holds a comma, a quote or a line break.
    static QString quoted(const QString &field);
};

} // namespace Monitor
