// The only place that reads the system clock (ARCHITECTURE rule 3). Everything else takes
// "now" as a parameter.
#pragma once

#include "util/instant.hpp"

namespace cobrador::clock {

Instant now();

}  // namespace cobrador::clock
