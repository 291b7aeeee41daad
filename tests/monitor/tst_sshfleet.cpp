// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Clusters on "another host" through OpenSSH: a real sshd on a loopback port with throwaway host
// and client keys, `cluster-run --control NAME` clusters behind it, reached as ssh:// by the
// monitor's Fleet view and window and by `cluster-run ctl`; the link cut (the remote bridge
// killed) and restored; ssh's own words for an unknown host key and a refused key.
#include "fleetmodel.h"
#include "fleetview.h"
#include "mainwindow.h"
#include "remoteclustersource.h"
#include "translations.h"
#include "workertablemodel.h"

#include <libcluster/controlclient.h>
#include <libcluster/controlserver.h>

#include <QDir>
#include <QLabel>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>
#include <pwd.h>
#include <unistd.h>

using namespace LibCluster;
using namespace Monitor;

namespace {
constexpr int Timeout = 30000;
const char SshdPath[] = "/usr/sbin/sshd";
const char SshKeygenPath[] = "/usr/bin/ssh-keygen";
} // namespace

class tst_SshFleet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void addresses_data();
    void addresses();
    void fleetAndCtlThroughSsh();
    void linkDropsAndRecovers();
    void unknownHostKeyInSshsWords();
    void refusedKeyInSshsWords();

private:
    bool run(const QString &program, const QStringList &arguments);
    // ssh_config for the client: this key and this known_hosts file.
    QString writeClientConfig(const QString &file, const QString &key, const QString &knownHosts);
    QString address(const QString &name) const;
    QProcess *startRunner(const QString &name, int workers);
    // `cluster-run ctl ARGS...` with the client config `config`; exit code, output in `out`.
    int ctl(const QStringList &arguments, QString *out, QString *err,
        const QString &config = QString());
    // The ids of the `cluster-run ctl NAME bridge` processes that serve `name` now.
    QList<pid_t> bridgesOf(const QString &name) const;
    MainWindow *newWindow();

    QTemporaryDir m_runtime;
    QTemporaryDir m_ssh;
    QString m_user;
    quint16 m_port = 0;
    QString m_clientConfig;
    std::unique_ptr<QProcess> m_sshd;
    std::vector<std::unique_ptr<QProcess>> m_runners;
    std::vector<std::unique_ptr<MainWindow>> m_windows;
    int m_names = 0;
};

bool tst_SshFleet::run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(program, arguments);
    return process.waitForFinished(Timeout) && process.exitStatus() == QProcess::NormalExit
        && process.exitCode() == 0;
}

QString tst_SshFleet::writeClientConfig(
    const QString &file, const QString &key, const QString &knownHosts)
{
    const QString path = m_ssh.filePath(file);
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly))
        return QString();
    config.write(QStringLiteral("Host *\n"
                                "  IdentityFile %1\n"
                                "  IdentitiesOnly yes\n"
                                "  IdentityAgent none\n"
                                "  UserKnownHostsFile %2\n"
                                "  GlobalKnownHostsFile /dev/null\n"
                                "  StrictHostKeyChecking yes\n"
                                "  LogLevel ERROR\n")
                     .arg(key, knownHosts)
                     .toUtf8());
    return path;
}

