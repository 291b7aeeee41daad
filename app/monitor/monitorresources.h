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
