// The demo worker's HTTP server: "hello world\n" to every request, tagged with the worker's id.
#pragma once

#include <QByteArray>
#include <QObject>

class QTcpSocket;

namespace LibCluster {
class TcpServer;
}

// HTTP/1.1 just far enough for a hello world: keep-alive, pipelining, request bodies skipped by
// Content-Length, `Connection: close` (and HTTP/1.0 without keep-alive) honoured. While the
// worker disconnects, every connection's next answer is its last (`Connection: close`). Written
// out because QAbstractHttpServer's per-request objects cost more than the whole answer here
// (see the README's benchmark); tst_ports shows QHttpServer::bind() on a TcpServer works too.
class HelloHttpServer : public QObject
{
public:
    explicit HelloHttpServer(int workerId, QObject *parent = nullptr);

    void serve(LibCluster::TcpServer *server);

private:
    void readRequests(const LibCluster::TcpServer *server, QTcpSocket *socket, QByteArray &buffer);

    QByteArray m_keepAliveResponse;
    QByteArray m_closeResponse;
};
