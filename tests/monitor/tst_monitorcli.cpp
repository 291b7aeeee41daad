// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-monitor's command line before any window: --help, --version and mistakes with no
// display at all, and --attach to an endpoint nobody serves, from the program and in the window.
#include "mainwindow.h"
#include "remoteclustersource.h"
#include "translations.h"

#include <QLabel>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Monitor;

namespace {
constexpr int Timeout = 15000;

struct Result
{
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out;
    QString err;
};
} // namespace

class tst_MonitorCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void helpAndVersionWithoutDisplay();
    void usageErrorsWithoutDisplay_data();
    void usageErrorsWithoutDisplay();
    void attachToNoSuchEndpoint();
    void windowSaysEndpointIsMissing();

private:
    // cluster-monitor with `arguments`, with no display: no QT_QPA_PLATFORM, DISPLAY or
    // WAYLAND_DISPLAY, as on a server reached by ssh.
    Result run(const QStringList &arguments);

    QTemporaryDir m_runtime;
    QTemporaryDir m_config;
};

void tst_MonitorCli::initTestCase()
{
    QVERIFY(m_runtime.isValid());
    QVERIFY(m_config.isValid());
    // Endpoints of this test live in a directory of their own.
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
}

Result tst_MonitorCli::run(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : { "QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY" })
        env.remove(QLatin1String(name));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(MONITOR_PATH), arguments);
    Result result;
    if (!process.waitForStarted())
        return result;
    QSignalSpy finished(&process, &QProcess::finished);
    if (!finished.wait(Timeout)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitCode();
    result.status = process.exitStatus();
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

void tst_MonitorCli::helpAndVersionWithoutDisplay()
{
    const Result help = run({ QStringLiteral("--help") });
    QCOMPARE(help.status, QProcess::NormalExit);
    QVERIFY2(help.exitCode == 0, qPrintable(help.err));
    QVERIFY2(help.out.startsWith(QStringLiteral("Usage: cluster-monitor [options]")),
        qPrintable(help.out));
    QVERIFY(help.out.contains(QStringLiteral("--attach <NAME>")));
    QVERIFY2(!help.err.contains(QStringLiteral("display")), qPrintable(help.err));

    const Result version = run({ QStringLiteral("--version") });
    QCOMPARE(version.status, QProcess::NormalExit);
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.startsWith(QStringLiteral("cluster-monitor ")), qPrintable(version.out));

    // Translated, still without a display; Qt's own options are not taken for mistakes.
    const Result german = run({ QStringLiteral("--lang"), QStringLiteral("de"),
        QStringLiteral("-geometry"), QStringLiteral("800x600"), QStringLiteral("--help") });
    QCOMPARE(german.exitCode, 0);
    QVERIFY2(german.out.contains(QStringLiteral("Sprache")), qPrintable(german.out));
}

void tst_MonitorCli::usageErrorsWithoutDisplay_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option")
        << QStringList { QStringLiteral("--bogus") } << QStringLiteral("Unknown option 'bogus'");
    QTest::newRow("missing value")
        << QStringList { QStringLiteral("--workers") } << QStringLiteral("--workers");
    QTest::newRow("bad count") << QStringList { QStringLiteral("--workers"),
        QStringLiteral("many") }
                               << QStringLiteral("not 'many'");
    QTest::newRow("bad port") << QStringList { QStringLiteral("--port"), QStringLiteral("70000") }
                              << QStringLiteral("Invalid port 70000");
    QTest::newRow("bad policy") << QStringList { QStringLiteral("--policy"),
        QStringLiteral("random") }
                                << QStringLiteral("Unknown policy random");
    QTest::newRow("bad endpoint") << QStringList { QStringLiteral("--attach"),
        QStringLiteral(".hidden") }
                                  << QStringLiteral("Invalid endpoint name .hidden");
    QTest::newRow("respawn both ways")
        << QStringList { QStringLiteral("--respawn"), QStringLiteral("--no-respawn") }
        << QStringLiteral("--respawn and --no-respawn exclude each other");
}

void tst_MonitorCli::usageErrorsWithoutDisplay()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result result
        = run(QStringList { QStringLiteral("--lang"), QStringLiteral("en") } + arguments);
    // A usage error, said the way cluster-run says it; not Qt's abort for want of a display.
    QCOMPARE(result.status, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith(QStringLiteral("cluster-monitor: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("Try 'cluster-monitor --help'")),
        qPrintable(result.err));
    QVERIFY(result.out.isEmpty());
}

void tst_MonitorCli::attachToNoSuchEndpoint()
{
    // Said at once, not a window connecting for ever.
    const Result result = run({ QStringLiteral("--lang"), QStringLiteral("en"),
        QStringLiteral("--attach"), QStringLiteral("nosuch") });
    QCOMPARE(result.status, QProcess::NormalExit);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("no control endpoint nosuch exists")),
        qPrintable(result.err));
}

void tst_MonitorCli::windowSaysEndpointIsMissing()
{
    Translations::install(QStringLiteral("en"));
    MainWindow window;
    window.setPersistent(false);
    window.show();
    window.attach(QStringLiteral("nosuch"));
    auto *state = window.findChild<QLabel *>(QStringLiteral("stateLabel"));
    QVERIFY(state);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), QStringLiteral("No endpoint nosuch"), Timeout);
    window.detach();
    Translations::uninstall();
}

QTEST_MAIN(tst_MonitorCli)
#include "tst_monitorcli.moc"
