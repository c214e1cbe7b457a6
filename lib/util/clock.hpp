// The only place that reads the system clock (ARCHITECTURE rule 3). Everything else takes
// "now" as a parameter.
#pragma once

#include "domain/date.hpp"

namespace cobrador::clock {

Instant now();

}  // namespace cobrador::clock
