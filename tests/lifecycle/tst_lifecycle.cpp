// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A worker's life from fork to deletion: roles, settings, fork, online, disconnect, kill, exit,
// programs that cannot start, and the diagnostics that go with them. Real worker processes
// (tests/helpers/testworker.cpp); every wait is on a signal.
#include <libcluster/cluster.h>

#include <QCborArray>
#include <QCborMap>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSharedPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace LibCluster;

namespace {

constexpr int Timeout = 10000;

const QString TestWorker = QStringLiteral(TESTWORKER_PATH);

Settings testSettings()
{
    Settings settings;
    settings.setExec(TestWorker);
    settings.setArgs({});
    return settings;
}

// A fresh cluster forking testworker with no arguments, plus whatever `extra` sets.
Cluster *newCluster(QObject *parent, const Settings &extra = Settings())
{
    auto *cluster = new Cluster(parent);
    Settings settings = testSettings();
    settings.merge(extra);
    cluster->setupPrimary(settings);
    return cluster;
}

// One of testworker's commands: {do: what} plus `fields`.
QCborMap command(const QString &what, QCborMap fields = {})
{
    fields.insert(QStringLiteral("do"), what);
    return fields;
}

QCborMap exitCommand(const QString &what, int code)
{
    QCborMap fields;
    fields.insert(QStringLiteral("code"), code);
    return command(what, fields);
}

bool waitForOnline(Worker *worker)
{
    if (worker->state() != Worker::None)
        return true;
    QSignalSpy online(worker, &Worker::online);
    return online.wait(Timeout);
}

// testworker's own view of itself ({do: "info"}); an empty map if it did not answer.
QCborMap askInfo(Worker *worker)
{
    QSignalSpy replies(worker, &Worker::messageReceived);
    if (!worker->send(command(QStringLiteral("info"))) || !replies.wait(Timeout))
        return {};
    return replies.first().first().value<QCborValue>().toMap();
}

QStringList stringList(const QCborValue &value)
{
    QStringList list;
    for (const QCborValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

// True once every event posted so far has been delivered: a signal that was going to be
// emitted from the event loop by then has been. Used to prove a signal did NOT come (twice).
bool deliverPostedEvents()
{
    auto delivered = QSharedPointer<bool>::create(false);
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [delivered] { *delivered = true; }, Qt::QueuedConnection);
    return QTest::qWaitFor([delivered] { return *delivered; }, Timeout);
}

QString canonical(const QString &path)
{
    return QFileInfo(path).canonicalFilePath();
}

// Duplicates the worker's end of its channel into this process (pidfd_getfd), as a child that
// inherited it would hold it: the worker process can then end while the channel stays open.
int holdWorkerChannel(qint64 pid)
{
    // Through syscall(): Debian 12's <sys/pidfd.h> lacks extern "C" for C++.
    const int pidfd = int(::syscall(SYS_pidfd_open, pid_t(pid), 0));
    if (pidfd < 0)
        return -1;
    int held = -1;
    const QByteArray dirName = "/proc/" + QByteArray::number(pid) + "/fd";
    if (DIR *dir = ::opendir(dirName.constData())) {
        while (dirent *entry = ::readdir(dir)) {
            const int fd = std::atoi(entry->d_name);
            if (fd <= 2)
                continue;
            char target[64] = {};
            const QByteArray link = dirName + '/' + entry->d_name;
            if (::readlink(link.constData(), target, sizeof(target) - 1) > 0
                && QByteArray(target).startsWith("socket:")) {
                held = int(::syscall(SYS_pidfd_getfd, pidfd, fd, 0)); // close-on-exec
                break;
            }
        }
        ::closedir(dir);
    }
    ::close(pidfd);
    return held;
}

// What a worker and its cluster said at one of the worker's signals. The Worker is deleted soon
// after its last signal, so everything a test checks is read inside the slot.
struct Step
{
    QString signal; // "online", "disconnected", "exited", or the same with a "cluster:" prefix
    Worker::State state = Worker::None;
    bool connected = false;
    bool dead = false;
    bool exitedAfterDisconnect = false;
    bool listed = false; // in cluster->workers()
    bool foundById = false; // cluster->workerById(id) is the worker
    int exitCode = 0;
    int exitSignal = 0;
    qint64 pid = 0;
};

// Records one worker's signals, and the cluster's signals about it, with a Step at each.
class Recorder : public QObject
{
public:
    Recorder(Cluster *cluster, Worker *worker)
        : m_cluster(cluster)
        , m_raw(worker)
        , worker(worker)
    {
        connect(worker, &Worker::stateChanged, this, [this](Worker::State s) { states.append(s); });
        connect(worker, &Worker::online, this, [this] { record(QStringLiteral("online")); });
        connect(worker, &Worker::disconnected, this,
            [this] { record(QStringLiteral("disconnected")); });
        connect(worker, &Worker::exited, this, [this](int code, int signal) {
            exits.append({ code, signal });
            record(QStringLiteral("exited"));
        });
        connect(
            worker, &Worker::errorOccurred, this, [this](Worker::Error error, const QString &text) {
                errors.append({ error, text });
            });
        connect(cluster, &Cluster::workerOnline, this, [this](Worker *w) {
            if (w == m_raw)
                record(QStringLiteral("cluster:online"));
        });
        connect(cluster, &Cluster::workerDisconnected, this, [this](Worker *w) {
            if (w == m_raw)
                record(QStringLiteral("cluster:disconnected"));
        });
        connect(cluster, &Cluster::workerExited, this, [this](Worker *w, int code, int signal) {
            if (w != m_raw)
                return;
            clusterExits.append({ code, signal });
            record(QStringLiteral("cluster:exited"));
        });
        connect(cluster, &Cluster::workerErrorOccurred, this,
            [this](Worker *w, Worker::Error error, const QString &text) {
                if (w == m_raw)
                    clusterErrors.append({ error, text });
            });
    }

    // The worker has been deleted, i.e. it has both disconnected and exited.
    bool gone() const { return worker.isNull(); }

    QStringList signalOrder() const
    {
        QStringList order;
        for (const Step &step : steps)
            order.append(step.signal);
        return order;
    }

    int count(const QString &signal) const { return int(signalOrder().count(signal)); }

    Step step(const QString &signal) const
    {
        for (const Step &s : steps)
            if (s.signal == signal)
                return s;
        return Step();
    }

    QList<Step> steps;
    QList<Worker::State> states;
    QList<QPair<int, int>> exits;
    QList<QPair<int, int>> clusterExits;
    QList<QPair<Worker::Error, QString>> errors;
    QList<QPair<Worker::Error, QString>> clusterErrors;

private:
    void record(const QString &signal)
    {
        Step s;
        s.signal = signal;
        s.state = m_raw->state();
        s.connected = m_raw->isConnected();
        s.dead = m_raw->isDead();
        s.exitedAfterDisconnect = m_raw->exitedAfterDisconnect();
        s.listed = m_cluster->workers().contains(m_raw);
        s.foundById = m_cluster->workerById(m_raw->id()) == m_raw;
        s.exitCode = m_raw->exitCode();
        s.exitSignal = m_raw->exitSignal();
        s.pid = m_raw->processId();
        steps.append(s);
    }

    Cluster *m_cluster;
    const Worker *m_raw; // for comparisons only; may dangle once `worker` is null

public:
    QPointer<Worker> worker;
};

// Makes a running worker end in the way `action` names. False if the action is unknown.
bool perform(Worker *worker, const QString &action)
{
    if (action == QLatin1String("disconnect"))
        worker->disconnectFromCluster();
    else if (action == QLatin1String("worker-disconnect"))
        worker->send(command(QStringLiteral("disconnect")));
    else if (action == QLatin1String("kill"))
        worker->kill();
    else if (action == QLatin1String("kill-SIGKILL"))
        worker->kill(SIGKILL);
    else if (action == QLatin1String("kill-SIGINT"))
        worker->kill(SIGINT);
    else if (action == QLatin1String("worker-kill"))
        worker->send(command(QStringLiteral("kill")));
    else if (action == QLatin1String("crash"))
        worker->send(command(QStringLiteral("crash")));
    else if (action == QLatin1String("external-SIGKILL"))
        ::kill(pid_t(worker->processId()), SIGKILL);
    else if (action.startsWith(QLatin1String("exit:")))
        worker->send(exitCommand(QStringLiteral("exit"), action.mid(5).toInt()));
    else if (action.startsWith(QLatin1String("quit:")))
        worker->send(exitCommand(QStringLiteral("quit"), action.mid(5).toInt()));
    else
        return false;
    return true;
}

QList<QPair<QString, QString>> g_messages; // (category, message) while diagnostics() captures

void captureMessage(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_messages.append({ QString::fromLatin1(context.category), message });
}

// What was captured in one category.
QStringList messagesIn(QLatin1String category)
{
    QStringList found;
    for (const auto &message : std::as_const(g_messages))
        if (message.first == category)
            found.append(message.second);
    return found;
}

} // namespace

class tst_Lifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // 1. roles
    void roles();
    void bootstrapVariableHidden();
    void startedByHandIsPrimary_data();
    void startedByHandIsPrimary();