void tst_SshFleet::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("libcluster-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_sshfleet"));
    QVERIFY(m_runtime.isValid());
    QVERIFY(m_ssh.isValid());
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime.path()));
    QCOMPARE(ControlServer::runtimeDirectory(), m_runtime.path());
    if (!QFileInfo::exists(QLatin1String(SshdPath))
        || QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty())
        QSKIP("OpenSSH's server and client are not installed (Debian: openssh-server, "
              "openssh-client; scripts/deps.sh installs them)");
    const passwd *account = ::getpwuid(::getuid());
    QVERIFY(account);
    m_user = QString::fromLocal8Bit(account->pw_name);

    // Throwaway keys: the server's host key, the client's key, and one the server never heard of.
    for (const char *key : { "host_key", "client_key", "stranger_key" })
        QVERIFY(run(QLatin1String(SshKeygenPath),
            { QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                QStringLiteral("-N"), QString(), QStringLiteral("-C"), QLatin1String(key),
                QStringLiteral("-f"), m_ssh.filePath(QLatin1String(key)) }));
    QVERIFY(QFile::copy(
        m_ssh.filePath(QStringLiteral("client_key.pub")), m_ssh.filePath(QStringLiteral("keys"))));

    // A free loopback port: the kernel picks it, sshd takes it over.
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
    }
    QFile config(m_ssh.filePath(QStringLiteral("sshd_config")));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write(QStringLiteral("Port %1\n"
                                "ListenAddress 127.0.0.1\n"
                                "HostKey %2\n"
                                "PidFile %3\n"
                                "AuthorizedKeysFile %4\n"
                                "StrictModes no\n"
                                "UsePAM no\n"
                                "PermitRootLogin yes\n"
                                "PasswordAuthentication no\n"
                                "KbdInteractiveAuthentication no\n"
                                "PubkeyAuthentication yes\n"
                                "AllowUsers %5\n"
                                // The endpoints of this test are in its own runtime directory.
                                "SetEnv XDG_RUNTIME_DIR=%6\n"
                                "LogLevel ERROR\n")
                     .arg(m_port)
                     .arg(m_ssh.filePath(QStringLiteral("host_key")),
                         m_ssh.filePath(QStringLiteral("sshd.pid")),
                         m_ssh.filePath(QStringLiteral("keys")), m_user, m_runtime.path())
                     .toUtf8());
    config.close();
    // sshd run by root wants its privilege separation directory.
    if (::getuid() == 0)
        QDir().mkpath(QStringLiteral("/run/sshd"));

    m_sshd = std::make_unique<QProcess>();
    m_sshd->setProcessChannelMode(QProcess::ForwardedChannels);
    m_sshd->start(QLatin1String(SshdPath),
        { QStringLiteral("-D"), QStringLiteral("-e"), QStringLiteral("-f"), config.fileName() });
    QVERIFY2(m_sshd->waitForStarted(), qPrintable(m_sshd->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            return socket.waitForConnected(1000);
        }() || m_sshd->state() == QProcess::NotRunning,
        Timeout);
    QVERIFY2(m_sshd->state() == QProcess::Running, "sshd did not start (its words are above)");

    // The client knows the server's host key, and logs in with its key.
    QFile hostKey(m_ssh.filePath(QStringLiteral("host_key.pub")));
    QVERIFY(hostKey.open(QIODevice::ReadOnly));
    QFile knownHosts(m_ssh.filePath(QStringLiteral("known_hosts")));
    QVERIFY(knownHosts.open(QIODevice::WriteOnly));
    knownHosts.write(QStringLiteral("[127.0.0.1]:%1 ").arg(m_port).toUtf8() + hostKey.readAll());
    knownHosts.close();
    m_clientConfig = writeClientConfig(QStringLiteral("ssh_config"),
        m_ssh.filePath(QStringLiteral("client_key")), knownHosts.fileName());
    QVERIFY(!m_clientConfig.isEmpty());
    qputenv("LIBCLUSTER_SSH", QStringLiteral("ssh -F %1").arg(m_clientConfig).toUtf8());
    qputenv("LIBCLUSTER_REMOTE_RUNNER", CLUSTER_RUN_PATH);
}

void tst_SshFleet::cleanupTestCase()
{
    if (m_sshd && m_sshd->state() != QProcess::NotRunning) {
        m_sshd->terminate();
        m_sshd->waitForFinished(Timeout);
    }
}

void tst_SshFleet::init()
{
    Translations::install(QStringLiteral("en"));
    qputenv("LIBCLUSTER_SSH", QStringLiteral("ssh -F %1").arg(m_clientConfig).toUtf8());
}

void tst_SshFleet::cleanup()
{
    for (const auto &window : m_windows) {
        while (window->fleetModel()->rowCount() > 0)
            window->fleetModel()->removeCluster(0);
        window->detach();
        window->close();
    }
    m_windows.clear();
    for (const auto &runner : m_runners) {
        if (runner->state() == QProcess::NotRunning)
            continue;
        runner->terminate();
        QTRY_COMPARE_WITH_TIMEOUT(runner->state(), QProcess::NotRunning, Timeout);
    }
    m_runners.clear();
    Translations::uninstall();
}

QString tst_SshFleet::address(const QString &name) const
{
    return QStringLiteral("ssh://%1@127.0.0.1:%2/%3").arg(m_user).arg(m_port).arg(name);
}

