// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// EventStream's output events: a worker's output as text, whole characters wherever the reads
// of its pipe cut it, and what a worker that ended in the middle of a character left.
#include <libcluster/cluster.h>
#include <libcluster/eventstream.h>

#include <QCborMap>
#include <QJsonObject>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;

namespace {

// A cluster of one silent testworker whose output and events are recorded.
struct Primary
{
    Primary()
    {
        cluster = new Cluster(&scope);
        Settings settings;
        settings.setExec(QStringLiteral(TESTWORKER_PATH));
        settings.setArgs({});
        settings.setSilent(true);
        cluster->setupPrimary(settings);
        stream = new EventStream(cluster, nullptr, &scope);
        QObject::connect(stream, &EventStream::eventOccurred, &scope,
            [this](const QJsonObject &event) { events.append(event); });
        QObject::connect(cluster, &Cluster::workerOutputReceived, &scope,
            [this](Worker *, Worker::OutputChannel channel, const QByteArray &data) {
                received[channel] += data;
            });
        worker = cluster->fork();
    }

    bool waitOnline()
    {
        QSignalSpy online(worker, &Worker::online);
        return worker->state() == Worker::Online || online.wait(10000);
    }

    // Has the worker write `out` and `err` as they are.
    bool write(const QByteArray &out, const QByteArray &err = {})
    {
        QCborMap command;
        command.insert(QStringLiteral("do"), QStringLiteral("write"));
        command.insert(QStringLiteral("stdout"), out);
        command.insert(QStringLiteral("stderr"), err);
        return worker->send(command);
    }
    bool writeOn(Worker::OutputChannel channel, const QByteArray &data)
    {
        return channel == Worker::StandardOutput ? write(data) : write(QByteArray(), data);
    }

    bool exit()
    {
        QCborMap command;
        command.insert(QStringLiteral("do"), QStringLiteral("exit"));
        command.insert(QStringLiteral("code"), 0);
        return worker->send(command);
    }

    // The data of the output events on `channel`, in a row.
    QString output(Worker::OutputChannel channel) const
    {
        const QString name = channel == Worker::StandardOutput ? QStringLiteral("stdout")
                                                               : QStringLiteral("stderr");
        QString text;
        for (const QJsonObject &event : events)
            if (event.value(QLatin1String("event")).toString() == QLatin1String("output")
                && event.value(QLatin1String("channel")).toString() == name)
                text += event.value(QLatin1String("data")).toString();
        return text;
    }

    int indexOf(const QString &name) const
    {
        for (int i = 0; i < events.size(); ++i)
            if (events.at(i).value(QLatin1String("event")).toString() == name)
                return i;
        return -1;
    }

    int count(const QString &name) const
    {
        int n = 0;
        for (const QJsonObject &event : events)
            n += event.value(QLatin1String("event")).toString() == name;
        return n;
    }

    QList<QJsonObject> events;
    // What Cluster::workerOutputReceived delivered, by channel: the stream has seen it too.
    QByteArray received[2];
    // Last, so that it goes first, with the cluster, while what its connections fill is there.
    QObject scope;
    Cluster *cluster = nullptr;
    EventStream *stream = nullptr;
    // Deleted once it has exited and disconnected.
    QPointer<Worker> worker;
};

} // namespace

class tst_EventStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void characterCutInTwo_data();
    void characterCutInTwo();
    void channelsHeldApart();
    void nothingLostAtTheCut_data();
    void nothingLostAtTheCut();
    void unfinishedCharacterBeforeExit_data();
    void unfinishedCharacterBeforeExit();
    void lastOutputReadAtExit();
};