    // 2. settings
    void settingsDefaults();
    void setupPrimaryCumulative();
    void setupApplied();
    void settingsExecAndArgs();
    void settingsSilent_data();
    void settingsSilent();
    void settingsCwd();
    void settingsEnv_data();
    void settingsEnv();
    void settingsUidGid();

    // 3. fork
    void forkIds();
    void forkEnv();

    // 4. online
    void online();
    void onlineOnceEventLoopRuns();
    void diesBeforeOnline_data();
    void diesBeforeOnline();

    // 6. disconnect
    void disconnectFromCluster_data();
    void disconnectFromCluster();
    void disconnectStarted_data();
    void disconnectStarted();
    void disconnectAll();
    void disconnectAllWithoutWorkers();
    void exitCodeChosenOnDisconnect_data();
    void exitCodeChosenOnDisconnect();

    // 9. the Worker object's lifetime
    void autoDeleteWorkersOff();
    void deleteRunningWorker();

    // 7. kill, exitedAfterDisconnect
    void kill_data();
    void kill();
    void exitedAfterDisconnect_data();
    void exitedAfterDisconnect();
    void signalName_data();
    void signalName();

    // 8. exit
    void exitCodeAndSignal_data();
    void exitCodeAndSignal();
    void disconnectAndExitInEitherOrder_data();
    void disconnectAndExitInEitherOrder();

    // 10. programs that cannot start
    void badExec_data();
    void badExec();

    // 11. diagnostics
    void diagnostics();
    void workerDiagnostics();
    void channelDiagnostics();
};

void tst_Lifecycle::initTestCase()
{
    QVERIFY2(QFileInfo(TestWorker).isExecutable(), qPrintable(TestWorker));
    // Something only this process has, to tell an inherited environment from a given one.
    qputenv("LIFECYCLE_PRIMARY_ONLY", "primary");
}

// Node: test-cluster-basic.js (cluster.isPrimary / isWorker on each side).
void tst_Lifecycle::roles()
{
    QVERIFY(Cluster::isPrimary());
    QVERIFY(!Cluster::isWorker());
    QCOMPARE(Cluster::worker(), nullptr);

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QVERIFY(waitForOnline(worker));
    const QCborMap info = askInfo(worker);
    QVERIFY(!info.isEmpty());
    QCOMPARE(info.value(QStringLiteral("isWorker")).toBool(), true);
    // Forking does not change what the primary is.
    QVERIFY(Cluster::isPrimary());
    QVERIFY(!Cluster::isWorker());
}

// The bootstrap variable is read and removed before the worker's own code runs (Node deletes
// NODE_UNIQUE_ID the same way).
void tst_Lifecycle::bootstrapVariableHidden()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QVERIFY(waitForOnline(worker));
    const QCborMap info = askInfo(worker);
    QVERIFY(!info.isEmpty());
    QVERIFY(info.value(QStringLiteral("isWorker")).toBool());
    const QCborMap env = info.value(QStringLiteral("env")).toMap();
    QVERIFY(!env.isEmpty());
    for (const QString &name :
        { QStringLiteral("LIBCLUSTER_WORKER"), QStringLiteral("LIBCLUSTER_TIMEOUTS") })
        QVERIFY2(
            !env.contains(name), qPrintable(name + QLatin1Char('=') + env.value(name).toString()));
    // The rest of the environment did arrive.
    QCOMPARE(
        env.value(QStringLiteral("LIFECYCLE_PRIMARY_ONLY")).toString(), QStringLiteral("primary"));
    QCOMPARE(info.value(QStringLiteral("id")).toInteger(), worker->id());
    QCOMPARE(info.value(QStringLiteral("pid")).toInteger(), worker->processId());
}

// A program started without a usable bootstrap variable is a primary (Node's rule), whatever
// the variable says.
void tst_Lifecycle::startedByHandIsPrimary_data()
{
    QTest::addColumn<QString>("bootstrap"); // empty: not set

    QTest::newRow("no variable") << QString();
    QTest::newRow("garbage") << QStringLiteral("not-a-worker");
    QTest::newRow("descriptor not open") << QStringLiteral("1:987");
    QTest::newRow("descriptor not a socket") << QStringLiteral("1:0");
    QTest::newRow("id zero") << QStringLiteral("0:0");
}

void tst_Lifecycle::startedByHandIsPrimary()
{
    QFETCH(QString, bootstrap);

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LIBCLUSTER_WORKER"));
    if (!bootstrap.isEmpty())
        env.insert(QStringLiteral("LIBCLUSTER_WORKER"), bootstrap);
    process.setProcessEnvironment(env);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(TestWorker, {});
    QVERIFY(finished.wait(Timeout));
    // testworker exits with 3 when Cluster::worker() is null, i.e. when it is a primary.
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 3);
    QVERIFY(process.readAllStandardError().contains("not started by a primary"));
}

// Node: test-cluster-setup-primary.js (cluster.settings with the defaults filled in).
void tst_Lifecycle::settingsDefaults()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    const Settings settings = cluster->settings();
    QCOMPARE(settings.exec(), QCoreApplication::applicationFilePath());
    QCOMPARE(settings.args(), QCoreApplication::arguments().mid(1));
    QCOMPARE(settings.silent(), false);
    QCOMPARE(settings.cwd(), QString()); // the primary's
    QCOMPARE(settings.env(), QProcessEnvironment::systemEnvironment());
    QCOMPARE(settings.uid(), -1);
    QCOMPARE(settings.gid(), -1);
    QVERIFY(settings.hasExec());
    QVERIFY(settings.hasArgs());
    QVERIFY(settings.hasSilent());
    QVERIFY(settings.hasCwd());
    QVERIFY(settings.hasEnv());
    QVERIFY(settings.hasUid());
    QVERIFY(settings.hasGid());
    // How long a worker waits for its primary's answer, and lets its connections drain.
    QCOMPARE(settings.requestTimeout(), 10000);
    QCOMPARE(settings.drainTimeout(), 10000);
    QVERIFY(settings.hasRequestTimeout());
    QVERIFY(settings.hasDrainTimeout());

    // Both have bounds: a value outside is refused with a warning and changes nothing.
    Settings bounded;
    bounded.setRequestTimeout(250);
    bounded.setDrainTimeout(0);
    QTest::ignoreMessage(QtWarningMsg,
        "Settings::setRequestTimeout(99) refused: use 100 to 600000 ms; the setting is unchanged");
    bounded.setRequestTimeout(99);
    QTest::ignoreMessage(QtWarningMsg,
        "Settings::setDrainTimeout(-1) refused: use 0 to 600000 ms; the setting is unchanged");
    bounded.setDrainTimeout(-1);
    QTest::ignoreMessage(QtWarningMsg,
        "Settings::setDrainTimeout(600001) refused: use 0 to 600000 ms; the setting is unchanged");
    bounded.setDrainTimeout(600001);
    QCOMPARE(bounded.requestTimeout(), 250);
    QCOMPARE(bounded.drainTimeout(), 0);
}

