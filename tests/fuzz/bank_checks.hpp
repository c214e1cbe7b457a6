// Properties every bank parser's entries keep, whatever the file (bank/bank_entry.hpp).
#pragma once

#include <vector>

#include "bank/bank_entry.hpp"
#include "fuzz_support.hpp"

namespace cobrador::fuzz {

inline void check_entries(const std::vector<bank::BankEntry>& entries) {
  for (const auto& entry : entries) {
    // "Always positive; the sign lives in direction."
    require(entry.amount.minor >= 0, "a bank entry with a negative amount");
    require(!entry.identity.empty(), "a bank entry without an identity");
  }
}

}  // namespace cobrador::fuzz
