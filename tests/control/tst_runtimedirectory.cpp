// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Where control endpoints live when the usual place cannot be trusted: a fallback name taken by
// another user or left open, and an $XDG_RUNTIME_DIR that cannot be used. Server and clients must
// agree on the place, and the operator must be told why.
#include <libcluster/cluster.h>
#include <libcluster/controlclient.h>
#include <libcluster/controlserver.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace LibCluster;

namespace {
// Another local user, as Debian names it.
constexpr uid_t Nobody = 65534;

struct Owner
{
    uid_t uid = 0;
    mode_t mode = 0;
    bool isDirectory = false;
};

Owner ownerOf(const QString &path)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return {};
    return { info.st_uid, mode_t(info.st_mode & 07777), S_ISDIR(info.st_mode) };
}

bool makeDirectory(const QString &path, mode_t mode)
{
    const QByteArray encoded = QFile::encodeName(path);
    return ::mkdir(encoded.constData(), 0700) == 0 && ::chmod(encoded.constData(), mode) == 0;
}

// Whether ControlClient gets welcomed by the endpoint `name`; `why` it did not.
bool clientConnects(const QString &name, QString *why = nullptr)
{
    ControlClient client;
    QSignalSpy connected(&client, &ControlClient::connected);
    QSignalSpy failed(&client, &ControlClient::errorOccurred);
    client.connectToEndpoint(name);
    if (!QTest::qWaitFor([&] { return !connected.isEmpty() || !failed.isEmpty(); }, 10000))
        return false;
    if (why && !failed.isEmpty())
        *why = failed.first().at(1).toString();
    return !connected.isEmpty();
}
} // namespace

class tst_RuntimeDirectory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void fallbackCreated();
    void squattedFallback_data();
    void squattedFallback();
    void unusableXdgRuntimeDirRefused_data();
    void unusableXdgRuntimeDirRefused();
    void missingXdgRuntimeDirCreated();

private:
    QString fallback() const
    {
        return m_tmp.filePath(QStringLiteral("libcluster-%1").arg(::geteuid()));
    }
    QStringList privateFallbacks() const
    {
        return QDir(m_tmp.path())
            .entryList({ QStringLiteral("libcluster-%1-*").arg(::geteuid()) },
                QDir::Dirs | QDir::NoDotAndDotDot);
    }

    QTemporaryDir m_tmp;
};

void tst_RuntimeDirectory::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    // The fallback is ${TMPDIR:-/tmp}/libcluster-UID: a TMPDIR of this test's own keeps the
    // machine's /tmp out of it.
    qputenv("TMPDIR", QFile::encodeName(m_tmp.path()));
    qunsetenv("XDG_RUNTIME_DIR");
}

void tst_RuntimeDirectory::init()
{
    qunsetenv("XDG_RUNTIME_DIR");
    const QStringList entries
        = QDir(m_tmp.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        const QString path = m_tmp.filePath(entry);
        if (ownerOf(path).isDirectory)
            QVERIFY(QDir(path).removeRecursively());
        else
            QVERIFY(QFile::remove(path));
    }
}

void tst_RuntimeDirectory::fallbackCreated()
{
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY2(server.listen(QStringLiteral("plain")), qPrintable(server.errorString()));
    QCOMPARE(QFileInfo(server.socketPath()).path(), fallback());
    const Owner owner = ownerOf(fallback());
    QCOMPARE(owner.uid, ::geteuid());
    QCOMPARE(owner.mode, mode_t(0700));
    QCOMPARE(ControlServer::runtimeDirectory(), fallback());
    QVERIFY(clientConnects(QStringLiteral("plain")));
    QVERIFY(privateFallbacks().isEmpty());
}

// What makes a directory unusable, in both places: the rows both data-driven tests share.
static void addUnusableDirectoryRows()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("why");
    QTest::newRow("another user's directory")
        << QStringLiteral("owner") << QStringLiteral("belongs to another user");
    QTest::newRow("a directory open to others")
        << QStringLiteral("mode") << QStringLiteral("is open to other users");
    QTest::newRow("a file") << QStringLiteral("file") << QStringLiteral("is not a directory");
}

void tst_RuntimeDirectory::squattedFallback_data()
{
    addUnusableDirectoryRows();
    QTest::newRow("a symlink") << QStringLiteral("symlink") << QStringLiteral("is a symbolic link");
}

