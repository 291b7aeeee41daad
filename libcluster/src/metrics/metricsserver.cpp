// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MetricsServer: accepts within bounds and routes /metrics, /healthz and /readyz.
#include <libcluster/metricsserver.h>

#include "metrics/clustermetrics.h"
#include "metrics/httpconnection.h"
#include "metrics/metricsserver_p.h"

#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace LibCluster {

using namespace Internal;

namespace {
Q_LOGGING_CATEGORY(lcMetrics, "libcluster.metrics", QtInfoMsg)

// How long accepting pauses when the process is out of descriptors.
constexpr int BackOffMsecs = 100;
const QByteArray PlainText = "text/plain; charset=utf-8";
// The content type Prometheus asks for and the format this server writes.
const QByteArray ExpositionType = "text/plain; version=0.0.4; charset=utf-8";

QString addressText(const QHostAddress &address, quint16 port)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(address.toString()).arg(port);
    return QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}
} // namespace

MetricsServer::MetricsServer(Cluster *cluster, Supervisor *supervisor, QObject *parent)
    : QObject(parent)
    , d_ptr(new MetricsServerPrivate(this))
{
    Q_D(MetricsServer);
    d->metrics = new ClusterMetrics(cluster, supervisor, this);
    d->resume = new QTimer(this);
    d->resume->setSingleShot(true);
    d->resume->setInterval(BackOffMsecs);
    connect(d->resume, &QTimer::timeout, this, [d] {
        if (d->server)
            d->server->resumeAccepting();
    });
}

MetricsServer::~MetricsServer()
{
    close();
}

bool MetricsServer::listen(const QHostAddress &address, quint16 port)
{
    Q_D(MetricsServer);
    close();
    auto *server = new QTcpServer(this);
    if (!server->listen(address, port)) {
        const QString where = addressText(address, port);
        switch (server->serverError()) {
        case QAbstractSocket::AddressInUseError:
            d->error = AddressInUseError;
            d->errorString = QStringLiteral("cannot serve metrics on %1: the address is in use "
                                            "(another program listens there); choose another port")
                                 .arg(where);
            break;
        case QAbstractSocket::SocketAccessError:
            d->error = AddressError;
            d->errorString = QStringLiteral("cannot serve metrics on %1: ports below 1024 need "
                                            "privileges; choose a port from 1024 up")
                                 .arg(where);
            break;
        case QAbstractSocket::SocketAddressNotAvailableError:
            d->error = AddressError;
            d->errorString = QStringLiteral("cannot serve metrics on %1: that address is not one "
                                            "of this host's; use 127.0.0.1, another local address "
                                            "or *")
                                 .arg(where);
            break;
        default:
            d->error = SocketError;
            d->errorString = QStringLiteral("cannot serve metrics on %1: %2")
                                 .arg(where, server->errorString());
            break;
        }
        delete server;
        return false;
    }
    // The kernel's queue holds what waits while the loop is busy; Qt's own queue stays short,
    // since every connection is taken at once.
    server->setMaxPendingConnections(d->maxConnections);
    d->server = server;
    d->error = NoError;
    d->errorString.clear();
    connect(server, &QTcpServer::newConnection, this, [d] { d->acceptAll(); });
    connect(server, &QTcpServer::acceptError, this, [d](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::SocketResourceError)
            d->backOff();
    });
    qCDebug(lcMetrics) << "serving metrics on" << addressText(serverAddress(), serverPort());
    return true;
}

void MetricsServer::close()
{
    Q_D(MetricsServer);
    d->resume->stop();
    const auto connections = d->connections;
    d->connections.clear();
    for (HttpConnection *connection : connections)
        delete connection;
    delete d->server;
    d->server = nullptr;
}

bool MetricsServer::isListening() const
{
    return d_func()->server != nullptr;
}

QHostAddress MetricsServer::serverAddress() const
{
    Q_D(const MetricsServer);
    return d->server ? d->server->serverAddress() : QHostAddress();
}

quint16 MetricsServer::serverPort() const
{
    Q_D(const MetricsServer);
    return d->server ? d->server->serverPort() : 0;
}

MetricsServer::Error MetricsServer::error() const
{
    return d_func()->error;
}

QString MetricsServer::errorString() const
{
    return d_func()->errorString;
}

int MetricsServer::maxConnections() const
{
    return d_func()->maxConnections;
}

void MetricsServer::setMaxConnections(int count)
{
    Q_D(MetricsServer);
    if (count < 1 || count > MaxMaxConnections) {
        qCWarning(lcMetrics,
            "MetricsServer::setMaxConnections: %d is out of bounds (1 to %d); "
            "keeping %d",
            count, MaxMaxConnections, d->maxConnections);
        return;
    }
    d->maxConnections = count;
    if (d->server)
        d->server->setMaxPendingConnections(count);
}

int MetricsServer::readyPercent() const
{
    return d_func()->readyPercent;
}

void MetricsServer::setReadyPercent(int percent)
{
    Q_D(MetricsServer);
    if (percent < 1 || percent > 100) {
        qCWarning(lcMetrics,
            "MetricsServer::setReadyPercent: %d is out of bounds (1 to 100); "
            "keeping %d",
            percent, d->readyPercent);
        return;
    }
    d->readyPercent = percent;
}

