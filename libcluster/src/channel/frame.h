// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The wire format of a worker's channel: length-prefixed frames, each carrying CBOR and,
// optionally, file descriptors passed alongside with SCM_RIGHTS.
//
//   offset 0  u32  payload length, big-endian
//   offset 4  u8   kind (FrameKind)
//   offset 5  u8   number of descriptors that travel with this frame
//   offset 6  ...  payload: one CBOR item
//
// Descriptors are attached to the first byte of their frame, so they are always received no
// later than the bytes of the frame that declares them.
#pragma once

#include <QByteArray>
#include <QList>

namespace LibCluster::Internal {

enum class FrameKind : quint8 {
    Runtime = 0, // the runtime protocol between primary and worker (see runtimeprotocol.h)
    Message = 1, // a user message, Worker::send()
};

constexpr int FrameHeaderSize = 6;
// Larger frames are refused on both sides: a peer that announces one is broken or hostile.
constexpr quint32 MaxFramePayload = 64 * 1024 * 1024;
constexpr int MaxFrameDescriptors = 16;

struct Frame
{
    FrameKind kind = FrameKind::Message;
    QByteArray payload;
    // Owned by whoever holds the frame; -1 for one the receiver could not take (it was out of
    // descriptors), which the frame's handler treats as not received.
    QList<int> descriptors;
};

inline void writeFrameHeader(
    char (&header)[FrameHeaderSize], FrameKind kind, quint32 payloadSize, int descriptorCount)
{
    header[0] = char(payloadSize >> 24);
    header[1] = char(payloadSize >> 16);
    header[2] = char(payloadSize >> 8);
    header[3] = char(payloadSize & 0xff);
    header[4] = char(kind);
    header[5] = char(descriptorCount);
}

inline void appendFrameHeader(
    QByteArray &out, FrameKind kind, quint32 payloadSize, int descriptorCount)
{
    char header[FrameHeaderSize];
    writeFrameHeader(header, kind, payloadSize, descriptorCount);
    out.append(header, FrameHeaderSize);
}

} // namespace LibCluster::Internal
