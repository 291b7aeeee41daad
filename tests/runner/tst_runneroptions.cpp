// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// cluster-run's options, through the parser itself: every option, every bound, every message, and
// the configuration file (every key, every kind of mistake, the command line on top).
#include "runneroptions.h"
#include "textfile.h"

#include <libcluster/settings.h>
#include <libcluster/supervisor.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

using LibCluster::SchedulingPolicy;
using LibCluster::Settings;
using LibCluster::Supervisor;

Q_DECLARE_METATYPE(RunnerOptions::Action)

namespace {

const QString Worker = QStringLiteral(TESTWORKER_PATH);

// `cluster-run ARGS -- testworker`
RunnerOptions::Result parse(const QStringList &arguments)
{
    return RunnerOptions::parse(QStringList { QStringLiteral("cluster-run") } + arguments);
}

RunnerOptions::Result parseWith(const QStringList &options)
{
    return parse(options + QStringList { QStringLiteral("--"), Worker });
}

} // namespace

class tst_RunnerOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void defaults();
    void everyOption();
    void bounds_data();
    void bounds();
    void badValues_data();
    void badValues();
    void helpAndVersion();
    void byteSizes_data();
    void byteSizes();
    void configEveryKey();
    void configDefaultsAndSections();
    void configCommandLineOverrides();
    void configRelativePaths();
    void configErrors_data();
    void configErrors();
    void configSeveralMistakes();
    void configSelection();
    void checkConfig();
    void severalClustersShareNothing();
    void clustersPerFileAreBounded();
    void shippedConfig();
    void configWritten();
    void configWrittenMinimal();
    void configNotWritable();
    void configFileTextKeepsOtherClusters();

private:
    QString writeConfig(const QString &text, const QString &name = QStringLiteral("app.conf"));

    QTemporaryDir m_dir;
};

