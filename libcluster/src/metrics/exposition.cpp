// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Exposition: the text format, one line at a time.
#include "metrics/exposition.h"

#include <cmath>

namespace LibCluster::Internal {

void Exposition::family(QByteArrayView name, Type type, QByteArrayView help)
{
    m_name = name.toByteArray();
    m_out->append("# HELP ").append(name).append(' ').append(help).append('\n');
    m_out->append("# TYPE ").append(name).append(type == Counter ? " counter\n" : " gauge\n");
}

void Exposition::sample(qint64 value)
{
    m_out->append(m_name).append(' ').append(QByteArray::number(value)).append('\n');
}

void Exposition::sample(double value)
{
    m_out->append(m_name).append(' ');
    appendNumber(*m_out, value);
    m_out->append('\n');
}

void Exposition::sample(QByteArrayView labels, qint64 value)
{
    m_out->append(m_name).append(labels).append(' ').append(QByteArray::number(value)).append('\n');
}

void Exposition::sample(QByteArrayView labels, double value)
{
    m_out->append(m_name).append(labels).append(' ');
    appendNumber(*m_out, value);
    m_out->append('\n');
}

void Exposition::label(QByteArray &labels, QByteArrayView name, QStringView value)
{
    if (!labels.endsWith('{'))
        labels.append(',');
    labels.append(name).append("=\"");
    appendEscaped(labels, value);
    labels.append('"');
}

void Exposition::label(QByteArray &labels, QByteArrayView name, qint64 value)
{
    if (!labels.endsWith('{'))
        labels.append(',');
    labels.append(name).append("=\"").append(QByteArray::number(value)).append('"');
}

void Exposition::appendEscaped(QByteArray &out, QStringView value)
{
    const QByteArray utf8 = value.toUtf8();
    // Most values need no escape: append them whole.
    if (!utf8.contains('\\') && !utf8.contains('"') && !utf8.contains('\n')) {
        out.append(utf8);
        return;
    }
    for (const char c : utf8) {
        if (c == '\\')
            out.append("\\\\");
        else if (c == '"')
            out.append("\\\"");
        else if (c == '\n')
            out.append("\\n");
        else
            out.append(c);
    }
}

void Exposition::appendNumber(QByteArray &out, double value)
{
    if (std::isnan(value))
        out.append("NaN");
    else if (std::isinf(value))
        out.append(value > 0 ? "+Inf" : "-Inf");
    else if (value == std::floor(value) && std::fabs(value) < 9.0e15)
        out.append(QByteArray::number(qint64(value)));
    else
        out.append(QByteArray::number(value, 'g', 15));
}

} // namespace LibCluster::Internal
