// A self-signed certificate for the TLS suites, made at run time by the openssl command.
#pragma once

#include <QString>

// Writes a self-signed certificate for localhost and 127.0.0.1 (PEM, valid for two days) to
// `certificatePath` and its unencrypted EC private key to `keyPath`; the certificate is its own
// CA, for curl --cacert and QSslConfiguration::setCaCertificates(). False, with `failure` set,
// when openssl is missing or fails.
bool makeTestCertificate(const QString &certificatePath, const QString &keyPath, QString *failure);