void tst_RunnerOptions::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("www")));
    QFile plain(m_dir.filePath(QStringLiteral("plain-file")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
}

QString tst_RunnerOptions::writeConfig(const QString &text, const QString &name)
{
    return writeTextFile(m_dir.filePath(name), text);
}

void tst_RunnerOptions::defaults()
{
    const RunnerOptions::Result result
        = parse({ QStringLiteral("--"), Worker, QStringLiteral("--serve-tcp") });
    QVERIFY2(result.ok(), qPrintable(result.error));
    const RunnerOptions &options = result.options;
    QCOMPARE(options.action, RunnerOptions::Run);
    QCOMPARE(options.program, Worker);
    QCOMPARE(options.arguments, QStringList { QStringLiteral("--serve-tcp") });
    QCOMPARE(options.workers, QThread::idealThreadCount());
    QVERIFY(!options.policy);
    QCOMPARE(options.respawn, false);
    QCOMPARE(options.crashLimit, Supervisor::DefaultCrashLimit);
    QCOMPARE(options.crashWindow, Supervisor::DefaultCrashWindow);
    QCOMPARE(options.maxMemory, 0);
    QCOMPARE(options.maxRequests, 0);
    QCOMPARE(options.heartbeat, 0);
    QCOMPARE(options.heartbeatTimeout, 0);
    QCOMPARE(options.disconnectTimeout, 10000);
    QCOMPARE(options.shutdownTimeout, 10000);
    QCOMPARE(options.listenWarning, -1);
    QCOMPARE(options.cwd, QString());
    QVERIFY(options.environment.isEmpty());
    QCOMPARE(options.uid, -1);
    QCOMPARE(options.gid, -1);
    QCOMPARE(options.control, QString());
    QCOMPARE(options.json, false);
    QCOMPARE(options.configFile, QString());

    // Without --, and found in PATH.
    const RunnerOptions::Result inPath
        = parse({ QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("true") });
    QVERIFY2(inPath.ok(), qPrintable(inPath.error));
    QVERIFY(inPath.options.program.endsWith(QLatin1String("/sh")));
    QCOMPARE(
        inPath.options.arguments, (QStringList { QStringLiteral("-c"), QStringLiteral("true") }));
}

void tst_RunnerOptions::everyOption()
{
    const passwd *root = ::getpwuid(0);
    QVERIFY(root);
    const RunnerOptions::Result result = parseWith({ QStringLiteral("-w"), QStringLiteral("3"),
        QStringLiteral("--crash-limit"), QStringLiteral("7"), QStringLiteral("--crash-window"),
        QStringLiteral("2500"), QStringLiteral("--policy"), QStringLiteral("leastconn"),
        QStringLiteral("--max-memory"), QStringLiteral("1.5G"), QStringLiteral("--max-requests"),
        QStringLiteral("1000"), QStringLiteral("--heartbeat"), QStringLiteral("200"),
        QStringLiteral("--disconnect-timeout"), QStringLiteral("0"),
        QStringLiteral("--shutdown-timeout"), QStringLiteral("3000"),
        QStringLiteral("--listen-warning"), QStringLiteral("0"), QStringLiteral("--cwd"),
        m_dir.path(), QStringLiteral("--env"), QStringLiteral("PORT=8000"), QStringLiteral("--env"),
        QStringLiteral("GREETING=hello = world"), QStringLiteral("--env"), QStringLiteral("EMPTY="),
        QStringLiteral("--user"), QString::fromLocal8Bit(root->pw_name),
        QStringLiteral("--respawn"), QStringLiteral("--control"), QStringLiteral("web"),
        QStringLiteral("--json") });
    QVERIFY2(result.ok(), qPrintable(result.error));
    const RunnerOptions &options = result.options;
    QCOMPARE(options.workers, 3);
    QCOMPARE(options.crashLimit, 7);
    QCOMPARE(options.crashWindow, 2500);
    QCOMPARE(options.policy, SchedulingPolicy::LeastConnections);
    QCOMPARE(options.maxMemory, qint64(1.5 * 1024 * 1024 * 1024));
    QCOMPARE(options.maxRequests, 1000);
    QCOMPARE(options.heartbeat, 200);
    QCOMPARE(options.heartbeatTimeout, 600); // three heartbeats
    QCOMPARE(options.disconnectTimeout, 0);
    QCOMPARE(options.shutdownTimeout, 3000);
    QCOMPARE(options.listenWarning, 0);
    QCOMPARE(options.cwd, m_dir.path());
    QCOMPARE(options.environment.value(QStringLiteral("PORT")), QStringLiteral("8000"));
    QCOMPARE(
        options.environment.value(QStringLiteral("GREETING")), QStringLiteral("hello = world"));
    QVERIFY(options.environment.contains(QStringLiteral("EMPTY")));
    QCOMPARE(options.uid, 0);
    QCOMPARE(options.gid, int(root->pw_gid)); // the user's group
    QCOMPARE(options.respawn, true);
    QCOMPARE(options.control, QStringLiteral("web"));
    QCOMPARE(options.json, true);

    // Each policy by its name; a group by number; the heartbeat's own timeout.
    const QStringList policies { QStringLiteral("rr"), QStringLiteral("none"),
        QStringLiteral("reuseport"), QStringLiteral("leastconn"), QStringLiteral("sticky") };
    for (const QString &name : policies) {
        const RunnerOptions::Result named = parseWith({ QStringLiteral("--policy"), name });
        QVERIFY2(named.ok(), qPrintable(named.error));
        QCOMPARE(LibCluster::schedulingPolicyName(*named.options.policy), name);
    }
    const RunnerOptions::Result other = parseWith({ QStringLiteral("--user"), QStringLiteral("0"),
        QStringLiteral("--group"), QStringLiteral("12345"), QStringLiteral("--heartbeat"),
        QStringLiteral("100"), QStringLiteral("--heartbeat-timeout"), QStringLiteral("50") });
    QVERIFY2(other.ok(), qPrintable(other.error));
    QCOMPARE(other.options.uid, 0);
    QCOMPARE(other.options.gid, 12345);
    QCOMPARE(other.options.heartbeatTimeout, 50);
    const group *rootGroup = ::getgrgid(0);
    QVERIFY(rootGroup);
    QCOMPARE(parseWith({ QStringLiteral("--group"), QString::fromLocal8Bit(rootGroup->gr_name) })
                 .options.gid,
        0);
    // --workers 0 with a control endpoint: the cluster waits for `ctl scale`.
    QCOMPARE(parseWith({ QStringLiteral("--workers"), QStringLiteral("0"),
                           QStringLiteral("--control"), QStringLiteral("x") })
                 .options.workers,
        0);
}

void tst_RunnerOptions::bounds_data()
{
    QTest::addColumn<QString>("option");
    QTest::addColumn<QString>("lowest");
    QTest::addColumn<QString>("highest");
    QTest::addColumn<QString>("belowLowest");
    QTest::addColumn<QString>("aboveHighest");
    const auto number = [](qint64 n) { return QString::number(n); };
    QTest::newRow("workers") << QStringLiteral("--workers") << QStringLiteral("1")
                             << number(Supervisor::DefaultMaxWorkers) << QStringLiteral("-1")
                             << number(Supervisor::DefaultMaxWorkers + 1);
    QTest::newRow("crash-limit") << QStringLiteral("--crash-limit") << QStringLiteral("1")
                                 << number(Supervisor::MaxCrashLimit) << QStringLiteral("0")
                                 << number(Supervisor::MaxCrashLimit + 1);
    QTest::newRow("crash-window") << QStringLiteral("--crash-window") << QStringLiteral("1")
                                  << number(Supervisor::MaxCrashWindow) << QStringLiteral("0")
                                  << number(Supervisor::MaxCrashWindow + 1);
    QTest::newRow("listen-warning")
        << QStringLiteral("--listen-warning") << QStringLiteral("0")
        << number(Settings::MaxListenWarningTimeout) << QStringLiteral("-1")
        << number(Settings::MaxListenWarningTimeout + 1);
    const QString maxInt = number(std::numeric_limits<int>::max());
    const QString aboveInt = number(qint64(std::numeric_limits<int>::max()) + 1);
    for (const char *option :
        { "--heartbeat", "--heartbeat-timeout", "--disconnect-timeout", "--shutdown-timeout" })
        QTest::newRow(option) << QString::fromLatin1(option) << QStringLiteral("0") << maxInt
                              << QStringLiteral("-1") << aboveInt;
    QTest::newRow("max-requests") << QStringLiteral("--max-requests") << QStringLiteral("1")
                                  << number(std::numeric_limits<qint64>::max())
                                  << QStringLiteral("0") << QStringLiteral("9223372036854775808");
    QTest::newRow("max-memory") << QStringLiteral("--max-memory") << QStringLiteral("1")
                                << QStringLiteral("8000000000G") << QStringLiteral("0")
                                << QStringLiteral("9000000000G");
}

void tst_RunnerOptions::bounds()
{
    QFETCH(QString, option);
    QFETCH(QString, lowest);
    QFETCH(QString, highest);
    QFETCH(QString, belowLowest);
    QFETCH(QString, aboveHighest);
    for (const QString &value : { lowest, highest }) {
        const RunnerOptions::Result result = parseWith({ option, value });
        QVERIFY2(result.ok(),
            qPrintable(option + QLatin1Char(' ') + value + QStringLiteral(": ") + result.error));
        // The timeout a heartbeat implies (three of them) stays a time, however long it is.
        QVERIFY2(result.options.heartbeatTimeout >= 0,
            qPrintable(option + QLatin1Char(' ') + value + QStringLiteral(": heartbeat timeout ")
                + QString::number(result.options.heartbeatTimeout)));
    }
    for (const QString &value : { belowLowest, aboveHighest }) {
        const RunnerOptions::Result result = parseWith({ option, value });
        QVERIFY2(!result.ok(), qPrintable(option + QLatin1Char(' ') + value));
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.error.contains(value), qPrintable(result.error));
    }
}

