// The credits and open invoices the reconciliation tests match against each other.
#pragma once

#include <fmt/format.h>

#include "bank/reconcile.hpp"
#include "bank_test_support.hpp"

namespace cobrador::bank::testing {

// A booked credit with the given words as remittance text (like camt RmtInf/Ustrd).
inline BankEntry credit(std::int64_t minor, const char* currency, std::vector<std::string> words = {}) {
  BankEntry entry;
  entry.booking_date = day("2026-11-20");
  entry.amount = money(minor, currency);
  entry.direction = Direction::credit;
  entry.booked = true;
  entry.status_code = "BOOK";
  for (auto& word : words) entry.references.push_back({ReferenceKind::remittance_token, std::move(word)});
  entry.origin = "line 9";
  return entry;
}

inline OpenInvoice invoice(std::int64_t id, std::string external_id, std::int64_t minor,
                           const char* currency) {
  return OpenInvoice{
      id, std::move(external_id), id * 100, money(minor, currency), fmt::format("cus-{}", id * 100), ""};
}

}  // namespace cobrador::bank::testing
