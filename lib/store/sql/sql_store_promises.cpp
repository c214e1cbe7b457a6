// Implements the promises-and-claims part of SqlStore: trust releases (table promises) and
// the payment claims of customers (payments with a claim_expires_on day), plus the customer's
// flag that an earlier claim was never confirmed.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/fragments.hpp"
#include "store/sql/payment_row.hpp"
#include "store/sql/sql_store.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

constexpr std::string_view kPromiseSelect =
    "SELECT pr.id, pr.customer_id, c.ext_id, COALESCE(pr.episode_id, 0), pr.granted_at, pr.granted_on, "
    "pr.deadline, "
    "pr.granted_by, pr.reason, pr.outcome, pr.closed_at, pr.forced, pr.override_reason, COALESCE(p.ext_id, "
    "''), "
    "pr.released_services FROM promises pr JOIN customers c ON c.id = pr.customer_id "
    "LEFT JOIN payments p ON p.id = pr.claim_payment_id ";

Promise read_promise(const Statement& stmt) {
  Promise p;
  p.id = stmt.int64(0);
  p.customer_id = stmt.int64(1);
  p.customer_ext_id = stmt.text(2);
  p.episode_id = stmt.int64(3);
  p.granted_at = from_unix(stmt.int64(4));
  p.granted_on = from_day_number(stmt.int64(5));
  p.deadline = from_day_number(stmt.int64(6));
  p.granted_by = stmt.text(7);
  p.reason = stmt.text(8);
  p.outcome = parse_promise_outcome(stmt.text(9)).value_or(PromiseOutcome::open);
  if (const auto closed = stmt.optional_int64(10)) p.closed_at = from_unix(*closed);
  p.forced = stmt.int64(11) != 0;
  p.override_reason = stmt.text(12);
  p.claim_payment = stmt.text(13);
  p.released_services = split_list(stmt.text(14));
  return p;
}

std::vector<Promise> read_promises(Statement& stmt) {
  std::vector<Promise> out;
  while (stmt.step()) out.push_back(read_promise(stmt));
  return out;
}

// The payment's columns, then what a claim adds (read_claim reads them in this order).
const std::string kClaimSelect = fmt::format(
    "SELECT {}, i.customer_id, c.ext_id, p.claim_expires_on, p.status_reason "
    "FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN customers c ON c.id = i.customer_id ",
    kPaymentColumns);

Claim read_claim(const Statement& stmt) {
  Claim claim;
  claim.payment = read_payment(stmt);
  constexpr int c = kPaymentColumnCount;
  claim.customer_id = stmt.int64(c);
  claim.customer_ext_id = stmt.text(c + 1);
  if (const auto expires = stmt.optional_int64(c + 2)) claim.expires_on = from_day_number(*expires);
  claim.status_reason = stmt.text(c + 3);
  return claim;
}

std::vector<Claim> read_claims(Statement& stmt) {
  std::vector<Claim> out;
  while (stmt.step()) out.push_back(read_claim(stmt));
  return out;
}

}  // namespace

std::int64_t SqlStore::add_promise(const Promise& p) {
  auto& stmt = db_.prepare(fmt::format(
      "INSERT INTO promises (customer_id, episode_id, granted_at, granted_on, deadline, granted_by, reason, "
      "forced, override_reason, claim_payment_id, released_services) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM payments WHERE ext_id = ?), ?){}",
      db_.returning_id()));
  stmt.bind(1, p.customer_id);
  if (p.episode_id)
    stmt.bind(2, p.episode_id);
  else
    stmt.bind_null(2);
  stmt.bind(3, to_unix(p.granted_at)).bind(4, to_day_number(p.granted_on)).bind(5, to_day_number(p.deadline));
  stmt.bind(6, p.granted_by).bind(7, p.reason).bind(8, p.forced ? 1 : 0).bind(9, p.override_reason);
  stmt.bind(10, p.claim_payment).bind(11, join_list(p.released_services));
  return *db_.inserted_id(stmt);
}

std::vector<Promise> SqlStore::promises_of(std::int64_t customer_id) {
  auto& stmt =
      db_.prepare(fmt::format("{} WHERE pr.customer_id = ? ORDER BY pr.granted_at, pr.id", kPromiseSelect));
  stmt.bind(1, customer_id);
  return read_promises(stmt);
}

std::optional<Promise> SqlStore::open_promise(std::int64_t customer_id) {
  auto& stmt =
      db_.prepare(fmt::format("{} WHERE pr.customer_id = ? AND pr.outcome = 'open'", kPromiseSelect));
  stmt.bind(1, customer_id);
  if (!stmt.step()) return std::nullopt;
  auto promise = read_promise(stmt);
  stmt.reset();
  return promise;
}

std::vector<Promise> SqlStore::list_promises(std::optional<PromiseOutcome> outcome) {
  auto& stmt = db_.prepare(fmt::format(
      "{} WHERE (CAST(?1 AS TEXT) IS NULL OR pr.outcome = ?1) ORDER BY pr.granted_at DESC, pr.id DESC",
      kPromiseSelect));
  if (outcome)
    stmt.bind(1, to_string(*outcome));
  else
    stmt.bind_null(1);
  return read_promises(stmt);
}

