// Builds the stable identity of a bank entry when the bank gave it no unique reference of its
// own, and keeps identities unique within one file.
#pragma once

#include <string>
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

}  // namespace cobrador::bank