QProcess *tst_SshFleet::startRunner(const QString &name, int workers)
{
    auto runner = std::make_unique<QProcess>();
    runner->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    runner->setStandardOutputFile(QProcess::nullDevice());
    runner->start(QStringLiteral(CLUSTER_RUN_PATH),
        { QStringLiteral("--workers"), QString::number(workers), QStringLiteral("--control"), name,
            QStringLiteral("--"), QStringLiteral(BIN_DIR "/hello-http"), QStringLiteral("--port"),
            QStringLiteral("0") });
    if (!runner->waitForStarted())
        return nullptr;
    m_runners.push_back(std::move(runner));
    return m_runners.back().get();
}

int tst_SshFleet::ctl(
    const QStringList &arguments, QString *out, QString *err, const QString &config)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!config.isEmpty())
        environment.insert(QStringLiteral("LIBCLUSTER_SSH"), QStringLiteral("ssh -F ") + config);
    process.setProcessEnvironment(environment);
    process.start(
        QStringLiteral(CLUSTER_RUN_PATH), QStringList { QStringLiteral("ctl") } + arguments);
    if (!process.waitForFinished(Timeout))
        return -1;
    if (out)
        *out = QString::fromUtf8(process.readAllStandardOutput());
    if (err)
        *err = QString::fromUtf8(process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QList<pid_t> tst_SshFleet::bridgesOf(const QString &name) const
{
    QList<pid_t> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool ok = false;
        const int pid = entry.toInt(&ok);
        if (!ok)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (!cmdline.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> words = cmdline.readAll().split('\0');
        if (words.size() >= 4 && words.at(0) == CLUSTER_RUN_PATH && words.at(1) == "ctl"
            && words.at(2) == name.toUtf8() && words.at(3) == "bridge")
            pids.append(pid_t(pid));
    }
    return pids;
}

MainWindow *tst_SshFleet::newWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->setPersistent(false);
    window->show();
    m_windows.push_back(std::move(window));
    return m_windows.back().get();
}

void tst_SshFleet::addresses_data()
{
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("name");
    QTest::newRow("local") << "web" << true << "local"
                           << "web";
    QTest::newRow("host") << "ssh://example.org/web" << true << "example.org"
                          << "web";
    QTest::newRow("user, port") << "ssh://ops@example.org:2222/web" << true
                                << "ops@example.org:2222"
                                << "web";
    QTest::newRow("IPv6") << "ssh://[::1]:22/a.b_c-d" << true << "[::1]:22"
                          << "a.b_c-d";
    QTest::newRow("no name") << "ssh://example.org" << false << ""
                             << "";
    QTest::newRow("bad name") << "ssh://example.org/.hidden" << false << ""
                              << "";
    QTest::newRow("path") << "ssh://example.org/a/b" << false << ""
                          << "";
    QTest::newRow("option as host") << "ssh://-oProxyCommand=x/web" << false << ""
                                    << "";
    QTest::newRow("option as user") << "ssh://-oProxyCommand=x@host/web" << false << ""
                                    << "";
    QTest::newRow("password") << "ssh://u:secret@host/web" << false << ""
                              << "";
    QTest::newRow("port") << "ssh://host:99999/web" << false << ""
                          << "";
    QTest::newRow("query") << "ssh://host/web?x=1" << false << ""
                           << "";
    QTest::newRow("no host") << "ssh:///web" << false << ""
                             << "";
}

void tst_SshFleet::addresses()
{
    QFETCH(QString, endpoint);
    QFETCH(bool, valid);
    QString why;
    QCOMPARE(ControlClient::isValidEndpoint(endpoint, &why), valid);
    QCOMPARE(why.isEmpty(), valid);
    if (!valid)
        return;
    QFETCH(QString, host);
    QFETCH(QString, name);
    QCOMPARE(FleetModel::hostOf(endpoint), host);
    QCOMPARE(FleetModel::nameOf(endpoint), name);
}

