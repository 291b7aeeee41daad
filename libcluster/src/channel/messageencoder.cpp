// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageEncoder: writes the structure (maps, arrays, tags), integers and the simple values
// itself; strings, byte strings, doubles and the extended types go through Qt's own encoder,
// which reads them where QCborValue keeps them (the public API would copy every string out).
// A map or an array of only numbers, strings, byte strings, booleans and null (most messages)
// cannot hold anything unsendable, so once its element types are checked it goes to Qt's
// encoder whole: that reads every element in place, where this walk pays for a QCborValue per
// string.
#include "channel/messageencoder.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>

namespace LibCluster::Internal {

MessageEncoder::MessageEncoder()
    : m_writer(&m_device)
{ }

bool MessageEncoder::encode(const QCborValue &value, QByteArray &out, QString *why)
{
    const qsizetype start = out.size();
    m_device.start(&out);
    const bool ok = write(value, 0);
    m_device.finish();
    if (!ok) {
        out.truncate(start);
        if (why)
            *why = m_why;
        m_why.clear();
    }
    return ok;
}

bool MessageEncoder::refuse(const QString &why)
{
    m_why = why;
    return false;
}

void MessageEncoder::writeHead(quint8 major, quint64 argument)
{
    // The shortest form, as QCborStreamWriter writes it.
    char bytes[9];
    const char initial = char(major << 5);
    if (argument < 24) {
        m_device.append(char(initial | char(argument)));
        return;
    }
    int size;
    if (argument <= 0xff) {
        bytes[0] = char(initial | 24);
        size = 1;
    } else if (argument <= 0xffff) {
        bytes[0] = char(initial | 25);
        size = 2;
    } else if (argument <= 0xffffffffu) {
        bytes[0] = char(initial | 26);
        size = 4;
    } else {
        bytes[0] = char(initial | 27);
        size = 8;
    }
    for (int i = 0; i < size; ++i)
        bytes[1 + i] = char(argument >> (8 * (size - 1 - i)));
    m_device.append(bytes, 1 + size);
}

namespace {
// Sendable at any depth and never nested: a container of only these is encoded by Qt whole.
bool isLeaf(QCborValue::Type type)
{
    switch (type) {
    case QCborValue::Integer:
    case QCborValue::ByteArray:
    case QCborValue::String:
    case QCborValue::Double:
    case QCborValue::False:
    case QCborValue::True:
    case QCborValue::Null:
        return true;
    default:
        return false;
    }
}

bool isFlat(const QCborArray &array)
{
    for (auto it = array.constBegin(), end = array.constEnd(); it != end; ++it)
        if (!isLeaf((*it).type()))
            return false;
    return true;
}

bool isFlat(const QCborMap &map)
{
    for (auto it = map.constBegin(), end = map.constEnd(); it != end; ++it) {
        const auto entry = *it;
        if (!isLeaf(entry.first.type()) || !isLeaf(entry.second.type()))
            return false;
    }
    return true;
}
} // namespace

// Value is QCborValue or QCborValueConstRef (an element read in place, without a copy).
template <typename Value> bool MessageEncoder::write(const Value &value, int depth)
{
    if (depth > MaxDepth)
        return refuse(QStringLiteral("the message is nested deeper than %1 levels").arg(MaxDepth));
    // Asked once: on an element read in place, every question but the type builds a QCborValue.
    const QCborValue::Type type = value.type();
    switch (type) {
    case QCborValue::Integer: {
        const qint64 n = value.toInteger();
        if (n >= 0)
            writeHead(0, quint64(n));
        else
            writeHead(1, quint64(-1 - n));
        return true;
    }
    case QCborValue::False:
        m_device.append(char(0xf4));
        return true;
    case QCborValue::True:
        m_device.append(char(0xf5));
        return true;
    case QCborValue::Null:
        m_device.append(char(0xf6));
        return true;
    case QCborValue::Invalid:
        return refuse(QStringLiteral("the message contains an invalid value"));
    case QCborValue::Undefined:
        return refuse(QStringLiteral("the message contains an undefined value"));
    case QCborValue::Array: {
        const QCborArray array = value.toArray();
        if (depth < MaxDepth && isFlat(array)) {
            value.toCbor(m_writer);
            return true;
        }
        writeHead(4, quint64(array.size()));
        for (auto it = array.constBegin(), end = array.constEnd(); it != end; ++it)
            if (!write(*it, depth + 1))
                return false;
        return true;
    }
    case QCborValue::Map: {
        const QCborMap map = value.toMap();
        if (depth < MaxDepth && isFlat(map)) {
            value.toCbor(m_writer);
            return true;
        }
        writeHead(5, quint64(map.size()));
        for (auto it = map.constBegin(), end = map.constEnd(); it != end; ++it) {
            const auto entry = *it;
            if (!write(entry.first, depth + 1) || !write(entry.second, depth + 1))
                return false;
        }
        return true;
    }
    case QCborValue::Tag:
        writeHead(6, quint64(value.tag()));
        return write(value.taggedValue(), depth + 1);
    default:
        // Strings, byte strings, doubles, simple types and the extended types (a tag on a
        // string or byte string, counted as one level more).
        if (type >= QCborValue::DateTime && depth + 1 > MaxDepth)
            return refuse(
                QStringLiteral("the message is nested deeper than %1 levels").arg(MaxDepth));
        value.toCbor(m_writer);
        return true;
    }
}

} // namespace LibCluster::Internal
