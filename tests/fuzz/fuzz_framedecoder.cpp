// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// libFuzzer target: arbitrary bytes and descriptors into FrameDecoder, each frame's payload into
// QCborValue::fromCbor, MessageDecoder and a TemplateDecoder kept for the stream (which must all
// agree), as a hostile worker would send them.
//
// Input: byte 0 is options, the rest is the byte stream a peer writes.
//   options bits 0-4  how many descriptors (dups of /dev/null) arrive with the stream (0-31)
//   options bits 5-7  with the input size, seeds how the stream is split into appends
//
// The stream is decoded three ways: in one append with every descriptor up front; in random-size
// appends with every descriptor up front; in random-size appends with the descriptors trickling
// in between appends. The first two must agree exactly; the third may only fall short of them
// (descriptors arriving later can only make a frame miss its descriptors). Each run checks that
// bytes are accounted for, failure is sticky, and every descriptor is closed exactly once.
#include "channel/framedecoder.h"
#include "channel/messagedecoder.h"
#include "channel/templatedecoder.h"

#include <QCborValue>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace LibCluster::Internal;

namespace {

[[noreturn]] void check_failed(const char *what, int line)
{
    std::fprintf(stderr, "fuzz-framedecoder: check failed at line %d: %s\n", line, what);
    std::abort();
}
#define CHECK(condition)                                                                           \
    do {                                                                                           \
        if (!(condition))                                                                          \
            check_failed(#condition, __LINE__);                                                    \
    } while (false)

int devNull()
{
    static const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    return fd;
}

struct Random
{
    quint64 state;
    quint64 next()
    {
        // splitmix64
        quint64 z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    qsizetype bounded(qsizetype bound) { return qsizetype(next() % quint64(bound)); }
};

struct DecodedFrame
{
    FrameKind kind;
    QByteArray payload;
    qsizetype descriptorCount;
    bool operator==(const DecodedFrame &other) const
    {
        return kind == other.kind && payload == other.payload
            && descriptorCount == other.descriptorCount;
    }
};

struct Outcome
{
    std::vector<DecodedFrame> frames;
    bool failed = false;
    QString error;
};

enum class Split { None, Random };
enum class Descriptors { UpFront, Trickle };

// Takes every frame the decoder has ready; checks and closes their descriptors.
void drain(FrameDecoder &decoder, TemplateDecoder &templates, Outcome &outcome,
    std::vector<int> &unclaimed, qsizetype &consumed)
{
    if (outcome.failed) {
        Frame frame;
        CHECK(decoder.next(&frame) == FrameDecoder::Failed);
        CHECK(decoder.errorString() == outcome.error);
        CHECK(frame.payload.isEmpty() && frame.descriptors.isEmpty());
        return;
    }
    for (;;) {
        Frame frame;
        const FrameDecoder::Result result = decoder.next(&frame);
        if (result == FrameDecoder::NeedMore)
            return;
        if (result == FrameDecoder::Failed) {
            outcome.failed = true;
            outcome.error = decoder.errorString();
            CHECK(!outcome.error.isEmpty());
            CHECK(frame.descriptors.isEmpty());
            return;
        }
        CHECK(result == FrameDecoder::FrameReady);
        CHECK(frame.kind == FrameKind::Runtime || frame.kind == FrameKind::Message);
        CHECK(quint32(frame.payload.size()) <= MaxFramePayload);
        CHECK(frame.descriptors.size() <= MaxFrameDescriptors);
        // Descriptors come out in the order they went in, each once.
        for (int fd : frame.descriptors) {
            CHECK(!unclaimed.empty() && unclaimed.front() == fd);
            unclaimed.erase(unclaimed.begin());
            CHECK(::close(fd) == 0);
        }
        consumed += FrameHeaderSize + frame.payload.size();

        QCborParserError error;
        const QCborValue value = QCborValue::fromCbor(frame.payload, &error);
        if (error.error == QCborError::NoError)
            (void)value.toCbor();
        // The receiver's fast decoder must give exactly what fromCbor() gives, errors included.
        QCborParserError fastError;
        const QCborValue fast = MessageDecoder::decode(frame.payload, &fastError);
        CHECK(fastError.error == error.error);
        if (error.error == QCborError::NoError)
            CHECK(fast.toCbor() == value.toCbor());
        // So must the decoder that patches the previous frame's value.
        QCborParserError shapedError;
        const QCborValue shaped = templates.decode(frame.payload, &shapedError);
        CHECK(shapedError.error == error.error);
        if (error.error == QCborError::NoError)
            CHECK(shaped.toCbor() == value.toCbor());

        outcome.frames.push_back({ frame.kind, frame.payload, frame.descriptors.size() });
    }
}

Outcome decode(const QByteArray &stream, int descriptorCount, quint64 seed, Split split,
    Descriptors descriptors)
{
    Random random { seed };
    std::vector<int> created;
    for (int i = 0; i < descriptorCount; ++i) {
        const int fd = ::fcntl(devNull(), F_DUPFD_CLOEXEC, 0);
        CHECK(fd >= 0);
        created.push_back(fd);
    }
    std::vector<int> unclaimed = created; // owned by the decoder, in arrival order
    std::vector<int> pending = created; // not yet given to the decoder
    Outcome outcome;
    {
        FrameDecoder decoder;
        TemplateDecoder templates;
        qsizetype appended = 0;
        qsizetype consumed = 0;
        auto giveDescriptors = [&](size_t count) {
            count = std::min(count, pending.size());
            if (count == 0)
                return;
            decoder.appendDescriptors(pending.data(), int(count));
            pending.erase(pending.begin(), pending.begin() + qsizetype(count));
        };
        if (descriptors == Descriptors::UpFront)
            giveDescriptors(pending.size());
        while (appended < stream.size()) {
            qsizetype chunk = stream.size() - appended;
            if (split == Split::Random) {
                static constexpr qsizetype maxChunks[] = { 1, 3, 8, 64, 1024 };
                chunk = std::min(chunk, 1 + random.bounded(maxChunks[random.bounded(5)]));
            }
            if (descriptors == Descriptors::Trickle)
                giveDescriptors(size_t(random.bounded(3)));
            decoder.append(stream.constData() + appended, chunk);
            appended += chunk;
            drain(decoder, templates, outcome, unclaimed, consumed);
            if (!outcome.failed)
                CHECK(consumed + decoder.bufferedBytes() == appended);
        }
        giveDescriptors(pending.size());
        drain(decoder, templates, outcome, unclaimed, consumed);
        if (outcome.failed) {
            // Sticky: more bytes change nothing.
            static const char frame[] = { 0, 0, 0, 1, 1, 0, char(0xf6) };
            decoder.append(frame, sizeof(frame));
            drain(decoder, templates, outcome, unclaimed, consumed);
        } else {
            CHECK(consumed + decoder.bufferedBytes() == stream.size());
        }
        for (int fd : unclaimed)
            CHECK(::fcntl(fd, F_GETFD) != -1);
    }
    // The decoder closed every descriptor no frame claimed; the frames' ones were closed above.
    for (int fd : created)
        CHECK(::fcntl(fd, F_GETFD) == -1 && errno == EBADF);
    return outcome;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const int descriptorCount = data[0] & 0x1f;
    const quint64 seed = (quint64(data[0] >> 5) << 32) ^ quint64(size);
    const QByteArray stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const Outcome whole = decode(stream, descriptorCount, seed, Split::None, Descriptors::UpFront);
    const Outcome split
        = decode(stream, descriptorCount, seed, Split::Random, Descriptors::UpFront);
    CHECK(whole.failed == split.failed);
    CHECK(whole.error == split.error);
    CHECK(whole.frames == split.frames);

    const Outcome late = decode(stream, descriptorCount, seed, Split::Random, Descriptors::Trickle);
    CHECK(late.frames.size() <= whole.frames.size());
    for (size_t i = 0; i < late.frames.size(); ++i)
        CHECK(late.frames[i] == whole.frames[i]);
    if (!late.failed) {
        CHECK(!whole.failed);
        CHECK(late.frames.size() == whole.frames.size());
    } else if (late.error != whole.error) {
        // Only a shortage of descriptors may set the late run apart.
        CHECK(late.error.contains(QLatin1String("descriptors but")));
    }
    return 0;
}
