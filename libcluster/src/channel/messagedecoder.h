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

// The value of a CBOR simple type or float (major type 7) with additional information `info`
// and argument `argument`, as fromCbor() gives it: false, true, null, undefined, a float widened
// to a double, a double. False, and `out` untouched, for the rest (other simple values, half
// precision), which only fromCbor() decodes.
bool simpleValue(quint8 info, quint64 argument, QCborValue *out);

} // namespace MessageDecoder

} // namespace LibCluster::Internal