// Node: test-cluster-setup-primary-cumulative.js, test-cluster-setup-primary-multiple.js.
void tst_Lifecycle::setupPrimaryCumulative()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    const QStringList defaultArgs = QCoreApplication::arguments().mid(1);

    Settings execOnly;
    execOnly.setExec(TestWorker);
    cluster->setupPrimary(execOnly);
    QCOMPARE(cluster->settings().exec(), TestWorker);
    QCOMPARE(cluster->settings().args(), defaultArgs);

    Settings argsOnly;
    argsOnly.setArgs({ QStringLiteral("first") });
    cluster->setupPrimary(argsOnly);
    QCOMPARE(cluster->settings().exec(), TestWorker);
    QCOMPARE(cluster->settings().args(), QStringList { QStringLiteral("first") });

    Settings silentOnly;
    silentOnly.setSilent(true);
    cluster->setupPrimary(silentOnly);
    QCOMPARE(cluster->settings().exec(), TestWorker);
    QCOMPARE(cluster->settings().args(), QStringList { QStringLiteral("first") });
    QCOMPARE(cluster->settings().silent(), true);

    Settings argsAgain;
    argsAgain.setArgs({ QStringLiteral("second") });
    cluster->setupPrimary(argsAgain);
    const Settings now = cluster->settings();
    QCOMPARE(now.exec(), TestWorker);
    QCOMPARE(now.args(), QStringList { QStringLiteral("second") });
    QCOMPARE(now.silent(), true);
    QCOMPARE(now.cwd(), QString());
    QCOMPARE(now.env(), QProcessEnvironment::systemEnvironment());
    QCOMPARE(now.uid(), -1);
    QCOMPARE(now.gid(), -1);

    // An empty Settings changes nothing.
    cluster->setupPrimary(Settings());
    QVERIFY(cluster->settings() == now);
}

// Node: test-cluster-setup-primary-emit.js ('setup' is emitted after the call, once per call,
// with the settings as they were at that call).
void tst_Lifecycle::setupApplied()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    QSignalSpy applied(cluster, &Cluster::setupApplied);

    QList<Settings> expected;
    Settings first = testSettings();
    cluster->setupPrimary(first);
    QCOMPARE(applied.count(), 0); // not from inside the call
    expected.append(cluster->settings());

    Settings second;
    second.setSilent(true);
    cluster->setupPrimary(second);
    QCOMPARE(applied.count(), 0);
    expected.append(cluster->settings());

    Settings third;
    third.setArgs({ QStringLiteral("third") });
    cluster->setupPrimary(third);
    expected.append(cluster->settings());
    QCOMPARE(applied.count(), 0);

    QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 3, Timeout);
    QVERIFY(deliverPostedEvents());
    QCOMPARE(applied.count(), 3);
    for (int i = 0; i < 3; ++i) {
        const Settings got = applied.at(i).at(0).value<Settings>();
        QVERIFY2(got == expected.at(i), qPrintable(QStringLiteral("call %1").arg(i + 1)));
    }
    QCOMPARE(applied.at(0).at(0).value<Settings>().silent(), false);
    QCOMPARE(applied.at(1).at(0).value<Settings>().silent(), true);
    QCOMPARE(applied.at(1).at(0).value<Settings>().args(), QStringList());
    QCOMPARE(applied.at(2).at(0).value<Settings>().args(), QStringList { QStringLiteral("third") });
}

// Node: test-cluster-setup-primary-argv.js, test-cluster-setup-primary-multiple.js (settings
// apply to later forks only).
void tst_Lifecycle::settingsExecAndArgs()
{
    QObject scope;
    const QStringList firstArgs { QStringLiteral("--first"), QStringLiteral("two words"), QString(),
        QStringLiteral("ünïcödé") };
    Settings extra;
    extra.setArgs(firstArgs);
    Cluster *cluster = newCluster(&scope, extra);
    Worker *first = cluster->fork();

    Settings later;
    later.setArgs({ QStringLiteral("--second") });
    cluster->setupPrimary(later);
    Worker *second = cluster->fork();

    QVERIFY(waitForOnline(first));
    QVERIFY(waitForOnline(second));
    const QCborMap firstInfo = askInfo(first);
    const QCborMap secondInfo = askInfo(second);
    QCOMPARE(stringList(firstInfo.value(QStringLiteral("args"))), firstArgs);
    QCOMPARE(stringList(secondInfo.value(QStringLiteral("args"))),
        QStringList { QStringLiteral("--second") });
    // The program that runs is exec.
    for (Worker *worker : { first, second }) {
        const QString exe
            = QFileInfo(QStringLiteral("/proc/%1/exe").arg(worker->processId())).symLinkTarget();
        QCOMPARE(exe, canonical(TestWorker));
    }
}

// Node: test-cluster-fork-stdio.js (silent: the worker's output comes to the primary).
void tst_Lifecycle::settingsSilent_data()
{
    QTest::addColumn<bool>("silent");
    QTest::newRow("silent") << true;
    QTest::newRow("not silent") << false;
}

void tst_Lifecycle::settingsSilent()
{
    QFETCH(bool, silent);

    QObject scope;
    const QByteArray token = QByteArray::number(QCoreApplication::applicationPid()) + '-'
        + QByteArray(QTest::currentDataTag()).replace(' ', '-');
    const QByteArray out = "lifecycle-stdout-" + token;
    const QByteArray err = "lifecycle-stderr-" + token;
    Settings extra;
    extra.setSilent(silent);
    extra.setArgs({ QStringLiteral("--print-stdout"), QString::fromLatin1(out),
        QStringLiteral("--print-stderr"), QString::fromLatin1(err) });
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);

    QByteArray workerOut, workerErr, clusterOut, clusterErr, outAtExit, errAtExit;
    Worker *clusterSource = nullptr;
    int outputSignals = 0;
    connect(worker, &Worker::outputReceived, &recorder,
        [&](Worker::OutputChannel channel, const QByteArray &data) {
            ++outputSignals;
            (channel == Worker::StandardOutput ? workerOut : workerErr) += data;
        });
    connect(cluster, &Cluster::workerOutputReceived, &recorder,
        [&](Worker *from, Worker::OutputChannel channel, const QByteArray &data) {
            ++outputSignals;
            clusterSource = from;
            (channel == Worker::StandardOutput ? clusterOut : clusterErr) += data;
        });
    connect(worker, &Worker::exited, &recorder, [&] {
        outAtExit = workerOut;
        errAtExit = workerErr;
    });

    QVERIFY(waitForOnline(worker));
    QVERIFY(worker->send(exitCommand(QStringLiteral("exit"), 0)));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    if (silent) {
        // All of it, and before exited().
        QCOMPARE(outAtExit, out + '\n');
        QCOMPARE(errAtExit, err + '\n');
        QCOMPARE(workerOut, outAtExit);
        QCOMPARE(workerErr, errAtExit);
        QCOMPARE(clusterOut, workerOut);
        QCOMPARE(clusterErr, workerErr);
        QCOMPARE(clusterSource, worker);
    } else {
        QCOMPARE(outputSignals, 0);
    }
}

