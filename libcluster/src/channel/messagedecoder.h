// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Decodes a message's CBOR into a QCborValue, faster than QCborValue::fromCbor() for the common
// shapes, with exactly fromCbor()'s result and errors.
#pragma once

#include <QByteArray>
#include <QCborValue>

namespace LibCluster::Internal {

namespace MessageDecoder {

// The value `cbor` encodes. Definite-length maps and arrays, integers, ASCII text, byte
// strings, doubles, floats, false, true, null and undefined are built directly; anything else
// (tags, indefinite lengths, non-ASCII text, duplicate keys, malformed input) goes through
// QCborValue::fromCbor(), whose error `error` then reports.
QCborValue decode(const QByteArray &cbor, QCborParserError *error);

// A CBOR data item's head: the major type, the additional information (the initial byte's low
// five bits) and the argument they give.
struct Head
{
    quint8 major;
    quint8 info;
    quint64 argument;
};

// Reads the head at `*pos` (the input ends at `end`) into `head` and moves `*pos` past it. False,
// with `*pos` left as it was, for indefinite lengths, reserved values and input that ends early.
// Inline: every item of every message goes through it.
inline bool readHead(const uchar **pos, const uchar *end, Head *head)
{
    const uchar *p = *pos;
    if (p == end)
        return false;
    const quint8 initial = *p++;
    head->major = initial >> 5;
    head->info = initial & 0x1f;
    if (head->info < 24) {
        head->argument = head->info;
    } else if (head->info <= 27) {
        const int bytes = 1 << (head->info - 24);
        if (end - p < bytes)
            return false;
        quint64 v = 0;
        for (int i = 0; i < bytes; ++i)
            v = (v << 8) | p[i];
        p += bytes;
        head->argument = v;
    } else {
        return false;
    }
    *pos = p;
    return true;
}

// The value of a scalar item (an integer, or major type 7) with head `head`, as fromCbor() gives
// it. False, and `out` untouched, for integers past qint64 (which fromCbor() turns into doubles)
// and what simpleValue() leaves to fromCbor().
bool scalarValue(const Head &head, QCborValue *out);

// The value of a CBOR simple type or float (major type 7) with additional information `info`
// and argument `argument`, as fromCbor() gives it: false, true, null, undefined, a float widened
// to a double, a double. False, and `out` untouched, for the rest (other simple values, half
// precision), which only fromCbor() decodes.
bool simpleValue(quint8 info, quint64 argument, QCborValue *out);

} // namespace MessageDecoder

} // namespace LibCluster::Internal
