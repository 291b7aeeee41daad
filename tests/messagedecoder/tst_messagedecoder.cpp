// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageDecoder against QCborValue::fromCbor(): the same value and the same error for every
// input, whether it takes the direct path or falls back.
#include "channel/messagedecoder.h"

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

private:
    static void compare(const QByteArray &cbor);
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

QTEST_GUILESS_MAIN(tst_MessageDecoder)
#include "tst_messagedecoder.moc"