// Node: test-cluster-cwd.js.
void tst_Lifecycle::settingsCwd()
{
    QObject scope;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Settings extra;
    extra.setCwd(dir.path());
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    QVERIFY(waitForOnline(worker));
    const QCborMap info = askInfo(worker);
    QCOMPARE(canonical(info.value(QStringLiteral("cwd")).toString()), canonical(dir.path()));

    // Unset (empty): the primary's.
    Settings primaryCwd;
    primaryCwd.setCwd(QString());
    cluster->setupPrimary(primaryCwd);
    Worker *second = cluster->fork();
    QVERIFY(waitForOnline(second));
    QCOMPARE(canonical(askInfo(second).value(QStringLiteral("cwd")).toString()),
        canonical(QDir::currentPath()));
}

// The settings' environment replaces the primary's; unset, the primary's is inherited.
void tst_Lifecycle::settingsEnv_data()
{
    QTest::addColumn<bool>("setEnv");
    QTest::newRow("primary's environment") << false;
    QTest::newRow("settings' environment") << true;
}

void tst_Lifecycle::settingsEnv()
{
    QFETCH(bool, setEnv);

    QObject scope;
    Settings extra;
    if (setEnv) {
        QProcessEnvironment env;
        env.insert(QStringLiteral("LIFECYCLE_SETTING"), QStringLiteral("from settings"));
        env.insert(QStringLiteral("LIFECYCLE_EMPTY"), QString());
        extra.setEnv(env);
    }
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    QVERIFY(waitForOnline(worker));
    const QCborMap env = askInfo(worker).value(QStringLiteral("env")).toMap();
    QVERIFY(!env.isEmpty());
    if (setEnv) {
        QCOMPARE(env.value(QStringLiteral("LIFECYCLE_SETTING")).toString(),
            QStringLiteral("from settings"));
        QVERIFY(env.contains(QStringLiteral("LIFECYCLE_EMPTY")));
        QVERIFY(!env.contains(QStringLiteral("LIFECYCLE_PRIMARY_ONLY")));
        QCOMPARE(env.size(), 2);
    } else {
        QCOMPARE(env.value(QStringLiteral("LIFECYCLE_PRIMARY_ONLY")).toString(),
            QStringLiteral("primary"));
        QVERIFY(!env.contains(QStringLiteral("LIFECYCLE_SETTING")));
    }
}

// Node: setupPrimary({uid, gid}). Needs a primary running as root.
void tst_Lifecycle::settingsUidGid()
{
    if (::geteuid() != 0)
        QSKIP("uid/gid need a primary running as root (CI runs as root)");

    QObject scope;
    Settings extra;
    extra.setUid(65534);
    extra.setGid(65534);
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY2(waitForOnline(worker), "a worker running as 65534 did not come online");
    const QCborMap info = askInfo(worker);
    QCOMPARE(info.value(QStringLiteral("uid")).toInteger(), 65534);
    QCOMPARE(info.value(QStringLiteral("gid")).toInteger(), 65534);
    // No supplementary group of the primary (root's) survives.
    QFile status(QStringLiteral("/proc/%1/status").arg(worker->processId()));
    QVERIFY(status.open(QIODevice::ReadOnly));
    QByteArray groups;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("Groups:"))
            groups = line.mid(7).trimmed();
    QVERIFY2(groups.isEmpty() || groups == "65534", groups.constData());
}

// Node: test-cluster-basic.js ('fork' event, ids from 1), test-cluster-worker-constructor.js.
void tst_Lifecycle::forkIds()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QSignalSpy forked(cluster, &Cluster::workerForked);
    QSignalSpy online(cluster, &Cluster::workerOnline);

    Worker *w1 = cluster->fork();
    Worker *w2 = cluster->fork();
    Worker *w3 = cluster->fork();
    QCOMPARE(forked.count(), 0); // from the event loop, not from inside fork()
    QVERIFY(w1 && w2 && w3);
    QCOMPARE(w1->id(), 1);
    QCOMPARE(w2->id(), 2);
    QCOMPARE(w3->id(), 3);
    QCOMPARE(cluster->workers(), (QList<Worker *> { w1, w2, w3 }));
    QCOMPARE(cluster->workerById(1), w1);
    QCOMPARE(cluster->workerById(2), w2);
    QCOMPARE(cluster->workerById(3), w3);
    QCOMPARE(cluster->workerById(4), nullptr);
    QCOMPARE(cluster->workerById(0), nullptr);
    QVERIFY(w1->processId() > 0);
    QVERIFY(w1->processId() != w2->processId() && w2->processId() != w3->processId());

    QTRY_COMPARE_WITH_TIMEOUT(forked.count(), 3, Timeout);
    QCOMPARE(forked.at(0).at(0).value<Worker *>(), w1);
    QCOMPARE(forked.at(1).at(0).value<Worker *>(), w2);
    QCOMPARE(forked.at(2).at(0).value<Worker *>(), w3);
    QTRY_COMPARE_WITH_TIMEOUT(online.count(), 3, Timeout);

    // Ids are never reused within a cluster.
    QPointer<Worker> first(w1);
    w1->disconnectFromCluster();
    QTRY_VERIFY_WITH_TIMEOUT(first.isNull(), Timeout);
    QCOMPARE(cluster->workers(), (QList<Worker *> { w2, w3 }));
    QCOMPARE(cluster->fork()->id(), 4);

    // Each cluster counts on its own.
    Cluster *other = newCluster(&scope);
    QCOMPARE(other->fork()->id(), 1);
}

// Node: test-cluster-fork-env.js (fork(env) adds to and overrides the settings' environment,
// for that worker only).
void tst_Lifecycle::forkEnv()
{
    QObject scope;
    QProcessEnvironment settingsEnv = QProcessEnvironment::systemEnvironment();
    settingsEnv.insert(QStringLiteral("LIFECYCLE_A"), QStringLiteral("settings"));
    settingsEnv.insert(QStringLiteral("LIFECYCLE_B"), QStringLiteral("settings"));
    Settings extra;
    extra.setEnv(settingsEnv);
    Cluster *cluster = newCluster(&scope, extra);

    QProcessEnvironment forkEnv;
    forkEnv.insert(QStringLiteral("LIFECYCLE_B"), QStringLiteral("fork"));
    forkEnv.insert(QStringLiteral("LIFECYCLE_C"), QStringLiteral("fork"));
    Worker *withExtra = cluster->fork(forkEnv);
    Worker *without = cluster->fork();

    QVERIFY(waitForOnline(withExtra));
    QVERIFY(waitForOnline(without));
    const QCborMap env = askInfo(withExtra).value(QStringLiteral("env")).toMap();
    QCOMPARE(env.value(QStringLiteral("LIFECYCLE_A")).toString(), QStringLiteral("settings"));
    QCOMPARE(env.value(QStringLiteral("LIFECYCLE_B")).toString(), QStringLiteral("fork"));
    QCOMPARE(env.value(QStringLiteral("LIFECYCLE_C")).toString(), QStringLiteral("fork"));
    QVERIFY(!env.contains(QStringLiteral("LIBCLUSTER_WORKER")));

    const QCborMap plain = askInfo(without).value(QStringLiteral("env")).toMap();
    QCOMPARE(plain.value(QStringLiteral("LIFECYCLE_A")).toString(), QStringLiteral("settings"));
    QCOMPARE(plain.value(QStringLiteral("LIFECYCLE_B")).toString(), QStringLiteral("settings"));
    QVERIFY(!plain.contains(QStringLiteral("LIFECYCLE_C")));
}

