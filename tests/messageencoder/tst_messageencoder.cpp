// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MessageEncoder against QCborValue::toCbor(): the same bytes for every type and nesting, values
// that cannot be sent refused with the buffer left exactly as it was, and one encoder reused
// from message to message.
#include "channel/messageencoder.h"

#include <QCborArray>
#include <QCborMap>
#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>
#include <QUuid>

#include <cmath>
#include <limits>

using namespace LibCluster::Internal;

class tst_MessageEncoder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsToCbor_data();
    void sameAsToCbor();
    void randomValues();
    void refused_data();
    void refused();
    void reusedFromMessageToMessage();
};

namespace {

// A buffer that already holds other frames, as a channel's write queue does.
const QByteArray Prefix = QByteArray("\x00\x00\x00\x03\x01\x00\xa0\x01\x02", 9);

QCborValue nestedArray(int depth, const QCborValue &bottom)
{
    QCborValue value = bottom;
    for (int i = 0; i < depth; ++i)
        value = QCborArray { value };
    return value;
}

QCborValue randomValue(QRandomGenerator &random, int depth)
{
    const int kinds = depth < 4 ? 16 : 12;
    switch (random.bounded(kinds)) {
    case 0: {
        // Integers around every boundary of the encoding's argument sizes.
        static const qint64 edges[] = { 0, 23, 24, 255, 256, 65535, 65536, 4294967295LL,
            4294967296LL, std::numeric_limits<qint64>::max() };
        const qint64 edge = edges[random.bounded(int(std::size(edges)))];
        // Wraps past the largest one, on purpose (modulo 2^64, without overflow).
        const qint64 n = qint64(quint64(edge) + quint64(qint64(random.bounded(-2, 3))));
        return random.bounded(2) ? n : qint64(~quint64(n)); // -1 - n, wrapping too
    }
    case 1:
        return qint64(random.generate64());
    case 2:
        return random.bounded(2) == 0;
    case 3:
        return QCborValue(nullptr);
    case 4: {
        static const double doubles[] = { 0.0, -0.0, 1.5, -1e300, 1e-300,
            std::numeric_limits<double>::infinity(), std::nan(""), 3.0 };
        return doubles[random.bounded(int(std::size(doubles)))];
    }
    case 5: {
        QString text(random.bounded(300), Qt::Uninitialized);
        for (QChar &c : text)
            c = QChar(char16_t(random.bounded(random.bounded(2) ? 0x80 : 0xd000) + 1));
        return text;
    }
    case 6: {
        QByteArray bytes(random.bounded(300), Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        return bytes;
    }
    case 7:
        return QCborValue(
            QCborSimpleType(random.bounded(2) ? random.bounded(20) : 32 + random.bounded(224)));
    case 8:
        return QCborValue(QUrl(QStringLiteral("https://example.org/%1").arg(random.generate())));
    case 9:
        return QCborValue(QUuid::createUuid());
    case 10:
        return QCborValue(QDateTime::fromMSecsSinceEpoch(qint64(random.generate()), Qt::UTC));
    case 11:
        return QStringLiteral("seq");
    case 12:
    case 13: {
        QCborArray array;
        for (int i = random.bounded(12); i > 0; --i)
            array.append(randomValue(random, depth + 1));
        return array;
    }
    case 14: {
        QCborMap map;
        for (int i = random.bounded(12); i > 0; --i)
            map.insert(randomValue(random, depth + 1), randomValue(random, depth + 1));
        return map;
    }
    default:
        return QCborValue(QCborTag(random.bounded(2) ? random.bounded(30) : random.generate64()),
            randomValue(random, depth + 1));
    }
}

} // namespace

void tst_MessageEncoder::sameAsToCbor_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::newRow("0") << QCborValue(0);
    const qint64 integers[] = { 1, 23, 24, 255, 256, 65535, 65536, 4294967295LL, 4294967296LL,
        std::numeric_limits<qint64>::max(), -1, -24, -25, -256, -257, -65536, -65537, -4294967296LL,
        -4294967297LL, std::numeric_limits<qint64>::min() };
    for (qint64 n : integers)
        QTest::addRow("integer %lld", qlonglong(n)) << QCborValue(n);
    QTest::newRow("false") << QCborValue(false);
    QTest::newRow("true") << QCborValue(true);
    QTest::newRow("null") << QCborValue(nullptr);
    QTest::newRow("double") << QCborValue(1.5);
    QTest::newRow("double that is an integer") << QCborValue(3.0);
    QTest::newRow("negative zero") << QCborValue(-0.0);
    QTest::newRow("infinity") << QCborValue(std::numeric_limits<double>::infinity());
    QTest::newRow("nan") << QCborValue(std::nan(""));
    QTest::newRow("simple type 0") << QCborValue(QCborSimpleType(0));
    QTest::newRow("simple type 19") << QCborValue(QCborSimpleType(19));
    QTest::newRow("simple type 32") << QCborValue(QCborSimpleType(32));
    QTest::newRow("simple type 255") << QCborValue(QCborSimpleType(255));
    QTest::newRow("empty string") << QCborValue(QString());
    QTest::newRow("ascii") << QCborValue(QStringLiteral("payload"));
    QTest::newRow("latin-1") << QCborValue(QStringLiteral("gr\u00fc\u00dfe"));
    QTest::newRow("utf-16") << QCborValue(QStringLiteral("\u2603 \U0001F600"));
    QTest::newRow("long string") << QCborValue(QString(70000, QLatin1Char('x')));
    QTest::newRow("empty bytes") << QCborValue(QByteArray());
    QTest::newRow("bytes") << QCborValue(QByteArray("\0\1\2\xff", 4));
    QTest::newRow("long bytes") << QCborValue(QByteArray(70000, 'b'));
    QTest::newRow("empty array") << QCborValue(QCborArray());
    QTest::newRow("empty map") << QCborValue(QCborMap());
    QCborMap message;
    message.insert(QStringLiteral("seq"), 12345);
    message.insert(QStringLiteral("payload"), QString(64, QLatin1Char('x')));
    QTest::newRow("message") << QCborValue(message);
    QCborMap keys;
    keys.insert(1, QStringLiteral("integer key"));
    keys.insert(-5, true);
    keys.insert(QCborValue(nullptr), 2);
    keys.insert(QCborValue(QByteArray("bytes")), 3);
    keys.insert(QCborArray { 1, 2 }, 4);
    keys.insert(message, QStringLiteral("map key"));
    keys.insert(1.5, 5);
    QTest::newRow("keys of every kind") << QCborValue(keys);
    QCborArray array;
    for (int i = 0; i < 300; ++i)
        array.append(i * 1000);
    QTest::newRow("300 items") << QCborValue(array);
    QCborMap wide;
    for (int i = 0; i < 30; ++i)
        wide.insert(QStringLiteral("key%1").arg(i), QCborArray { i, QString::number(i) });
    QTest::newRow("30 entries") << QCborValue(wide);
    QTest::newRow("tag") << QCborValue(QCborTag(1), 1000);
    QTest::newRow("large tag") << QCborValue(QCborTag(1ULL << 40), QStringLiteral("x"));
    QTest::newRow("tag in a tag") << QCborValue(QCborTag(5), QCborValue(QCborTag(6), message));
    QTest::newRow("date-time") << QCborValue(QDateTime::fromMSecsSinceEpoch(1000, Qt::UTC));
    QTest::newRow("url") << QCborValue(QUrl(QStringLiteral("https://example.org/a b")));
    QTest::newRow("regular expression") << QCborValue(QRegularExpression(QStringLiteral("^a+$")));
    QTest::newRow("uuid") << QCborValue(QUuid::createUuid());
    QTest::newRow("512 levels") << nestedArray(512, QStringLiteral("bottom"));
    QTest::newRow("url at 511 levels")
        << nestedArray(511, QCborValue(QUrl(QStringLiteral("https://example.org/"))));
    QCborMap inner;
    inner.insert(QStringLiteral("list"),
        QCborArray { 1, -1, 0, 23, 24, 255, 256, 65535, 65536, true, false, nullptr, 1.5 });
    inner.insert(QStringLiteral("inner"), message);
    QTest::newRow("nested") << QCborValue(QCborArray { inner, QCborArray { inner }, message });
}

