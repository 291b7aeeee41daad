// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// FrameDecoder on its own: splitting, batching, descriptors, and every way a hostile peer can fail
// it.
#include "channel/framedecoder.h"

#include <QRandomGenerator>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <memory>
#include <unistd.h>
#include <utility>

using namespace LibCluster::Internal;

class tst_FrameDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void singleFrame_data();
    void singleFrame();
    void kindsOnTheWire();
    void partialHeader();
    void byteByByte();
    void manyFramesInOneAppend();
    void randomSplits();
    void frameIsReused();
    void descriptorsMatchedToFrames();
    void descriptorsWithByteByByteFrames();
    void oversizedLength_data();
    void oversizedLength();
    void unknownKind_data();
    void unknownKind();
    void descriptorLimit();
    void tooManyDescriptors();
    void missingDescriptors();
    void lostDescriptors();
    void unclaimedDescriptors();
    void failureIsSticky();
    void destructorClosesLeftoverDescriptors();
};

namespace {

QByteArray frameBytes(FrameKind kind, const QByteArray &payload, int descriptorCount = 0)
{
    QByteArray out;
    appendFrameHeader(out, kind, quint32(payload.size()), descriptorCount);
    out.append(payload);
    return out;
}

// A header the encoder would never write: any kind byte, any length, any descriptor count.
QByteArray rawHeader(quint32 size, quint8 kind, quint8 descriptors)
{
    const char header[FrameHeaderSize] = { char(size >> 24), char(size >> 16), char(size >> 8),
        char(size), char(kind), char(descriptors) };
    return QByteArray(header, FrameHeaderSize);
}

bool isOpen(int fd)
{
    return ::fcntl(fd, F_GETFD) != -1;
}

bool isClosed(int fd)
{
    return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

// Opens `count` descriptors (ends of pipes) the test can hand to a decoder.
QList<int> openDescriptors(int count)
{
    QList<int> fds;
    while (fds.size() < count) {
        int pipeFds[2];
        if (::pipe2(pipeFds, O_CLOEXEC) != 0)
            qFatal("pipe2 failed");
        fds.append(pipeFds[0]);
        if (fds.size() < count)
            fds.append(pipeFds[1]);
        else
            ::close(pipeFds[1]);
    }
    return fds;
}

void closeAll(const QList<int> &fds)
{
    for (int fd : fds)
        ::close(fd);
}

QByteArray patternPayload(int size, int salt)
{
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char((i * 31 + salt * 7) & 0xff);
    return payload;
}

} // namespace

void tst_FrameDecoder::singleFrame_data()
{
    QTest::addColumn<FrameKind>("kind");
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("message") << FrameKind::Message << QByteArray("\xa1\x61\x61\x01", 4);
    QTest::newRow("runtime") << FrameKind::Runtime << QByteArray("\xa0", 1);
    QTest::newRow("empty payload") << FrameKind::Message << QByteArray();
    QTest::newRow("zero bytes") << FrameKind::Message << QByteArray(1000, '\0');
}

void tst_FrameDecoder::singleFrame()
{
    QFETCH(FrameKind, kind);
    QFETCH(QByteArray, payload);
    FrameDecoder decoder;
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    const QByteArray bytes = frameBytes(kind, payload);
    decoder.append(bytes.constData(), bytes.size());
    QCOMPARE(decoder.bufferedBytes(), bytes.size());
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.kind, kind);
    QCOMPARE(frame.payload, payload);
    QVERIFY(frame.descriptors.isEmpty());
    QCOMPARE(decoder.bufferedBytes(), 0);
    QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    QVERIFY(decoder.errorString().isEmpty());
}

// The kind byte is part of the wire format between a primary and its workers: a runtime message
// is 0 and a user message 1, whatever the enum's names.
void tst_FrameDecoder::kindsOnTheWire()
{
    static_assert(quint8(FrameKind::Runtime) == 0 && quint8(FrameKind::Message) == 1);
    for (const auto &[byte, kind] :
        { std::pair { '\x00', FrameKind::Runtime }, std::pair { '\x01', FrameKind::Message } }) {
        const char bytes[] = { 0, 0, 0, 1, byte, 0, '\xa0' };
        FrameDecoder decoder;
        decoder.append(bytes, sizeof(bytes));
        Frame frame;
        QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
        QCOMPARE(frame.kind, kind);
        QCOMPARE(frame.payload, QByteArray("\xa0", 1));
    }
}

