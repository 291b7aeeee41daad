// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Encodes messages to CBOR straight into the buffer they are sent from, checking in the same walk
// that the value can be sent. QCborValue::toCbor() builds a QBuffer and grows a fresh QByteArray
// for every message, and a separate walk looked for what cannot be sent: together most of the
// cost of sending a small message.
#pragma once

#include "channel/appenddevice.h"

#include <QByteArray>
#include <QCborStreamWriter>
#include <QString>

class QCborValue;

namespace LibCluster::Internal {

class MessageEncoder
{
public:
    // QCborValue::fromCbor() refuses deeper nesting than 1024; messages stay well inside it so
    // that whatever is sent, the other side can decode.
    static constexpr int MaxDepth = 512;

    MessageEncoder();

    // Appends the encoding of `value` to `out`: byte for byte what QCborValue::toCbor() writes.
    // A value that cannot be sent (an invalid or undefined value anywhere in it, or nesting
    // deeper than MaxDepth) leaves `out` as it was; false, and `why` says what is wrong.
    bool encode(const QCborValue &value, QByteArray &out, QString *why);

private:
    template <typename Value> bool write(const Value &value, int depth);
    void writeHead(quint8 major, quint64 argument);
    bool refuse(const QString &why);

    AppendDevice m_device;
    QCborStreamWriter m_writer;
    QString m_why;
};

} // namespace LibCluster::Internal