// Node: test-cluster-basic.js, test-cluster-worker-events.js (worker 'online', then cluster
// 'online'; state none -> online).
void tst_Lifecycle::online()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QCOMPARE(worker->state(), Worker::None);
    QVERIFY(!worker->isDead());
    Recorder recorder(cluster, worker);

    QTRY_COMPARE_WITH_TIMEOUT(recorder.count(QStringLiteral("cluster:online")), 1, Timeout);
    QCOMPARE(recorder.signalOrder(),
        (QStringList { QStringLiteral("online"), QStringLiteral("cluster:online") }));
    QCOMPARE(recorder.states, QList<Worker::State> { Worker::Online });
    const Step step = recorder.step(QStringLiteral("online"));
    QCOMPARE(step.state, Worker::Online);
    QVERIFY(step.connected);
    QVERIFY(!step.dead);
    QVERIFY(step.listed);
    QVERIFY(step.foundById);
    QCOMPARE(worker->state(), Worker::Online);
    QCOMPARE(worker->error(), Worker::NoError);
    QVERIFY(deliverPostedEvents());
    QCOMPARE(recorder.count(QStringLiteral("online")), 1);
}

// A worker that blocks for 500 ms between creating its application and entering its event
// loop is online no earlier than it enters the loop: the primary hears of it after the moment
// the worker's block ended (one monotonic clock for both processes), 500 ms after the fork at
// the earliest.
void tst_Lifecycle::onlineOnceEventLoopRuns()
{
    const auto monotonicNow = [] {
        timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
    };
    constexpr qint64 BlockMs = 500;
    QObject scope;
    Settings extra;
    extra.setArgs({ QStringLiteral("--block-before-exec"), QString::number(BlockMs) });
    Cluster *cluster = newCluster(&scope, extra);
    const qint64 forkedAt = monotonicNow();
    Worker *worker = cluster->fork();
    qint64 onlineAt = 0;
    connect(worker, &Worker::online, &scope, [&] { onlineAt = monotonicNow(); });
    QSignalSpy messages(worker, &Worker::messageReceived);
    QVERIFY(messages.wait(Timeout));
    QVERIFY(onlineAt > 0);
    const QCborMap event = messages.first().first().value<QCborValue>().toMap();
    QCOMPARE(event.value(QStringLiteral("event")).toString(), QStringLiteral("exec"));
    const qint64 blockEndedAt = event.value(QStringLiteral("monotonic")).toInteger();
    QVERIFY2(onlineAt >= blockEndedAt,
        qPrintable(QStringLiteral("online came %1 ms before the worker's event loop ran")
                       .arg(double(blockEndedAt - onlineAt) / 1e6)));
    QVERIFY2(onlineAt - forkedAt >= BlockMs * 1000000,
        qPrintable(
            QStringLiteral("online %1 ms after the fork").arg(double(onlineAt - forkedAt) / 1e6)));
}

// A worker that dies before its runtime comes up never goes online, and says why.
void tst_Lifecycle::diesBeforeOnline_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("exitSignal");

    QTest::newRow("exit 5") << QStringList { QStringLiteral("--exit-before-online"),
        QStringLiteral("5") }
                            << 5 << 0;
    QTest::newRow("exit 0") << QStringList { QStringLiteral("--exit-before-online"),
        QStringLiteral("0") }
                            << 0 << 0;
    QTest::newRow("abort") << QStringList { QStringLiteral("--crash-before-online") } << -1
                           << int(SIGABRT);
}

void tst_Lifecycle::diesBeforeOnline()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(int, exitSignal);

    QObject scope;
    Settings extra;
    extra.setArgs(args);
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    QCOMPARE(recorder.count(QStringLiteral("online")), 0);
    QCOMPARE(recorder.count(QStringLiteral("cluster:online")), 0);
    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { exitCode, exitSignal } }));
    QCOMPARE(recorder.clusterExits, recorder.exits);
    QCOMPARE(recorder.errors.size(), 1);
    QCOMPARE(recorder.errors.first().first, Worker::ExitedBeforeOnline);
    QVERIFY(!recorder.errors.first().second.isEmpty());
    QCOMPARE(recorder.clusterErrors, recorder.errors);
    QCOMPARE(recorder.count(QStringLiteral("disconnected")), 1);
    QVERIFY(!recorder.step(QStringLiteral("exited")).exitedAfterDisconnect);
    QVERIFY(!recorder.states.contains(Worker::Online));
    QCOMPARE(recorder.states.last(), Worker::Dead);
}

// Node: test-cluster-worker-disconnect.js (primary side), test-cluster-process-disconnect.js
// (worker side). Unlike Node (test-cluster-worker-no-exit.js), a Qt worker's event loop does not
// end by running out of work, so a disconnected worker exits with 0 on its own.
void tst_Lifecycle::disconnectFromCluster_data()
{
    QTest::addColumn<QString>("action");
    QTest::newRow("from the primary") << QStringLiteral("disconnect");
    QTest::newRow("from the worker") << QStringLiteral("worker-disconnect");
}

void tst_Lifecycle::disconnectFromCluster()
{
    QFETCH(QString, action);

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    QCOMPARE(recorder.count(QStringLiteral("disconnected")), 1);
    QCOMPARE(recorder.count(QStringLiteral("cluster:disconnected")), 1);
    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { 0, 0 } }));
    QCOMPARE(recorder.clusterExits, recorder.exits);
    QVERIFY(recorder.step(QStringLiteral("disconnected")).exitedAfterDisconnect);
    QVERIFY(recorder.step(QStringLiteral("exited")).exitedAfterDisconnect);
    QVERIFY(recorder.errors.isEmpty());
}

// The worker hears that its disconnect has begun, whichever side began it, while its channel
// is still open (what it sends then reaches the primary) and before the primary's
// disconnected(); it hears it once, even when asked twice.
void tst_Lifecycle::disconnectStarted_data()
{
    QTest::addColumn<QString>("action");
    QTest::newRow("from the primary") << QStringLiteral("disconnect");
    QTest::newRow("from the worker") << QStringLiteral("worker-disconnect");
}

void tst_Lifecycle::disconnectStarted()
{
    QFETCH(QString, action);

    QObject scope;
    Settings reporting;
    reporting.setArgs({ QStringLiteral("--report-disconnect-start") });
    Cluster *cluster = newCluster(&scope, reporting);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QList<QCborMap> messages;
    qsizetype messagesWhenDisconnected = -1;
    connect(worker, &Worker::messageReceived, &scope,
        [&](const QCborValue &message) { messages.append(message.toMap()); });
    connect(
        worker, &Worker::disconnected, &scope, [&] { messagesWhenDisconnected = messages.size(); });
    QVERIFY(perform(worker, action));
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages.first().value(QStringLiteral("event")).toString(),
        QStringLiteral("disconnectStarted"));
    QVERIFY(messages.first().value(QStringLiteral("connected")).toBool());
    QCOMPARE(messagesWhenDisconnected, 1);
    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { 0, 0 } }));
    QVERIFY(recorder.step(QStringLiteral("exited")).exitedAfterDisconnect);
}

// Node: test-cluster-disconnect.js (cluster.disconnect() callback after every worker has
// disconnected).
void tst_Lifecycle::disconnectAll()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QSignalSpy online(cluster, &Cluster::workerOnline);
    QSignalSpy disconnected(cluster, &Cluster::workerDisconnected);
    QSignalSpy all(cluster, &Cluster::allDisconnected);
    QList<Recorder *> recorders;
    for (int i = 0; i < 3; ++i) {
        Worker *worker = cluster->fork();
        recorders.append(new Recorder(cluster, worker));
        recorders.last()->setParent(&scope);
    }
    QTRY_COMPARE_WITH_TIMEOUT(online.count(), 3, Timeout);

    qsizetype disconnectedWhenAll = -1;
    qsizetype listedWhenAll = -1;
    qsizetype exitedWhenAll = -1;
    QSignalSpy exited(cluster, &Cluster::workerExited);
    connect(cluster, &Cluster::allDisconnected, &scope, [&] {
        disconnectedWhenAll = disconnected.count();
        exitedWhenAll = exited.count();
        // Node runs the callback once cluster.workers is empty: a slot that refills the cluster
        // must not see the old workers.
        listedWhenAll = cluster->workers().size();
    });
    cluster->disconnectAll();
    QCOMPARE(all.count(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(all.count(), 1, Timeout);
    QCOMPARE(disconnectedWhenAll, 3);
    QCOMPARE(exitedWhenAll, 3);
    QCOMPARE(listedWhenAll, 0);

    for (Recorder *recorder : recorders) {
        QTRY_VERIFY_WITH_TIMEOUT(recorder->gone(), Timeout);
        QCOMPARE(recorder->exits, (QList<QPair<int, int>> { { 0, 0 } }));
        QVERIFY(recorder->step(QStringLiteral("exited")).exitedAfterDisconnect);
    }
    QVERIFY(cluster->workers().isEmpty());
    QVERIFY(deliverPostedEvents());
    QCOMPARE(all.count(), 1);
}

// Node: test-cluster-disconnect-with-no-workers.js.
void tst_Lifecycle::disconnectAllWithoutWorkers()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QSignalSpy all(cluster, &Cluster::allDisconnected);
    cluster->disconnectAll();
    QCOMPARE(all.count(), 0); // from the event loop, not from inside the call
    QVERIFY(all.wait(Timeout));
    QVERIFY(deliverPostedEvents());
    QCOMPARE(all.count(), 1);
}

