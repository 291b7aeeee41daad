// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

//! \file
//! \brief Puts a server class that is not libcluster's own into the cluster.
#pragma once

#include <libcluster/libcluster_export.h>

#include <QHostAddress>
#include <QString>

class QTcpServer;

namespace LibCluster {

//! \brief listen() for any QTcpServer: puts `server` on the cluster's shared port.
//!
//! For a QTcpServer, or a subclass that is not a LibCluster::TcpServer (a server some library
//! creates and hands you; for TLS, LibCluster::SslServer also ends its connections when the worker
//! disconnects). In a worker it asks the primary for the shared port, gives `server` the socket
//! with setSocketDescriptor(), and returns whether it listens; on failure `errorString` (if given)
//! says why, in the words a QTcpServer would use. Outside a cluster it is server->listen(address,
//! port). For a LibCluster::TcpServer it calls its listen().
//!
//! Connections come as newConnection() and nextPendingConnection(), through the server's own
//! incomingConnection() (a QSslServer's handshake runs as usual). Under RoundRobin,
//! LeastConnections and Sticky the primary accepts and hands each connection to the server, whose
//! maxPendingConnections() is set to 0 so that its copy of the socket never accepts one itself;
//! under None and ReusePort the server accepts as Qt's does. QTcpServer::close() is not seen at
//! once: the primary learns it from the next connection it hands over, which it then gives to
//! another worker. Disconnecting the worker closes the server.
LIBCLUSTER_EXPORT bool listen(QTcpServer *server, const QHostAddress &address = QHostAddress::Any,
    quint16 port = 0, QString *errorString = nullptr);

} // namespace LibCluster