void tst_FrameDecoder::partialHeader()
{
    FrameDecoder decoder;
    const QByteArray bytes = frameBytes(FrameKind::Message, "abc");
    decoder.append(bytes.constData(), FrameHeaderSize - 1);
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    QCOMPARE(decoder.bufferedBytes(), FrameHeaderSize - 1);
    // A complete header without its payload is not a frame yet either.
    decoder.append(bytes.constData() + FrameHeaderSize - 1, 1);
    QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    decoder.append(bytes.constData() + FrameHeaderSize, bytes.size() - FrameHeaderSize);
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.payload, QByteArray("abc"));
}

void tst_FrameDecoder::byteByByte()
{
    const QList<QByteArray> payloads
        = { "first", QByteArray(), QByteArray(300, 'x'), QByteArray("\0\1\2", 3), "last" };
    QByteArray stream;
    for (int i = 0; i < payloads.size(); ++i)
        stream += frameBytes(i % 2 ? FrameKind::Runtime : FrameKind::Message, payloads.at(i));

    FrameDecoder decoder;
    Frame frame;
    QList<QByteArray> received;
    qsizetype frameEnd = 0;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        decoder.append(stream.constData() + i, 1);
        const auto result = decoder.next(&frame);
        const qsizetype expectedEnd
            = frameEnd + FrameHeaderSize + payloads.at(received.size()).size();
        if (i + 1 < expectedEnd) {
            QCOMPARE(result, FrameDecoder::NeedMore);
            continue;
        }
        // The frame is ready exactly with its last byte, not a byte earlier or later.
        QCOMPARE(result, FrameDecoder::FrameReady);
        QCOMPARE(frame.kind, received.size() % 2 ? FrameKind::Runtime : FrameKind::Message);
        received.append(frame.payload);
        frameEnd = expectedEnd;
        QCOMPARE(decoder.bufferedBytes(), 0);
        QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    }
    QCOMPARE(received, payloads);
}

void tst_FrameDecoder::manyFramesInOneAppend()
{
    constexpr int Count = 5000;
    QByteArray stream;
    for (int i = 0; i < Count; ++i)
        stream += frameBytes(FrameKind::Message, QByteArray::number(i));
    FrameDecoder decoder;
    decoder.append(stream.constData(), stream.size());
    Frame frame;
    for (int i = 0; i < Count; ++i) {
        QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
        QCOMPARE(frame.payload, QByteArray::number(i));
    }
    QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

// Chunks of every size, read interleaved with appends, across far more than the decoder's
// compaction threshold: the frames come out whole and in order.
void tst_FrameDecoder::randomSplits()
{
    QRandomGenerator random(20240611);
    constexpr int Count = 20000;
    QList<QByteArray> payloads;
    QByteArray stream;
    for (int i = 0; i < Count; ++i) {
        const int size = random.bounded(i % 100 == 0 ? 70000 : 300);
        payloads.append(patternPayload(size, i));
        stream += frameBytes(FrameKind::Message, payloads.last());
    }

    FrameDecoder decoder;
    Frame frame;
    int received = 0;
    qsizetype offset = 0;
    while (offset < stream.size()) {
        const qsizetype chunk = qMin<qsizetype>(stream.size() - offset, 1 + random.bounded(9000));
        decoder.append(stream.constData() + offset, chunk);
        offset += chunk;
        // Sometimes leave frames in the buffer across appends.
        const int reads = random.bounded(4) == 0 ? 1 : 1000000;
        for (int r = 0; r < reads; ++r) {
            const auto result = decoder.next(&frame);
            QVERIFY(result != FrameDecoder::Failed);
            if (result == FrameDecoder::NeedMore)
                break;
            QVERIFY2(frame.payload == payloads.at(received),
                qPrintable(QStringLiteral("frame %1 differs").arg(received)));
            ++received;
        }
    }
    for (;;) {
        const auto result = decoder.next(&frame);
        QVERIFY(result != FrameDecoder::Failed);
        if (result == FrameDecoder::NeedMore)
            break;
        QVERIFY(frame.payload == payloads.at(received));
        ++received;
    }
    QCOMPARE(received, Count);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

// The caller may pass the same Frame again: nothing of the previous frame survives.
void tst_FrameDecoder::frameIsReused()
{
    const QList<int> fds = openDescriptors(1);
    FrameDecoder decoder;
    decoder.appendDescriptors(fds.constData(), 1);
    const QByteArray stream
        = frameBytes(FrameKind::Runtime, "with fd", 1) + frameBytes(FrameKind::Message, "plain");
    decoder.append(stream.constData(), stream.size());
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.descriptors, fds);
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.kind, FrameKind::Message);
    QCOMPARE(frame.payload, QByteArray("plain"));
    QVERIFY(frame.descriptors.isEmpty());
    closeAll(fds);
}

