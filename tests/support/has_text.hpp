// The one string question tests keep asking: is `part` somewhere in `text`?
#pragma once

#include <string_view>

namespace cobrador::testing {

inline bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace cobrador::testing
