// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageDecoder and TemplateDecoder against QCborValue::fromCbor(): the same value and the same
// error for every input, whether it takes the direct path, patches the last message or falls back.
#include "channel/messagedecoder.h"
#include "channel/templatedecoder.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborStreamWriter>
#include <QRandomGenerator>
#include <QTest>

#include <cmath>
#include <limits>

using namespace LibCluster::Internal;

class tst_MessageDecoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsFromCbor_data();
    void sameAsFromCbor();
    void truncatedInputFails();
    void randomBytes();
    void templateSequence_data();
    void templateSequence();
    void templateMutations();
    void templateUnchangedByReceiver();
    void templateKeptMessagesStay();

private:
    static void compare(const QByteArray &cbor);
    // Decodes `cbor` with `decoder` and checks it against fromCbor().
    static void compareTemplate(TemplateDecoder &decoder, const QByteArray &cbor);
};

void tst_MessageDecoder::compare(const QByteArray &cbor)
{
    QCborParserError expectedError;
    const QCborValue expected = QCborValue::fromCbor(cbor, &expectedError);
    QCborParserError error;
    error.error = QCborError { QCborError::UnknownError }; // must be overwritten
    const QCborValue value = MessageDecoder::decode(cbor, &error);
    QCOMPARE(error.error, expectedError.error);
    if (expectedError.error != QCborError::NoError)
        return;
    QCOMPARE(value.type(), expected.type());
    // The encodings are compared too: operator== treats some distinct values alike.
    QCOMPARE(value.toCbor(), expected.toCbor());
    QCOMPARE(value, expected);
}

namespace {
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}
} // namespace

void tst_MessageDecoder::sameAsFromCbor_data()
{
    QTest::addColumn<QByteArray>("cbor");
    auto add
        = [](const char *name, const QCborValue &value) { QTest::newRow(name) << value.toCbor(); };
    QCborMap message;
    message.insert(QStringLiteral("seq"), 12345);
    message.insert(QStringLiteral("payload"), QString(64, QLatin1Char('x')));
    add("message", message);
    QCborMap largeMessage;
    largeMessage.insert(QStringLiteral("seq"), 1);
    largeMessage.insert(QStringLiteral("payload"), QString(1024, QLatin1Char('x')));
    largeMessage.insert(QStringLiteral("bytes"), QByteArray(1024, 'y'));
    add("1 KiB strings", largeMessage);
    QCborMap oddKeys;
    oddKeys.insert(QCborValue(QCborValue::Undefined), 1);
    oddKeys.insert(QCborValue(nullptr), 2);
    oddKeys.insert(QString(), 3);
    oddKeys.insert(QStringLiteral("k\u00e9y"), 4);
    oddKeys.insert(QString(300, QLatin1Char('k')), 5);
    oddKeys.insert(QStringLiteral("eight ch"), 6);
    add("odd keys", oddKeys);
    add("ascii of every length up to 17",
        QCborArray { QString(), QStringLiteral("a"), QStringLiteral("ab"),
            QStringLiteral("abcdefg"), QStringLiteral("abcdefgh"), QStringLiteral("abcdefghi"),
            QStringLiteral("abcdefghijklmnop"), QStringLiteral("abcdefghijklmnopq") });
    add("non-ascii after eight ascii", QStringLiteral("abcdefgh\u00e9"));
    QCborMap nested;
    nested.insert(QStringLiteral("list"),
        QCborArray { 1, -1, 0, 23, 24, 255, 256, 65535, 65536, true, false, nullptr, 1.5 });
    nested.insert(1, QByteArray("\0\1\2", 3));
    nested.insert(QStringLiteral("inner"), message);
    nested.insert(QCborArray { 1, 2 }, QStringLiteral("array key"));
    add("nested", nested);
    add("empty map", QCborMap());
    add("empty array", QCborArray());
    add("empty string", QString());
    add("empty bytes", QByteArray());
    add("int64 max", std::numeric_limits<qint64>::max());
    add("int64 min", std::numeric_limits<qint64>::min());
    add("double", 3.25);
    add("infinity", std::numeric_limits<double>::infinity());
    add("nan", std::nan(""));
    add("undefined", QCborValue(QCborValue::Undefined));
    add("simple type", QCborValue(QCborSimpleType(32)));
    add("tag", QCborValue(QCborTag(1), 1000));
    add("non-ascii text", QStringLiteral("gr\u00fc\u00dfe \u2603"));
    add("url", QCborValue(QUrl(QStringLiteral("https://example.org/"))));
    QCborMap large;
    for (int i = 0; i < 100; ++i)
        large.insert(i, i);
    add("map past the direct path's size", large);
    QCborValue deep = 1;
    for (int i = 0; i < 200; ++i)
        deep = QCborArray { deep };
    add("deeply nested", deep);

    // Encodings QCborValue would not write itself.
    QTest::newRow("uint64 past int64") << hex("1bffffffffffffffff");
    QTest::newRow("negative past int64") << hex("3bffffffffffffffff");
    QTest::newRow("float") << hex("fa3fc00000");
    QTest::newRow("half float") << hex("f93e00");
    QTest::newRow("non-minimal integer") << hex("1a00000001");
    QTest::newRow("indefinite array") << hex("9f0102ff");
    QTest::newRow("indefinite text") << hex("7f61616162ff");
    QTest::newRow("duplicate keys") << hex("a2616101616102");
    QTest::newRow("invalid utf-8") << hex("62c328");
    QTest::newRow("trailing bytes") << hex("0102");
    QTest::newRow("reserved additional info") << hex("1c");
    QTest::newRow("break alone") << hex("ff");
    QTest::newRow("empty input") << QByteArray();
    QTest::newRow("array longer than input") << hex("9a7fffffff01");
    QTest::newRow("map longer than input") << hex("ba7fffffff0102");
    QTest::newRow("string longer than input") << hex("7a7fffffff6161");
}