void tst_RunnerOptions::badValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString countError = Supervisor::workerCountError(QStringLiteral("COUNT"));
    const auto row = [](const char *name, const QStringList &options, const QString &message) {
        QTest::newRow(name) << (options + QStringList { QStringLiteral("--"), Worker }) << message;
    };
    row("workers", { QStringLiteral("--workers"), QStringLiteral("abc") },
        QStringLiteral("--workers: %1, not 'abc'").arg(countError));
    row("workers zero without control", { QStringLiteral("-w"), QStringLiteral("0") },
        QStringLiteral("--workers 0 makes sense only with --control"));
    row("crash-limit", { QStringLiteral("--crash-limit"), QStringLiteral("0") },
        QStringLiteral("--crash-limit needs a whole number between 1 and 1000, not '0'"));
    row("crash-window", { QStringLiteral("--crash-window"), QStringLiteral("forever") },
        QStringLiteral("--crash-window needs a number of milliseconds between 1 and 86400000, not "
                       "'forever'"));
    row("policy", { QStringLiteral("--policy"), QStringLiteral("fastest") },
        QStringLiteral("unknown policy 'fastest' (rr, none, reuseport, leastconn, sticky)"));
    row("max-memory", { QStringLiteral("--max-memory"), QStringLiteral("lots") },
        QStringLiteral("--max-memory needs a size such as 512M or 1G, not 'lots'"));
    row("max-requests", { QStringLiteral("--max-requests"), QStringLiteral("0") },
        QStringLiteral("--max-requests needs a positive number, not '0'"));
    row("heartbeat", { QStringLiteral("--heartbeat"), QStringLiteral("soon") },
        QStringLiteral("--heartbeat needs a number of milliseconds, not 'soon'"));
    row("heartbeat-timeout", { QStringLiteral("--heartbeat-timeout"), QStringLiteral("-5") },
        QStringLiteral("--heartbeat-timeout needs a number of milliseconds, not '-5'"));
    row("disconnect-timeout", { QStringLiteral("--disconnect-timeout"), QStringLiteral("1s") },
        QStringLiteral("--disconnect-timeout needs a number of milliseconds, not '1s'"));
    row("shutdown-timeout", { QStringLiteral("--shutdown-timeout"), QStringLiteral("1.5") },
        QStringLiteral("--shutdown-timeout needs a number of milliseconds, not '1.5'"));
    row("listen-warning", { QStringLiteral("--listen-warning"), QStringLiteral("-1") },
        QStringLiteral("--listen-warning needs a number of milliseconds between 0 and 3600000, not "
                       "'-1'"));
    row("cwd", { QStringLiteral("--cwd"), QStringLiteral("/nonexistent-dir") },
        QStringLiteral("--cwd: no such directory: /nonexistent-dir"));
    row("env", { QStringLiteral("--env"), QStringLiteral("PORT") },
        QStringLiteral("--env needs NAME=VALUE (NAME of letters, digits and _), not 'PORT'"));
    row("env name", { QStringLiteral("--env"), QStringLiteral("1X=2") },
        QStringLiteral("--env needs NAME=VALUE (NAME of letters, digits and _), not '1X=2'"));
    row("user", { QStringLiteral("--user"), QStringLiteral("no-such-user-here") },
        QStringLiteral("--user: no such user: 'no-such-user-here'"));
    row("group", { QStringLiteral("--group"), QStringLiteral("no-such-group-here") },
        QStringLiteral("--group: no such group: 'no-such-group-here'"));
    row("unknown option", { QStringLiteral("--frobnicate") },
        QStringLiteral("Unknown option 'frobnicate'."));
    row("both config options",
        { QStringLiteral("--config"), QStringLiteral("a"), QStringLiteral("--check-config"),
            QStringLiteral("a") },
        QStringLiteral("--config and --check-config go separately"));
    QTest::newRow("missing value") << QStringList { QStringLiteral("--workers") }
                                   << QStringLiteral("Missing value after '--workers'.");
    QTest::newRow("no program") << QStringList()
                                << QStringLiteral(
                                       "which program? Usage: cluster-run [options] -- PROGRAM "
                                       "[ARGS...]");
    QTest::newRow("missing program")
        << QStringList { QStringLiteral("--"), QStringLiteral("/nonexistent/program") }
        << QStringLiteral("program not found: /nonexistent/program");
    QTest::newRow("not in PATH") << QStringList { QStringLiteral("no-such-program-anywhere") }
                                 << QStringLiteral(
                                        "program not found in PATH: no-such-program-anywhere");
    QTest::newRow("not executable") << QStringList { m_dir.filePath(QStringLiteral("plain-file")) }
                                    << QStringLiteral("not an executable program: %1")
                                           .arg(m_dir.filePath(QStringLiteral("plain-file")));
    QTest::newRow("a directory") << QStringList {
        m_dir.path()
    } << QStringLiteral("not an executable program: %1").arg(m_dir.path());
}

void tst_RunnerOptions::badValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const RunnerOptions::Result result = parse(arguments);
    QCOMPARE(result.error, message);
    QCOMPARE(result.exitCode, 2);
}

void tst_RunnerOptions::helpAndVersion()
{
    RunnerOptions::Result result = parse({ QStringLiteral("--help") });
    QVERIFY(result.ok());
    QCOMPARE(result.options.action, RunnerOptions::ShowHelp);
    // Every option of the table is there, and the file's syntax is named.
    for (const char *option :
        { "--workers", "--crash-limit", "--crash-window", "--policy", "--max-memory",
            "--max-requests", "--heartbeat", "--heartbeat-timeout", "--disconnect-timeout",
            "--shutdown-timeout", "--listen-warning", "--cwd", "--env", "--user", "--group",
            "--respawn", "--control", "--json", "--config", "--check-config" })
        QVERIFY2(result.options.text.contains(QLatin1String(option)), option);
    QVERIFY(result.options.text.contains(QLatin1String("cluster-run ctl")));
    QVERIFY(!result.options.text.contains(QLatin1String("--program")));
    result = parse({ QStringLiteral("--version") });
    QCOMPARE(result.options.action, RunnerOptions::ShowVersion);
    QVERIFY(result.options.text.startsWith(QLatin1String("cluster-run ")));
}

void tst_RunnerOptions::byteSizes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("bytes") << QStringLiteral("512") << qint64(512);
    QTest::newRow("k") << QStringLiteral("64k") << qint64(64 * 1024);
    QTest::newRow("M") << QStringLiteral("200M") << qint64(200) * 1024 * 1024;
    QTest::newRow("fraction") << QStringLiteral("1.5G") << qint64(1536) * 1024 * 1024;
    QTest::newRow("GiB") << QStringLiteral("2GiB") << qint64(2) * 1024 * 1024 * 1024;
    QTest::newRow("MB blanks") << QStringLiteral(" 3 MB ") << qint64(3) * 1024 * 1024;
    QTest::newRow("T") << QStringLiteral("1T") << qint64(1024) * 1024 * 1024 * 1024;
    QTest::newRow("word") << QStringLiteral("lots") << qint64(-1);
    QTest::newRow("negative") << QStringLiteral("-1M") << qint64(-1);
    QTest::newRow("unit only") << QStringLiteral("M") << qint64(-1);
    QTest::newRow("too big") << QStringLiteral("9000000T") << qint64(-1);
}

