// Implements the words of PromiseOutcome.
#include "domain/promise.hpp"

namespace cobrador {

std::string_view to_string(PromiseOutcome value) {
  switch (value) {
    case PromiseOutcome::open:
      return "open";
    case PromiseOutcome::kept:
      return "kept";
    case PromiseOutcome::broken:
      return "broken";
  }
  return "open";
}

std::optional<PromiseOutcome> parse_promise_outcome(std::string_view text) {
  if (text == "open") return PromiseOutcome::open;
  if (text == "kept") return PromiseOutcome::kept;
  if (text == "broken") return PromiseOutcome::broken;
  return std::nullopt;
}

}  // namespace cobrador