void tst_MessageDecoder::sameAsFromCbor()
{
    QFETCH(QByteArray, cbor);
    compare(cbor);
}

void tst_MessageDecoder::truncatedInputFails()
{
    QCborMap message;
    message.insert(QStringLiteral("seq"), 70000);
    message.insert(QStringLiteral("list"), QCborArray { 1.5, QByteArray("bytes"), true });
    const QByteArray cbor = message.toCborValue().toCbor();
    for (qsizetype size = 0; size < cbor.size(); ++size) {
        compare(cbor.left(size));
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("differs with %1 bytes").arg(size)));
    }
}

void tst_MessageDecoder::randomBytes()
{
    // Small CBOR-ish inputs: mostly heads of every major type with short arguments.
    QRandomGenerator random(20261207);
    for (int i = 0; i < 20000; ++i) {
        QByteArray cbor(random.bounded(1, 12), Qt::Uninitialized);
        for (char &c : cbor)
            c = char(random.bounded(256));
        compare(cbor);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("differs for %1").arg(QLatin1String(cbor.toHex()))));
    }
}

void tst_MessageDecoder::compareTemplate(TemplateDecoder &decoder, const QByteArray &cbor)
{
    QCborParserError expectedError;
    const QCborValue expected = QCborValue::fromCbor(cbor, &expectedError);
    QCborParserError error;
    error.error = QCborError { QCborError::UnknownError }; // must be overwritten
    const QCborValue value = decoder.decode(cbor, &error);
    QCOMPARE(error.error, expectedError.error);
    if (expectedError.error != QCborError::NoError)
        return;
    QCOMPARE(value.type(), expected.type());
    QCOMPARE(value.toCbor().toHex(), expected.toCbor().toHex());
    QCOMPARE(value, expected);
}

namespace {
QCborMap seqMessage(const QCborValue &seq, const QCborValue &payload)
{
    QCborMap message;
    message.insert(QStringLiteral("seq"), seq);
    message.insert(QStringLiteral("payload"), payload);
    return message;
}
} // namespace

