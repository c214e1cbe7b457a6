// One `payments` row (joined to its invoice for the invoice's external id) as a Payment: the
// columns every read selects and the reader, so that the billing, API, claims and bank reads
// cannot drift apart.
#pragma once

#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "store/sql/connection.hpp"

namespace cobrador::store::sql {

// Selected with the payment aliased `p` and its invoice `i`, in the order read_payment() reads them.
inline constexpr std::string_view kPaymentColumns =
    "p.id, p.ext_id, p.invoice_id, i.ext_id, p.amount, p.currency, p.method, p.source, p.reference, "
    "p.evidence, p.status, p.received_on";
inline constexpr int kPaymentColumnCount = 12;

// Reads the payment of the row a statement selecting kPaymentColumns (from column 0) stands on.
Payment read_payment(const Statement& stmt);

// A currency code read back from the store; a StoreError if it is not one (a damaged row).
Currency stored_currency(const std::string& code);

}  // namespace cobrador::store::sql
