// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-monitor --headless: runs the cluster without a display, prints live counts, and stops
// cleanly (workers disconnected, exit code 0) on SIGTERM and on SIGINT.
#include <QProcess>
#include <QtTest>

#include <csignal>

class tst_Headless : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stopsCleanlyOnSignal_data();
    void stopsCleanlyOnSignal();
    void badOptions();
};

void tst_Headless::stopsCleanlyOnSignal_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGTERM") << SIGTERM;
    QTest::newRow("SIGINT") << SIGINT;
}

void tst_Headless::stopsCleanlyOnSignal()
{
    QFETCH(int, signal);
    QProcess monitor;
    monitor.setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    monitor.setProcessEnvironment(env);
    monitor.start(QStringLiteral(MONITOR_PATH),
        { QStringLiteral("--headless"), QStringLiteral("--lang"), QStringLiteral("en"),
            QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--port"),
            QStringLiteral("0"), QStringLiteral("--program"), QStringLiteral(BIN_DIR "/hello-http"),
            QStringLiteral("--"), QStringLiteral("--port"), QStringLiteral("0") });
    QVERIFY(monitor.waitForStarted());

    QByteArray output;
    const auto readUntil = [&](const QByteArray &text) {
        QElapsedTimer clock;
        clock.start();
        while (!output.contains(text) && clock.elapsed() < 15000) {
            monitor.waitForReadyRead(200);
            output += monitor.readAll();
        }
        return output.contains(text);
    };
    QVERIFY2(readUntil("worker 2 listening"), output.constData());
    QVERIFY2(readUntil("worker 1 listening"), output.constData());
    // The live counts, once a second.
    QVERIFY2(readUntil("2 workers alive"), output.constData());
    QVERIFY(output.contains("policy rr, port "));

    // The workers' pids, from "worker N online, process PID".
    QList<qint64> pids;
    for (const QByteArray &line : output.split('\n')) {
        const int at = line.indexOf("online, process ");
        if (at >= 0)
            pids.append(line.mid(at + 16).trimmed().toLongLong());
    }
    QCOMPARE(pids.size(), 2);

    ::kill(pid_t(monitor.processId()), signal);
    QVERIFY(monitor.waitForFinished(15000));
    output += monitor.readAll();
    QCOMPARE(monitor.exitStatus(), QProcess::NormalExit);
    QCOMPARE(monitor.exitCode(), 0);
    QVERIFY2(output.contains("stopping the workers"), output.constData());
    QVERIFY2(output.contains("worker 1 exited with code 0"), output.constData());
    QVERIFY2(output.contains("worker 2 exited with code 0"), output.constData());
    QVERIFY2(output.contains("cluster stopped"), output.constData());
    for (qint64 pid : pids)
        QVERIFY(::kill(pid_t(pid), 0) != 0);
}

void tst_Headless::badOptions()
{
    QProcess monitor;
    monitor.setProcessChannelMode(QProcess::MergedChannels);
    monitor.start(QStringLiteral(MONITOR_PATH),
        { QStringLiteral("--headless"), QStringLiteral("--policy"), QStringLiteral("fastest") });
    QVERIFY(monitor.waitForFinished(10000));
    QCOMPARE(monitor.exitCode(), 2);
    QVERIFY(monitor.readAll().contains("Unknown policy fastest"));

    // One bound for a worker count, the library's, with its message.
    for (const char *count : { "100000", "-1", "many" }) {
        monitor.start(QStringLiteral(MONITOR_PATH),
            { QStringLiteral("--headless"), QStringLiteral("--workers"),
                QString::fromLatin1(count) });
        QVERIFY(monitor.waitForFinished(10000));
        QCOMPARE(monitor.exitCode(), 2);
        const QByteArray output = monitor.readAll();
        QVERIFY2(output.contains(
                     QByteArray(QByteArray("--workers: COUNT must be a whole number between 0 "
                                           "and 1024, not '")
                         + count + "'")),
            output.constData());
    }
    monitor.start(QStringLiteral(MONITOR_PATH),
        { QStringLiteral("--headless"), QStringLiteral("--crash-limit"), QStringLiteral("0") });
    QVERIFY(monitor.waitForFinished(10000));
    QCOMPARE(monitor.exitCode(), 2);
    QVERIFY(monitor.readAll().contains("--crash-limit needs a whole number between 1 and 1000"));
}

QTEST_MAIN(tst_Headless)
#include "tst_headless.moc"
