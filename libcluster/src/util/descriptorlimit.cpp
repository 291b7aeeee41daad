// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Raising the soft open-file limit.
#include "util/descriptorlimit.h"

#include <sys/resource.h>

namespace LibCluster::Internal::DescriptorLimit {

void raiseSoftToHard()
{
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
        return;
    limit.rlim_cur = limit.rlim_max;
    // Some kernels refuse RLIM_INFINITY for this resource; the hard limit then stays unusable as
    // a soft one and the soft limit stays where it was, which is no worse than before.
    (void)::setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace LibCluster::Internal::DescriptorLimit
