// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The runtime protocol carried in Runtime frames: one CBOR map per message, {"cmd": name, ...}.
//
//   worker -> primary  online          the worker's runtime is up
//   primary -> worker  disconnect      close your servers, then your channel (Node's disconnect)
//   worker -> primary  disconnecting   I am closing my channel on purpose (exitedAfterDisconnect)
//   worker -> primary  listen          {seq, kind, address, port, name, index}: share this server
//   primary -> worker  reply           {seq, ok, key, mode, error, errorString} + the socket
//   worker -> primary  listening       {key, address, port, addressType}
//   worker -> primary  close           {key}: hand me no more connections for this server
//   primary -> worker  newconn         {key, conn, n} + n connections, numbered conn, conn+1...
//                                      (policies where the primary accepts; n absent: 1)
//   worker -> primary  ack             {key, conn, n, accepted, full, limit}: the same answer for
//                                      n connections from conn on: taken, or give them to
//                                      someone else (full: out of descriptors; limit: the server
//                                      is at its maxConnections, pass it over until "room")
//   worker -> primary  room            {key}: a server that refused at its limit has room again
//   worker -> primary  conns           {accepted, open}: connection counts, sent when they change
//   primary -> worker  ping            {n}: heartbeat; the worker's event loop answers
//   worker -> primary  pong            {n}
//   worker -> primary  counters        {add: {name: amount, ...}}: added to counters since the
//                                      last batch
//
// A runtime message is the primary-worker protocol only; the operator's endpoint speaks its own
// JSON protocol (control/, docs/control-protocol.md).
#pragma once

#include <QCborMap>
#include <QCborStreamWriter>
#include <QCborValue>
#include <QHash>
#include <QString>

namespace LibCluster::Internal::RuntimeProtocol {

inline QString commandKey()
{
    return QStringLiteral("cmd");
}

inline QString online()
{
    return QStringLiteral("online");
}
inline QString disconnect()
{
    return QStringLiteral("disconnect");
}
inline QString disconnecting()
{
    return QStringLiteral("disconnecting");
}
inline QString listen()
{
    return QStringLiteral("listen");
}
inline QString reply()
{
    return QStringLiteral("reply");
}
inline QString listening()
{
    return QStringLiteral("listening");
}
inline QString close()
{
    return QStringLiteral("close");
}
inline QString newConnection()
{
    return QStringLiteral("newconn");
}
inline QString acknowledge()
{
    return QStringLiteral("ack");
}
inline QString room()
{
    return QStringLiteral("room");
}
inline QString connectionCounts()
{
    return QStringLiteral("conns");
}
inline QString counters()
{
    return QStringLiteral("counters");
}
inline QString ping()
{
    return QStringLiteral("ping");
}
inline QString pong()
{
    return QStringLiteral("pong");
}

inline QByteArray encode(const QString &command, QCborMap fields = {})
{
    fields.insert(commandKey(), command);
    return fields.toCborValue().toCbor();
}

// {add: {name: amount, ...}, cmd: counters}, written as it goes: QCborMap::insert() looks for the
// key first, which makes a map of many names quadratic to build.
inline QByteArray encodeCounters(const QHash<QString, qint64> &added)
{
    QByteArray payload;
    QCborStreamWriter writer(&payload);
    writer.startMap(2);
    writer.append(QStringLiteral("add"));
    writer.startMap(quint64(added.size()));
    for (auto it = added.cbegin(); it != added.cend(); ++it) {
        writer.append(it.key());
        writer.append(it.value());
    }
    writer.endMap();
    writer.append(commandKey());
    writer.append(counters());
    writer.endMap();
    return payload;
}

} // namespace LibCluster::Internal::RuntimeProtocol