QByteArray MetricsServer::metrics() const
{
    QByteArray out;
    d_func()->metrics->write(&out);
    return out;
}

bool MetricsServer::isReady(QString *why) const
{
    Q_D(const MetricsServer);
    return d->metrics->isReady(d->readyPercent, why);
}

bool MetricsServer::parseAddress(
    const QString &text, QHostAddress *address, quint16 *port, QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("'%1' is not an address to listen on: %2; write PORT, "
                                    "ADDRESS:PORT or [IPV6]:PORT, e.g. 127.0.0.1:9464")
                         .arg(text.left(100), why);
        return false;
    };
    if (text.isEmpty() || text.size() > 100)
        return fail(QStringLiteral("it must be 1 to 100 characters"));
    QString host;
    QString portText = text;
    if (text.startsWith(QLatin1Char('['))) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return fail(QStringLiteral("an IPv6 address in brackets needs ':PORT' after it"));
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else if (text.contains(QLatin1Char(':'))) {
        const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
        host = text.left(colon);
        portText = text.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return fail(QStringLiteral("write an IPv6 address in brackets"));
    }
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,5}$"));
    bool ok = digits.match(portText).hasMatch();
    const int number = ok ? portText.toInt() : -1;
    if (number < 0 || number > 65535)
        return fail(QStringLiteral("the port must be a whole number from 0 to 65535"));
    QHostAddress parsed = QHostAddress::LocalHost;
    if (host == QLatin1String("*"))
        parsed = QHostAddress::Any;
    else if (host == QLatin1String("localhost"))
        parsed = QHostAddress::LocalHost;
    else if (!host.isEmpty()) {
        // Four decimal parts for IPv4: inet_aton's "1.2.3" (1.2.0.3) is a typo here.
        static const QRegularExpression dottedQuad(
            QStringLiteral("^[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$"));
        const bool ipv6 = host.contains(QLatin1Char(':'));
        if ((!ipv6 && !dottedQuad.match(host).hasMatch()) || !parsed.setAddress(host)
            || host.contains(QLatin1Char('%')))
            return fail(QStringLiteral("'%1' is not an IP address").arg(host.left(100)));
        if (text.startsWith(QLatin1Char('['))
            != (parsed.protocol() == QAbstractSocket::IPv6Protocol))
            return fail(QStringLiteral("write an IPv6 address, and only one, in brackets"));
    }
    if (address)
        *address = parsed;
    if (port)
        *port = quint16(number);
    if (error)
        error->clear();
    return true;
}

void MetricsServerPrivate::acceptAll()
{
    Q_Q(MetricsServer);
    while (server && server->hasPendingConnections()) {
        QTcpSocket *socket = server->nextPendingConnection();
        if (connections.size() >= maxConnections) {
            // Told at once rather than queued: a scraper retries at its next interval.
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; "
                          "charset=utf-8\r\nContent-Length: 37\r\nConnection: close\r\n\r\n"
                          "Too many clients at once; try later.\n");
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            Q_EMIT q->requestAnswered(QString(), 503);
            continue;
        }
        auto *connection = new HttpConnection(
            socket, MetricsServer::MaxRequestHeadBytes, MetricsServer::RequestTimeout, q);
        connections.insert(connection);
        QObject::connect(connection, &HttpConnection::finished, q,
            [this, connection] { connections.remove(connection); });
        QObject::connect(connection, &HttpConnection::requestRefused, q,
            [q](int status) { Q_EMIT q->requestAnswered(QString(), status); });
        QObject::connect(connection, &HttpConnection::requestReceived, q,
            [this, connection](const QByteArray &method, const QByteArray &path) {
                answer(connection, method, path);
            });
    }
    warnedBackOff = false;
}

void MetricsServerPrivate::answer(
    HttpConnection *connection, const QByteArray &method, const QByteArray &path)
{
    Q_Q(MetricsServer);
    int status = 200;
    const bool head = method == "HEAD";
    if (method != "GET" && !head) {
        status = 405;
        connection->respond(
            status, PlainText, "Only GET and HEAD are served.\n", false, "Allow: GET, HEAD\r\n");
    } else if (path == "/metrics") {
        QByteArray body;
        metrics->write(&body);
        connection->respond(status, ExpositionType, body, head);
    } else if (path == "/healthz") {
        // Answered from the primary's event loop: that it answers is the health.
        connection->respond(status, PlainText, "ok\n", head);
    } else if (path == "/readyz") {
        QString why;
        if (metrics->isReady(readyPercent, &why)) {
            connection->respond(status, PlainText, "ready\n", head);
        } else {
            status = 503;
            connection->respond(
                status, PlainText, QByteArray("not ready: " + why.toUtf8() + '\n'), head);
        }
    } else {
        status = 404;
        connection->respond(status, PlainText,
            "Not found; this server answers /metrics, /healthz and /readyz.\n", head);
    }
    Q_EMIT q->requestAnswered(QString::fromLatin1(path.left(256)), status);
}

void MetricsServerPrivate::backOff()
{
    if (!server)
        return;
    if (!warnedBackOff)
        qCWarning(lcMetrics, "metrics server: out of file descriptors; accepting again in %d ms",
            BackOffMsecs);
    warnedBackOff = true;
    server->pauseAccepting();
    resume->start();
}

} // namespace LibCluster