// A worker's own exit code wins over the runtime's 0 after a disconnect: a slot of
// disconnected() calls QCoreApplication::exit(42) (as a Node worker calls process.exit(42) from
// its 'disconnect' handler).
void tst_Lifecycle::exitCodeChosenOnDisconnect_data()
{
    QTest::addColumn<QString>("action");
    QTest::newRow("disconnect from the primary") << QStringLiteral("disconnect");
    QTest::newRow("disconnect from the worker") << QStringLiteral("worker-disconnect");
    QTest::newRow("kill in the worker") << QStringLiteral("worker-kill");
    // The channel closes without a request (the primary's side is closed): still 42.
    QTest::newRow("kill SIGTERM ignored") << QStringLiteral("kill");
}

void tst_Lifecycle::exitCodeChosenOnDisconnect()
{
    QFETCH(QString, action);

    QObject scope;
    Settings extra;
    extra.setArgs({ QStringLiteral("--exit-on-disconnect"), QStringLiteral("42"),
        QStringLiteral("--ignore-sigterm") });
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);
    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { 42, 0 } }));
}

// Code that keeps the Worker * from fork(), as Node code keeps `worker`, reads it after its end
// once auto-deletion is off; it is deleted when the application says so.
void tst_Lifecycle::autoDeleteWorkersOff()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    QVERIFY(cluster->autoDeleteWorkers());
    cluster->setAutoDeleteWorkers(false);
    QVERIFY(!cluster->autoDeleteWorkers());
    Worker *worker = cluster->fork();
    QPointer<Worker> guard(worker);
    QVERIFY(waitForOnline(worker));
    QSignalSpy exited(worker, &Worker::exited);
    QSignalSpy all(cluster, &Cluster::allDisconnected);
    worker->kill(SIGKILL);
    QVERIFY(exited.wait(Timeout));
    if (worker->isConnected())
        QVERIFY(QSignalSpy(worker, &Worker::disconnected).wait(Timeout));
    // Every deferred deletion that was going to happen has happened.
    QVERIFY(deliverPostedEvents());
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(guard);
    QCOMPARE(worker->exitCode(), -1);
    QCOMPARE(worker->exitSignal(), int(SIGKILL));
    QVERIFY(!worker->exitedAfterDisconnect());
    QCOMPARE(worker->state(), Worker::Dead);
    QVERIFY(cluster->workers().isEmpty());
    QCOMPARE(cluster->workerById(worker->id()), nullptr);
    // Gone from workers(): disconnectAll() has nobody to wait for.
    cluster->disconnectAll();
    QVERIFY(all.wait(Timeout));
    delete worker;
    QVERIFY(!guard);

    // A kept worker the application never deletes goes with its cluster.
    Worker *kept = cluster->fork();
    QPointer<Worker> keptGuard(kept);
    QVERIFY(waitForOnline(kept));
    QSignalSpy keptExited(kept, &Worker::exited);
    kept->disconnectFromCluster();
    QVERIFY(keptExited.wait(Timeout));
    QVERIFY(deliverPostedEvents());
    QVERIFY(keptGuard);
    QVERIFY(kept->exitedAfterDisconnect());
    delete cluster;
    QVERIFY(!keptGuard);
}

// Deleting a Worker that still runs stops it and leaves nothing in the cluster pointing at it.
void tst_Lifecycle::deleteRunningWorker()
{
    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    Worker *other = cluster->fork();
    QVERIFY(waitForOnline(worker));
    QVERIFY(waitForOnline(other));
    const pid_t pid = pid_t(worker->processId());
    QSignalSpy all(cluster, &Cluster::allDisconnected);
    cluster->disconnectAll();
    delete worker;
    QCOMPARE(cluster->workers(), QList<Worker *> { other });
    QVERIFY(all.wait(Timeout));
    QVERIFY(cluster->workers().isEmpty());
    // The process ends and is reaped, without the primary waiting for it.
    QTRY_VERIFY_WITH_TIMEOUT(::kill(pid, 0) == -1 && errno == ESRCH, Timeout);
}

// Node: test-cluster-worker-kill.js, test-cluster-kill-disconnect.js.
void tst_Lifecycle::kill_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("exitSignal");
    // Node 15 and later: a kill from the primary is a signal, not a disconnect; a kill in the
    // worker is a disconnect of its own.
    QTest::addColumn<bool>("exitedAfterDisconnect");

    QTest::newRow("default SIGTERM")
        << QStringList() << QStringLiteral("kill") << -1 << int(SIGTERM) << false;
    QTest::newRow("SIGKILL") << QStringList() << QStringLiteral("kill-SIGKILL") << -1
                             << int(SIGKILL) << false;
    QTest::newRow("SIGINT") << QStringList() << QStringLiteral("kill-SIGINT") << -1 << int(SIGINT)
                            << false;
    // The signal is ignored; the closed channel still ends the worker, with 0.
    QTest::newRow("SIGTERM ignored") << QStringList { QStringLiteral("--ignore-sigterm") }
                                     << QStringLiteral("kill") << 0 << 0 << false;
    QTest::newRow("from the worker")
        << QStringList() << QStringLiteral("worker-kill") << 0 << 0 << true;
}

void tst_Lifecycle::kill()
{
    QFETCH(QStringList, args);
    QFETCH(QString, action);
    QFETCH(int, exitCode);
    QFETCH(int, exitSignal);
    QFETCH(bool, exitedAfterDisconnect);

    QObject scope;
    Settings extra;
    extra.setArgs(args);
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { exitCode, exitSignal } }));
    QCOMPARE(recorder.clusterExits, recorder.exits);
    const Step exited = recorder.step(QStringLiteral("exited"));
    QCOMPARE(exited.exitCode, exitCode);
    QCOMPARE(exited.exitSignal, exitSignal);
    QCOMPARE(exited.exitedAfterDisconnect, exitedAfterDisconnect);
    QCOMPARE(
        recorder.step(QStringLiteral("disconnected")).exitedAfterDisconnect, exitedAfterDisconnect);
    QCOMPARE(recorder.count(QStringLiteral("disconnected")), 1);
    QVERIFY(recorder.errors.isEmpty());
}

