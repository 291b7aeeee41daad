// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The worker the TLS suite forks: an HTTPS server on the cluster's shared port, 127.0.0.1, port 0.
//
//   sslworker KIND CERT KEY
//
// KIND:
//   ssl            a LibCluster::SslServer, answered by a small HTTP/1.1 handler of its own
//   tcp-override   a LibCluster::TcpServer whose incomingConnection() makes the QSslSocket as Qt's
//                  QSslSocket documentation shows (no parent, pending before its handshake)
//   tcp-plain      the same override with a plain QTcpSocket (HTTP, not HTTPS)
//   http           QHttpServer bound to an SslServer
// Every answer is "worker ID\n". A handshake that fails is reported to the primary as
// {event: "tlsError", error: text}.
#include <libcluster/cluster.h>
#include <libcluster/sslserver.h>
#include <libcluster/tcpserver.h>
#include <libcluster/worker.h>

#include <QCborMap>
#include <QCoreApplication>
#include <QFile>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QSslKey>
#include <QSslSocket>

using namespace LibCluster;

namespace {

QByteArray answer()
{
    return "worker " + QByteArray::number(Cluster::worker()->id()) + '\n';
}

void reportTlsError(const QString &text)
{
    QCborMap message;
    message.insert(QStringLiteral("event"), QStringLiteral("tlsError"));
    message.insert(QStringLiteral("error"), text);
    Cluster::worker()->send(message);
}

// Answers each request on the connection; the last one once the server is closing.
void serve(QTcpSocket *socket, std::function<bool()> closing)
{
    auto buffer = std::make_shared<QByteArray>();
    QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    const auto readRequests = [socket, buffer, closing] {
        buffer->append(socket->readAll());
        qsizetype end;
        while ((end = buffer->indexOf("\r\n\r\n")) >= 0) {
            const bool last
                = closing() || buffer->left(end).toLower().contains("connection: close");
            buffer->remove(0, end + 4);
            const QByteArray body = answer();
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                + QByteArray::number(body.size()) + (last ? "\r\nConnection: close" : "")
                + "\r\n\r\n" + body);
            if (last) {
                socket->disconnectFromHost();
                return;
            }
        }
    };
    QObject::connect(socket, &QTcpSocket::readyRead, socket, readRequests);
    readRequests();
}

// Qt's documented way to a TLS server before QSslServer: a QTcpServer subclass making the socket.
class OverridingServer : public TcpServer
{
public:
    OverridingServer(bool encrypted, const QSslConfiguration &configuration)
        : m_encrypted(encrypted)
        , m_configuration(configuration)
    { }

protected:
    void incomingConnection(qintptr handle) override
    {
        QTcpSocket *socket = m_encrypted ? new QSslSocket : new QTcpSocket;
        if (!socket->setSocketDescriptor(handle)) {
            delete socket;
            return;
        }
        addPendingConnection(socket);
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            ssl->setSslConfiguration(m_configuration);
            QObject::connect(ssl, &QAbstractSocket::errorOccurred, ssl, [ssl] {
                if (!ssl->isEncrypted()) {
                    reportTlsError(ssl->errorString());
                    ssl->deleteLater();
                }
            });
            ssl->startServerEncryption();
        }
    }

private:
    bool m_encrypted;
    QSslConfiguration m_configuration;
};

void reportSslServerErrors(SslServer *server)
{
    QObject::connect(server, &QSslServer::errorOccurred, server,
        [](QSslSocket *socket, QAbstractSocket::SocketError) {
            reportTlsError(socket->errorString());
        });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (!Cluster::isWorker() || args.size() != 4) {
        qCritical("usage: sslworker KIND CERT KEY, as a worker of a cluster");
        return 2;
    }
    const QString kind = args.at(1);
    QFile certFile(args.at(2));
    QFile keyFile(args.at(3));
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        qCritical("cannot read the certificate or the key");
        return 2;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate(&certFile, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Ec, QSsl::Pem));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);

    const QHostAddress loopback(QHostAddress::LocalHost);
    bool listening = false;
    if (kind == QLatin1String("ssl")) {
        auto *server = new SslServer(&app);
        server->setSslConfiguration(configuration);
        reportSslServerErrors(server);
        QObject::connect(server, &QTcpServer::pendingConnectionAvailable, server, [server] {
            while (QTcpSocket *socket = server->nextPendingConnection())
                serve(socket, [server] { return server->isClosing(); });
        });
        listening = server->listen(loopback, 0);
    } else if (kind == QLatin1String("tcp-override") || kind == QLatin1String("tcp-plain")) {
        const bool encrypted = kind == QLatin1String("tcp-override");
        auto *server = new OverridingServer(encrypted, configuration);
        server->setParent(&app);
        QObject::connect(server, &QTcpServer::newConnection, server, [server, encrypted] {
            while (QTcpSocket *socket = server->nextPendingConnection()) {
                const auto closing = [server] { return server->isClosing(); };
                if (encrypted)
                    QObject::connect(qobject_cast<QSslSocket *>(socket), &QSslSocket::encrypted,
                        socket, [socket, closing] { serve(socket, closing); });
                else
                    serve(socket, closing);
            }
        });
        listening = server->listen(loopback, 0);
    } else if (kind == QLatin1String("http")) {
        auto *http = new QHttpServer(&app);
        // Owned by the QHttpServer once bound.
        auto *server = new SslServer;
        server->setSslConfiguration(configuration);
        reportSslServerErrors(server);
        http->route(QStringLiteral("/"), [] { return QString::fromLatin1(answer()); });
        http->afterRequest([server](QHttpServerResponse &&response) {
            if (server->isClosing())
                response.addHeader("Connection", "close");
            return std::move(response);
        });
        listening = server->listen(loopback, 0);
        if (listening)
            http->bind(server);
        else
            delete server;
    } else {
        qCritical("unknown kind %s", qPrintable(kind));
        return 2;
    }
    if (!listening) {
        qCritical("cannot listen");
        return 1;
    }
    return app.exec();
}