void tst_MessageEncoder::sameAsToCbor()
{
    QFETCH(QCborValue, value);
    MessageEncoder encoder;
    QByteArray buffer = Prefix;
    QString why;
    QVERIFY2(encoder.encode(value, buffer, &why), qPrintable(why));
    QCOMPARE(buffer.left(Prefix.size()), Prefix);
    QCOMPARE(buffer.mid(Prefix.size()).toHex(), value.toCbor().toHex());
}

void tst_MessageEncoder::randomValues()
{
    QRandomGenerator random(20261207);
    MessageEncoder encoder; // one for every value, as a channel has
    for (int i = 0; i < 2000; ++i) {
        const QCborValue value = randomValue(random, 0);
        QByteArray buffer;
        QString why;
        QVERIFY2(encoder.encode(value, buffer, &why), qPrintable(why));
        const QByteArray expected = value.toCbor();
        if (buffer != expected)
            QFAIL(qPrintable(
                QStringLiteral("value %1 encodes as %2, toCbor() as %3")
                    .arg(i)
                    .arg(QLatin1String(buffer.toHex()), QLatin1String(expected.toHex()))));
        // And it reads back as the value it was.
        QCborParserError error;
        const QCborValue back = QCborValue::fromCbor(buffer, &error);
        QCOMPARE(error.error, QCborError::NoError);
        QCOMPARE(back.toCbor(), expected);
    }
}

