// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// TestCertificates: `openssl req -x509`, bounded in time.
#include "testcertificates.h"

#include <QProcess>
#include <QStandardPaths>

namespace {
bool makeCertificate(const QString &certificatePath, const QString &keyPath, QString *failure)
{
    QProcess openssl;
    openssl.setStandardInputFile(QProcess::nullDevice());
    openssl.start(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certificatePath,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1") });
    if (!openssl.waitForFinished(10000) || openssl.exitStatus() != QProcess::NormalExit
        || openssl.exitCode() != 0) {
        *failure = QStringLiteral("openssl req failed: ") + openssl.errorString() + u' '
            + QString::fromLocal8Bit(openssl.readAllStandardError());
        openssl.kill();
        openssl.waitForFinished();
        return false;
    }
    return true;
}
} // namespace

bool TestCertificates::make(QString *failure)
{
    if (!m_dir.isValid()) {
        *failure = QStringLiteral("no temporary directory: ") + m_dir.errorString();
        return false;
    }
    return makeCertificate(certificate(), key(), failure)
        && makeCertificate(stranger(), m_dir.filePath(QStringLiteral("stranger.key")), failure);
}

bool TestCertificates::clientsInstalled(QString *failure)
{
    for (const char *tool : { "openssl", "curl" }) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) {
            *failure = QStringLiteral("%1 is not installed (apt-get install curl openssl, or "
                                      "scripts/deps.sh)")
                           .arg(QString::fromLatin1(tool));
            return false;
        }
    }
    return true;
}