void SqlStore::close_promise(std::int64_t promise_id, PromiseOutcome outcome, Instant at) {
  db_.prepare("UPDATE promises SET outcome = ?, closed_at = ? WHERE id = ? AND outcome = 'open'")
      .bind(1, to_string(outcome))
      .bind(2, to_unix(at))
      .bind(3, promise_id)
      .run();
}

void SqlStore::move_promise_deadline(std::int64_t promise_id, Date deadline) {
  db_.prepare("UPDATE promises SET deadline = ? WHERE id = ? AND outcome = 'open'")
      .bind(1, to_day_number(deadline))
      .bind(2, promise_id)
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
  struct Queued {
    std::int64_t id;
    std::string key, target, customer;
    std::int64_t episode;
    std::string stage;
  };
  std::vector<Queued> queued;
  while (find.step()) {
    queued.push_back({find.int64(0), find.text(1), find.text(2), find.text(3), find.int64(4), find.text(5)});
  }
  // The stage's own notice ("you are suspended") is not sent for a suspension that waits.
  auto& notices = db_.prepare(
      "SELECT id, key FROM actions WHERE episode_id = ? AND stage = ? AND kind = 'notify' "
      "AND state IN ('pending', 'failed') ORDER BY id");
  std::vector<Queued> silenced;
  std::set<std::pair<std::int64_t, std::string>> stages;
  for (const auto& q : queued) {
    if (!stages.emplace(q.episode, q.stage).second) continue;
    notices.bind(1, q.episode).bind(2, q.stage);
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
      .bind(1, to_day_number(expires_on))
      .bind(2, payment_id)
      .run();
  db_.prepare(fmt::format(
                  "UPDATE customers SET next_eval = {} "
                  "WHERE id = (SELECT i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                  "WHERE p.id = ?2)",
                  least(db_.dialect(), "next_eval", "?1")))
      .bind(1, to_day_number(expires_on))
      .bind(2, payment_id)
      .run();
}

std::vector<Claim> SqlStore::claims(std::optional<std::int64_t> customer_id) {
  auto& stmt = db_.prepare(fmt::format(
      "{} WHERE (p.claim_expires_on IS NOT NULL OR p.status = 'claimed') AND (CAST(?1 AS BIGINT) IS "
      "NULL OR i.customer_id = ?1) "
      "ORDER BY p.recorded_at DESC, p.id DESC",
      kClaimSelect));
  stmt.bind(1, customer_id);
  return read_claims(stmt);
}

std::vector<Claim> SqlStore::open_claims(std::int64_t customer_id) {
  auto& stmt = db_.prepare(
      fmt::format("{} WHERE i.customer_id = ? AND p.status = 'claimed' ORDER BY p.id", kClaimSelect));
  stmt.bind(1, customer_id);
  return read_claims(stmt);
}

void SqlStore::set_payment_status(std::int64_t payment_id, PaymentStatus status, std::string_view reason) {
  db_.prepare("UPDATE payments SET status = ?, status_reason = ? WHERE id = ?")
      .bind(1, to_string(status))
      .bind(2, reason)
      .bind(3, payment_id)
      .run();
  db_.prepare(
         "UPDATE customers SET next_eval = 0 WHERE id = "
         "(SELECT i.customer_id FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id = ?)")
      .bind(1, payment_id)
      .run();
}

void SqlStore::flag_claims(std::int64_t customer_id, Instant at) {
  db_.prepare("UPDATE customers SET claims_flagged_at = COALESCE(claims_flagged_at, ?) WHERE id = ?")
      .bind(1, to_unix(at))
      .bind(2, customer_id)
      .run();
}

std::optional<Instant> SqlStore::claims_flagged_at(std::int64_t customer_id) {
  auto& stmt = db_.prepare("SELECT claims_flagged_at FROM customers WHERE id = ?");
  stmt.bind(1, customer_id);
  if (!stmt.step()) return std::nullopt;
  const auto at = stmt.optional_int64(0);
  stmt.reset();
  if (!at) return std::nullopt;
  return from_unix(*at);
}

void SqlStore::bring_forward_to_claim_expiry(std::int64_t customer_id) {
  db_
      .prepare(fmt::format(
          "UPDATE customers SET next_eval = {} WHERE id = ?1 AND EXISTS (SELECT 1 FROM payments p "
          "JOIN invoices i ON i.id = p.invoice_id WHERE i.customer_id = ?1 AND p.status = 'claimed' "
          "AND p.claim_expires_on IS NOT NULL)",
          least(db_.dialect(), "next_eval",
                "(SELECT MIN(p.claim_expires_on) FROM payments p JOIN invoices i ON i.id = p.invoice_id "
                "WHERE i.customer_id = ?1 AND p.status = 'claimed' AND p.claim_expires_on IS NOT NULL)")))
      .bind(1, customer_id)
      .run();
}

}  // namespace cobrador::store::sql
