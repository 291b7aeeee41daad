// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Human-readable lines for the JSON events of a cluster (EventStream, ControlClient), and the
// workers' output with a prefix per worker.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

class EventFormatter
{
public:
    // One line (without the newline) for `event`; empty for events not worth a line. Output
    // events are not formatted here (see output()).
    static QString format(const QJsonObject &event);

    // Complete lines of an "output" event, each prefixed with its worker; an unfinished last
    // line waits for the rest. `stderrLines` receives the lines from the worker's stderr.
    QStringList output(const QJsonObject &event, QStringList *stderrLines);
    // What is still waiting for a newline, e.g. when a worker has exited.
    QStringList flush(int workerId, QStringList *stderrLines);

private:
    // "worker ID stdout | " or "worker ID stderr | ".
    static QString prefix(int workerId, bool isErr);

    QHash<int, QString> m_partialOut;
    QHash<int, QString> m_partialErr;
};