// Node: test-cluster-worker-exit.js, test-cluster-worker-kill-signal.js,
// test-cluster-disconnect-exitedAfterDisconnect-race.js: exitedAfterDisconnect is true when
// either side asked for a disconnect (a kill in the worker is one), false when the worker died,
// left on its own or was killed from the primary (Node 15 and later); and it is already right
// at 'disconnect' and 'exit'.
void tst_Lifecycle::exitedAfterDisconnect_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<bool>("expected");

    QTest::newRow("kill") << QStringLiteral("kill") << false;
    QTest::newRow("kill SIGKILL") << QStringLiteral("kill-SIGKILL") << false;
    QTest::newRow("kill SIGINT") << QStringLiteral("kill-SIGINT") << false;
    QTest::newRow("disconnect") << QStringLiteral("disconnect") << true;
    QTest::newRow("worker disconnect") << QStringLiteral("worker-disconnect") << true;
    QTest::newRow("worker kill") << QStringLiteral("worker-kill") << true;
    QTest::newRow("crash") << QStringLiteral("crash") << false;
    QTest::newRow("exit 3") << QStringLiteral("exit:3") << false;
    QTest::newRow("exit 0") << QStringLiteral("exit:0") << false;
    QTest::newRow("SIGKILL from outside") << QStringLiteral("external-SIGKILL") << false;
}

void tst_Lifecycle::exitedAfterDisconnect()
{
    QFETCH(QString, action);
    QFETCH(bool, expected);

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(!worker->exitedAfterDisconnect());
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    for (const QString &signal :
        { QStringLiteral("disconnected"), QStringLiteral("cluster:disconnected"),
            QStringLiteral("exited"), QStringLiteral("cluster:exited") }) {
        QCOMPARE(recorder.count(signal), 1);
        QVERIFY2(recorder.step(signal).exitedAfterDisconnect == expected, qPrintable(signal));
    }
}

void tst_Lifecycle::signalName_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<QString>("name");

    QTest::newRow("SIGTERM") << int(SIGTERM) << QStringLiteral("SIGTERM");
    QTest::newRow("SIGKILL") << int(SIGKILL) << QStringLiteral("SIGKILL");
    QTest::newRow("SIGABRT") << int(SIGABRT) << QStringLiteral("SIGABRT");
    QTest::newRow("SIGINT") << int(SIGINT) << QStringLiteral("SIGINT");
    QTest::newRow("SIGHUP") << int(SIGHUP) << QStringLiteral("SIGHUP");
    QTest::newRow("SIGSEGV") << int(SIGSEGV) << QStringLiteral("SIGSEGV");
    QTest::newRow("0") << 0 << QString();
    QTest::newRow("negative") << -1 << QString();
    QTest::newRow("unknown") << 1000 << QString();
}

void tst_Lifecycle::signalName()
{
    QFETCH(int, signal);
    QFETCH(QString, name);
    QCOMPARE(Cluster::signalName(signal), name);
}

// Node: test-cluster-worker-exit.js (exit code 42), test-cluster-worker-death.js, and a worker
// killed by a signal it did not get from the primary.
void tst_Lifecycle::exitCodeAndSignal_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<int>("exitSignal");

    QTest::newRow("exit 42") << QStringLiteral("exit:42") << 42 << 0;
    QTest::newRow("exit 255") << QStringLiteral("exit:255") << 255 << 0;
    QTest::newRow("event loop exit 7") << QStringLiteral("quit:7") << 7 << 0;
    QTest::newRow("abort") << QStringLiteral("crash") << -1 << int(SIGABRT);
    QTest::newRow("SIGKILL from outside")
        << QStringLiteral("external-SIGKILL") << -1 << int(SIGKILL);
}

void tst_Lifecycle::exitCodeAndSignal()
{
    QFETCH(QString, action);
    QFETCH(int, exitCode);
    QFETCH(int, exitSignal);

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { exitCode, exitSignal } }));
    QCOMPARE(recorder.clusterExits, recorder.exits);
    for (const QString &signal : { QStringLiteral("exited"), QStringLiteral("cluster:exited") }) {
        const Step step = recorder.step(signal);
        QCOMPARE(step.exitCode, exitCode);
        QCOMPARE(step.exitSignal, exitSignal);
        QCOMPARE(step.state, Worker::Dead);
        QVERIFY(step.dead);
        QVERIFY(!step.exitedAfterDisconnect);
    }
    QCOMPARE(recorder.count(QStringLiteral("disconnected")), 1);
    QVERIFY(recorder.errors.isEmpty());
}

// Node: test-cluster-worker-exit.js, test-cluster-disconnect-before-exit.js,
// test-cluster-worker-isdead.js, test-cluster-worker-isconnected.js. 'disconnect' and 'exit'
// come in either order; the worker leaves workers() before the last of them; isConnected(),
// isDead() and state() follow; the Worker is deleted after both.
void tst_Lifecycle::disconnectAndExitInEitherOrder_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("first"); // "disconnected", "exited", or empty: either

    QTest::newRow("disconnect") << QStringLiteral("disconnect") << QStringLiteral("disconnected");
    QTest::newRow("worker disconnect")
        << QStringLiteral("worker-disconnect") << QStringLiteral("disconnected");
    QTest::newRow("kill") << QStringLiteral("kill") << QStringLiteral("disconnected");
    QTest::newRow("worker kill") << QStringLiteral("worker-kill") << QStringLiteral("disconnected");
    // The worker's end of the channel outlives the worker (as when a child of the worker
    // inherited it): the process exits first, the channel closes after.
    QTest::newRow("exit, channel held")
        << QStringLiteral("held:exit:0") << QStringLiteral("exited");
    QTest::newRow("crash, channel held")
        << QStringLiteral("held:crash") << QStringLiteral("exited");
    QTest::newRow("exit") << QStringLiteral("exit:0") << QString();
    QTest::newRow("crash") << QStringLiteral("crash") << QString();
}

void tst_Lifecycle::disconnectAndExitInEitherOrder()
{
    QFETCH(QString, action);
    QFETCH(QString, first);

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    Recorder recorder(cluster, worker);
    QVERIFY(waitForOnline(worker));
    QVERIFY(worker->isConnected());
    QVERIFY(!worker->isDead());
    QCOMPARE(worker->state(), Worker::Online);

    int held = -1;
    const auto closeHeld = qScopeGuard([&held] {
        if (held >= 0)
            ::close(held);
    });
    if (action.startsWith(QLatin1String("held:"))) {
        held = holdWorkerChannel(worker->processId());
        QVERIFY2(held >= 0, strerror(errno));
        action = action.mid(5);
    }
    QVERIFY(perform(worker, action));
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);

    const QStringList order = recorder.signalOrder();
    QCOMPARE(order.size(), 6);
    QCOMPARE(order.at(0), QStringLiteral("online"));
    QCOMPARE(order.at(1), QStringLiteral("cluster:online"));
    const QString firstSignal = order.at(2);
    const QString lastSignal = firstSignal == QLatin1String("disconnected")
        ? QStringLiteral("exited")
        : QStringLiteral("disconnected");
    QCOMPARE(order.mid(2),
        (QStringList { firstSignal, QStringLiteral("cluster:") + firstSignal, lastSignal,
            QStringLiteral("cluster:") + lastSignal }));
    if (!first.isEmpty())
        QCOMPARE(firstSignal, first);

    // At the first of the two, on the worker and on the cluster: still listed.
    for (const Step &step : recorder.steps.mid(2, 2)) {
        QVERIFY2(step.listed, qPrintable(step.signal));
        QVERIFY2(step.foundById, qPrintable(step.signal));
        if (firstSignal == QLatin1String("disconnected")) {
            QCOMPARE(step.state, Worker::Disconnected);
            QVERIFY(!step.connected);
            QVERIFY(!step.dead);
        } else {
            QCOMPARE(step.state, Worker::Dead);
            QVERIFY(step.dead);
            // isConnected() is not checked here: the channel is already closed, yet
            // disconnected() is still to come (Node's primary reads isConnected() at 'exit' to
            // know whether 'disconnect' will follow). The API's rule is "true while the channel
            // is open", and the channel has been closed.
        }
    }
    // At the last: already gone from workers() and workerById(), dead and disconnected.
    for (const Step &step : recorder.steps.mid(4, 2)) {
        QVERIFY2(!step.listed, qPrintable(step.signal));
        QVERIFY2(!step.foundById, qPrintable(step.signal));
        QCOMPARE(step.state, Worker::Dead);
        QVERIFY(!step.connected);
        QVERIFY(step.dead);
    }
    QCOMPARE(recorder.states,
        firstSignal == QLatin1String("disconnected")
            ? (QList<Worker::State> { Worker::Online, Worker::Disconnected, Worker::Dead })
            : (QList<Worker::State> { Worker::Online, Worker::Dead }));
    QVERIFY(cluster->workers().isEmpty());
}

