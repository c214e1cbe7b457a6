// Implements the words of PromiseOutcome.
#include "domain/promise.hpp"

#include "util/enum_names.hpp"

namespace cobrador {

namespace {

constexpr EnumName<PromiseOutcome> kPromiseOutcomeNames[]{
    {PromiseOutcome::open, "open"}, {PromiseOutcome::kept, "kept"}, {PromiseOutcome::broken, "broken"}};

}  // namespace

std::string_view to_string(PromiseOutcome value) { return name_of(kPromiseOutcomeNames, value, "open"); }

std::optional<PromiseOutcome> parse_promise_outcome(std::string_view text) {
  return value_named(kPromiseOutcomeNames, text);
}

}  // namespace cobrador