void tst_RunnerOptions::byteSizes()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QCOMPARE(RunnerOptions::parseByteSize(text), bytes);
}

void tst_RunnerOptions::configEveryKey()
{
    const passwd *root = ::getpwuid(0);
    const group *rootGroup = ::getgrgid(0);
    QVERIFY(root && rootGroup);
    const QString path
        = writeConfig(QStringLiteral("# every key\n"
                                     "[web]\n"
                                     "program = %1\n"
                                     "arguments = --serve-tcp --greeting \"hello world\" #kept\n"
                                     "workers = 3\n"
                                     "policy = sticky\n"
                                     "respawn = true\n"
                                     "crash-limit = 7\n"
                                     "crash-window = 2500\n"
                                     "max-memory = 512M\n"
                                     "max-requests = 1000\n"
                                     "heartbeat = 200\n"
                                     "heartbeat-timeout = 900\n"
                                     "disconnect-timeout = 0\n"
                                     "shutdown-timeout = 3000\n"
                                     "listen-warning = 0\n"
                                     "cwd = %2\n"
                                     "env = PORT=8000\n"
                                     "env = MODE=production\n"
                                     "user = %3\n"
                                     "group = %4\n"
                                     "control = web\n"
                                     "log-file = logs/web.log\n"
                                     "json = false\n")
                          .arg(Worker, m_dir.path(), QString::fromLocal8Bit(root->pw_name),
                              QString::fromLocal8Bit(rootGroup->gr_name)));
    const RunnerOptions::Result result = parse({ QStringLiteral("--config"), path });
    QVERIFY2(result.ok(), qPrintable(result.error));
    const RunnerOptions &options = result.options;
    QCOMPARE(options.action, RunnerOptions::Run);
    QCOMPARE(options.configFile, path);
    QCOMPARE(options.configName, QStringLiteral("web"));
    QCOMPARE(options.program, Worker);
    QCOMPARE(options.arguments,
        (QStringList { QStringLiteral("--serve-tcp"), QStringLiteral("--greeting"),
            QStringLiteral("hello world"), QStringLiteral("#kept") }));
    QCOMPARE(options.workers, 3);
    QCOMPARE(options.policy, SchedulingPolicy::Sticky);
    QCOMPARE(options.respawn, true);
    QCOMPARE(options.crashLimit, 7);
    QCOMPARE(options.crashWindow, 2500);
    QCOMPARE(options.maxMemory, qint64(512) * 1024 * 1024);
    QCOMPARE(options.maxRequests, 1000);
    QCOMPARE(options.heartbeat, 200);
    QCOMPARE(options.heartbeatTimeout, 900);
    QCOMPARE(options.disconnectTimeout, 0);
    QCOMPARE(options.shutdownTimeout, 3000);
    QCOMPARE(options.listenWarning, 0);
    QCOMPARE(options.cwd, m_dir.path());
    QCOMPARE(options.environment.size(), 2);
    QCOMPARE(options.environment.value(QStringLiteral("MODE")), QStringLiteral("production"));
    QCOMPARE(options.uid, 0);
    QCOMPARE(options.gid, 0);
    QCOMPARE(options.control, QStringLiteral("web"));
    // Relative to the file, as every path in it.
    QCOMPARE(
        options.logFile, QFileInfo(path).absoluteDir().filePath(QStringLiteral("logs/web.log")));
    QCOMPARE(options.json, false);

    // The same file read again gives the same options (what a reload compares).
    QCOMPARE(parse({ QStringLiteral("--config"), path }).options, options);
}

void tst_RunnerOptions::configDefaultsAndSections()
{
    // Keys before the first section apply to every cluster; a section overrides them.
    const QString path = writeConfig(QStringLiteral("program = %1\n"
                                                    "workers = 2\n"
                                                    "env = A=1\n"
                                                    "\n"
                                                    "[web]\n"
                                                    "workers = 4\n"
                                                    "env = B=2\n"
                                                    "; a comment\n"
                                                    "[jobs]\n"
                                                    "  respawn = true  \n")
                                         .arg(Worker));
    RunnerOptions::Result web = parse({ QStringLiteral("--config"), path, QStringLiteral("web") });
    QVERIFY2(web.ok(), qPrintable(web.error));
    QCOMPARE(web.options.workers, 4);
    QCOMPARE(web.options.environment.size(), 2);
    QCOMPARE(web.options.respawn, false);
    RunnerOptions::Result jobs
        = parse({ QStringLiteral("--config"), path, QStringLiteral("jobs") });
    QVERIFY2(jobs.ok(), qPrintable(jobs.error));
    QCOMPARE(jobs.options.workers, 2);
    QCOMPARE(jobs.options.respawn, true);
    QCOMPARE(jobs.options.program, Worker);

    // A file without sections is one cluster.
    const QString single = writeConfig(
        QStringLiteral("program = %1\nworkers = 1\n").arg(Worker), QStringLiteral("single.conf"));
    const RunnerOptions::Result one = parse({ QStringLiteral("--config"), single });
    QVERIFY2(one.ok(), qPrintable(one.error));
    QCOMPARE(one.options.workers, 1);
    QCOMPARE(one.options.configName, QString());
}

