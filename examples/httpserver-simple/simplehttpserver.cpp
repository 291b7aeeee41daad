// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SimpleHttpServer: the example's routes, its afterRequest() header, and the worker's drain.
#include "simplehttpserver.h"

#include <libcluster/cluster.h>
#include <libcluster/sslserver.h>
#include <libcluster/tcpserver.h>
#include <libcluster/worker.h>

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

QString host(const QHttpServerRequest &request)
{
    return QString::fromLatin1(request.value("Host"));
}

// RFC 7617: "Basic " and base64 of "user:password".
bool authorized(const QHttpServerRequest &request)
{
    const QByteArray credentials = request.value("Authorization").simplified();
    if (credentials.size() <= 6 || credentials.first(6).toLower() != "basic ")
        return false;
    const QByteArray userPassword = QByteArray::fromBase64(credentials.sliced(6));
    const qsizetype colon = userPassword.indexOf(':');
    return colon > 0 && userPassword.first(colon) == "Aladdin"
        && userPassword.sliced(colon + 1) == "open sesame";
}

} // namespace

SimpleHttpServer::SimpleHttpServer(QObject *parent)
    : QObject(parent)
{
    addRoutes();

    m_http.afterRequest([](QHttpServerResponse &&response) {
        response.setHeader("Server", "Qt HTTP Server");
        return std::move(response);
    });

    // QHttpServer keeps every connection open: an answer that says `Connection: close` has the
    // client close it, when the client asked for that and, in a worker, from the start of a
    // disconnect on (whichever side asked for it, whichever server the request came through).
    LibCluster::Worker *self = LibCluster::Cluster::worker();
    if (self)
        connect(self, &LibCluster::Worker::disconnectStarted, this, [this] { m_closing = true; });
    const QByteArray id = self ? QByteArray::number(self->id()) : QByteArray();
    m_http.afterRequest(
        [this, id](QHttpServerResponse &&response, const QHttpServerRequest &request) {
            if (!id.isEmpty())
                response.setHeader("X-Worker-Id", id);
            if (m_closing || request.value("Connection").toLower() == "close")
                response.setHeader("Connection", "close");
            return std::move(response);
        });
}

quint16 SimpleHttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    return bindListening(new LibCluster::TcpServer(&m_http), address, port, error);
}

quint16 SimpleHttpServer::listenTls(const QHostAddress &address, quint16 port,
    const QSslConfiguration &configuration, QString *error)
{
    auto *server = new LibCluster::SslServer(&m_http);
    server->setSslConfiguration(configuration);
    return bindListening(server, address, port, error);
}

template <typename Server>
quint16 SimpleHttpServer::bindListening(
    Server *server, const QHostAddress &address, quint16 port, QString *error)
{
    // Allocated with new as m_http's child, never a member or a local: bind() makes the server a
    // child of the QHttpServer anyway, which deletes it.
    if (!server->listen(address, port)) {
        *error = server->errorString();
        delete server;
        return 0;
    }
    m_http.bind(server);
    return server->serverPort();
}

void SimpleHttpServer::addRoutes()
{
    m_http.route(u"/"_s, [] { return "Hello world"; });

    m_http.route(u"/query"_s,
        [](const QHttpServerRequest &request) -> QString { return host(request) + u"/query/"_s; });

    // A path that ends with '/' takes one more argument: /query/7.
    m_http.route(u"/query/"_s, [](qint32 id, const QHttpServerRequest &request) {
        return u"%1/query/%2"_s.arg(host(request)).arg(id);
    });

    m_http.route(u"/query/<arg>/log"_s, [](qint32 id, const QHttpServerRequest &request) {
        return u"%1/query/%2/log"_s.arg(host(request)).arg(id);
    });

    m_http.route(
        u"/query/<arg>/log/"_s, [](qint32 id, float threshold, const QHttpServerRequest &request) {
            return u"%1/query/%2/log/%3"_s.arg(host(request)).arg(id).arg(threshold);
        });

    m_http.route(
        u"/user/"_s, [](qint32 id) -> QString { return u"User "_s + QString::number(id); });

    m_http.route(u"/user/<arg>/detail"_s, [](qint32 id) { return u"User %1 detail"_s.arg(id); });

    m_http.route(u"/user/<arg>/detail/"_s,
        [](qint32 id, qint32 year) { return u"User %1 detail year - %2"_s.arg(id).arg(year); });

    m_http.route(u"/json/"_s, [] {
        return QJsonObject { { u"key1"_s, u"1"_s }, { u"key2"_s, u"2"_s }, { u"key3"_s, u"3"_s } };
    });

    m_http.route(u"/assets/<arg>"_s,
        [](const QUrl &url) { return QHttpServerResponse::fromFile(u":/assets/"_s + url.path()); });

    m_http.route(u"/remote_address"_s,
        [](const QHttpServerRequest &request) { return request.remoteAddress().toString(); });

    m_http.route(u"/auth"_s, [](const QHttpServerRequest &request) {
        if (authorized(request))
            return QHttpServerResponse("text/plain", "Success\n");
        QHttpServerResponse response("text/plain", "Authentication required\n",
            QHttpServerResponse::StatusCode::Unauthorized);
        response.setHeader("WWW-Authenticate", R"(Basic realm="Simple example", charset="UTF-8")");
        return response;
    });
}
