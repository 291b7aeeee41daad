// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// SshEndpoint: the ssh:// address and the ssh command line that reaches it.
#include "control/sshendpoint.h"

#include "control/controlpaths.h"

#include <QCoreApplication>
#include <QProcess>
#include <QUrl>

namespace LibCluster::Internal {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("LibCluster::ControlClient", text);
}

QStringList sshCommand()
{
    const QString configured = qEnvironmentVariable("LIBCLUSTER_SSH").trimmed();
    QStringList command = configured.isEmpty() ? QStringList() : QProcess::splitCommand(configured);
    if (command.isEmpty())
        command.append(QStringLiteral("ssh"));
    return command;
}

// Quoted for the remote user's shell, which runs the command ssh passes.
QString shellQuoted(const QString &word)
{
    QString quoted = word;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}
} // namespace

bool SshEndpoint::isSshAddress(const QString &endpoint)
{
    return endpoint.startsWith(QLatin1String("ssh://"), Qt::CaseInsensitive);
}

bool SshEndpoint::parse(const QString &text, SshEndpoint *endpoint, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return false;
    };
    const QString usage = tr("write a remote endpoint as ssh://[user@]host[:port]/NAME");
    if (!isSshAddress(text))
        return fail(tr("\"%1\" is not an ssh:// address: %2").arg(text, usage));
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(
            tr("\"%1\" is not a valid address (%2): %3").arg(text, url.errorString(), usage));
    if (url.host().isEmpty())
        return fail(tr("\"%1\" names no host: %2").arg(text, usage));
    // ssh would take a host or user starting with a dash for an option.
    if (url.host().startsWith(QLatin1Char('-')) || url.userName().startsWith(QLatin1Char('-')))
        return fail(tr("\"%1\": a host or user name cannot start with \"-\"").arg(text));
    if (!url.password().isEmpty())
        return fail(tr("\"%1\" holds a password: ssh logs in with its keys or agent, never with a "
                       "password in an address")
                        .arg(text));
    if (url.hasQuery() || url.hasFragment())
        return fail(tr("\"%1\" has a query or fragment: %2").arg(text, usage));
    const int port = url.port(0);
    if (port < 0 || port > 65535)
        return fail(tr("\"%1\": the port must be 1 to 65535").arg(text));
    const QString path = url.path();
    const QString name = path.startsWith(QLatin1Char('/')) ? path.mid(1) : QString();
    if (!ControlPaths::isValidName(name))
        return fail(tr("\"%1\": \"%2\" is not a valid endpoint name (1 to 64 letters, digits, "
                       "dots, dashes and underscores, not starting with a dot): %3")
                        .arg(text, name, usage));
    if (endpoint) {
        endpoint->user = url.userName();
        endpoint->host = url.host();
        endpoint->port = port;
        endpoint->name = name;
    }
    return true;
}

QString SshEndpoint::program() const
{
    return sshCommand().constFirst();
}

QStringList SshEndpoint::arguments() const
{
    QStringList arguments = sshCommand().mid(1);
    // Never a prompt: nobody is at a terminal to answer it. A link that dies without a word is
    // noticed within about 30 s.
    arguments << QStringLiteral("-o") << QStringLiteral("BatchMode=yes") << QStringLiteral("-o")
              << QStringLiteral("ServerAliveInterval=10") << QStringLiteral("-o")
              << QStringLiteral("ServerAliveCountMax=3") << QStringLiteral("-T");
    if (port > 0)
        arguments << QStringLiteral("-p") << QString::number(port);
    if (!user.isEmpty())
        arguments << QStringLiteral("-l") << user;
    QString runner = qEnvironmentVariable("LIBCLUSTER_REMOTE_RUNNER").trimmed();
    if (runner.isEmpty())
        runner = QStringLiteral("cluster-run");
    // The name is checked ([A-Za-z0-9._-]); quoted all the same.
    arguments << QStringLiteral("--") << host
              << QStringLiteral("%1 ctl %2 bridge").arg(shellQuoted(runner), shellQuoted(name));
    return arguments;
}

} // namespace LibCluster::Internal
