// SPDX-FileCopyrightText: 2026 The libcluster authors
// SPDX-License-Identifier: BSD-3-Clause

// Makes the icons compiled into the monitor's static library available.
#pragma once

namespace Monitor {

class MonitorResources
{
public:
    // Registers the icon resources; safe to call more than once.
    static void init();
};

} // namespace Monitor
