// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Encodes messages to CBOR into one reused buffer: QCborValue::toCbor() builds a QBuffer and
// grows a fresh QByteArray for every message, which dominates the cost of small messages.
#pragma once

#include <QBuffer>
#include <QByteArray>
#include <QByteArrayView>
#include <QCborStreamWriter>

class QCborValue;

namespace LibCluster::Internal {

class MessageEncoder
{
public:
    MessageEncoder();

    // The encoding of `value`, valid until the next call.
    QByteArrayView encode(const QCborValue &value);

private:
    QByteArray m_data;
    QBuffer m_device;
    QCborStreamWriter m_writer;
};

} // namespace LibCluster::Internal
