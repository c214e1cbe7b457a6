// The records more than one part of SqlStore reads: payments (billing, the API, claims, the
// bank) and outbox actions (the walk, the dispatcher, the operator, the API). Each is selected
// and read here once, so that those reads cannot drift apart.
#pragma once

#include "domain/entities.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/row.hpp"

namespace cobrador::store::sql {

// Each reads its record's columns (below) from where the row stands, and leaves the row on
// the column after them: a claim reads on after its payment.
Payment read_payment(Row& row);
Action read_action(Row& row);

// A payment with its invoice's external id; `p` is the payment and `i` its invoice.
inline constexpr RecordSelect<Payment> kPayments{
    "p.id, p.ext_id, p.invoice_id, i.ext_id, p.amount, p.currency, p.method, p.source, p.reference, "
    "p.evidence, p.status, p.received_on, p.return_reason",
    "payments p JOIN invoices i ON i.id = p.invoice_id", read_payment};

// No table alias: the dispatcher's claims return these columns from an UPDATE.
inline constexpr RecordSelect<Action> kActions{
    "id, key, kind, COALESCE(customer_id, 0), COALESCE(episode_id, 0), stage, target, payload, state, "
    "attempts, next_attempt_at, last_error, created_at, done_at",
    "actions", read_action};

}  // namespace cobrador::store::sql
