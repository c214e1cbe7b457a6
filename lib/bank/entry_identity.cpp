// Implements entry identities: a canonical text of the entry hashed with FNV-1a 64.
#include "bank/entry_identity.hpp"

#include <cstdint>
#include <map>

#include <fmt/format.h>

namespace cobrador::bank {

namespace {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// One field per '|'; references as kind=value. Only what the bank wrote goes in, never the
// position in the file, so that the same line found in two files gets the same identity.
std::string canonical_text(const BankEntry& entry) {
  std::string text = fmt::format("{}|{}|{}|{}|{}|{}", format_date(entry.booking_date),
                                 to_string(entry.direction), entry.amount.minor, entry.amount.currency.code(),
                                 entry.reversal ? 1 : 0, entry.return_reason);
  for (const auto& reference : entry.references) {
    text += fmt::format("|{}={}", static_cast<int>(reference.kind), reference.value);
  }
  return text;
}

}  // namespace

std::string content_fingerprint(const BankEntry& entry) {
  return fmt::format("{:016x}", fnv1a64(canonical_text(entry)));
}

void number_repeated_identities(std::vector<BankEntry>& entries) {
  std::map<std::string, int> seen;
  for (auto& entry : entries) {
    const int count = ++seen[entry.identity];
    if (count > 1) entry.identity += fmt::format("#{}", count);
  }
}

void IdentityNumbering::number(BankEntry& entry) {
  const int count = ++seen_[fnv1a64(entry.identity)];
  if (count > 1) entry.identity += fmt::format("#{}", count);
}

}  // namespace cobrador::bank
