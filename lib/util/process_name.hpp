// What names this process among those sharing a database: the daemons' walk leadership,
// pg_stat_activity, /healthz, and the dispatcher's leases all use it.
#pragma once

#include <string>

namespace cobrador {

// "HOST:PID".
std::string host_and_pid();

// "PROGRAM HOST:PID", e.g. "cobradord web-1:902" (the program as it was started).
std::string process_name();

}  // namespace cobrador