void tst_MessageEncoder::refused_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("undefined") << QCborValue()
                               << QStringLiteral("the message contains an undefined value");
    QTest::newRow("invalid") << QCborValue(QCborValue::Invalid)
                             << QStringLiteral("the message contains an invalid value");
    QCborMap map;
    map.insert(QStringLiteral("ok"), QString(1000, QLatin1Char('o')));
    map.insert(QStringLiteral("list"), QCborArray { 1, 2, 3 });
    map.insert(QStringLiteral("bad"), QCborValue(QCborValue::Invalid));
    QTest::newRow("invalid after a kilobyte")
        << QCborValue(map) << QStringLiteral("the message contains an invalid value");
    QCborMap undefinedKey;
    undefinedKey.insert(QStringLiteral("first"), 1);
    undefinedKey.insert(QCborValue(), 1);
    QTest::newRow("undefined map key")
        << QCborValue(undefinedKey) << QStringLiteral("the message contains an undefined value");
    QTest::newRow("undefined deep in an array")
        << QCborValue(QCborArray { 1, QCborArray { 2, QCborValue() } })
        << QStringLiteral("the message contains an undefined value");
    QTest::newRow("undefined inside a tag") << QCborValue(
        QCborTag(7), QCborValue()) << QStringLiteral("the message contains an undefined value");
    QTest::newRow("513 levels") << nestedArray(513, 1)
                                << QStringLiteral("the message is nested deeper than 512 levels");
    QTest::newRow("url at 512 levels")
        << nestedArray(512, QCborValue(QUrl(QStringLiteral("https://example.org/"))))
        << QStringLiteral("the message is nested deeper than 512 levels");
    QTest::newRow("10000 levels") << nestedArray(10000, 1)
                                  << QStringLiteral("the message is nested deeper than 512 levels");
}

void tst_MessageEncoder::refused()
{
    QFETCH(QCborValue, value);
    QFETCH(QString, reason);
    MessageEncoder encoder;
    QByteArray buffer = Prefix;
    QString why;
    QVERIFY(!encoder.encode(value, buffer, &why));
    QCOMPARE(why, reason);
    // Nothing of it stays behind.
    QCOMPARE(buffer.toHex(), Prefix.toHex());
    // The encoder is as good as new.
    const QCborValue next(QStringLiteral("next"));
    QVERIFY(encoder.encode(next, buffer, &why));
    QCOMPARE(buffer, Prefix + next.toCbor());
}

void tst_MessageEncoder::reusedFromMessageToMessage()
{
    MessageEncoder encoder;
    QByteArray buffer;
    QByteArray expected;
    QString why;
    for (int i = 0; i < 1000; ++i) {
        QCborMap message;
        message.insert(QStringLiteral("seq"), i);
        message.insert(QStringLiteral("payload"), QString(i % 100, QLatin1Char('x')));
        QVERIFY(encoder.encode(message, buffer, &why));
        expected += QCborValue(message).toCbor();
        if (i % 10 == 0)
            QVERIFY(!encoder.encode(QCborArray { QCborValue() }, buffer, &why));
    }
    QCOMPARE(buffer, expected);
}

QTEST_GUILESS_MAIN(tst_MessageEncoder)
#include "tst_messageencoder.moc"