void tst_RunnerOptions::configCommandLineOverrides()
{
    const QString path = writeConfig(QStringLiteral("[web]\n"
                                                    "program = /bin/false\n"
                                                    "arguments = --nope\n"
                                                    "workers = 4\n"
                                                    "policy = sticky\n"
                                                    "env = A=file\n"
                                                    "env = B=file\n"));
    // Options go before --config; the program after the name, behind --.
    const RunnerOptions::Result result = parse({ QStringLiteral("-w"), QStringLiteral("2"),
        QStringLiteral("--env"), QStringLiteral("B=command-line"), QStringLiteral("--config"), path,
        QStringLiteral("web"), QStringLiteral("--"), Worker, QStringLiteral("--serve-tcp") });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.workers, 2);
    QCOMPARE(result.options.policy, SchedulingPolicy::Sticky);
    QCOMPARE(result.options.environment.value(QStringLiteral("A")), QStringLiteral("file"));
    QCOMPARE(result.options.environment.value(QStringLiteral("B")), QStringLiteral("command-line"));
    QCOMPARE(result.options.program, Worker);
    QCOMPARE(result.options.arguments, QStringList { QStringLiteral("--serve-tcp") });

    // Without a name, -- PROGRAM overrides the only cluster's.
    const RunnerOptions::Result unnamed
        = parse({ QStringLiteral("--config"), path, QStringLiteral("--"), Worker });
    QVERIFY2(unnamed.ok(), qPrintable(unnamed.error));
    QCOMPARE(unnamed.options.program, Worker);
    QCOMPARE(unnamed.options.arguments, QStringList());
    QCOMPARE(unnamed.options.configName, QStringLiteral("web"));

    // A wrong value on the command line is a usage error, whatever the file says.
    const RunnerOptions::Result wrong
        = parse({ QStringLiteral("-w"), QStringLiteral("many"), QStringLiteral("--config"), path });
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.error.startsWith(QLatin1String("--workers: ")), qPrintable(wrong.error));
    // Options after the name are not options any more: said so.
    const RunnerOptions::Result late = parse({ QStringLiteral("--config"), path,
        QStringLiteral("web"), QStringLiteral("--workers"), QStringLiteral("2") });
    QCOMPARE(late.exitCode, 2);
    QCOMPARE(late.error,
        QStringLiteral("after the cluster's name only -- PROGRAM [ARGS...] may follow (options go "
                       "before --config)"));
}

void tst_RunnerOptions::configRelativePaths()
{
    // A program or cwd with a relative path is relative to the file's directory, not to where
    // cluster-run happens to start (/ under systemd).
    QVERIFY(QFile::copy(Worker, m_dir.filePath(QStringLiteral("www/worker"))));
    QVERIFY(QFile::setPermissions(m_dir.filePath(QStringLiteral("www/worker")),
        QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QString path = writeConfig(
        QStringLiteral("program = www/worker\ncwd = www\n"), QStringLiteral("relative.conf"));
    const QString before = QDir::currentPath();
    QDir::setCurrent(QDir::rootPath());
    const RunnerOptions::Result result = parse({ QStringLiteral("--config"), path });
    QDir::setCurrent(before);
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.program, m_dir.filePath(QStringLiteral("www/worker")));
    QCOMPARE(result.options.cwd, m_dir.filePath(QStringLiteral("www")));
}

void tst_RunnerOptions::configErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message"); // after "FILE:"
    const QString countError = Supervisor::workerCountError(QStringLiteral("COUNT"));
    const QString program = QStringLiteral("program = %1\n").arg(Worker);
    QTest::newRow("unknown key")
        << program + QStringLiteral("[web]\nworkres = 2\n")
        << QStringLiteral("3: workres: unknown key (known: program, arguments, "
                          "workers, policy, respawn, crash-limit, "
                          "crash-window, control, max-memory, "
                          "max-requests, heartbeat, heartbeat-timeout, "
                          "disconnect-timeout, shutdown-timeout, "
                          "listen-warning, cwd, env, user, group, metrics, log-file, json)");
    QTest::newRow("workers") << program + QStringLiteral("workers = abc\n")
                             << QStringLiteral("2: workers: %1, not 'abc'").arg(countError);
    QTest::newRow("workers zero") << program + QStringLiteral("workers = 0\n")
                                  << QStringLiteral("2: workers 0 makes sense only with --control");
    QTest::newRow("crash-limit") << program + QStringLiteral("crash-limit = 1001\n")
                                 << QStringLiteral("2: crash-limit needs a whole number between 1 "
                                                   "and 1000, not '1001'");
    QTest::newRow("crash-window") << program + QStringLiteral("crash-window = 0\n")
                                  << QStringLiteral("2: crash-window needs a number of "
                                                    "milliseconds between 1 and 86400000, not "
                                                    "'0'");
    QTest::newRow("policy") << program + QStringLiteral("policy = fastest\n")
                            << QStringLiteral("2: policy: unknown policy 'fastest' (rr, none, "
                                              "reuseport, leastconn, sticky)");
    QTest::newRow("max-memory") << program + QStringLiteral("max-memory = lots\n")
                                << QStringLiteral("2: max-memory needs a size such as 512M or 1G, "
                                                  "not 'lots'");
    QTest::newRow("max-requests") << program + QStringLiteral("max-requests = -3\n")
                                  << QStringLiteral("2: max-requests needs a positive number, not "
                                                    "'-3'");
    QTest::newRow("heartbeat") << program + QStringLiteral("heartbeat = soon\n")
                               << QStringLiteral("2: heartbeat needs a number of milliseconds, not "
                                                 "'soon'");
    QTest::newRow("shutdown-timeout") << program + QStringLiteral("shutdown-timeout =\n")
                                      << QStringLiteral("2: shutdown-timeout needs a number of "
                                                        "milliseconds, not ''");
    QTest::newRow("listen-warning") << program + QStringLiteral("listen-warning = 3600001\n")
                                    << QStringLiteral("2: listen-warning needs a number of "
                                                      "milliseconds between 0 and 3600000, not "
                                                      "'3600001'");
    QTest::newRow("cwd") << program + QStringLiteral("cwd = /nonexistent-dir\n")
                         << QStringLiteral("2: cwd: no such directory: /nonexistent-dir");
    QTest::newRow("env") << program + QStringLiteral("env = PORT\n")
                         << QStringLiteral("2: env needs NAME=VALUE (NAME of letters, digits and "
                                           "_), not 'PORT'");
    QTest::newRow("user") << program + QStringLiteral("user = no-such-user-here\n")
                          << QStringLiteral("2: user: no such user: 'no-such-user-here'");
    QTest::newRow("group") << program + QStringLiteral("group = no-such-group-here\n")
                           << QStringLiteral("2: group: no such group: 'no-such-group-here'");
    QTest::newRow("respawn") << program + QStringLiteral("respawn = yes\n")
                             << QStringLiteral("2: respawn needs true or false, not 'yes'");
    QTest::newRow("metrics") << program + QStringLiteral("metrics = 127.0.0.1:70000\n")
                             << QStringLiteral("2: metrics: '127.0.0.1:70000' is not an address to "
                                               "listen on: the port must be a whole number from 0 "
                                               "to 65535; write PORT, ADDRESS:PORT or [IPV6]:PORT, "
                                               "e.g. 127.0.0.1:9464");
    QTest::newRow("json") << program + QStringLiteral("json = 1\n")
                          << QStringLiteral("2: json needs true or false, not '1'");
    QTest::newRow("program missing") << QStringLiteral("\nprogram = /nonexistent/program\n")
                                     << QStringLiteral("2: program: program not found: "
                                                       "/nonexistent/program");
    QTest::newRow("program empty")
        << QStringLiteral("program =\n") << QStringLiteral("1: program needs a program");
    QTest::newRow("twice") << program + QStringLiteral("workers = 2\n\nworkers = 3\n")
                           << QStringLiteral("4: workers: already set on line 2");
    QTest::newRow("not a line") << program + QStringLiteral("workers 2\n")
                                << QStringLiteral("2: expected 'key = value' or '[name]', not "
                                                  "'workers 2'");
    QTest::newRow("upper-case key") << program + QStringLiteral("Workers = 2\n")
                                    << QStringLiteral("2: expected 'key = value' or '[name]', not "
                                                      "'Workers = 2'");
    QTest::newRow("bad section") << program + QStringLiteral("[web site]\n")
                                 << QStringLiteral("2: '[web site]' is not a section: a cluster's "
                                                   "name is 1 to 64 of A-Z a-z 0-9 . _ - in "
                                                   "brackets, not starting with a dot, as in "
                                                   "[web]");
    QTest::newRow("section twice") << QStringLiteral("[web]\n%1[web]\n").arg(program)
                                   << QStringLiteral("3: [web] is already on line 1");
    QTest::newRow("no program") << QStringLiteral("[web]\nworkers = 2\n")
                                << QStringLiteral(" cluster 'web' names no program (program = "
                                                  "PATH in the file, or -- PROGRAM [ARGS...] on "
                                                  "the command line)");
}

