// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// LibCluster::listen() for servers that are not libcluster's own.
#include <libcluster/sharedlisten.h>

#include <libcluster/tcpserver.h>

#include "ports/serverattachment.h"
#include "util/logging.h"

namespace LibCluster {

bool listen(QTcpServer *server, const QHostAddress &address, quint16 port, QString *errorString)
{
    QString why;
    bool ok = false;
    if (!server) {
        why = QStringLiteral("LibCluster::listen() was given no server");
    } else if (auto *own = qobject_cast<TcpServer *>(server)) {
        ok = own->listen(address, port);
        why = own->errorString();
    } else if (!Internal::ServerLink::inWorker()) {
        ok = server->listen(address, port);
        why = server->errorString();
    } else {
        Internal::ServerAttachment *attachment = Internal::ServerAttachment::of(server);
        ok = attachment->listen(address, port);
        why = attachment->errorString();
    }
    if (!ok) {
        qCDebug(Internal::lcWorker) << "cannot listen on" << address << port << ":" << why;
        if (errorString)
            *errorString = why;
    }
    return ok;
}

} // namespace LibCluster