// Node: test-cluster-eaccess.js, and a program that does not exist: FailedToStart naming the
// program, exited(127, 0) as a shell reports it, disconnected; the cluster carries on.
void tst_Lifecycle::badExec_data()
{
    QTest::addColumn<QString>("exec"); // "%notexec" / "%dir": made by the test
    QTest::addColumn<QString>("cwd");

    QTest::newRow("missing") << QStringLiteral("/nonexistent/libcluster-no-such-worker")
                             << QString();
    QTest::newRow("not executable") << QStringLiteral("%notexec") << QString();
    QTest::newRow("a directory") << QStringLiteral("%dir") << QString();
    QTest::newRow("missing cwd") << TestWorker
                                 << QStringLiteral("/nonexistent/libcluster-no-such-dir");
}

void tst_Lifecycle::badExec()
{
    QFETCH(QString, exec);
    QFETCH(QString, cwd);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (exec == QLatin1String("%notexec")) {
        exec = dir.filePath(QStringLiteral("not-executable"));
        QFile file(exec);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\nexit 0\n");
        file.close();
        QVERIFY(file.setPermissions(
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
    } else if (exec == QLatin1String("%dir")) {
        exec = dir.path();
    }

    QObject scope;
    Settings extra;
    extra.setExec(exec);
    extra.setCwd(cwd);
    Cluster *cluster = newCluster(&scope, extra);
    Worker *worker = cluster->fork();
    QVERIFY(worker);
    QCOMPARE(worker->id(), 1);
    Recorder recorder(cluster, worker);
    QTRY_VERIFY_WITH_TIMEOUT(recorder.gone(), Timeout);
    QVERIFY(deliverPostedEvents());

    QCOMPARE(recorder.errors.size(), 1);
    QCOMPARE(recorder.errors.first().first, Worker::FailedToStart);
    const QString errorString = recorder.errors.first().second;
    QVERIFY2(errorString.contains(exec), qPrintable(errorString));
    QCOMPARE(recorder.clusterErrors, recorder.errors);
    QCOMPARE(recorder.count(QStringLiteral("online")), 0);
    QCOMPARE(recorder.exits, (QList<QPair<int, int>> { { 127, 0 } }));
    QCOMPARE(recorder.clusterExits, recorder.exits);
    QCOMPARE(recorder.count(QStringLiteral("disconnected")), 1);
    QCOMPARE(recorder.count(QStringLiteral("cluster:disconnected")), 1);
    const Step exited = recorder.step(QStringLiteral("exited"));
    QVERIFY(!exited.exitedAfterDisconnect);
    QVERIFY(cluster->workers().isEmpty());

    // The cluster goes on.
    Settings good;
    good.setExec(TestWorker);
    good.setCwd(QString());
    cluster->setupPrimary(good);
    Worker *second = cluster->fork();
    QCOMPARE(second->id(), 2);
    QVERIFY(waitForOnline(second));
    QVERIFY(!askInfo(second).isEmpty());

    // Worker::processId(): "0 before it started or after it could not start".
    QCOMPARE(exited.pid, 0);
}

// NODE_DEBUG=cluster's counterpart: the libcluster.* logging categories.
void tst_Lifecycle::diagnostics()
{
    g_messages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    const auto restore = qScopeGuard([previous] {
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules(QString());
    });
    auto primaryMessages = [] { return messagesIn(QLatin1String("libcluster.primary")); };

    QObject scope;
    Cluster *cluster = newCluster(&scope);

    // Off by default.
    if (!qEnvironmentVariableIsSet("QT_LOGGING_RULES")) {
        Worker *quiet = cluster->fork();
        QVERIFY(waitForOnline(quiet));
        QVERIFY2(
            primaryMessages().isEmpty(), qPrintable(primaryMessages().join(QLatin1Char('\n'))));
    }

    QLoggingCategory::setFilterRules(QStringLiteral("libcluster.*=true"));
    Worker *worker = cluster->fork();
    QVERIFY(!primaryMessages().isEmpty()); // fork() itself says what it starts
    QVERIFY(waitForOnline(worker));
    QPointer<Worker> guard(worker);
    const qsizetype beforeExit = primaryMessages().size();
    worker->disconnectFromCluster();
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), Timeout);
    QVERIFY(primaryMessages().size() > beforeExit); // and what happens to it
}

// libcluster.worker speaks in the worker's process: its lines reach the primary as the worker's
// stderr, only when the worker's own rules turn the category on.
void tst_Lifecycle::workerDiagnostics()
{
    QObject scope;
    Settings extra;
    extra.setSilent(true);
    Cluster *cluster = newCluster(&scope, extra);
    auto forkWith = [cluster](const QString &rules, QByteArray *err) {
        QProcessEnvironment env;
        env.insert(QStringLiteral("QT_LOGGING_RULES"), rules);
        env.insert(QStringLiteral("QT_MESSAGE_PATTERN"), QStringLiteral("%{category}: %{message}"));
        Worker *worker = cluster->fork(env);
        QObject::connect(worker, &Worker::outputReceived, cluster,
            [err](Worker::OutputChannel channel, const QByteArray &data) {
                if (channel == Worker::StandardError)
                    *err += data;
            });
        return worker;
    };

    QByteArray quietErr, loudErr;
    Worker *quiet = forkWith(QStringLiteral("libcluster.*.debug=false"), &quietErr);
    Worker *loud = forkWith(QStringLiteral("libcluster.worker.debug=true"), &loudErr);
    const QByteArray starting
        = "libcluster.worker: worker " + QByteArray::number(loud->id()) + " starting";
    QVERIFY(waitForOnline(quiet));
    QVERIFY(waitForOnline(loud));
    QPointer<Worker> quietGuard(quiet), loudGuard(loud);
    quiet->disconnectFromCluster();
    loud->disconnectFromCluster();
    QTRY_VERIFY_WITH_TIMEOUT(quietGuard.isNull() && loudGuard.isNull(), Timeout);

    QVERIFY2(loudErr.contains(starting), loudErr.constData());
    QVERIFY2(
        loudErr.contains("libcluster.worker: disconnecting from the primary"), loudErr.constData());
    QVERIFY2(!quietErr.contains("libcluster.worker:"), quietErr.constData());
}

// libcluster.channel: a worker that writes garbage to its channel is named in the primary's
// warning, on by default (no rules needed for warnings).
void tst_Lifecycle::channelDiagnostics()
{
    g_messages.clear();
    const QtMessageHandler previous = qInstallMessageHandler(captureMessage);
    const auto restore = qScopeGuard([previous] { qInstallMessageHandler(previous); });
    auto channelMessages = [] { return messagesIn(QLatin1String("libcluster.channel")); };

    QObject scope;
    Cluster *cluster = newCluster(&scope);
    Worker *worker = cluster->fork();
    QVERIFY(waitForOnline(worker));
    QPointer<Worker> guard(worker);
    QVERIFY(channelMessages().isEmpty());
    QVERIFY(worker->send(command(QStringLiteral("garbage"))));
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), Timeout);
    const QStringList said = channelMessages();
    QVERIFY2(std::any_of(said.cbegin(), said.cend(),
                 [](const QString &m) { return m.startsWith(QLatin1String("protocol error:")); }),
        qPrintable(said.join(QLatin1Char('\n'))));
}

QTEST_MAIN(tst_Lifecycle)
#include "tst_lifecycle.moc"