void tst_RunnerOptions::configErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const QString path = writeConfig(text, QStringLiteral("wrong.conf"));
    // As given by the user: the name in the messages is the one typed.
    const RunnerOptions::Result result = parse({ QStringLiteral("--config"), path });
    QCOMPARE(result.error, path + QLatin1Char(':') + message);
    QCOMPARE(result.exitCode, 1);
}

void tst_RunnerOptions::configSeveralMistakes()
{
    // Every mistake at once, each named by its line and key, and a default's once only.
    const QString path = writeConfig(QStringLiteral("program = %1\n"
                                                    "workers = many\n"
                                                    "[a]\n"
                                                    "policy = fastest\n"
                                                    "[b]\n"
                                                    "heartbeat = soon\n"
                                                    "colour = blue\n")
                                         .arg(Worker),
        QStringLiteral("mistakes.conf"));
    const RunnerOptions::Result result = parse({ QStringLiteral("--check-config"), path });
    QCOMPARE(result.exitCode, 1);
    const QStringList lines = result.error.split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 4);
    QVERIFY(lines.at(0).startsWith(path + QStringLiteral(":2: workers: ")));
    QVERIFY(lines.at(1).startsWith(path + QStringLiteral(":4: policy: ")));
    QVERIFY(lines.at(2).startsWith(path + QStringLiteral(":6: heartbeat ")));
    QVERIFY(lines.at(3).startsWith(path + QStringLiteral(":7: colour: unknown key")));
}

void tst_RunnerOptions::configSelection()
{
    const QString path = writeConfig(
        QStringLiteral("program = %1\n[web]\n[api]\n").arg(Worker), QStringLiteral("two.conf"));
    // Without a name, every cluster of the file, each checked.
    RunnerOptions::Result result = parse({ QStringLiteral("--config"), path });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.action, RunnerOptions::RunAll);
    QCOMPARE(
        result.options.clusters, (QStringList { QStringLiteral("web"), QStringLiteral("api") }));
    result = parse({ QStringLiteral("--config"), path, QStringLiteral("db") });
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(
        result.error, QStringLiteral("%1 has no cluster named 'db' (it has web, api)").arg(path));
    result = parse({ QStringLiteral("--config"), path, QStringLiteral("api") });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.configName, QStringLiteral("api"));

    result = parse({ QStringLiteral("--config"), m_dir.filePath(QStringLiteral("none.conf")) });
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.error,
        QStringLiteral("%1: cannot read the configuration file: No such file or directory")
            .arg(m_dir.filePath(QStringLiteral("none.conf"))));
    QFile latin1(m_dir.filePath(QStringLiteral("latin1.conf")));
    QVERIFY(latin1.open(QIODevice::WriteOnly));
    latin1.write(QByteArray("workers = 2\nenv = X=\xff\n"));
    latin1.close();
    result = parse({ QStringLiteral("--config"), latin1.fileName() });
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.error, latin1.fileName() + QStringLiteral(":2: not UTF-8 text"));
    result = parse({ QStringLiteral("--config"), m_dir.path() });
    QCOMPARE(result.error,
        QStringLiteral("%1: cannot read the configuration file: it is a directory")
            .arg(m_dir.path()));
}

void tst_RunnerOptions::checkConfig()
{
    const QString path
        = writeConfig(QStringLiteral("program = %1\n[web]\n[api]\nworkers = 2\n").arg(Worker),
            QStringLiteral("check.conf"));
    RunnerOptions::Result result = parse({ QStringLiteral("--check-config"), path });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.action, RunnerOptions::CheckConfig);
    QCOMPARE(result.options.text, QStringLiteral("%1: valid (web, api)").arg(path));
    result = parse({ QStringLiteral("--check-config"), path, QStringLiteral("api") });
    QCOMPARE(result.options.text, QStringLiteral("%1: valid (api)").arg(path));
    result = parse({ QStringLiteral("--check-config"), path, QStringLiteral("api"),
        QStringLiteral("--"), Worker });
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.error, QStringLiteral("--check-config runs no program"));
    // Too large to be a configuration.
    const QString big
        = writeConfig(QString(1024 * 1024 + 1, QLatin1Char('#')), QStringLiteral("big.conf"));
    result = parse({ QStringLiteral("--check-config"), big });
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.error,
        QStringLiteral("%1: the configuration file is larger than 1024 KiB; is it the right file?")
            .arg(big));
}