void tst_FrameDecoder::descriptorsMatchedToFrames()
{
    // Descriptors travel with the first byte of their frame: by the time a frame is complete,
    // its descriptors and those of every earlier frame have arrived.
    const QList<int> fds = openDescriptors(4);
    auto decoder = std::make_unique<FrameDecoder>();
    const QByteArray a = frameBytes(FrameKind::Message, "one", 1);
    const QByteArray b = frameBytes(FrameKind::Message, "none", 0);
    const QByteArray c = frameBytes(FrameKind::Message, "two", 2);
    const QByteArray d = frameBytes(FrameKind::Runtime, "one more", 1);
    decoder->appendDescriptors(fds.constData(), 1);
    decoder->append(a.constData(), a.size());
    decoder->append(b.constData(), b.size());
    decoder->appendDescriptors(fds.constData() + 1, 2);
    decoder->append(c.constData(), c.size());
    decoder->appendDescriptors(fds.constData() + 3, 1);
    decoder->append(d.constData(), d.size());

    Frame frame;
    QCOMPARE(decoder->next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.payload, QByteArray("one"));
    QCOMPARE(frame.descriptors, QList<int>({ fds.at(0) }));
    QCOMPARE(decoder->next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.payload, QByteArray("none"));
    QVERIFY(frame.descriptors.isEmpty());
    QCOMPARE(decoder->next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.payload, QByteArray("two"));
    QCOMPARE(frame.descriptors, QList<int>({ fds.at(1), fds.at(2) }));
    QCOMPARE(decoder->next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.kind, FrameKind::Runtime);
    QCOMPARE(frame.descriptors, QList<int>({ fds.at(3) }));
    QCOMPARE(decoder->next(&frame), FrameDecoder::NeedMore);

    // Descriptors handed out belong to the frames: the decoder's destructor leaves them open.
    decoder.reset();
    for (int fd : fds)
        QVERIFY(isOpen(fd));
    closeAll(fds);
}

void tst_FrameDecoder::descriptorsWithByteByByteFrames()
{
    const QList<int> fds = openDescriptors(3);
    FrameDecoder decoder;
    QList<int> received;
    Frame frame;
    for (int i = 0; i < 3; ++i) {
        const QByteArray bytes = frameBytes(FrameKind::Message, QByteArray::number(i), 1);
        decoder.appendDescriptors(&fds.at(i), 1);
        for (char byte : bytes) {
            decoder.append(&byte, 1);
            const auto result = decoder.next(&frame);
            QVERIFY(result != FrameDecoder::Failed);
            if (result == FrameDecoder::FrameReady) {
                QCOMPARE(frame.payload, QByteArray::number(i));
                QCOMPARE(frame.descriptors.size(), 1);
                received.append(frame.descriptors.first());
            }
        }
    }
    QCOMPARE(received, fds);
    closeAll(fds);
}

void tst_FrameDecoder::oversizedLength_data()
{
    QTest::addColumn<quint32>("limit");
    QTest::addColumn<quint32>("size");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("at the limit") << quint32(16) << quint32(16) << true;
    QTest::newRow("one byte over") << quint32(16) << quint32(17) << false;
    QTest::newRow("default limit, 4 GiB") << MaxFramePayload << quint32(0xffffffff) << false;
    QTest::newRow("default limit, one over") << MaxFramePayload << MaxFramePayload + 1 << false;
}