void tst_EventStream::characterCutInTwo_data()
{
    QTest::addColumn<int>("channel");
    QTest::addColumn<QString>("before");
    QTest::addColumn<QString>("character");
    QTest::addColumn<QString>("after");
    // How many bytes of the character the first write carries.
    QTest::addColumn<int>("cut");

    const QString e = QStringLiteral("\u00e9");
    const QString euro = QStringLiteral("\u20ac");
    const QString smiley = QString::fromUtf8("\xf0\x9f\x98\x80");
    QTest::newRow("2 bytes, 1 first") << int(Worker::StandardOutput) << QStringLiteral("caf") << e
                                      << QStringLiteral(" au lait\n") << 1;
    QTest::newRow("3 bytes, 1 first")
        << int(Worker::StandardOutput) << QStringLiteral("5 ") << euro << QStringLiteral("\n") << 1;
    QTest::newRow("3 bytes, 2 first")
        << int(Worker::StandardOutput) << QStringLiteral("5 ") << euro << QStringLiteral("\n") << 2;
    QTest::newRow("4 bytes, 1 first") << int(Worker::StandardOutput) << QStringLiteral("hi ")
                                      << smiley << QStringLiteral("!\n") << 1;
    QTest::newRow("4 bytes, 2 first") << int(Worker::StandardOutput) << QStringLiteral("hi ")
                                      << smiley << QStringLiteral("!\n") << 2;
    QTest::newRow("4 bytes, 3 first") << int(Worker::StandardOutput) << QStringLiteral("hi ")
                                      << smiley << QStringLiteral("!\n") << 3;
    QTest::newRow("only the character")
        << int(Worker::StandardOutput) << QString() << smiley << QString() << 2;
    QTest::newRow("stderr") << int(Worker::StandardError) << QStringLiteral("caf") << e
                            << QStringLiteral("\n") << 1;
}

// The worker writes the first bytes of a character and flushes; the rest only once the primary
// has read those: the cut is between two reads for sure.
void tst_EventStream::characterCutInTwo()
{
    QFETCH(int, channel);
    QFETCH(QString, before);
    QFETCH(QString, character);
    QFETCH(QString, after);
    QFETCH(int, cut);
    const auto outputChannel = Worker::OutputChannel(channel);
    const QByteArray bytes = character.toUtf8();
    const QByteArray first = before.toUtf8() + bytes.left(cut);
    const QByteArray second = bytes.mid(cut) + after.toUtf8();

    Primary primary;
    QVERIFY(primary.waitOnline());
    QVERIFY(primary.writeOn(outputChannel, first));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[channel], first, 10000);
    // Only what is whole so far; the start of the character waits.
    QCOMPARE(primary.output(outputChannel), before);
    if (before.isEmpty())
        QCOMPARE(primary.count(QStringLiteral("output")), 0);

    QVERIFY(primary.writeOn(outputChannel, second));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[channel], first + second, 10000);
    const QString text = primary.output(outputChannel);
    QVERIFY2(!text.contains(QChar::ReplacementCharacter), qPrintable(text));
    QCOMPARE(text, before + character + after);

    // Nothing was left over to flush at the exit.
    const int outputs = primary.count(QStringLiteral("output"));
    QVERIFY(primary.exit());
    QTRY_VERIFY_WITH_TIMEOUT(primary.indexOf(QStringLiteral("exit")) >= 0, 10000);
    QCOMPARE(primary.count(QStringLiteral("output")), outputs);
}

// Each channel waits for its own rest: the start of a character on stdout is not finished by
// bytes on stderr.
void tst_EventStream::channelsHeldApart()
{
    Primary primary;
    QVERIFY(primary.waitOnline());
    QVERIFY(primary.write("a\xc3", "b\xe2\x82"));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[Worker::StandardOutput], QByteArray("a\xc3"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        primary.received[Worker::StandardError], QByteArray("b\xe2\x82"), 10000);
    QCOMPARE(primary.output(Worker::StandardOutput), QStringLiteral("a"));
    QCOMPARE(primary.output(Worker::StandardError), QStringLiteral("b"));

    QVERIFY(primary.write("\xa9\n", "\xac\n"));
    QTRY_COMPARE_WITH_TIMEOUT(
        primary.received[Worker::StandardOutput], QByteArray("a\xc3\xa9\n"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        primary.received[Worker::StandardError], QByteArray("b\xe2\x82\xac\n"), 10000);
    QCOMPARE(primary.output(Worker::StandardOutput), QStringLiteral("a\u00e9\n"));
    QCOMPARE(primary.output(Worker::StandardError), QStringLiteral("b\u20ac\n"));
}

void tst_EventStream::nothingLostAtTheCut_data()
{
    QTest::addColumn<QByteArray>("first");
    QTest::addColumn<QByteArray>("second");
    QTest::addColumn<QString>("text");
    // The start of a character that the next byte does not continue is U+FFFD, and what follows
    // it is whole.
    QTest::newRow("broken character, then a whole one")
        << QByteArray("x\xc3") << QByteArray("\xc3\xa9\n") << QStringLiteral("x\ufffd\u00e9\n");
    QTest::newRow("broken character, then ASCII")
        << QByteArray("x\xe2\x82") << QByteArray("yz\n") << QStringLiteral("x\ufffd\ufffdyz\n");
    // Where a read ended is not where the output began.
    QTest::newRow("BOM at the start of a read")
        << QByteArray("a") << QByteArray("\xef\xbb\xbf") + "b" << QStringLiteral("a\ufeffb");
}

// Holding bytes back changes nothing but where the text is cut: as if it had come in one piece.
void tst_EventStream::nothingLostAtTheCut()
{
    QFETCH(QByteArray, first);
    QFETCH(QByteArray, second);
    QFETCH(QString, text);

    Primary primary;
    QVERIFY(primary.waitOnline());
    QVERIFY(primary.write(first));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[Worker::StandardOutput], first, 10000);
    QVERIFY(primary.write(second));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[Worker::StandardOutput], first + second, 10000);
    QCOMPARE(primary.output(Worker::StandardOutput), text);
}

