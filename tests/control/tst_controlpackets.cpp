// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The control protocol's values against their contract, docs/control-protocol.md: every field the
// document lists is written and read back by the Control:: packets, nothing undocumented is
// written, and what a live primary sends (snapshot, events, stats, replies) round-trips.
#include <libcluster/cluster.h>
#include <libcluster/controlclient.h>
#include <libcluster/controlpackets.h>
#include <libcluster/controlserver.h>
#include <libcluster/settings.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace LibCluster;
using namespace LibCluster::Control;

namespace {
QString documentText()
{
    QFile file(QStringLiteral(SOURCE_DIR "/docs/control-protocol.md"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// The part of the document from the line `start` up to the next line starting with "## ".
QString section(const QString &text, const QString &start)
{
    const qsizetype from = text.indexOf(start);
    if (from < 0)
        return QString();
    const qsizetype to = text.indexOf(QLatin1String("\n## "), from + start.size());
    return text.mid(from, to < 0 ? -1 : to - from);
}

// The code blocks (```json ... ```) of a part of the document.
QStringList codeBlocks(const QString &text)
{
    QStringList blocks;
    static const QRegularExpression block(
        QStringLiteral("```json\\n(.*?)```"), QRegularExpression::DotMatchesEverythingOption);
    for (const QRegularExpressionMatch &match : block.globalMatch(text))
        blocks.append(match.captured(1));
    return blocks;
}

// Every "key": of an example, placeholders and all.
QSet<QString> exampleKeys(const QString &example)
{
    QSet<QString> keys;
    static const QRegularExpression key(QStringLiteral("\"(\\w+)\"\\s*:"));
    for (const QRegularExpressionMatch &match : key.globalMatch(example))
        keys.insert(match.captured(1));
    return keys;
}

// `words` in backquotes, without what stands in parentheses (the values a field takes).
QSet<QString> quotedWords(QString text)
{
    static const QRegularExpression parenthesis(QStringLiteral("\\([^()]*\\)"));
    text.remove(parenthesis);
    QSet<QString> words;
    // `name` or `name: value`.
    static const QRegularExpression quoted(QStringLiteral("`(\\w+)(?:`|:)"));
    for (const QRegularExpressionMatch &match : quoted.globalMatch(text))
        words.insert(match.captured(1));
    return words;
}

// Every key at every depth; counter names are the worker's data, not the protocol's.
void collectKeys(const QJsonValue &value, QSet<QString> *keys)
{
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            collectKeys(item, keys);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        keys->insert(it.key());
        if (it.key() != QLatin1String("counters"))
            collectKeys(it.value(), keys);
    }
}
QSet<QString> allKeys(const QJsonObject &object)
{
    QSet<QString> keys;
    collectKeys(object, &keys);
    return keys;
}

WorkerCounts sampleCounts()
{
    WorkerCounts counts;
    counts.connectionsAccepted = 1200;
    counts.openConnections = 3;
    counts.requests = 1187;
    counts.counters.insert(QStringLiteral("requests"), 1187);
    counts.cpu = 3.5;
    counts.rss = 19136512;
    return counts;
}

// A worker with every field set: dead, with an error.
WorkerSnapshot sampleWorker()
{
    WorkerSnapshot worker;
    worker.id = 2;
    worker.pid = 4251;
    worker.state = Worker::Dead;
    worker.dead = true;
    worker.exitedAfterDisconnect = true;
    worker.forkedAt = 1767225600000;
    worker.addresses.append(Address(QStringLiteral("::"), 8080, Address::IPv6));
    worker.counts = sampleCounts();
    worker.exitCode = -1;
    worker.exitSignal = 9;
    worker.signalName = QStringLiteral("SIGKILL");
    worker.error = QStringLiteral("exitedBeforeOnline");
    worker.errorString = QStringLiteral("it exited before it came online");
    return worker;
}

ClusterSnapshot sampleSnapshot()
{
    ClusterSnapshot snapshot;
    snapshot.pid = 4242;
    snapshot.time = 1767225600000;
    snapshot.policy = QStringLiteral("rr");
    snapshot.exec = QStringLiteral("/usr/local/bin/hello-http");
    snapshot.args = QStringList { QStringLiteral("--port"), QStringLiteral("8080") };
    snapshot.silent = true;
    ExitRecord record;
    record.id = 1;
    record.pid = 4250;
    record.exitedAfterDisconnect = true;
    record.time = 1767225601000;
    record.forkedAt = 1767225600000;
    record.requests = 1187;
    record.connectionsAccepted = 1200;
    snapshot.exited.append(record);
    SupervisorState supervisor;
    supervisor.respawn = true;
    supervisor.workerCount = 4;
    supervisor.maxWorkers = 1024;
    supervisor.memoryLimit = 268435456;
    snapshot.supervisor = supervisor;
    snapshot.output.standardOutput.dropped = 1048576;
    return snapshot;
}

// An event of `type` with every field it can carry set.
ClusterEvent sampleEvent(ClusterEvent::Type type)
{
    ClusterEvent event(type);
    event.time = 1767225600000;
    event.id = 2;
    event.pid = 4251;
    event.worker = sampleWorker();
    event.address = Address(QStringLiteral("0.0.0.0"), 8000, Address::IPv4);
    event.code = -1;
    event.signal = 15;
    event.signalName = QStringLiteral("SIGTERM");
    event.exitedAfterDisconnect = true;
    event.message = QJsonObject { { QStringLiteral("hello"), 1 } };
    event.error = QStringLiteral("protocolError");
    event.errorString = QStringLiteral("bad frame");
    event.channel = Worker::StandardError;
    event.data = QStringLiteral("line\n");
    event.oldId = 1;
    event.reason = QStringLiteral("crashed");
    event.delay = 200;
    event.ok = false;
    event.count = 4;
    event.bytes = 4096;
    event.writes = 2;
    event.totalBytes = 8192;
    event.closed = true;
    event.elapsed = 5000;
    event.exited = true;
    return event;
}

bool roundTrips(const ClusterEvent &event)
{
    const QJsonObject json = event.toJson();
    return ClusterEvent::fromJson(json).toJson() == json;
}
} // namespace

class tst_ControlPackets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void events();
    void applicationEvents();
    void worker();
    void snapshot();
    void stats();
    void output();
    void replies();
    void livePrimary();

private:
    QString m_document;
};

void tst_ControlPackets::initTestCase()
{
    m_document = documentText();
    QVERIFY2(!m_document.isEmpty(), "docs/control-protocol.md cannot be read");
}

// Each row of the events table: the event is known, carries exactly the fields listed (plus
// "event", "time", and "id" and "pid" for a worker's), and reads back as it was written. Every
// event this library knows has a row.
void tst_ControlPackets::events()
{
    const QString table = section(m_document, QStringLiteral("## Events"));
    static const QRegularExpression row(
        QStringLiteral("^\\| `(\\w+)` \\|([^|]*)\\|"), QRegularExpression::MultilineOption);
    QSet<ClusterEvent::Type> documented;
    for (const QRegularExpressionMatch &match : row.globalMatch(table)) {
        const QString name = match.captured(1);
        if (name == QLatin1String("event"))
            continue; // the table's head
        const ClusterEvent::Type type = ClusterEvent::typeFromName(name);
        QVERIFY2(type != ClusterEvent::Unknown, qPrintable(name + QLatin1String(" is unknown")));
        documented.insert(type);
        const ClusterEvent event = sampleEvent(type);
        QSet<QString> expected = quotedWords(match.captured(2));
        expected << QStringLiteral("event") << QStringLiteral("time");
        if (event.isWorkerEvent())
            expected << QStringLiteral("id") << QStringLiteral("pid");
        const QJsonObject json = event.toJson();
        const QStringList keys = json.keys();
        QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()), expected);
        QCOMPARE(json.value(QLatin1String("event")).toString(), name);
        QVERIFY2(roundTrips(event), qPrintable(name));
    }
    for (int type = ClusterEvent::Unknown + 1; type < ClusterEvent::TypeCount; ++type)
        QVERIFY2(documented.contains(ClusterEvent::Type(type)),
            qPrintable(ClusterEvent::typeName(ClusterEvent::Type(type))
                + QLatin1String(" is not documented")));

    // A newer primary's event keeps its name.
    const ClusterEvent unknown
        = ClusterEvent::fromJson({ { QStringLiteral("event"), QStringLiteral("fromTheFuture") } });
    QCOMPARE(unknown.type, ClusterEvent::Unknown);
    QCOMPARE(
        unknown.toJson().value(QLatin1String("event")).toString(), QStringLiteral("fromTheFuture"));
}