void tst_FrameDecoder::oversizedLength()
{
    QFETCH(quint32, limit);
    QFETCH(quint32, size);
    QFETCH(bool, accepted);
    FrameDecoder decoder(limit);
    const QByteArray header = rawHeader(size, quint8(FrameKind::Message), 0);
    decoder.append(header.constData(), header.size());
    Frame frame;
    if (accepted) {
        QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
        const QByteArray payload(qsizetype(size), 'p');
        decoder.append(payload.constData(), payload.size());
        QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
        QCOMPARE(frame.payload, payload);
        return;
    }
    // Refused from the header alone: the decoder must not wait for (or buffer) the payload.
    QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
    const QString error = decoder.errorString();
    QVERIFY2(error.contains(QString::number(size)), qPrintable(error));
    QVERIFY2(error.contains(QString::number(limit)), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("limit")), qPrintable(error));
}

void tst_FrameDecoder::unknownKind_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("2") << 2;
    QTest::newRow("0x7f") << 0x7f;
    QTest::newRow("0xff") << 0xff;
}

void tst_FrameDecoder::unknownKind()
{
    QFETCH(int, kind);
    FrameDecoder decoder;
    const QByteArray bytes = rawHeader(3, quint8(kind), 0) + "abc";
    decoder.append(bytes.constData(), bytes.size());
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
    QVERIFY2(decoder.errorString().contains(QLatin1String("unknown frame kind")),
        qPrintable(decoder.errorString()));
    QVERIFY2(
        decoder.errorString().contains(QString::number(kind)), qPrintable(decoder.errorString()));
}

void tst_FrameDecoder::descriptorLimit()
{
    const QList<int> fds = openDescriptors(MaxFrameDescriptors);
    FrameDecoder decoder;
    decoder.appendDescriptors(fds.constData(), int(fds.size()));
    const QByteArray bytes = frameBytes(FrameKind::Message, "many", MaxFrameDescriptors);
    decoder.append(bytes.constData(), bytes.size());
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.descriptors, fds);
    closeAll(fds);
}

void tst_FrameDecoder::tooManyDescriptors()
{
    const QList<int> fds = openDescriptors(MaxFrameDescriptors + 1);
    {
        FrameDecoder decoder;
        decoder.appendDescriptors(fds.constData(), int(fds.size()));
        const QByteArray bytes
            = rawHeader(2, quint8(FrameKind::Message), MaxFrameDescriptors + 1) + "xy";
        decoder.append(bytes.constData(), bytes.size());
        Frame frame;
        QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
        const QString error = decoder.errorString();
        QVERIFY2(error.contains(QString::number(MaxFrameDescriptors + 1)), qPrintable(error));
        QVERIFY2(error.contains(QString::number(MaxFrameDescriptors)), qPrintable(error));
        QVERIFY(frame.descriptors.isEmpty());
    }
    // None was handed out, so the decoder closed them all.
    for (int fd : fds)
        QVERIFY(isClosed(fd));
}

void tst_FrameDecoder::missingDescriptors()
{
    const QList<int> fds = openDescriptors(1);
    {
        FrameDecoder decoder;
        decoder.appendDescriptors(fds.constData(), 1);
        const QByteArray bytes = frameBytes(FrameKind::Message, "needs two", 2);
        // Descriptors come with the first byte of a frame; while the frame is incomplete, the
        // second may not have been read yet, so it is not an error yet...
        decoder.append(bytes.constData(), bytes.size() - 1);
        Frame frame;
        QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
        // ...but a complete frame whose descriptors are not all there never gets them.
        decoder.append(bytes.constData() + bytes.size() - 1, 1);
        QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
        const QString error = decoder.errorString();
        QVERIFY2(error.contains(QLatin1String("declares 2 descriptors")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("1 arrived")), qPrintable(error));
    }
    QVERIFY(isClosed(fds.first()));
}

