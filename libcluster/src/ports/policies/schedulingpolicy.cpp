// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Policy names, as LIBCLUSTER_SCHED_POLICY and command lines spell them.
#include <libcluster/schedulingpolicy.h>

namespace LibCluster {

namespace {
struct PolicyName
{
    SchedulingPolicy policy;
    const char *name;
};
constexpr PolicyName names[] = {
    { SchedulingPolicy::RoundRobin, "rr" },
    { SchedulingPolicy::None, "none" },
    { SchedulingPolicy::ReusePort, "reuseport" },
    { SchedulingPolicy::LeastConnections, "leastconn" },
    { SchedulingPolicy::Sticky, "sticky" },
};
} // namespace

QString schedulingPolicyName(SchedulingPolicy policy)
{
    for (const PolicyName &entry : names)
        if (entry.policy == policy)
            return QLatin1String(entry.name);
    return QString();
}

bool schedulingPolicyFromName(const QString &name, SchedulingPolicy *policy)
{
    for (const PolicyName &entry : names) {
        if (name.compare(QLatin1String(entry.name), Qt::CaseInsensitive) == 0) {
            *policy = entry.policy;
            return true;
        }
    }
    return false;
}

} // namespace LibCluster