// The document's WORKER reads back as written; a worker with every field set writes only
// documented fields, and every documented one.
void tst_ControlPackets::worker()
{
    const QString part = section(m_document, QStringLiteral("A WORKER:"));
    const QStringList blocks = codeBlocks(part);
    QCOMPARE(blocks.size(), 1);
    const QJsonObject example = QJsonDocument::fromJson(blocks.first().toUtf8()).object();
    QVERIFY(!example.isEmpty());
    QCOMPARE(WorkerSnapshot::fromJson(example).toJson(), example);

    QString prose = part;
    prose.remove(blocks.first());
    const QSet<QString> documented = exampleKeys(blocks.first()) + quotedWords(prose);
    const QJsonObject full = sampleWorker().toJson();
    const QSet<QString> written = allKeys(full);
    QVERIFY2(documented.contains(written),
        qPrintable(QStringList((written - documented).values()).join(QLatin1Char(' '))));
    QVERIFY(written.contains(exampleKeys(blocks.first())));
    QCOMPARE(WorkerSnapshot::fromJson(full).toJson(), full);
}

// The examples of application events read back as such, every field kept, and are written again
// as they were.
void tst_ControlPackets::applicationEvents()
{
    const QStringList blocks
        = codeBlocks(section(m_document, QStringLiteral("## The application's own events")));
    QVERIFY(!blocks.isEmpty());
    int examples = 0;
    for (const QString &block : blocks) {
        for (const QString &line : block.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            QJsonObject object = QJsonDocument::fromJson(line.toUtf8()).object();
            QVERIFY2(!object.isEmpty(), qPrintable(line));
            QCOMPARE(object.take(QStringLiteral("type")).toString(), QStringLiteral("event"));
            const ClusterEvent event = ClusterEvent::fromJson(object);
            QCOMPARE(event.type, ClusterEvent::Unknown);
            QVERIFY(event.application);
            QVERIFY(!event.text.isEmpty());
            QVERIFY(!event.fields.contains(QLatin1String("text")));
            QCOMPARE(event.toJson(), object);
            ++examples;
        }
    }
    QCOMPARE(examples, 2);
    // Without the mark, an unknown name is a newer primary's event, not an application's.
    QVERIFY(!ClusterEvent::fromJson({ { QStringLiteral("event"), QStringLiteral("reload") } })
                 .application);
}

