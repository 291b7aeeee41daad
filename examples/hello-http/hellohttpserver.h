// The demo worker's HTTP server: "hello world\n" to every request, tagged with the worker's id.
#pragma once

#include <QAbstractHttpServer>

class HelloHttpServer : public QAbstractHttpServer
{
public:
    explicit HelloHttpServer(int workerId, QObject *parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    QByteArray m_keepAliveResponse;
    QByteArray m_closeResponse;
};
