// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// MonitorResources: a static library's resources stay out of the link unless something names them.
#include "monitorresources.h"

#include <QtGlobal>

static void initMonitorResources()
{
    Q_INIT_RESOURCE(monitor);
}

namespace Monitor {

void MonitorResources::init()
{
    static const bool done = (initMonitorResources(), true);
    Q_UNUSED(done);
}

} // namespace Monitor
