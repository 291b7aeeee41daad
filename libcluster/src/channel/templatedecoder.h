// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Decodes a stream of messages that mostly share one shape ({"seq": n, "payload": "..."} after
// {"seq": n - 1, "payload": "..."}) by reusing the last one decoded: a message that differs from
// it only in numbers, booleans or null is the last value with those elements replaced. When the
// receiver did not keep the last message, that costs no allocation at all; when it did, a copy of
// the element list (implicit sharing keeps the receiver's copy as it was).
#pragma once

#include <QByteArray>
#include <QCborValue>

namespace LibCluster::Internal {

class TemplateDecoder
{
public:
    // Larger messages are decoded afresh every time and not kept.
    static constexpr qsizetype MaxTemplateSize = 64 * 1024;

    // The value `cbor` encodes: exactly what MessageDecoder::decode() (and so
    // QCborValue::fromCbor()) gives, with the same errors.
    QCborValue decode(const QByteArray &cbor, QCborParserError *error);

private:
    void keepBytes(const QByteArray &cbor);

    QByteArray m_bytes; // the encoding of m_value
    QCborValue m_value; // a map or an array, or nothing yet
};

} // namespace LibCluster::Internal