void tst_EventStream::unfinishedCharacterBeforeExit_data()
{
    QTest::addColumn<int>("channel");
    QTest::newRow("stdout") << int(Worker::StandardOutput);
    QTest::newRow("stderr") << int(Worker::StandardError);
}

// A worker that ends in the middle of a character: what it began comes out as U+FFFD, in an
// output event before the exit.
void tst_EventStream::unfinishedCharacterBeforeExit()
{
    QFETCH(int, channel);
    const auto outputChannel = Worker::OutputChannel(channel);
    const QByteArray begun("ok \xf0\x9f");

    Primary primary;
    QVERIFY(primary.waitOnline());
    const int id = primary.worker->id();
    QVERIFY(primary.writeOn(outputChannel, begun));
    QTRY_COMPARE_WITH_TIMEOUT(primary.received[channel], begun, 10000);
    QCOMPARE(primary.output(outputChannel), QStringLiteral("ok "));

    QVERIFY(primary.exit());
    QTRY_VERIFY_WITH_TIMEOUT(primary.indexOf(QStringLiteral("exit")) >= 0, 10000);
    const int exit = primary.indexOf(QStringLiteral("exit"));
    QVERIFY(exit >= 1);
    const QJsonObject last = primary.events.at(exit - 1);
    QCOMPARE(last.value(QLatin1String("event")).toString(), QStringLiteral("output"));
    QCOMPARE(last.value(QLatin1String("id")).toInt(), id);
    QCOMPARE(last.value(QLatin1String("channel")).toString(),
        outputChannel == Worker::StandardOutput ? QStringLiteral("stdout")
                                                : QStringLiteral("stderr"));
    // As the bytes decode at the end of all output: U+FFFD, however many Qt makes of them.
    QCOMPARE(last.value(QLatin1String("data")).toString(), QString::fromUtf8("\xf0\x9f"));
    QVERIFY(last.value(QLatin1String("data")).toString().startsWith(QChar::ReplacementCharacter));
    QCOMPARE(primary.output(outputChannel), QString::fromUtf8(begun));
}

// A worker whose last words, ending in the middle of a character, are still in the pipe when it
// exits (it writes and exits in one go): the primary reads them as the process ends, and they
// come out whole, as U+FFFD where the character was cut, before the exit and never after it.
void tst_EventStream::lastOutputReadAtExit()
{
    Primary primary;
    QVERIFY(primary.waitOnline());
    const QByteArray last("last words \xc3");
    QVERIFY(primary.write(last));
    QVERIFY(primary.exit());
    QTRY_VERIFY_WITH_TIMEOUT(primary.indexOf(QStringLiteral("exit")) >= 0, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(primary.worker.isNull(), 10000);
    QCOMPARE(primary.received[Worker::StandardOutput], last);

    const int exit = primary.indexOf(QStringLiteral("exit"));
    QCOMPARE(primary.count(QStringLiteral("exit")), 1);
    for (qsizetype i = exit + 1; i < primary.events.size(); ++i)
        QVERIFY2(primary.events.at(i).value(QLatin1String("event")).toString()
                != QLatin1String("output"),
            "output after the exit");
    QCOMPARE(primary.output(Worker::StandardOutput), QString::fromUtf8(last));
    QVERIFY(primary.output(Worker::StandardOutput).endsWith(QChar::ReplacementCharacter));
}

QTEST_GUILESS_MAIN(tst_EventStream)
#include "tst_eventstream.moc"
