// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A write-only QIODevice that appends to a QByteArray it does not own, for a QCborStreamWriter
// that encodes straight into a channel's write buffer. QBuffer resizes its array on every write
// and tracks a position; this keeps spare room at the end and copies.
#pragma once

#include <QByteArray>
#include <QIODevice>

#include <cstring>

namespace LibCluster::Internal {

class AppendDevice : public QIODevice
{
public:
    AppendDevice();

    // Starts appending to `buffer`. Until finish(), the array may hold spare bytes past what was
    // written: nothing else may touch it meanwhile.
    void start(QByteArray *buffer);
    // Trims the array to what was written and lets go of it.
    void finish();
    // How much the array holds so far.
    qsizetype size() const { return m_size; }

    void append(const char *data, qsizetype size)
    {
        if (m_capacity - m_size < size)
            grow(size);
        std::memcpy(m_data + m_size, data, size_t(size));
        m_size += size;
    }
    void append(char byte)
    {
        if (m_capacity == m_size)
            grow(1);
        m_data[m_size++] = byte;
    }

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    void grow(qsizetype needed);

    QByteArray *m_buffer = nullptr;
    char *m_data = nullptr;
    qsizetype m_size = 0;
    qsizetype m_capacity = 0;
};

} // namespace LibCluster::Internal