void tst_FrameDecoder::lostDescriptors()
{
    // The receiver ran out of descriptors: one of the two arrived, the other was dropped.
    const QList<int> fds = openDescriptors(1);
    FrameDecoder decoder;
    const QByteArray bytes = frameBytes(FrameKind::Runtime, "needs two", 2);
    decoder.append(bytes.constData(), bytes.size());
    decoder.appendDescriptors(fds.constData(), 1);
    decoder.markDescriptorsLost();
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.descriptors, QList<int>({ fds.first(), -1 }));
    // Only that frame: a later one short of descriptors is a broken stream again.
    const QByteArray next = frameBytes(FrameKind::Runtime, "needs one", 1);
    decoder.append(next.constData(), next.size());
    QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
    closeAll(fds);
}

void tst_FrameDecoder::unclaimedDescriptors()
{
    const QList<int> fds = openDescriptors(4);
    FrameDecoder decoder;
    // Nothing buffered: whatever is held came with frames that did not declare it.
    decoder.appendDescriptors(fds.constData(), 1);
    QCOMPARE(decoder.closeUnclaimedDescriptors(), 1);
    QVERIFY(isClosed(fds.at(0)));
    // A header cut short may still declare them: kept.
    const QByteArray bytes = frameBytes(FrameKind::Message, "two of them", 2);
    decoder.append(bytes.constData(), 3);
    decoder.appendDescriptors(fds.constData() + 1, 3);
    QCOMPARE(decoder.closeUnclaimedDescriptors(), 0);
    // Once the header says two, the third cannot be the frame's, nor a later frame's (it has
    // not started yet).
    decoder.append(bytes.constData() + 3, 5);
    QCOMPARE(decoder.closeUnclaimedDescriptors(), 1);
    QVERIFY(isClosed(fds.at(3)));
    decoder.append(bytes.constData() + 8, bytes.size() - 8);
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(frame.descriptors, QList<int>({ fds.at(1), fds.at(2) }));
    QCOMPARE(decoder.closeUnclaimedDescriptors(), 0);
    closeAll(frame.descriptors);
}

void tst_FrameDecoder::failureIsSticky()
{
    FrameDecoder decoder;
    const QByteArray good = frameBytes(FrameKind::Message, "good");
    const QByteArray bad = rawHeader(1, 9, 0) + "z";
    decoder.append(good.constData(), good.size());
    decoder.append(bad.constData(), bad.size());
    decoder.append(good.constData(), good.size());
    Frame frame;
    QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
    QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
    const QString error = decoder.errorString();
    QVERIFY(!error.isEmpty());
    frame.payload = "untouched";
    for (int i = 0; i < 3; ++i) {
        decoder.append(good.constData(), good.size());
        QCOMPARE(decoder.next(&frame), FrameDecoder::Failed);
        QCOMPARE(decoder.errorString(), error);
    }
    QCOMPARE(frame.payload, QByteArray("untouched"));
}

void tst_FrameDecoder::destructorClosesLeftoverDescriptors()
{
    const QList<int> fds = openDescriptors(4);
    {
        FrameDecoder decoder;
        decoder.appendDescriptors(fds.constData(), int(fds.size()));
        const QByteArray bytes = frameBytes(FrameKind::Message, "takes one", 1)
            + frameBytes(FrameKind::Message, "incomplete, takes one", 1).chopped(3);
        decoder.append(bytes.constData(), bytes.size());
        Frame frame;
        QCOMPARE(decoder.next(&frame), FrameDecoder::FrameReady);
        QCOMPARE(frame.descriptors, QList<int>({ fds.at(0) }));
        QCOMPARE(decoder.next(&frame), FrameDecoder::NeedMore);
        for (int fd : fds)
            QVERIFY(isOpen(fd));
    }
    QVERIFY(isOpen(fds.at(0)));
    for (int i = 1; i < fds.size(); ++i)
        QVERIFY2(isClosed(fds.at(i)), qPrintable(QStringLiteral("descriptor %1").arg(i)));
    ::close(fds.at(0));
}

QTEST_APPLESS_MAIN(tst_FrameDecoder)
#include "tst_framedecoder.moc"
