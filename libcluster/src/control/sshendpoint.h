// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// A control endpoint on another host, reached through OpenSSH: `ssh://[user@]host[:port]/NAME`.
// The client runs `ssh ... cluster-run ctl NAME bridge` and speaks the control protocol over its
// stdin and stdout; authentication, encryption and host keys are OpenSSH's.
#pragma once

#include <QString>
#include <QStringList>

namespace LibCluster::Internal {

class SshEndpoint
{
public:
    // True when `endpoint` is written as an ssh:// address (valid or not).
    static bool isSshAddress(const QString &endpoint);
    // Parses `ssh://[user@]host[:port]/NAME`; false, with `error` saying what is wrong, when
    // `text` is not such an address.
    static bool parse(const QString &text, SshEndpoint *endpoint, QString *error);

    // The ssh program and its arguments, the remote command last. The program and options come
    // from LIBCLUSTER_SSH when set (split like a shell would, e.g.
    // "ssh -F /etc/libcluster/ssh_config"), else "ssh"; they come before this library's own
    // options, so they win where both set one. LIBCLUSTER_REMOTE_RUNNER names the cluster-run
    // program on the remote host (default: "cluster-run", found through the remote PATH).
    QString program() const;
    QStringList arguments() const;

    QString user;
    QString host;
    int port = 0; // 0: ssh's own default (its config, else 22)
    QString name;
};

} // namespace LibCluster::Internal
