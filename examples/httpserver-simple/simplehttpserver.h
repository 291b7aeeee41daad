// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// httpserver-simple's server: the routes of Qt's QHttpServer "simple" example, served on ports
// that every worker of a cluster shares.
#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QSslConfiguration>
#include <QString>

// A QHttpServer with the example's routes: text, path arguments, JSON, a file from the
// resources, the client's address and basic authentication; every answer says `Server: Qt HTTP
// Server` and, in a worker, which worker gave it (`X-Worker-Id`).
//
// While its worker disconnects (a rolling restart, a scale-down), every answer is its
// connection's last (`Connection: close`), as is the answer to a request that asks for it:
// QHttpServer never ends a keep-alive connection by itself, and the worker would otherwise wait
// out its drain for clients that keep sending. The shared server closes what stays quiet.
class SimpleHttpServer : public QObject
{
public:
    explicit SimpleHttpServer(QObject *parent = nullptr);

    // Serves on `address`:`port` through a LibCluster::TcpServer: in a worker every worker shares
    // the port (0 picks one port for all of them), outside a cluster it is the process's own.
    // Returns the port, or 0 with `error` set.
    quint16 listen(const QHostAddress &address, quint16 port, QString *error);
    // The same over HTTPS, through a LibCluster::SslServer with `configuration` (certificate and
    // private key): the TLS handshake runs in the worker that gets the connection.
    quint16 listenTls(const QHostAddress &address, quint16 port,
        const QSslConfiguration &configuration, QString *error);

private:
    void addRoutes();
    // Listens with `server`, a child of m_http, and binds it; deletes it when it cannot listen.
    template <typename Server>
    quint16 bindListening(
        Server *server, const QHostAddress &address, quint16 port, QString *error);

    // Deletes the servers bind() was given: they are its children.
    QHttpServer m_http;
    bool m_closing = false;
};
