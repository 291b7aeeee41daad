// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The demo worker's HTTP server: "hello world\n" to every request, tagged with the worker's id.
#pragma once

#include <QByteArray>
#include <QObject>

class QTcpSocket;

namespace LibCluster {
class TcpServer;
}

// HTTP/1.1 just far enough for a hello world: keep-alive, pipelining, request bodies skipped by
// Content-Length as they arrive (never held in memory, each request answered once its body is
// in), `Connection: close` (and HTTP/1.0 without keep-alive) honoured. A Content-Length that is
// not a number gets 400 and a chunked body 501, each followed by the close. While the
// worker disconnects, every connection's next answer is its last (`Connection: close`). Written
// out because QAbstractHttpServer's per-request objects cost more than the whole answer here
// (see the README's benchmark); tst_ports shows QHttpServer::bind() on a TcpServer works too.
class HelloHttpServer : public QObject
{
public:
    explicit HelloHttpServer(int workerId, QObject *parent = nullptr);

    void serve(LibCluster::TcpServer *server);

private:
    struct Connection;
    void readRequests(const LibCluster::TcpServer *server, QTcpSocket *socket, Connection &state);

    QByteArray m_keepAliveResponse;
    QByteArray m_closeResponse;
};
