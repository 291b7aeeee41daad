// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// CsvWriter: quoting, and a row at a time so a 10,000-row log needs no big buffer.
#include "csvwriter.h"

#include <QAbstractItemModel>
#include <QIODevice>
#include <QStringList>

namespace Monitor {

QString CsvWriter::quoted(const QString &field)
{
    if (!field.contains(QLatin1Char(',')) && !field.contains(QLatin1Char('"'))
        && !field.contains(QLatin1Char('\n')) && !field.contains(QLatin1Char('\r')))
        return field;
    QString escaped = field;
    escaped.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

bool CsvWriter::write(const QAbstractItemModel *model, QIODevice *device, QString *error)
{
    const int columns = model->columnCount();
    const auto writeLine = [&](const QStringList &fields) {
        const QByteArray line = fields.join(QLatin1Char(',')).toUtf8() + "\r\n";
        if (device->write(line) != line.size()) {
            if (error)
                *error = device->errorString();
            return false;
        }
        return true;
    };
    QStringList fields;
    for (int column = 0; column < columns; ++column)
        fields.append(quoted(model->headerData(column, Qt::Horizontal).toString()));
    if (!writeLine(fields))
        return false;
    const int rows = model->rowCount();
    for (int row = 0; row < rows; ++row) {
        fields.clear();
        for (int column = 0; column < columns; ++column) {
            const QModelIndex index = model->index(row, column);
            QVariant value = model->data(index, ExportRole);
            if (!value.isValid())
                value = model->data(index, Qt::DisplayRole);
            fields.append(quoted(value.toString()));
        }
        if (!writeLine(fields))
            return false;
    }
    return true;
}

} // namespace Monitor