// Somebody made ${TMPDIR}/libcluster-UID first: the primary still starts, in a private
// directory nobody else can make, says why, and clients find it there.
void tst_RuntimeDirectory::squattedFallback()
{
    QFETCH(QString, kind);
    QFETCH(QString, why);
    const QByteArray base = QFile::encodeName(fallback());
    if (kind == QLatin1String("owner")) {
        if (::geteuid() != 0)
            QSKIP("giving a directory to another user needs root (CI runs as root)");
        QVERIFY(makeDirectory(fallback(), 0755));
        QVERIFY(::chown(base.constData(), Nobody, Nobody) == 0);
    } else if (kind == QLatin1String("mode")) {
        QVERIFY(makeDirectory(fallback(), 0777));
    } else if (kind == QLatin1String("symlink")) {
        QVERIFY(makeDirectory(m_tmp.filePath(QStringLiteral("elsewhere")), 0700));
        QVERIFY(::symlink("elsewhere", base.constData()) == 0);
    } else {
        QFile file(fallback());
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const Owner squatted = ownerOf(fallback());

    Cluster cluster;
    ControlServer server(&cluster);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral("%1 %2.*left alone.*remove it")
                               .arg(QRegularExpression::escape(fallback()), why)));
    QVERIFY2(server.listen(QStringLiteral("squatted")), qPrintable(server.errorString()));
    const QString directory = QFileInfo(server.socketPath()).path();
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^%1-[A-Za-z0-9]{6}$").arg(QRegularExpression::escape(fallback())))
                 .match(directory)
                 .hasMatch(),
        qPrintable(directory));
    const Owner owner = ownerOf(directory);
    QCOMPARE(owner.uid, ::geteuid());
    QCOMPARE(owner.mode, mode_t(0700));
    QCOMPARE(ControlServer::runtimeDirectory(), directory);
    // What was there is left as it was.
    QCOMPARE(ownerOf(fallback()).uid, squatted.uid);
    QCOMPARE(ownerOf(fallback()).mode, squatted.mode);

    // Clients look there too: ControlClient (and with it `ctl`) and the list of endpoints (the
    // monitor's Attach dialog).
    QVERIFY(clientConnects(QStringLiteral("squatted")));
    QVERIFY(ControlClient::availableEndpoints().contains(QStringLiteral("squatted")));

    // A second primary goes to the same private directory, not to a new one.
    ControlServer second(&cluster);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("left alone")));
    QVERIFY2(second.listen(QStringLiteral("squatted-too")), qPrintable(second.errorString()));
    QCOMPARE(QFileInfo(second.socketPath()).path(), directory);
    QCOMPARE(privateFallbacks().size(), 1);
    QVERIFY(clientConnects(QStringLiteral("squatted-too")));
}

void tst_RuntimeDirectory::unusableXdgRuntimeDirRefused_data()
{
    addUnusableDirectoryRows();
    QTest::newRow("relative") << QStringLiteral("relative")
                              << QStringLiteral("is not an absolute path");
}

// $XDG_RUNTIME_DIR is the operator's choice: when it cannot be used, the server refuses with the
// reason and what to do, and never moves the endpoint somewhere else.
void tst_RuntimeDirectory::unusableXdgRuntimeDirRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, why);
    QString path = m_tmp.filePath(QStringLiteral("xdg"));
    if (kind == QLatin1String("owner")) {
        if (::geteuid() != 0)
            QSKIP("giving a directory to another user needs root (CI runs as root)");
        QVERIFY(makeDirectory(path, 0700));
        QVERIFY(::chown(QFile::encodeName(path).constData(), Nobody, Nobody) == 0);
    } else if (kind == QLatin1String("mode")) {
        QVERIFY(makeDirectory(path, 0755));
    } else if (kind == QLatin1String("file")) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
    } else {
        path = QStringLiteral("run/xdg");
    }
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(path));
    const Owner before = ownerOf(path);

    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY(!server.listen(QStringLiteral("refused")));
    QCOMPARE(server.error(), ControlServer::RuntimeDirectoryError);
    QVERIFY2(server.errorString().contains(why), qPrintable(server.errorString()));
    QVERIFY2(server.errorString().contains(QLatin1String("XDG_RUNTIME_DIR")),
        qPrintable(server.errorString()));
    QVERIFY2(server.errorString().contains(QLatin1String("unset it to use %1").arg(fallback())),
        qPrintable(server.errorString()));
    // Nowhere else either, and the directory is not "fixed" behind the operator's back.
    QVERIFY(!QFileInfo::exists(fallback()));
    QVERIFY(privateFallbacks().isEmpty());
    QCOMPARE(ownerOf(path).mode, before.mode);
    QCOMPARE(ControlServer::runtimeDirectory(), QString());

    QString clientError;
    QVERIFY(!clientConnects(QStringLiteral("refused"), &clientError));
    QVERIFY2(clientError.contains(why), qPrintable(clientError));
}

void tst_RuntimeDirectory::missingXdgRuntimeDirCreated()
{
    const QString path = m_tmp.filePath(QStringLiteral("xdg-new"));
    qputenv("XDG_RUNTIME_DIR", QFile::encodeName(path));
    Cluster cluster;
    ControlServer server(&cluster);
    QVERIFY2(server.listen(QStringLiteral("created")), qPrintable(server.errorString()));
    QCOMPARE(QFileInfo(server.socketPath()).path(), path);
    QCOMPARE(ownerOf(path).mode, mode_t(0700));
    QVERIFY(clientConnects(QStringLiteral("created")));
}

QTEST_MAIN(tst_RuntimeDirectory)
#include "tst_runtimedirectory.moc"