void tst_ControlPackets::snapshot()
{
    const QStringList blocks = codeBlocks(section(m_document, QStringLiteral("## The snapshot")));
    QVERIFY(!blocks.isEmpty());
    // WORKER and OUTPUT have their own tests: the keys of the snapshot itself, its settings, its
    // exit records and its supervisor.
    QJsonObject full = sampleSnapshot().toJson();
    full.insert(QStringLiteral("workers"), QJsonArray());
    full.insert(QStringLiteral("output"), QJsonObject());
    QCOMPARE(allKeys(full), exampleKeys(blocks.first()));
    const QJsonObject json = sampleSnapshot().toJson();
    QCOMPARE(ClusterSnapshot::fromJson(json).toJson(), json);
}

void tst_ControlPackets::stats()
{
    const QStringList blocks = codeBlocks(section(m_document, QStringLiteral("## Stats")));
    QCOMPARE(blocks.size(), 1);
    ClusterStats stats;
    stats.time = 1767225600000;
    WorkerStats worker;
    worker.id = 2;
    worker.pid = 4251;
    worker.state = Worker::Listening;
    worker.counts = sampleCounts();
    stats.workers.append(worker);
    stats.workerCount = 4;
    stats.requests = 4711;
    stats.cpu = 14;
    QJsonObject json = stats.toJson();
    QCOMPARE(ClusterStats::fromJson(json).toJson(), json);
    // The message's "type" is the envelope's; OUTPUT has its own test.
    json.insert(QStringLiteral("type"), QStringLiteral("stats"));
    json.insert(QStringLiteral("output"), QJsonObject());
    QCOMPARE(allKeys(json), exampleKeys(blocks.first()));
}

void tst_ControlPackets::output()
{
    const QStringList blocks
        = codeBlocks(section(m_document, QStringLiteral("## The primary's own output")));
    QCOMPARE(blocks.size(), 1);
    const QJsonObject example = QJsonDocument::fromJson(blocks.first().toUtf8()).object();
    QVERIFY(!example.isEmpty());
    QCOMPARE(OutputState::fromJson(example).toJson(), example);
}

