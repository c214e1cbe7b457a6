// Builds the stable identity of a bank entry when the bank gave it no unique reference of its
// own, and keeps identities unique within one file.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "bank/bank_entry.hpp"

namespace cobrador::bank {

// 16 hex digits of a 64-bit FNV-1a hash of what the entry says: booking date, direction,
// amount, currency, reversal, return reason and references. FNV-1a is fixed by its
// definition (unlike std::hash), so the same line gives the same identity on every machine
// and every release.
std::string content_fingerprint(const BankEntry& entry);

// Appends "#2", "#3", ... to the second and later entries that share an identity. Two equal
// lines in one file are two payments, and a re-import of the same file numbers them the same
// way again, so de-duplication by identity stays correct in both cases.
void number_repeated_identities(std::vector<BankEntry>& entries);

// number_repeated_identities one entry at a time, in file order, for entries read as a stream.
// It remembers a 64-bit FNV-1a hash of each identity rather than the identity (a few MB for
// 100,000 entries instead of tens): should two different identities of one file share a hash
// (odds of one in 2^64 per pair), the second is numbered "#2", which is still unique and the
// same on every import of that file.
class IdentityNumbering {
 public:
  void number(BankEntry& entry);

 private:
  std::unordered_map<std::uint64_t, int> seen_;
};

}  // namespace cobrador::bank
