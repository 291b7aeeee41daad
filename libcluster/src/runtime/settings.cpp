// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Settings: each field remembers whether it was set, so setupPrimary() can merge like Node's.
#include <libcluster/settings.h>

#include "util/logging.h"

#include <QCoreApplication>

#include <optional>

namespace LibCluster {

class SettingsPrivate : public QSharedData
{
public:
    std::optional<QString> exec;
    std::optional<QStringList> args;
    std::optional<bool> silent;
    std::optional<QString> cwd;
    std::optional<QProcessEnvironment> env;
    std::optional<int> uid;
    std::optional<int> gid;
    std::optional<SchedulingPolicy> schedulingPolicy;
    std::optional<QList<int>> extraPipes;
    std::optional<int> listenWarningTimeout;
    std::optional<int> requestTimeout;
    std::optional<int> drainTimeout;
};

Settings::Settings()
    : d(new SettingsPrivate)
{ }
Settings::Settings(const Settings &other) = default;
Settings &Settings::operator=(const Settings &other) = default;
Settings::~Settings() = default;

QString Settings::exec() const
{
    return d->exec.value_or(QCoreApplication::applicationFilePath());
}
void Settings::setExec(const QString &program)
{
    d->exec = program;
}
bool Settings::hasExec() const
{
    return d->exec.has_value();
}

QStringList Settings::args() const
{
    if (d->args)
        return *d->args;
    return QCoreApplication::arguments().mid(1);
}
void Settings::setArgs(const QStringList &arguments)
{
    d->args = arguments;
}
bool Settings::hasArgs() const
{
    return d->args.has_value();
}

bool Settings::silent() const
{
    return d->silent.value_or(false);
}
void Settings::setSilent(bool silent)
{
    d->silent = silent;
}
bool Settings::hasSilent() const
{
    return d->silent.has_value();
}

QString Settings::cwd() const
{
    return d->cwd.value_or(QString());
}
void Settings::setCwd(const QString &directory)
{
    d->cwd = directory;
}
bool Settings::hasCwd() const
{
    return d->cwd.has_value();
}

QProcessEnvironment Settings::env() const
{
    return d->env.value_or(QProcessEnvironment::systemEnvironment());
}
void Settings::setEnv(const QProcessEnvironment &environment)
{
    d->env = environment;
}
bool Settings::hasEnv() const
{
    return d->env.has_value();
}

int Settings::uid() const
{
    return d->uid.value_or(-1);
}
void Settings::setUid(int uid)
{
    d->uid = uid;
}
bool Settings::hasUid() const
{
    return d->uid.has_value();
}

int Settings::gid() const
{
    return d->gid.value_or(-1);
}
void Settings::setGid(int gid)
{
    d->gid = gid;
}
bool Settings::hasGid() const
{
    return d->gid.has_value();
}

QList<int> Settings::extraPipes() const
{
    return d->extraPipes.value_or(QList<int>());
}
void Settings::setExtraPipes(const QList<int> &descriptors)
{
    QString why;
    if (descriptors.size() > MaxExtraPipes)
        why = QStringLiteral("%1 descriptors given, at most %2 are allowed")
                  .arg(descriptors.size())
                  .arg(MaxExtraPipes);
    for (int i = 0; why.isEmpty() && i < descriptors.size(); ++i) {
        const int fd = descriptors.at(i);
        if (fd < 3 || fd > MaxExtraPipeDescriptor)
            why = QStringLiteral("descriptor %1 is outside 3..%2 (0, 1 and 2 are the worker's "
                                 "stdin, stdout and stderr)")
                      .arg(fd)
                      .arg(MaxExtraPipeDescriptor);
        else if (descriptors.indexOf(fd) != i)
            why = QStringLiteral("descriptor %1 is given twice").arg(fd);
    }
    if (!why.isEmpty()) {
        qCWarning(Internal::lcPrimary).noquote()
            << "Settings::setExtraPipes() refused:" << why << "; the setting is unchanged";
        return;
    }
    d->extraPipes = descriptors;
}
bool Settings::hasExtraPipes() const
{
    return d->extraPipes.has_value();
}

SchedulingPolicy Settings::schedulingPolicy() const
{
    if (d->schedulingPolicy)
        return *d->schedulingPolicy;
    SchedulingPolicy fromEnvironment = SchedulingPolicy::RoundRobin;
    schedulingPolicyFromName(qEnvironmentVariable("LIBCLUSTER_SCHED_POLICY"), &fromEnvironment);
    return fromEnvironment;
}
void Settings::setSchedulingPolicy(SchedulingPolicy policy)
{
    d->schedulingPolicy = policy;
}
bool Settings::hasSchedulingPolicy() const
{
    return d->schedulingPolicy.has_value();
}

int Settings::listenWarningTimeout() const
{
    return d->listenWarningTimeout.value_or(DefaultListenWarningTimeout);
}
void Settings::setListenWarningTimeout(int msecs)
{
    if (msecs < 0 || msecs > MaxListenWarningTimeout) {
        qCWarning(Internal::lcPrimary).nospace()
            << "Settings::setListenWarningTimeout(" << msecs << ") refused: use 0 to turn the "
            << "warning off, or 1 to " << MaxListenWarningTimeout
            << " ms; the setting is unchanged";
        return;
    }
    d->listenWarningTimeout = msecs;
}
bool Settings::hasListenWarningTimeout() const
{
    return d->listenWarningTimeout.has_value();
}

int Settings::requestTimeout() const
{
    return d->requestTimeout.value_or(DefaultRequestTimeout);
}
void Settings::setRequestTimeout(int msecs)
{
    if (msecs < MinRequestTimeout || msecs > MaxRequestTimeout) {
        qCWarning(Internal::lcPrimary).nospace()
            << "Settings::setRequestTimeout(" << msecs << ") refused: use " << MinRequestTimeout
            << " to " << MaxRequestTimeout << " ms; the setting is unchanged";
        return;
    }
    d->requestTimeout = msecs;
}
bool Settings::hasRequestTimeout() const
{
    return d->requestTimeout.has_value();
}

int Settings::drainTimeout() const
{
    return d->drainTimeout.value_or(DefaultDrainTimeout);
}
void Settings::setDrainTimeout(int msecs)
{
    if (msecs < 0 || msecs > MaxDrainTimeout) {
        qCWarning(Internal::lcPrimary).nospace()
            << "Settings::setDrainTimeout(" << msecs << ") refused: use 0 to " << MaxDrainTimeout
            << " ms; the setting is unchanged";
        return;
    }
    d->drainTimeout = msecs;
}
bool Settings::hasDrainTimeout() const
{
    return d->drainTimeout.has_value();
}

void Settings::merge(const Settings &other)
{
    const SettingsPrivate &o = *other.d;
    if (o.exec)
        d->exec = o.exec;
    if (o.args)
        d->args = o.args;
    if (o.silent)
        d->silent = o.silent;
    if (o.cwd)
        d->cwd = o.cwd;
    if (o.env)
        d->env = o.env;
    if (o.uid)
        d->uid = o.uid;
    if (o.gid)
        d->gid = o.gid;
    if (o.schedulingPolicy)
        d->schedulingPolicy = o.schedulingPolicy;
    if (o.extraPipes)
        d->extraPipes = o.extraPipes;
    if (o.listenWarningTimeout)
        d->listenWarningTimeout = o.listenWarningTimeout;
    if (o.requestTimeout)
        d->requestTimeout = o.requestTimeout;
    if (o.drainTimeout)
        d->drainTimeout = o.drainTimeout;
}

bool Settings::operator==(const Settings &other) const
{
    const SettingsPrivate &a = *d;
    const SettingsPrivate &b = *other.d;
    return a.exec == b.exec && a.args == b.args && a.silent == b.silent && a.cwd == b.cwd
        && a.env == b.env && a.uid == b.uid && a.gid == b.gid
        && a.schedulingPolicy == b.schedulingPolicy && a.extraPipes == b.extraPipes
        && a.listenWarningTimeout == b.listenWarningTimeout && a.requestTimeout == b.requestTimeout
        && a.drainTimeout == b.drainTimeout;
}

} // namespace LibCluster
