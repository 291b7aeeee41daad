// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// What a worker asks for when it listens, as it travels in a "listen" runtime message.
#pragma once

#include <QCborMap>
#include <QString>

namespace LibCluster::Internal {

struct ListenRequest
{
    QString kind; // "tcp", "udp" or "local"
    QString address; // IP address; empty for "local"
    quint16 port = 0;
    QString name; // socket name or path for "local"
    // QLocalServer::SocketOptions for "local": who may connect. The first worker's choice holds
    // for the socket the others share.
    int socketOptions = 0;
    // The n-th server this worker opens with the same kind, address and port; servers of
    // different workers with the same index share one socket (so listen(0) twice in one worker
    // gives two ports, while every worker's first listen(0) gets the same one).
    int index = 0;

    // Servers with the same key share one socket in the primary.
    QString key() const
    {
        return QStringLiteral("%1|%2|%3|%4|%5").arg(kind, address).arg(port).arg(name).arg(index);
    }

    QCborMap toMap() const
    {
        QCborMap map;
        map.insert(QStringLiteral("kind"), kind);
        map.insert(QStringLiteral("address"), address);
        map.insert(QStringLiteral("port"), port);
        map.insert(QStringLiteral("name"), name);
        map.insert(QStringLiteral("index"), index);
        if (socketOptions != 0)
            map.insert(QStringLiteral("socketOptions"), socketOptions);
        return map;
    }

    static ListenRequest fromMap(const QCborMap &map)
    {
        ListenRequest request;
        request.kind = map.value(QStringLiteral("kind")).toString();
        request.address = map.value(QStringLiteral("address")).toString();
        request.port = quint16(map.value(QStringLiteral("port")).toInteger());
        request.name = map.value(QStringLiteral("name")).toString();
        request.index = int(map.value(QStringLiteral("index")).toInteger());
        request.socketOptions = int(map.value(QStringLiteral("socketOptions")).toInteger());
        return request;
    }
};

} // namespace LibCluster::Internal