// Clusters of one file run side by side: a control endpoint or a metrics port of two of them is
// a mistake of the file, said with its line, whether it runs them or checks them.
void tst_RunnerOptions::severalClustersShareNothing()
{
    const QString path = writeConfig(QStringLiteral("program = %1\nmetrics = 9464\n"
                                                    "[web]\ncontrol = app\nmetrics = 9465\n"
                                                    "[api]\ncontrol = app\n"
                                                    "[jobs]\ncontrol = jobs\n")
                                         .arg(Worker),
        QStringLiteral("shared.conf"));
    for (const char *option : { "--config", "--check-config" }) {
        const RunnerOptions::Result result = parse({ QLatin1String(option), path });
        QCOMPARE(result.exitCode, 1);
        QCOMPARE(result.error.split(QLatin1Char('\n')),
            (QStringList {
                QStringLiteral("%1:7: control: the control endpoint 'app' is also [web]'s: "
                               "clusters of one file run side by side, each needs its own")
                    .arg(path),
                QStringLiteral("%1:2: metrics: the metrics address 127.0.0.1:9464 is also "
                               "[api]'s: clusters of one file run side by side, each needs its "
                               "own")
                    .arg(path),
            }));
    }
    // One of them alone is fine.
    QVERIFY(parse({ QStringLiteral("--config"), path, QStringLiteral("api") }).ok());
    // The command line names one endpoint for every cluster.
    const QString apart = writeConfig(
        QStringLiteral("program = %1\n[web]\n[api]\n").arg(Worker), QStringLiteral("apart.conf"));
    const RunnerOptions::Result result = parse(
        { QStringLiteral("--control"), QStringLiteral("one"), QStringLiteral("--config"), apart });
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.error.startsWith(QStringLiteral("--control: the control endpoint 'one' is "
                                                    "also [web]'s")),
        qPrintable(result.error));
}

// Each cluster of a file runs as a process of its own: 64 at most.
void tst_RunnerOptions::clustersPerFileAreBounded()
{
    QString text = QStringLiteral("program = %1\nworkers = 1\n").arg(Worker);
    for (int i = 1; i <= 64; ++i)
        text += QStringLiteral("[c%1]\n").arg(i);
    QString path = writeConfig(text, QStringLiteral("many.conf"));
    RunnerOptions::Result result = parse({ QStringLiteral("--config"), path });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.clusters.size(), 64);
    path = writeConfig(text + QStringLiteral("[c65]\n"), QStringLiteral("too-many.conf"));
    result = parse({ QStringLiteral("--check-config"), path });
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.error,
        QStringLiteral("%1:67: [c65] is one cluster too many: a file holds at most 64").arg(path));
}

// The sample next to the systemd unit is valid (its program lives in /usr/local/bin once
// installed; here the command line's stands in for it).
void tst_RunnerOptions::shippedConfig()
{
    const RunnerOptions::Result result = parse({ QStringLiteral("--config"),
        QStringLiteral(SOURCE_DIR "/resources/systemd/hello-http.conf"),
        QStringLiteral("hello-http"), QStringLiteral("--"), Worker });
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.options.workers, 4);
    QCOMPARE(result.options.control, QStringLiteral("hello-http"));
}

