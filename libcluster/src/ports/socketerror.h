// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Why a shared socket could not be made, as the matching Qt class would report it.
#pragma once

#include <QAbstractSocket>
#include <QString>

namespace LibCluster::Internal {

struct SocketError
{
    QAbstractSocket::SocketError error = QAbstractSocket::UnknownSocketError;
    QString errorString;
};

} // namespace LibCluster::Internal
