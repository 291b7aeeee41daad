// The runtime protocol carried in Control frames: one CBOR map per message, {"cmd": name, ...}.
//
//   worker -> primary  online          the worker's runtime is up
//   primary -> worker  disconnect      close your servers, then your channel (Node's disconnect)
//   worker -> primary  disconnecting   I am closing my channel on purpose (exitedAfterDisconnect)
#pragma once

#include <QCborMap>
#include <QCborValue>
#include <QString>

namespace LibCluster::Internal::ControlMessage {

inline QString commandKey() { return QStringLiteral("cmd"); }

inline QString online() { return QStringLiteral("online"); }
inline QString disconnect() { return QStringLiteral("disconnect"); }
inline QString disconnecting() { return QStringLiteral("disconnecting"); }

inline QByteArray encode(const QString &command, QCborMap fields = {})
{
    fields.insert(commandKey(), command);
    return fields.toCborValue().toCbor();
}

} // namespace LibCluster::Internal::ControlMessage
