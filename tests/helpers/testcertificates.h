// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// The certificates of the suites that speak TLS, made at run time by the openssl command.
#pragma once

#include <QString>
#include <QTemporaryDir>

// In a temporary directory of its own: a self-signed certificate for localhost and 127.0.0.1
// (PEM, valid for two days) with its unencrypted EC private key, the servers' certificate and the
// clients' only CA (curl --cacert, QSslConfiguration::setCaCertificates()), and a stranger, a
// certificate of the same kind that signed nothing the servers have: the wrong CA for a client
// whose handshake must fail (openssl s_client -CAfile).
class TestCertificates
{
public:
    // Makes the files; false, with `failure` saying what to install or what failed, otherwise.
    bool make(QString *failure);
    // Whether the TLS clients the suites run (openssl, curl) are installed; what to do if not.
    static bool clientsInstalled(QString *failure);

    QString certificate() const { return m_dir.filePath(QStringLiteral("cert.pem")); }
    QString key() const { return m_dir.filePath(QStringLiteral("key.pem")); }
    QString stranger() const { return m_dir.filePath(QStringLiteral("stranger.pem")); }

private:
    QTemporaryDir m_dir;
};
