// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A worker serving HTTP with a QHttpServer bound to a TcpServer or, given a certificate and its
// key, to an SslServer (HTTPS), owned in the way its first argument names: "heap" (new
// TcpServer(&http)), "after" (a local variable declared after the QHttpServer) or "before" (a
// local variable declared before it: deleted twice at the end of main()). Listens on port 0 of
// 127.0.0.1; GET / answers "hello".
//
//   httpserverworker heap|after|before [CERTIFICATE KEY]
#include <libcluster/cluster.h>
#include <libcluster/sslserver.h>
#include <libcluster/tcpserver.h>

#include <QCoreApplication>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QSslConfiguration>
#include <QSslKey>

using namespace LibCluster;

namespace {
QString certificatePath;
QString keyPath;

void configure(TcpServer *) { }

void configure(SslServer *server)
{
    QFile key(keyPath);
    if (!key.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(keyPath));
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromPath(certificatePath));
    configuration.setPrivateKey(QSslKey(&key, QSsl::Ec));
    server->setSslConfiguration(configuration);
}

template <typename Server> void serve(QHttpServer &http, Server *server)
{
    http.route(QStringLiteral("/"), [] { return QStringLiteral("hello"); });
    configure(server);
    if (!server->listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen: %s", qPrintable(server->errorString()));
    http.bind(server);
}

template <typename Server> int run(const QString &pattern)
{
    if (pattern == QLatin1String("heap")) {
        QHttpServer http;
        // bind() makes the QHttpServer the server's parent; it deletes it.
        serve(http, new Server(&http));
        return QCoreApplication::exec();
    }
    if (pattern == QLatin1String("after")) {
        QHttpServer http;
        Server server; // destroyed first, so the QHttpServer no longer owns it then
        serve(http, &server);
        return QCoreApplication::exec();
    }
    if (pattern == QLatin1String("before")) {
        Server server;
        QHttpServer http; // destroyed first, and deletes `server`, its child since bind()
        serve(http, &server);
        return QCoreApplication::exec();
    }
    qFatal("usage: httpserverworker heap|after|before [CERTIFICATE KEY]");
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    if (arguments.size() < 4)
        return run<TcpServer>(arguments.value(1));
    certificatePath = arguments.at(2);
    keyPath = arguments.at(3);
    return run<SslServer>(arguments.at(1));
}
