// Implements store/sql/payment_row.hpp.
#include "store/sql/payment_row.hpp"

namespace cobrador::store::sql {

Currency stored_currency(const std::string& code) {
  auto currency = Currency::parse(code);
  if (!currency) throw StoreError("stored currency is not valid: " + code);
  return *currency;
}

Payment read_payment(const Statement& stmt) {
  Payment p;
  p.id = stmt.int64(0);
  p.ext_id = stmt.text(1);
  p.invoice_id = stmt.int64(2);
  p.invoice_ext_id = stmt.text(3);
  p.amount = Money{stmt.int64(4), stored_currency(stmt.text(5))};
  p.method = stmt.text(6);
  p.source = stmt.text(7);
  p.reference = stmt.text(8);
  p.evidence = stmt.text(9);
  p.status = parse_payment_status(stmt.text(10)).value_or(PaymentStatus::pending);
  p.received_on = from_day_number(stmt.int64(11));
  return p;
}

}  // namespace cobrador::store::sql