void tst_SshFleet::fleetAndCtlThroughSsh()
{
    const QString web = QStringLiteral("tst-ssh-web-%1").arg(QCoreApplication::applicationPid());
    const QString api = QStringLiteral("tst-ssh-api-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(startRunner(web, 2));
    QVERIFY(startRunner(api, 1));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(web)
            && ControlClient::availableEndpoints().contains(api),
        Timeout);

    // The Fleet view: both clusters, through ssh, a row each.
    MainWindow *window = newWindow();
    FleetModel *fleet = window->fleetModel();
    QString why;
    QVERIFY2(fleet->addCluster(address(web), &why), qPrintable(why));
    QVERIFY2(fleet->addCluster(address(api), &why), qPrintable(why));
    QVERIFY(!fleet->addCluster(address(api), &why)); // once is enough
    QCOMPARE(fleet->rowCount(), 2);
    const auto cell = [fleet](const QString &endpoint, int column) {
        return fleet->index(fleet->rowOfEndpoint(endpoint), column).data().toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(web), FleetModel::StateColumn), QStringLiteral("Running"), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(api), FleetModel::StateColumn), QStringLiteral("Running"), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(web), FleetModel::WorkersColumn), QStringLiteral("2/2"), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(api), FleetModel::WorkersColumn), QStringLiteral("1/1"), Timeout);
    QCOMPARE(cell(address(web), FleetModel::HostColumn),
        QStringLiteral("%1@127.0.0.1:%2").arg(m_user).arg(m_port));
    QCOMPARE(cell(address(web), FleetModel::NameColumn), web);
    QCOMPARE(cell(address(web), FleetModel::CrashLoopColumn), QStringLiteral("no"));
    QTRY_VERIFY_WITH_TIMEOUT(
        fleet->index(fleet->rowOfEndpoint(address(web)), FleetModel::MemoryColumn)
                .data(FleetModel::SortRole)
                .toLongLong()
            > 0,
        Timeout);

    // `cluster-run ctl` through ssh: status, and a scale the fleet sees.
    QString out;
    QString err;
    QCOMPARE(ctl({ address(api), QStringLiteral("status") }, &out, &err), 0);
    QVERIFY2(out.contains(QStringLiteral("primary")), qPrintable(out + err));
    QCOMPARE(ctl({ address(web), QStringLiteral("scale"), QStringLiteral("3") }, &out, &err), 0);
    QVERIFY2(out.contains(QStringLiteral("scaling to 3 workers")), qPrintable(out + err));
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(web), FleetModel::WorkersColumn), QStringLiteral("3/3"), Timeout);

    // A row opened into the cluster view; its actions work through ssh as on a local cluster.
    window->fleetView()->selectEndpoint(address(api));
    window->fleetView()->openAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(window->source()->status(), ClusterSource::Status::Running, Timeout);
    QCOMPARE(window->source()->endpointName(), address(api));
    QTRY_COMPARE_WITH_TIMEOUT(window->workerModel()->liveCount(), 1, Timeout);
    window->source()->scaleTo(2);
    QTRY_COMPARE_WITH_TIMEOUT(window->workerModel()->liveCount(), 2, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(address(api), FleetModel::WorkersColumn), QStringLiteral("2/2"), Timeout);

    // The set of clusters is remembered.
    {
        QSettings settings;
        fleet->save(settings);
    }
    FleetModel restored;
    {
        QSettings settings;
        restored.restore(settings);
    }
    QCOMPARE(restored.endpoints(), QStringList({ address(web), address(api) }));
}

