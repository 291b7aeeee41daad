// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Settings::setExtraPipes() and Worker::extraPipe(): pipes at the descriptors a worker was
// promised, reachable from both sides, in both directions, wherever the channel happens to be.
#include <libcluster/cluster.h>

#include <QLocalSocket>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;

class tst_Stdio : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pipeBothWays();
    void rawDescriptor();
    void everyDescriptorAtOnce();
    void noPipesByDefault();
    void badDescriptorsRefused_data();
    void badDescriptorsRefused();
};

namespace {

// A cluster forking pipeworker with `arguments`, with pipes at `descriptors`; the worker online.
Worker *startWorker(QObject *scope, const QList<int> &descriptors, const QStringList &arguments)
{
    auto *cluster = new Cluster(scope);
    Settings settings;
    settings.setExec(QStringLiteral(PIPEWORKER_PATH));
    settings.setArgs(arguments);
    settings.setExtraPipes(descriptors);
    cluster->setupPrimary(settings);
    Worker *worker = cluster->fork();
    QSignalSpy online(worker, &Worker::online);
    QSignalSpy exited(worker, &Worker::exited);
    while (online.isEmpty() && exited.isEmpty())
        if (!online.wait(10000))
            return nullptr;
    return online.isEmpty() ? nullptr : worker;
}

// Reads from `pipe` until `expected` has come (or 10 s have passed); what came.
QByteArray readUntil(QLocalSocket *pipe, const QByteArray &expected)
{
    QByteArray got;
    QSignalSpy ready(pipe, &QIODevice::readyRead);
    while (!got.contains(expected)) {
        got += pipe->readAll();
        if (got.contains(expected) || !ready.wait(10000))
            break;
    }
    return got;
}

} // namespace

void tst_Stdio::pipeBothWays()
{
    QObject scope;
    Worker *worker = startWorker(&scope, { 4 }, { QStringLiteral("4") });
    QVERIFY(worker);
    QLocalSocket *pipe = worker->extraPipe(4);
    QVERIFY(pipe);
    QCOMPARE(pipe->state(), QLocalSocket::ConnectedState);
    QCOMPARE(readUntil(pipe, "hello 4\n"), QByteArray("hello 4\n"));
    pipe->write("ping\n");
    QCOMPARE(readUntil(pipe, "PING\n"), QByteArray("PING\n"));
    QVERIFY(!worker->extraPipe(3));
    QVERIFY(!worker->extraPipe(5));
}

void tst_Stdio::rawDescriptor()
{
    QObject scope;
    Worker *worker = startWorker(&scope, { 5 }, { QStringLiteral("raw:5") });
    QVERIFY(worker);
    QLocalSocket *pipe = worker->extraPipe(5);
    QVERIFY(pipe);
    QCOMPARE(readUntil(pipe, "raw 5\n"), QByteArray("raw 5\n"));
}

// Descriptors 3 to 18: wherever the channel and the pipes' own ends are in the primary, none
// is overwritten in the worker (its "online" came over the channel).
void tst_Stdio::everyDescriptorAtOnce()
{
    QList<int> descriptors;
    QStringList arguments;
    for (int fd = 3; fd < 3 + Settings::MaxExtraPipes; ++fd) {
        descriptors.append(fd);
        arguments.append(QString::number(fd));
    }
    QObject scope;
    Worker *worker = startWorker(&scope, descriptors, arguments);
    QVERIFY(worker);
    for (int fd : std::as_const(descriptors)) {
        QLocalSocket *pipe = worker->extraPipe(fd);
        QVERIFY(pipe);
        const QByteArray hello = "hello " + QByteArray::number(fd) + '\n';
        QCOMPARE(readUntil(pipe, hello), hello);
    }
}

void tst_Stdio::noPipesByDefault()
{
    QObject scope;
    Worker *worker = startWorker(&scope, {}, {});
    QVERIFY(worker);
    QVERIFY(!worker->extraPipe(4));
    QVERIFY(!Settings().hasExtraPipes());
}

void tst_Stdio::badDescriptorsRefused_data()
{
    QTest::addColumn<QList<int>>("descriptors");
    QTest::addColumn<QString>("why");
    QTest::newRow("stderr") << QList<int> { 2 } << QStringLiteral("outside 3..255");
    QTest::newRow("negative") << QList<int> { -1 } << QStringLiteral("outside 3..255");
    QTest::newRow("too high") << QList<int> { 256 } << QStringLiteral("outside 3..255");
    QTest::newRow("twice") << QList<int> { 4, 4 } << QStringLiteral("given twice");
    QList<int> many;
    for (int fd = 3; fd <= 3 + Settings::MaxExtraPipes; ++fd)
        many.append(fd);
    QTest::newRow("too many") << many << QStringLiteral("at most 16");
}

void tst_Stdio::badDescriptorsRefused()
{
    QFETCH(QList<int>, descriptors);
    QFETCH(QString, why);
    Settings settings;
    settings.setExtraPipes({ 4 });
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(why)));
    settings.setExtraPipes(descriptors);
    QCOMPARE(settings.extraPipes(), QList<int> { 4 });
}

QTEST_MAIN(tst_Stdio)
#include "tst_stdio.moc"
