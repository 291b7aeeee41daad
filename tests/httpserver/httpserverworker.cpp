// A worker serving HTTP with a QHttpServer bound to a TcpServer, owned in the way its first
// argument names: "heap" (new TcpServer(&http)), "after" (a local variable declared after the
// QHttpServer) or "before" (a local variable declared before it: deleted twice at the end of
// main()). Listens on port 0 of 127.0.0.1; GET / answers "hello".
#include <libcluster/cluster.h>
#include <libcluster/tcpserver.h>

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>

using namespace LibCluster;

namespace {
void serve(QHttpServer &http, TcpServer *server)
{
    http.route(QStringLiteral("/"), [] { return QStringLiteral("hello"); });
    if (!server->listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen: %s", qPrintable(server->errorString()));
    http.bind(server);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString pattern = app.arguments().value(1);
    if (pattern == QLatin1String("heap")) {
        QHttpServer http;
        // bind() makes the QHttpServer the server's parent; it deletes it.
        serve(http, new TcpServer(&http));
        return app.exec();
    }
    if (pattern == QLatin1String("after")) {
        QHttpServer http;
        TcpServer server; // destroyed first, so the QHttpServer no longer owns it then
        serve(http, &server);
        return app.exec();
    }
    if (pattern == QLatin1String("before")) {
        TcpServer server;
        QHttpServer http; // destroyed first, and deletes `server`, its child since bind()
        serve(http, &server);
        return app.exec();
    }
    qFatal("usage: httpserverworker heap|after|before");
}
