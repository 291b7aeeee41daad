// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The control protocol's wire format in one place: newline-delimited JSON objects, each with a
// "type". The full description, with examples, is docs/control-protocol.md.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLatin1String>
#include <QString>

namespace LibCluster::Internal::ControlProtocol {

// The version this library speaks. A hello with another version is refused.
constexpr int Version = 1;
// A line longer than this is a protocol error (the other side is not speaking this protocol).
constexpr qsizetype MaxLineLength = 4 * 1024 * 1024;
// How long a client may take to say hello before the server hangs up.
constexpr int HelloTimeout = 10000;
// Before its hello a client is a stranger, and may make the server hold no more than a hello
// needs (about 120 bytes): a client that sends more before it is welcomed is refused.
constexpr qsizetype MaxHelloLength = 8 * 1024;
// Connections that have not been welcomed yet, at most; one more is closed at once, with a "busy"
// error. Clients say hello within milliseconds, so this many is a burst of monitors and `ctl`
// commands, not a steady state; together they hold at most 256 KiB.
constexpr int MaxUnwelcomedClients = 32;
// Bytes a server lets wait for one slow client before dropping it.
constexpr qint64 MaxPendingBytes = 16 * 1024 * 1024;

// Message types ("type").
inline QLatin1String hello()
{
    return QLatin1String("hello");
}
inline QLatin1String welcome()
{
    return QLatin1String("welcome");
}
inline QLatin1String error()
{
    return QLatin1String("error");
}
inline QLatin1String command()
{
    return QLatin1String("command");
}
inline QLatin1String reply()
{
    return QLatin1String("reply");
}
inline QLatin1String event()
{
    return QLatin1String("event");
}
inline QLatin1String stats()
{
    return QLatin1String("stats");
}

// Error codes of an "error" message, after which the server closes the connection.
inline QLatin1String badToken()
{
    return QLatin1String("bad-token");
}
inline QLatin1String unsupportedVersion()
{
    return QLatin1String("unsupported-version");
}
inline QLatin1String helloExpected()
{
    return QLatin1String("hello-expected");
}
inline QLatin1String badMessage()
{
    return QLatin1String("bad-message");
}
inline QLatin1String helloTimeout()
{
    return QLatin1String("hello-timeout");
}
inline QLatin1String tooSlow()
{
    return QLatin1String("too-slow");
}
inline QLatin1String busy()
{
    return QLatin1String("busy");
}

// A signal given as a number ("9") or a name ("SIGKILL", "KILL", "kill"); 0 if it is neither.
int signalFromText(const QString &text);

inline QByteArray encode(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n';
}

// False when `line` is not one JSON object.
inline bool decode(const QByteArray &line, QJsonObject *message)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return false;
    *message = document.object();
    return true;
}

} // namespace LibCluster::Internal::ControlProtocol