void tst_MessageDecoder::templateSequence_data()
{
    // Messages decoded one after the other by one decoder, as a channel receives them.
    QTest::addColumn<QList<QByteArray>>("messages");
    const QCborValue payload(QString(64, QLatin1Char('x')));
    QList<QByteArray> counter;
    for (qint64 seq : { 0LL, 1LL, 1LL, 23LL, 24LL, 255LL, 256LL, 65535LL, 65536LL, 4294967296LL,
             std::numeric_limits<qint64>::max(), -1LL, -25LL, std::numeric_limits<qint64>::min(),
             7LL })
        counter.append(QCborValue(seqMessage(seq, payload)).toCbor());
    QTest::newRow("a counter through every size") << counter;

    QList<QByteArray> scalars;
    for (const QCborValue &v :
        { QCborValue(1), QCborValue(1.5), QCborValue(true), QCborValue(false), QCborValue(nullptr),
            QCborValue(QCborValue::Undefined), QCborValue(-2),
            QCborValue(std::numeric_limits<double>::infinity()), QCborValue(std::nan("")) })
        scalars.append(QCborValue(seqMessage(v, payload)).toCbor());
    scalars.append(hex("a26373657116677061796c6f6164f6")); // seq -> a single byte of simple type
    scalars.append(hex("a2637365711bffffffffffffffff677061796c6f6164f6")); // past qint64
    scalars.append(hex("a2637365713bffffffffffffffff677061796c6f6164f6")); // below qint64
    scalars.append(hex("a263736571f93e00677061796c6f6164f6")); // half float
    scalars.append(hex("a263736571fa3fc00000677061796c6f6164f6")); // float
    scalars.append(hex("a263736571f820677061796c6f6164f6")); // simple type 32
    scalars.append(hex("a2637365711a00000001677061796c6f6164f6")); // a longer form of 1
    QTest::newRow("a value of every scalar type") << scalars;

    QList<QByteArray> shapes;
    shapes.append(QCborValue(seqMessage(1, payload)).toCbor());
    shapes.append(QCborValue(seqMessage(2, QStringLiteral("other"))).toCbor());
    shapes.append(QCborValue(seqMessage(3, QStringLiteral("other"))).toCbor());
    shapes.append(QCborValue(seqMessage(3, QByteArray("other"))).toCbor());
    shapes.append(QCborValue(seqMessage(4, QCborArray { 1, 2 })).toCbor());
    shapes.append(QCborValue(seqMessage(5, QCborArray { 1, 3 })).toCbor());
    shapes.append(QCborValue(seqMessage(6, QCborArray { 1, 3, 4 })).toCbor());
    shapes.append(QCborValue(QCborArray { 1, 2, 3 }).toCbor());
    shapes.append(QCborValue(QCborArray { 1, 2, 4 }).toCbor());
    shapes.append(QCborValue(QStringLiteral("a string alone")).toCbor());
    shapes.append(QCborValue(QCborArray { 1, 2, 5 }).toCbor());
    shapes.append(QCborValue(7).toCbor());
    shapes.append(QCborValue(QCborArray { 7, 2, 5 }).toCbor());
    QTest::newRow("shapes that change") << shapes;

    QList<QByteArray> nested;
    for (int i = 0; i < 5; ++i) {
        QCborMap inner;
        inner.insert(QStringLiteral("n"), i / 2);
        inner.insert(QStringLiteral("deeper"), QCborArray { QCborArray { i % 3, true }, i });
        QCborMap outer;
        outer.insert(QStringLiteral("inner"), inner);
        outer.insert(i, QStringLiteral("integer key that changes"));
        outer.insert(QStringLiteral("list"), QCborArray { QCborMap(), i * 1000, QCborArray() });
        nested.append(QCborValue(outer).toCbor());
    }
    QTest::newRow("nested containers") << nested;

    QList<QByteArray> broken;
    const QByteArray good = QCborValue(seqMessage(1, payload)).toCbor();
    broken.append(good);
    broken.append(good.left(good.size() - 1)); // cut short
    broken.append(good + QByteArray(1, '\0')); // trailing byte
    broken.append(QCborValue(seqMessage(2, payload)).toCbor());
    QByteArray badUtf8 = QCborValue(seqMessage(3, QStringLiteral("ab"))).toCbor();
    broken.append(badUtf8);
    badUtf8[badUtf8.size() - 2] = char(0xc3);
    badUtf8[badUtf8.size() - 1] = char(0x28);
    broken.append(badUtf8); // a string that differs, and is not UTF-8
    broken.append(hex("a2616101616102")); // duplicate keys
    broken.append(hex("a2616101616103"));
    broken.append(hex("a2616101616203"));
    broken.append(hex("bf6373657101ff")); // indefinite length
    broken.append(hex("a263736571c1016161f6")); // a tag
    broken.append(hex("a263736571c1026161f6"));
    QTest::newRow("broken and odd input between good") << broken;
}

