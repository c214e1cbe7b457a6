// Implements the promises-and-claims part of SqlStore: trust releases (table promises) and
// the payment claims of customers (payments with a claim_expires_on day), plus the customer's
// flag that an earlier claim was never confirmed.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/fragments.hpp"
#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

Promise read_promise(Row& row) {
  Promise p;
  row.into(p.id, p.customer_id, p.customer_ext_id, p.episode_id, p.granted_at, p.granted_on, p.deadline,
           p.granted_by, p.reason);
  p.outcome = row.parsed(parse_promise_outcome, PromiseOutcome::open);
  row.into(p.closed_at, p.forced, p.override_reason, p.claim_payment, p.released_services);
  return p;
}

constexpr RecordSelect<Promise> kPromises{
    "pr.id, pr.customer_id, c.ext_id, COALESCE(pr.episode_id, 0), pr.granted_at, pr.granted_on, "
    "pr.deadline, pr.granted_by, pr.reason, pr.outcome, pr.closed_at, pr.forced, pr.override_reason, "
    "COALESCE(p.ext_id, ''), pr.released_services",
    "promises pr JOIN customers c ON c.id = pr.customer_id "
    "LEFT JOIN payments p ON p.id = pr.claim_payment_id",
    read_promise};

Claim read_claim(Row& row) {
  Claim claim;
  claim.payment = read_payment(row);
  row.into(claim.customer_id, claim.customer_ext_id, claim.expires_on, claim.status_reason);
  return claim;
}

// The payment's columns, then what a claim adds (read_claim reads them in this order).
const std::string kClaimColumns =
    fmt::format("{}, i.customer_id, c.ext_id, p.claim_expires_on, p.status_reason", kPayments.columns);
// A claim's tables, the payments first: `{}` is where an index of payments may be named.
constexpr std::string_view kClaimTables =
    "payments p {} JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = i.customer_id";
const std::string kClaimsFrom = fmt::format(kClaimTables, "");
const RecordSelect<Claim> kClaims{kClaimColumns, kClaimsFrom, read_claim};
// The open claims through the index that holds just them (open_claims_of, on SQLite).
const std::string kOpenClaimsFrom = fmt::format(kClaimTables, "INDEXED BY payments_claims");

// The suspensions cancel_queued_suspensions() takes back, and the notices they silence.
struct Queued {
  std::int64_t id;
  std::string key, target, customer;
  std::int64_t episode;
  std::string stage;
};

}  // namespace

std::int64_t SqlStore::add_promise(const Promise& p) {
  auto& stmt = db_.prepare(fmt::format(
      "INSERT INTO promises (customer_id, episode_id, granted_at, granted_on, deadline, granted_by, reason, "
      "forced, override_reason, claim_payment_id, released_services) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM payments WHERE ext_id = ?), ?){}",
      db_.returning_id()));
  stmt.bind_all(p.customer_id, id_or_null(p.episode_id), to_unix(p.granted_at), to_day_number(p.granted_on),
                to_day_number(p.deadline), p.granted_by, p.reason, p.forced ? 1 : 0, p.override_reason,
                p.claim_payment, join_list(p.released_services));
  return *db_.inserted_id(stmt);
}

std::vector<Promise> SqlStore::promises_of(std::int64_t customer_id) {
  return select_all(db_, kPromises, "WHERE pr.customer_id = ? ORDER BY pr.granted_at, pr.id", customer_id);
}

std::optional<Promise> SqlStore::open_promise(std::int64_t customer_id) {
  auto open = open_promises_of_batch({&customer_id, 1});
  if (open.empty()) return std::nullopt;
  return std::move(open.front());
}

std::vector<Promise> SqlStore::open_promises_of_batch(std::span<const std::int64_t> customer_ids) {
  return select_all(db_, kPromises,
                    fmt::format("WHERE {} AND pr.outcome = 'open' ORDER BY pr.customer_id, pr.id",
                                in_id_list(db_.dialect(), "pr.customer_id")),
                    id_list(db_.dialect(), customer_ids));
}

std::vector<Promise> SqlStore::list_promises(std::optional<PromiseOutcome> outcome) {
  return select_all(
      db_, kPromises,
      "WHERE (CAST(?1 AS TEXT) IS NULL OR pr.outcome = ?1) ORDER BY pr.granted_at DESC, pr.id DESC",
      name_or_null(outcome));
}

void SqlStore::close_promise(std::int64_t promise_id, PromiseOutcome outcome, Instant at) {
  db_.prepare("UPDATE promises SET outcome = ?, closed_at = ? WHERE id = ? AND outcome = 'open'")
      .bind_all(to_string(outcome), to_unix(at), promise_id)
      .run();
}

void SqlStore::move_promise_deadline(std::int64_t promise_id, Date deadline) {
  db_.prepare("UPDATE promises SET deadline = ? WHERE id = ? AND outcome = 'open'")
      .bind_all(to_day_number(deadline), promise_id)
      .run();
}