// Every reply field is one the commands table names, and reads back as written.
void tst_ControlPackets::replies()
{
    const QSet<QString> documented = quotedWords(section(m_document, QStringLiteral("## Commands")))
        + exampleKeys(section(m_document, QStringLiteral("## Commands")));
    CommandReply reply = CommandReply::failure(QStringLiteral("why"));
    reply.worker = 2;
    reply.pid = 4251;
    reply.count = 3;
    reply.deferred = true;
    reply.workers = QList<int> { 1, 2 };
    reply.code = 0;
    reply.signal = 9;
    reply.signalName = QStringLiteral("SIGKILL");
    reply.sent = 1;
    reply.failed = QList<CommandReply::Failure> { { 3, QStringLiteral("the channel is closed") } };
    reply.snapshot = QJsonObject { { QStringLiteral("pid"), 1 } };
    reply.stats = QJsonObject { { QStringLiteral("time"), 1 } };
    const QJsonObject json = reply.toJson();
    const QStringList keys = json.keys();
    const QSet<QString> written(keys.cbegin(), keys.cend());
    QVERIFY2(documented.contains(written),
        qPrintable(QStringList((written - documented).values()).join(QLatin1Char(' '))));
    QCOMPARE(CommandReply::fromJson(json).toJson(), json);
    QCOMPARE(CommandReply::fromJson(CommandReply::success().toJson()).toJson(),
        CommandReply::success().toJson());
}

// What a real primary sends over its endpoint: the welcome's snapshot, each event, each stats
// message and each reply read back into the packets and written again give the same JSON.
void tst_ControlPackets::livePrimary()
{
    QObject scope;
    auto *cluster = new Cluster(&scope);
    Settings settings;
    settings.setExec(QStringLiteral(TESTWORKER_PATH));
    settings.setArgs({ QStringLiteral("--serve-tcp") });
    cluster->setupPrimary(settings);
    auto *server = new ControlServer(cluster, nullptr, &scope);
    server->setShutdownQuitsApplication(false);
    server->setStatsInterval(50);
    const QString name = QStringLiteral("packets-%1").arg(QCoreApplication::applicationPid());
    QVERIFY2(server->listen(name), qPrintable(server->errorString()));

    ControlClient client;
    QSignalSpy connected(&client, &ControlClient::connected);
    QSignalSpy events(&client, &ControlClient::eventReceived);
    QSignalSpy stats(&client, &ControlClient::statsReceived);
    client.connectToEndpoint(name);
    QVERIFY(connected.wait(10000));

    QList<QJsonObject> replies;
    const auto keep = [&replies](const QJsonObject &reply) { replies.append(reply); };
    client.scaleTo(2, keep);
    QTRY_VERIFY_WITH_TIMEOUT(cluster->workers().size() == 2
            && cluster->workers().at(0)->state() == Worker::Listening
            && cluster->workers().at(1)->state() == Worker::Listening,
        10000);
    client.requestSnapshot(keep);
    client.killWorker(cluster->workers().first()->id(), SIGKILL, true, keep);
    client.requestStats(keep);
    QTRY_COMPARE_WITH_TIMEOUT(replies.size(), 4, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(stats.size() >= 2, 10000);

    const QJsonObject welcome = connected.first().first().toJsonObject();
    QCOMPARE(ClusterSnapshot::fromJson(welcome).toJson(), welcome);
    QSet<ClusterEvent::Type> seen;
    for (const QList<QVariant> &arguments : std::as_const(events)) {
        QJsonObject event = arguments.first().toJsonObject();
        event.remove(QLatin1String("type"));
        const ClusterEvent parsed = ClusterEvent::fromJson(event);
        QVERIFY(parsed.type != ClusterEvent::Unknown);
        seen.insert(parsed.type);
        QCOMPARE(parsed.toJson(), event);
    }
    for (const ClusterEvent::Type type : { ClusterEvent::Fork, ClusterEvent::Online,
             ClusterEvent::Listening, ClusterEvent::Exit, ClusterEvent::WorkerCount })
        QVERIFY2(seen.contains(type), qPrintable(ClusterEvent::typeName(type)));
    for (const QList<QVariant> &arguments : std::as_const(stats)) {
        QJsonObject message = arguments.first().toJsonObject();
        message.remove(QLatin1String("type"));
        QCOMPARE(ClusterStats::fromJson(message).toJson(), message);
    }
    for (QJsonObject reply : std::as_const(replies)) {
        reply.remove(QLatin1String("type"));
        reply.remove(QLatin1String("id"));
        const CommandReply parsed = CommandReply::fromJson(reply);
        QVERIFY(parsed.ok);
        QCOMPARE(parsed.toJson(), reply);
        if (parsed.snapshot)
            QCOMPARE(ClusterSnapshot::fromJson(*parsed.snapshot).toJson(), *parsed.snapshot);
        if (parsed.stats)
            QCOMPARE(ClusterStats::fromJson(*parsed.stats).toJson(), *parsed.stats);
    }
}

QTEST_GUILESS_MAIN(tst_ControlPackets)
#include "tst_controlpackets.moc"