void tst_MessageDecoder::templateSequence()
{
    QFETCH(QList<QByteArray>, messages);
    TemplateDecoder decoder;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        compareTemplate(decoder, messages.at(i));
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("message %1 differs: %2")
                                 .arg(i)
                                 .arg(QLatin1String(messages.at(i).toHex()))));
    }
}

void tst_MessageDecoder::templateMutations()
{
    // Every message a byte or two away from the one before: the paths that compare and patch
    // see every kind of near miss.
    QCborMap base;
    base.insert(QStringLiteral("seq"), 70000);
    base.insert(QStringLiteral("list"), QCborArray { 1.5, QByteArray("bytes"), true, -3 });
    base.insert(7, QCborMap { { QStringLiteral("k"), nullptr } });
    const QByteArray cbor = QCborValue(base).toCbor();
    QRandomGenerator random(20261207);
    TemplateDecoder decoder;
    for (int i = 0; i < 20000; ++i) {
        QByteArray mutated = cbor;
        for (int n = random.bounded(1, 3); n > 0; --n)
            mutated[random.bounded(int(mutated.size()))] = char(random.bounded(256));
        if (random.bounded(4) == 0)
            compareTemplate(decoder, cbor);
        compareTemplate(decoder, mutated);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("differs for %1").arg(QLatin1String(mutated.toHex()))));
    }
}

void tst_MessageDecoder::templateUnchangedByReceiver()
{
    // What a receiver does with its copy must not leak into the next message.
    TemplateDecoder decoder;
    const QCborValue payload(QStringLiteral("payload"));
    QCborParserError error;
    QCborValue first = decoder.decode(QCborValue(seqMessage(1, payload)).toCbor(), &error);
    QCborMap changed = first.toMap();
    changed.insert(QStringLiteral("seq"), 100);
    changed.insert(QStringLiteral("extra"), 1);
    first = QCborValue();
    QCborValue second = decoder.decode(QCborValue(seqMessage(2, payload)).toCbor(), &error);
    QCOMPARE(second, QCborValue(seqMessage(2, payload)));
    QCborMap alsoChanged = second.toMap();
    alsoChanged[QStringLiteral("payload")] = QStringLiteral("changed");
    QCOMPARE(decoder.decode(QCborValue(seqMessage(2, payload)).toCbor(), &error),
        QCborValue(seqMessage(2, payload)));
    QCOMPARE(decoder.decode(QCborValue(seqMessage(3, payload)).toCbor(), &error),
        QCborValue(seqMessage(3, payload)));
    QCOMPARE(changed.value(QStringLiteral("seq")).toInteger(), 100);
    QCOMPARE(alsoChanged.value(QStringLiteral("payload")).toString(), QStringLiteral("changed"));
}

void tst_MessageDecoder::templateKeptMessagesStay()
{
    // The template is written in place when nobody holds the last message: every message a
    // receiver kept, at any depth, must still be what it was when it arrived.
    TemplateDecoder decoder;
    QList<QCborValue> kept;
    QList<QCborValue> expected;
    for (int i = 0; i < 200; ++i) {
        QCborMap inner;
        inner.insert(QStringLiteral("n"), i / 3);
        inner.insert(QStringLiteral("flags"), QCborArray { i % 2 == 0, i });
        QCborMap message = seqMessage(i, QStringLiteral("payload"));
        message.insert(QStringLiteral("inner"), inner);
        const QCborValue value(message);
        QCborParserError error;
        const QCborValue decoded = decoder.decode(value.toCbor(), &error);
        QCOMPARE(decoded, value);
        // Every third message is dropped at once, so in-place and copied steps alternate.
        if (i % 3 != 0) {
            kept.append(decoded);
            expected.append(value);
        }
    }
    for (qsizetype i = 0; i < kept.size(); ++i)
        QCOMPARE(kept.at(i), expected.at(i));
}

QTEST_GUILESS_MAIN(tst_MessageDecoder)
#include "tst_messagedecoder.moc"
