// Collects the references of a bank entry: trimmed, without empties and without repeats, so
// that reports list each reference once and matching never sees a blank.
#pragma once

#include <string_view>
#include <vector>

#include "bank/bank_entry.hpp"

namespace cobrador::bank {

// Adds value (trimmed) unless it is empty or already present, ignoring ASCII case; the
// first kind seen for a value is kept.
void add_reference(std::vector<Reference>& references, ReferenceKind kind, std::string_view value);

// Adds every word of free remittance text (see split_words) as a remittance_token.
void add_remittance_words(std::vector<Reference>& references, std::string_view text);

}  // namespace cobrador::bank
