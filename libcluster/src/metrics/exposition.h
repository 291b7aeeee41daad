// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Writes the Prometheus text exposition format (0.0.4): families with HELP and TYPE, samples
// with escaped label values.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

namespace LibCluster::Internal {

class Exposition
{
public:
    enum Type { Counter, Gauge };

    // Appends to `out`, which must outlive the Exposition.
    explicit Exposition(QByteArray *out)
        : m_out(out)
    { }

    // Starts a family: its HELP and TYPE lines. `help` is plain text without a newline or a
    // backslash.
    void family(QByteArrayView name, Type type, QByteArrayView help);
    // A sample of the current family without labels.
    void sample(qint64 value);
    void sample(double value);
    // A sample of the current family with `labels`, as made by label() calls on a buffer that
    // starts with '{' and ends with '}'.
    void sample(QByteArrayView labels, qint64 value);
    void sample(QByteArrayView labels, double value);

    // Appends `name="value"` to `labels` (with a comma before it unless `labels` ends in '{'),
    // the value escaped as the format asks (backslash, double quote, newline).
    static void label(QByteArray &labels, QByteArrayView name, QStringView value);
    static void label(QByteArray &labels, QByteArrayView name, qint64 value);
    // Appends `value` escaped for a label value.
    static void appendEscaped(QByteArray &out, QStringView value);
    // A number as the format writes it (Go's ParseFloat reads it): integers exactly, others
    // with enough digits, NaN and infinities by name.
    static void appendNumber(QByteArray &out, double value);

private:
    QByteArray *m_out;
    QByteArray m_name;
};

} // namespace LibCluster::Internal
