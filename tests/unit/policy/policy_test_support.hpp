// What the policy tests share: dates written as they are read.
#pragma once

#include "domain/date.hpp"

namespace cobrador::policy_tests {

inline Date d(const char* text) { return *parse_date(text); }

}  // namespace cobrador::policy_tests