std::vector<std::string> SqlStore::cancel_queued_suspensions(std::int64_t customer_id, Instant now,
                                                             std::string_view why, std::string_view actor) {
  auto& find = db_.prepare(fmt::format(
      "SELECT a.id, a.key, a.target, c.ext_id, COALESCE(a.episode_id, 0), a.stage FROM actions a "
      "JOIN customers c ON c.id = a.customer_id "
      "WHERE a.customer_id = ? AND a.kind = 'suspend' AND a.state IN ('pending', 'failed') "
      "AND {} = 'non_payment' AND NOT {} ORDER BY a.id",
      json_text(db_.dialect(), "a.payload", "reason"), json_flag(db_.dialect(), "a.payload", "lock")));
  find.bind(1, customer_id);
  const auto queued = read_rows(find, read_fields<&Queued::id, &Queued::key, &Queued::target,
                                                  &Queued::customer, &Queued::episode, &Queued::stage>);
  // The stage's own notice ("you are suspended") is not sent for a suspension that waits.
  auto& notices = db_.prepare(
      "SELECT id, key FROM actions WHERE episode_id = ? AND stage = ? AND kind = 'notify' "
      "AND state IN ('pending', 'failed') ORDER BY id");
  std::vector<Queued> silenced;
  std::set<std::pair<std::int64_t, std::string>> stages;
  for (const auto& q : queued) {
    if (!stages.emplace(q.episode, q.stage).second) continue;
    notices.bind_all(q.episode, q.stage);
    while (notices.step()) silenced.push_back({notices.int64(0), notices.text(1), "", q.customer, 0, ""});
  }
  std::vector<std::string> targets;
  for (const auto& q : queued) {
    cancel_action(q.id, now, actor, why);
    if (std::find(targets.begin(), targets.end(), q.target) == targets.end()) targets.push_back(q.target);
  }
  for (const auto& n : silenced) cancel_action(n.id, now, actor, why);
  return targets;
}

void SqlStore::set_claim_expiry(std::int64_t payment_id, Date expires_on) {
  db_.prepare("UPDATE payments SET claim_expires_on = ? WHERE id = ?")
      .bind_all(to_day_number(expires_on), payment_id)
      .run();
  db_.prepare(fmt::format(
                  "UPDATE customers SET next_eval = {} "
                  "WHERE id = (SELECT i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                  "WHERE p.id = ?2)",
                  least(db_.dialect(), "next_eval", "?1")))
      .bind_all(to_day_number(expires_on), payment_id)
      .run();
}

std::vector<Claim> SqlStore::claims(std::optional<std::int64_t> customer_id) {
  return select_all(
      db_, kClaims,
      "WHERE (p.claim_expires_on IS NOT NULL OR p.status = 'claimed') AND (CAST(?1 AS BIGINT) IS "
      "NULL OR i.customer_id = ?1) ORDER BY p.recorded_at DESC, p.id DESC",
      customer_id);
}

std::vector<Claim> SqlStore::open_claims(std::int64_t customer_id) {
  return open_claims_of({&customer_id, 1});
}

// A batch's open claims are found from the claims, not from the customers: SQLite, which keeps
// no statistics, would otherwise look up every invoice of every customer of the batch (five
// per customer on the bench book) to find the few claimed payments, 3.5% of a first walk on a
// book without a single claim (docs/benchmarks.md, *The first day at book size*). The open
// claims are few, and `payments_claims` holds just them.
std::vector<Claim> SqlStore::open_claims_of(std::span<const std::int64_t> customer_ids) {
  const RecordSelect<Claim> claims{kClaimColumns, db_.pick(kOpenClaimsFrom, kClaimsFrom), read_claim};
  return select_all(db_, claims,
                    fmt::format("WHERE p.status = 'claimed' AND {} ORDER BY i.customer_id, p.id",
                                in_id_list(db_.dialect(), "i.customer_id")),
                    id_list(db_.dialect(), customer_ids));
}

void SqlStore::set_payment_status(std::int64_t payment_id, PaymentStatus status, std::string_view reason) {
  db_.prepare("UPDATE payments SET status = ?, status_reason = ? WHERE id = ?")
      .bind_all(to_string(status), reason, payment_id)
      .run();
  db_.prepare(
         "UPDATE customers SET next_eval = 0 WHERE id = "
         "(SELECT i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id = ?)")
      .bind(1, payment_id)
      .run();
}

void SqlStore::flag_claims(std::int64_t customer_id, Instant at) {
  db_.prepare("UPDATE customers SET claims_flagged_at = COALESCE(claims_flagged_at, ?) WHERE id = ?")
      .bind_all(to_unix(at), customer_id)
      .run();
}

std::optional<Instant> SqlStore::claims_flagged_at(std::int64_t customer_id) {
  auto& stmt = db_.prepare("SELECT claims_flagged_at FROM customers WHERE id = ?");
  stmt.bind(1, customer_id);
  return read_first(stmt, [](Row& row) { return row.optional_instant(); }).value_or(std::nullopt);
}

// As open_claims_of: the customers with a claim that expires are found from the claims.
void SqlStore::bring_forward_to_claim_expiry(std::span<const std::int64_t> customer_ids) {
  db_.prepare(
         fmt::format("UPDATE customers SET next_eval = {} FROM (SELECT i.customer_id AS id, "
                     "MIN(p.claim_expires_on) AS expiry FROM payments p {} JOIN invoices i ON i.id = "
                     "p.invoice_id WHERE p.status = 'claimed' AND p.claim_expires_on IS NOT NULL GROUP BY "
                     "i.customer_id) AS e WHERE customers.id = e.id AND {}",
                     least(db_.dialect(), "customers.next_eval", "e.expiry"),
                     db_.pick("INDEXED BY payments_claims", ""), in_id_list(db_.dialect(), "customers.id")))
      .bind(1, id_list(db_.dialect(), customer_ids))
      .run();
}

}  // namespace cobrador::store::sql