void tst_SshFleet::linkDropsAndRecovers()
{
    const QString name = QStringLiteral("tst-ssh-drop-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(startRunner(name, 1));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    MainWindow *window = newWindow();
    FleetModel *fleet = window->fleetModel();
    QVERIFY(fleet->addCluster(address(name)));
    RemoteClusterSource *source = fleet->source(0);
    QTRY_COMPARE_WITH_TIMEOUT(source->status(), ClusterSource::Status::Running, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOf(name).size(), 1, Timeout);

    // The link breaks: the bridge at the far end is killed. The row says so, then recovers.
    QSignalSpy statuses(source, &ClusterSource::statusChanged);
    const pid_t bridge = bridgesOf(name).constFirst();
    QCOMPARE(::kill(bridge, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!statuses.isEmpty(), Timeout);
    QCOMPARE(statuses.constFirst().constFirst().value<ClusterSource::Status>(),
        ClusterSource::Status::Reconnecting);
    const int row = fleet->rowOfEndpoint(address(name));
    if (source->status() == ClusterSource::Status::Reconnecting)
        QCOMPARE(fleet->index(row, FleetModel::StateColumn).data().toString(),
            QStringLiteral("Reconnecting\u2026"));
    QTRY_COMPARE_WITH_TIMEOUT(source->status(), ClusterSource::Status::Running, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(bridgesOf(name).size(), 1, Timeout);
    QVERIFY(bridgesOf(name).constFirst() != bridge);
    QCOMPARE(
        fleet->index(row, FleetModel::StateColumn).data().toString(), QStringLiteral("Running"));

    // Again, the other way: the ssh session's server process goes (the bridge's parent).
    statuses.clear();
    const pid_t second = bridgesOf(name).constFirst();
    QFile stat(QStringLiteral("/proc/%1/stat").arg(second));
    QVERIFY(stat.open(QIODevice::ReadOnly));
    const QList<QByteArray> fields = stat.readAll().split(')').last().trimmed().split(' ');
    const pid_t session = pid_t(fields.value(1).toInt());
    QVERIFY(session > 1 && session != m_sshd->processId());
    QCOMPARE(::kill(session, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(statuses.size() >= 2, Timeout);
    QCOMPARE(statuses.constFirst().constFirst().value<ClusterSource::Status>(),
        ClusterSource::Status::Reconnecting);
    QTRY_COMPARE_WITH_TIMEOUT(source->status(), ClusterSource::Status::Running, Timeout);
    // Commands work after the recovery.
    source->scaleTo(2);
    QTRY_COMPARE_WITH_TIMEOUT(source->liveWorkerCount(), 2, Timeout);
}

void tst_SshFleet::unknownHostKeyInSshsWords()
{
    const QString name = QStringLiteral("tst-ssh-host-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(startRunner(name, 1));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    // A client that has never seen this server's host key.
    QFile empty(m_ssh.filePath(QStringLiteral("no_known_hosts")));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    const QString config = writeClientConfig(QStringLiteral("ssh_config_stranger_host"),
        m_ssh.filePath(QStringLiteral("client_key")), empty.fileName());
    const QString words = QStringLiteral("Host key verification failed.");

    QString out;
    QString err;
    QCOMPARE(ctl({ address(name), QStringLiteral("status") }, &out, &err, config), 1);
    QVERIFY2(err.contains(words), qPrintable(err));

    qputenv("LIBCLUSTER_SSH", QStringLiteral("ssh -F %1").arg(config).toUtf8());
    MainWindow *window = newWindow();
    QVERIFY(window->fleetModel()->addCluster(address(name)));
    const QModelIndex state = window->fleetModel()->index(0, FleetModel::StateColumn);
    QTRY_VERIFY_WITH_TIMEOUT(state.data().toString().contains(words), Timeout);
    QCOMPARE(window->fleetModel()->source(0)->client()->error(), ControlClient::SshError);
    window->attach(address(name));
    auto *label = window->findChild<QLabel *>(QStringLiteral("stateLabel"));
    QVERIFY(label);
    QTRY_VERIFY_WITH_TIMEOUT(label->text().contains(words), Timeout);
}

void tst_SshFleet::refusedKeyInSshsWords()
{
    const QString name = QStringLiteral("tst-ssh-key-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(startRunner(name, 1));
    QTRY_VERIFY_WITH_TIMEOUT(ControlClient::availableEndpoints().contains(name), Timeout);
    // A key the server does not know.
    const QString config = writeClientConfig(QStringLiteral("ssh_config_stranger_key"),
        m_ssh.filePath(QStringLiteral("stranger_key")),
        m_ssh.filePath(QStringLiteral("known_hosts")));
    const QString words = QStringLiteral("Permission denied (publickey)");

    QString out;
    QString err;
    QCOMPARE(ctl({ address(name), QStringLiteral("status") }, &out, &err, config), 1);
    QVERIFY2(err.contains(words), qPrintable(err));

    qputenv("LIBCLUSTER_SSH", QStringLiteral("ssh -F %1").arg(config).toUtf8());
    ControlClient client;
    QSignalSpy errors(&client, &ControlClient::errorOccurred);
    client.connectToEndpoint(address(name));
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), Timeout);
    QCOMPARE(errors.constFirst().at(0).value<ControlClient::Error>(), ControlClient::SshError);
    QVERIFY2(errors.constFirst().at(1).toString().contains(words),
        qPrintable(errors.constFirst().at(1).toString()));

    // Not there at all: the far side's bridge says so, in its words.
    qputenv("LIBCLUSTER_SSH", QStringLiteral("ssh -F %1").arg(m_clientConfig).toUtf8());
    QCOMPARE(
        ctl({ address(QStringLiteral("nobody-here")), QStringLiteral("status") }, &out, &err), 1);
    QVERIFY2(
        err.contains(QStringLiteral("no control endpoint named \"nobody-here\"")), qPrintable(err));
}

QTEST_MAIN(tst_SshFleet)
#include "tst_sshfleet.moc"
