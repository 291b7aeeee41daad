// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageDecoder: a direct CBOR walk for the values messages are made of. fromCbor() sets up a
// stream reader and grows its containers string by string; for small messages that setup is
// most of the cost of receiving one.
#include "channel/messagedecoder.h"

#include <QCborArray>
#include <QCborMap>

#include <cstring>
#include <limits>

namespace LibCluster::Internal::MessageDecoder {

namespace {

// Deeper values are left to fromCbor(), which has its own limit.
constexpr int MaxDepth = 64;
// QCborMap::insert() looks for the key first: past this, building a map entry by entry costs
// more than fromCbor()'s append.
constexpr quint64 MaxMapEntries = 32;
// A value holding a longer string is left to fromCbor() too: built here, the string would be
// copied twice (into its own value, then into the container), where fromCbor() copies it once.
constexpr quint64 MaxDirectString = 256;

class Reader
{
public:
    Reader(const uchar *begin, const uchar *end)
        : m_pos(begin)
        , m_end(end)
    { }

    bool atEnd() const { return m_pos == m_end; }

    // False when the input is not of the handled subset (or is malformed): the caller falls back.
    // With `out` null, only checks: a first pass that allocates nothing, so that input left to
    // fromCbor() costs no half-built containers.
    bool value(QCborValue *out, int depth)
    {
        Head head;
        if (!readHead(&m_pos, m_end, &head))
            return false;
        const quint64 argument = head.argument;
        switch (head.major) {
        case 0: // integers
        case 1:
        case 7: { // simple values and floats
            QCborValue ignored;
            return scalarValue(head, out ? out : &ignored);
        }
        case 2: { // byte string
            const char *bytes;
            if (argument > MaxDirectString || !take(argument, &bytes))
                return false;
            if (out)
                *out = QCborValue(QByteArray(bytes, qsizetype(argument)));
            return true;
        }
        case 3: { // text string: ASCII only, so no UTF-8 validation is needed
            QLatin1StringView text;
            if (!asciiText(argument, &text))
                return false;
            if (out)
                *out = QCborValue(text);
            return true;
        }
        case 4: { // array
            if (depth >= MaxDepth || argument > quint64(m_end - m_pos))
                return false; // every item takes at least a byte
            if (!out) {
                for (quint64 i = 0; i < argument; ++i)
                    if (!value(nullptr, depth + 1))
                        return false;
                return true;
            }
            QCborArray array;
            for (quint64 i = 0; i < argument; ++i) {
                QCborValue item;
                if (!value(&item, depth + 1))
                    return false;
                array.append(std::move(item));
            }
            *out = std::move(array);
            return true;
        }
        case 5: { // map
            if (depth >= MaxDepth || argument > MaxMapEntries)
                return false;
            if (!out) {
                for (quint64 i = 0; i < 2 * argument; ++i)
                    if (!value(nullptr, depth + 1))
                        return false;
                return true;
            }
            QCborMap map;
            for (quint64 i = 0; i < argument; ++i) {
                // Text keys, the usual kind, go in without a QCborValue of their own.
                QLatin1StringView textKey;
                QCborValue key;
                const bool isTextKey = m_pos != m_end && (*m_pos >> 5) == 3;
                if (isTextKey) {
                    Head keyHead;
                    if (!readHead(&m_pos, m_end, &keyHead)
                        || !asciiText(keyHead.argument, &textKey))
                        return false;
                } else if (!value(&key, depth + 1)) {
                    return false;
                }
                QCborValue item;
                if (!value(&item, depth + 1))
                    return false;
                if (isTextKey)
                    map.insert(textKey, std::move(item));
                else
                    map.insert(key, std::move(item));
                // fromCbor() keeps both entries of a duplicated key; insert() would not.
                if (quint64(map.size()) != i + 1)
                    return false;
            }
            *out = std::move(map);
            return true;
        }
        default: // tags
            return false;
        }
    }

private:
    bool take(quint64 size, const char **data)
    {
        if (size > quint64(m_end - m_pos))
            return false;
        *data = reinterpret_cast<const char *>(m_pos);
        m_pos += size;
        return true;
    }

    // The next `size` bytes as text, if they are ASCII (so they need no UTF-8 validation) and
    // short enough to be worth building here.
    bool asciiText(quint64 size, QLatin1StringView *text)
    {
        const char *data;
        if (size > MaxDirectString || !take(size, &data))
            return false;
        quint64 highBits = 0;
        qsizetype i = 0;
        for (; i + 8 <= qsizetype(size); i += 8) {
            quint64 word;
            std::memcpy(&word, data + i, sizeof word);
            highBits |= word;
        }
        highBits &= 0x8080808080808080ULL;
        for (; i < qsizetype(size); ++i)
            highBits |= uchar(data[i]) & 0x80;
        if (highBits)
            return false;
        *text = QLatin1StringView(data, qsizetype(size));
        return true;
    }

    const uchar *m_pos;
    const uchar *m_end;
};

} // namespace

bool scalarValue(const Head &head, QCborValue *out)
{
    constexpr quint64 Int64Max = quint64(std::numeric_limits<qint64>::max());
    switch (head.major) {
    case 0: // unsigned integer
        if (head.argument > Int64Max)
            return false;
        *out = QCborValue(qint64(head.argument));
        return true;
    case 1: // negative integer: -1 - argument
        if (head.argument > Int64Max)
            return false;
        *out = QCborValue(-1 - qint64(head.argument));
        return true;
    case 7:
        return simpleValue(head.info, head.argument, out);
    default:
        return false;
    }
}

bool simpleValue(quint8 info, quint64 argument, QCborValue *out)
{
    switch (info) {
    case 20:
        *out = QCborValue(false);
        return true;
    case 21:
        *out = QCborValue(true);
        return true;
    case 22:
        *out = QCborValue(nullptr);
        return true;
    case 23:
        *out = QCborValue(QCborValue::Undefined);
        return true;
    case 26: { // single precision, which fromCbor() also widens to a double
        const quint32 bits = quint32(argument);
        float f;
        std::memcpy(&f, &bits, sizeof f);
        *out = QCborValue(double(f));
        return true;
    }
    case 27: {
        double d;
        std::memcpy(&d, &argument, sizeof d);
        *out = QCborValue(d);
        return true;
    }
    default: // other simple types, half precision
        return false;
    }
}

QCborValue decode(const QByteArray &cbor, QCborParserError *error)
{
    const auto *begin = reinterpret_cast<const uchar *>(cbor.data());
    Reader scan(begin, begin + cbor.size());
    Reader reader(begin, begin + cbor.size());
    QCborValue value;
    if (scan.value(nullptr, 0) && scan.atEnd() && reader.value(&value, 0)) {
        if (error)
            *error = QCborParserError { 0, QCborError { QCborError::NoError } };
        return value;
    }
    return QCborValue::fromCbor(cbor, error);
}

} // namespace LibCluster::Internal::MessageDecoder
