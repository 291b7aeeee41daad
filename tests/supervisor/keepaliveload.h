// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Keeps several keep-alive HTTP connections busy with one request after another, opening a new
// connection whenever the server ends one (as wrk does): the load a rolling restart must not fail.
#pragma once

#include "supervisorharness.h"

class KeepAliveClient;

namespace SupervisorTest {

class KeepAliveLoad : public Load
{
    Q_OBJECT

public:
    KeepAliveLoad(quint16 port, int connections, QObject *parent = nullptr);

    void start();
    // No new requests; finished() once those outstanding have been answered.
    void stop();

private:
    void openConnection();
    void checkFinished();

    quint16 m_port;
    int m_connections;
    QList<KeepAliveClient *> m_clients;
};

} // namespace SupervisorTest