// What an editor writes (the monitor's Save) reads back to the same options, every key included.
void tst_RunnerOptions::configWritten()
{
    const passwd *root = ::getpwuid(0);
    QVERIFY(root);
    const QString path = writeConfig(
        QStringLiteral("[web]\n"
                       "program = %1\n"
                       "arguments = --serve-tcp \"\" --greeting \"hello \"\"\"world\"\"\"\" #kept\n"
                       "workers = 3\n"
                       "policy = sticky\n"
                       "respawn = true\n"
                       "crash-limit = 7\n"
                       "crash-window = 2500\n"
                       "max-memory = 1536M\n"
                       "max-requests = 1000\n"
                       "heartbeat = 200\n"
                       "heartbeat-timeout = 900\n"
                       "disconnect-timeout = 0\n"
                       "shutdown-timeout = 3000\n"
                       "listen-warning = 0\n"
                       "cwd = %2\n"
                       "env = PORT=8000\n"
                       "env = GREETING= two  words\n"
                       "user = %3\n"
                       "group = 0\n"
                       "control = web\n"
                       "metrics = 127.0.0.1:9464\n"
                       "log-file = logs/web.log\n"
                       "json = true\n")
            .arg(Worker, m_dir.path(), QString::fromLocal8Bit(root->pw_name)),
        QStringLiteral("every.conf"));
    const RunnerOptions::Result read = RunnerOptions::fromConfigFile(path, QStringLiteral("web"));
    QVERIFY2(read.ok(), qPrintable(read.error));
    QCOMPARE(read.options, parse({ QStringLiteral("--config"), path }).options);
    QCOMPARE(read.options.arguments,
        (QStringList { QStringLiteral("--serve-tcp"), QStringLiteral("--greeting"),
            QStringLiteral("hello \"world\""), QStringLiteral("#kept") }));
    QCOMPARE(
        read.options.environment.value(QStringLiteral("GREETING")), QStringLiteral(" two  words"));

    QString error;
    const QString text = read.options.toConfigText(QStringLiteral("copy"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(text.startsWith(QStringLiteral("[copy]\nprogram = %1\n").arg(Worker)));
    QVERIFY(text.contains(QStringLiteral("\nmax-memory = 1536M\n")));
    const QString copy = writeConfig(text, QStringLiteral("copy.conf"));
    const RunnerOptions::Result again = RunnerOptions::fromConfigFile(copy);
    QVERIFY2(again.ok(), qPrintable(again.error));
    RunnerOptions expected = read.options;
    expected.configFile = copy;
    expected.configName = QStringLiteral("copy");
    QCOMPARE(again.options, expected);
    // Written once more, the same text.
    QCOMPARE(again.options.toConfigText(QStringLiteral("copy"), &error), text);
}

// Defaults are left out (program and workers aside), so that a written file says what was chosen.
void tst_RunnerOptions::configWrittenMinimal()
{
    const QString path = writeConfig(
        QStringLiteral("program = %1\nworkers = 2\n").arg(Worker), QStringLiteral("min.conf"));
    const RunnerOptions::Result read = RunnerOptions::fromConfigFile(path);
    QVERIFY2(read.ok(), qPrintable(read.error));
    QString error;
    QCOMPARE(read.options.toConfigText(QString(), &error),
        QStringLiteral("program = %1\nworkers = 2\n").arg(Worker));
    QVERIFY(error.isEmpty());
    // A heartbeat's implied timeout is not written either.
    RunnerOptions options = read.options;
    options.heartbeat = 100;
    options.heartbeatTimeout = 300;
    options.policy = SchedulingPolicy::RoundRobin;
    QCOMPARE(options.toConfigText(QStringLiteral("w"), &error),
        QStringLiteral("[w]\nprogram = %1\nworkers = 2\npolicy = rr\nheartbeat = 100\n")
            .arg(Worker));

    QStringList names;
    QVERIFY(RunnerOptions::configClusters(path, &names, &error));
    QVERIFY(names.isEmpty());
    const QString two = writeConfig(
        QStringLiteral("program = %1\n[web]\n[api]\n").arg(Worker), QStringLiteral("2.conf"));
    QVERIFY(RunnerOptions::configClusters(two, &names, &error));
    QCOMPARE(names, (QStringList { QStringLiteral("web"), QStringLiteral("api") }));
    const QString broken
        = writeConfig(QStringLiteral("[web]\nworkers\n"), QStringLiteral("b.conf"));
    QVERIFY(!RunnerOptions::configClusters(broken, &names, &error));
    QCOMPARE(
        error, broken + QStringLiteral(":2: expected 'key = value' or '[name]', not 'workers'"));
}

// A value the reader could not read back is refused, naming the key, rather than written wrong.
void tst_RunnerOptions::configNotWritable()
{
    const RunnerOptions::Result read = parseWith({});
    QVERIFY2(read.ok(), qPrintable(read.error));
    QString error;
    RunnerOptions options = read.options;
    options.environment.insert(QStringLiteral("TWO"), QStringLiteral("lines\nhere"));
    QVERIFY(options.toConfigText(QStringLiteral("web"), &error).isEmpty());
    QCOMPARE(error,
        QStringLiteral("env: 'TWO=lines\nhere' cannot be written on one line of the file (a line "
                       "break, or blanks at the start or the end)"));
    options = read.options;
    options.environment.insert(QStringLiteral("PAD"), QStringLiteral("x "));
    QVERIFY(options.toConfigText(QStringLiteral("web"), &error).isEmpty());
    QVERIFY(error.startsWith(QStringLiteral("env: 'PAD=x ' cannot")));
    options = read.options;
    options.arguments = QStringList { QStringLiteral("a"), QString() };
    QVERIFY(options.toConfigText(QStringLiteral("web"), &error).isEmpty());
    QCOMPARE(error, QStringLiteral("arguments: 'a \"\"' would not read back the same"));
    QVERIFY(read.options.toConfigText(QStringLiteral(".hidden"), &error).isEmpty());
    QVERIFY(error.startsWith(QStringLiteral("'.hidden' cannot name a cluster")));
}

// Saving one cluster into a file of several replaces that cluster only; the keys the file sets
// for every cluster are overridden where they would change it.
void tst_RunnerOptions::configFileTextKeepsOtherClusters()
{
    const QString original = QStringLiteral("# header comment\n"
                                            "shutdown-timeout = 15000\n"
                                            "\n"
                                            "[web]\n"
                                            "program = %1\n"
                                            "workers = 2\n"
                                            "\n"
                                            "# the jobs cluster\n"
                                            "[jobs]\n"
                                            "program = %1\n"
                                            "workers = 1\n")
                                 .arg(Worker);
    const QString path = writeConfig(original, QStringLiteral("several.conf"));
    RunnerOptions web = RunnerOptions::fromConfigFile(path, QStringLiteral("web")).options;
    const RunnerOptions jobs = RunnerOptions::fromConfigFile(path, QStringLiteral("jobs")).options;
    web.workers = 5;
    web.shutdownTimeout = 10000; // cluster-run's default, which the file's 15000 would override
    QString error;
    const QString text = web.configFileText(path, QStringLiteral("web"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(text,
        QStringLiteral("# header comment\n"
                       "shutdown-timeout = 15000\n"
                       "\n"
                       "[web]\n"
                       "program = %1\n"
                       "workers = 5\n"
                       "shutdown-timeout = 10000\n"
                       "\n"
                       "# the jobs cluster\n"
                       "[jobs]\n"
                       "program = %1\n"
                       "workers = 1\n")
            .arg(Worker));
    writeConfig(text, QStringLiteral("several.conf"));
    QCOMPARE(RunnerOptions::fromConfigFile(path, QStringLiteral("jobs")).options, jobs);
    QCOMPARE(RunnerOptions::fromConfigFile(path, QStringLiteral("web")).options.workers, 5);

    // A cluster the file does not have yet goes at its end.
    RunnerOptions api = web;
    api.workers = 3;
    const QString added = api.configFileText(path, QStringLiteral("api"), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(added.startsWith(
        text + QStringLiteral("\n[api]\nprogram = %1\nworkers = 3\n").arg(Worker)));

    // A cluster without a name never replaces a file of named clusters.
    QCOMPARE(api.configFileText(path, QString(), &error), QString());
    QVERIFY2(error.contains(QStringLiteral("holds named clusters")), qPrintable(error));
    error.clear();

    // A new file gets a header saying how to run it.
    const QString fresh = m_dir.filePath(QStringLiteral("fresh.conf"));
    QCOMPARE(api.configFileText(fresh, QStringLiteral("api"), &error),
        QStringLiteral("# A cluster-run configuration.\n"
                       "#   check: cluster-run --check-config %1\n"
                       "#   run:   cluster-run --config %1 api\n"
                       "\n"
                       "[api]\nprogram = %2\nworkers = 3\n")
            .arg(fresh, Worker));

    // What a key for every cluster sets and this cluster cannot unset.
    const QString logged
        = writeConfig(QStringLiteral("log-file = all.log\n[web]\nprogram = %1\n").arg(Worker),
            QStringLiteral("logged.conf"));
    RunnerOptions quiet = RunnerOptions::fromConfigFile(logged, QStringLiteral("web")).options;
    quiet.logFile.clear();
    QVERIFY(quiet.configFileText(logged, QStringLiteral("web"), &error).isEmpty());
    QCOMPARE(error,
        QStringLiteral("%1 sets log-file for every cluster, which [web] cannot undo; choose "
                       "another file")
            .arg(logged));

    // A broken file is not rewritten around its mistakes.
    const QString broken
        = writeConfig(QStringLiteral("[web]\nworkers 4\n"), QStringLiteral("broken.conf"));
    QVERIFY(web.configFileText(broken, QStringLiteral("web"), &error).isEmpty());
    QVERIFY2(error.startsWith(QStringLiteral("%1 is not a valid configuration").arg(broken)),
        qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_RunnerOptions)
#include "tst_runneroptions.moc"
