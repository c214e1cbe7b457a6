// Implements the dunning half of SqlStore: the walk's selection and snapshots, the writing
// of decisions (episode, stage runs, outbox, audit) and the outbox and audit reads.
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/fragments.hpp"
#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

}  // namespace

std::vector<std::int64_t> SqlStore::customers_due(Date day, std::int64_t after_id, int limit) {
  // SQLite's planner, without statistics, satisfies ORDER BY id by walking the whole table in
  // id order (EXPLAIN QUERY PLAN: "USING INTEGER PRIMARY KEY"): every walk read every customer,
  // 85 ms on a day with nobody due at 200,000 customers. The index names the due ones; their
  // ids are sorted after (docs/walk.md: a day with nothing due costs one index lookup).
  auto& stmt = db_.prepare(db_.pick(
      "SELECT id FROM customers INDEXED BY customers_next_eval WHERE next_eval <= ? AND id > ? ORDER BY "
      "id LIMIT ?",
      "SELECT id FROM customers WHERE next_eval <= ? AND id > ? ORDER BY id LIMIT ?"));
  stmt.bind(1, to_day_number(day)).bind(2, after_id).bind(3, limit);
  std::vector<std::int64_t> ids;
  while (stmt.step()) ids.push_back(stmt.int64(0));
  return ids;
}

bool SqlStore::customer_due(Date day, std::int64_t customer_id) {
  auto& stmt = db_.prepare("SELECT 1 FROM customers WHERE id = ? AND next_eval <= ?");
  stmt.bind(1, customer_id).bind(2, to_day_number(day));
  const bool due = stmt.step();
  stmt.reset();
  return due;
}

std::vector<policy::CustomerSnapshot> SqlStore::snapshots(std::span<const std::int64_t> customer_ids) {
  const auto dialect = db_.dialect();
  const auto ids = id_list(dialect, customer_ids);
  std::vector<policy::CustomerSnapshot> snaps(customer_ids.size());
  std::unordered_map<std::int64_t, policy::CustomerSnapshot*> by_id;
  by_id.reserve(customer_ids.size());
  for (std::size_t i = 0; i < customer_ids.size(); ++i) by_id.emplace(customer_ids[i], &snaps[i]);
  const auto of = [&](std::int64_t customer_id) -> policy::CustomerSnapshot& {
    return *by_id.at(customer_id);
  };

  // On PostgreSQL the customers' rows are locked for the rest of the transaction, in id order
  // (two walks lock alike): a walk and a payment (which locks the row when it marks the
  // customer) on two daemons then take turns on one customer, each reading what the other
  // committed, as SQLite's single writer does.
  auto& head = db_.prepare(fmt::format(
      "SELECT id, ext_id, name, locale, emails, phones, tags, exempt_until, returned_debits_in_a_row, "
      "pending_cause, pending_cause_at FROM customers WHERE {} ORDER BY id{}",
      in_id_list(dialect, "id"), db_.pick("", " FOR UPDATE")));
  head.bind(1, ids);
  std::size_t found = 0;
  while (head.step()) {
    auto& snap = of(head.int64(0));
    snap.id = head.int64(0);
    snap.ext_id = head.text(1);
    snap.name = head.text(2);
    snap.locale = head.text(3);
    snap.emails = split_list(head.text(4));
    snap.phones = split_list(head.text(5));
    for (auto& tag : split_list(head.text(6))) snap.tags.insert(std::move(tag));
    if (const auto exempt = head.optional_int64(7)) snap.exempt_until = from_day_number(*exempt);
    snap.returned_debits_in_a_row = static_cast<int>(head.int64(8));
    snap.pending_cause = head.text(9);
    if (const auto at = head.optional_int64(10)) snap.pending_cause_at = from_unix(*at);
    ++found;
  }
  if (found != customer_ids.size()) {
    for (std::size_t i = 0; i < snaps.size(); ++i)
      if (snaps[i].id == 0) throw StoreError(fmt::format("no customer with id {}", customer_ids[i]));
  }
  for (auto& promise : open_promises_of_batch(customer_ids)) {
    auto& snap = of(promise.customer_id);
    if (!snap.promise) snap.promise = std::move(promise);
  }

  // ORDER BY everywhere rows become a list: SQLite happens to return index (id) order, while
  // PostgreSQL returns heap order, which an UPDATE changes.
  auto& invoices = db_.prepare(fmt::format(
      "SELECT i.customer_id, i.id, i.ext_id, i.due_on, i.currency, i.services, i.amount - "
      "COALESCE((SELECT SUM(p.amount) FROM payments p WHERE p.invoice_id = i.id AND p.status = "
      "'confirmed'), 0) FROM invoices i WHERE {} AND i.status = 'open' ORDER BY i.customer_id, i.id",
      in_id_list(dialect, "i.customer_id")));
  invoices.bind(1, ids);
  while (invoices.step()) {
    const auto balance = invoices.int64(6);
    if (balance <= 0) continue;
    auto currency = Currency::parse(invoices.text(4));
    of(invoices.int64(0))
        .open_invoices.push_back({invoices.int64(1), invoices.text(2), from_day_number(invoices.int64(3)),
                                  Money{balance, currency ? *currency : Currency{}},
                                  split_list(invoices.text(5))});
  }

  for (auto& service : services_of_batch(customer_ids))
    of(service.customer_id).services.push_back(std::move(service));

  // Each customer's latest episode, and the open ones by id.
  auto& episodes = db_.prepare(
      fmt::format("SELECT e.customer_id, e.id, e.number, e.started_on, e.ended_at, e.cause FROM episodes "
                  "e WHERE {} AND e.number = "
                  "(SELECT MAX(l.number) FROM episodes l WHERE l.customer_id = e.customer_id)",
                  in_id_list(dialect, "e.customer_id")));
  episodes.bind(1, ids);
  std::unordered_map<std::int64_t, policy::Episode*> open_episodes;
  std::vector<std::int64_t> open_ids;
  while (episodes.step()) {
    auto& snap = of(episodes.int64(0));
    snap.last_episode_number = static_cast<int>(episodes.int64(2));
    if (episodes.is_null(4)) {
      snap.episode = policy::Episode{
          episodes.int64(1), snap.last_episode_number, from_day_number(episodes.int64(3)), {}, {},
          episodes.text(5)};
      open_episodes.emplace(snap.episode->id, &*snap.episode);
      open_ids.push_back(snap.episode->id);
    }
  }
  if (open_ids.empty()) return snaps;
  const auto episode_ids = id_list(dialect, open_ids);

  auto& runs =
      db_.prepare(fmt::format("SELECT episode_id, stage, ran_on, superseded FROM stage_runs WHERE {}",
                              in_id_list(dialect, "episode_id")));
  runs.bind(1, episode_ids);
  while (runs.step()) {
    open_episodes.at(runs.int64(0))->runs[runs.text(1)] =
        policy::StageRun{from_day_number(runs.int64(2)), runs.int64(3) != 0};
  }
  // What became of each stage's notices, in one grouped read: fair warning counts from the
  // warning's own delivery, and a warning that never went out holds the suspension.
  auto& notices = db_.prepare(fmt::format(
      "SELECT episode_id, stage, MAX(CASE WHEN state = 'done' THEN done_at END), "
      "COUNT(*) FILTER (WHERE state IN ('pending', 'in_flight')), "
      "COUNT(*) FILTER (WHERE state IN ('failed', 'dead')) "
      "FROM actions WHERE {} AND kind = 'notify' GROUP BY episode_id, stage ORDER BY episode_id, stage",
      in_id_list(dialect, "episode_id")));
  notices.bind(1, episode_ids);
  while (notices.step()) {
    auto& stage = open_episodes.at(notices.int64(0))->notices[notices.text(1)];
    if (const auto sent = notices.optional_int64(2)) stage.sent_at = from_unix(*sent);
    stage.pending = static_cast<int>(notices.int64(3));
    stage.undelivered = static_cast<int>(notices.int64(4));
  }
  return snaps;
}

void SqlStore::record_walk(const WalkRecord& walk) {
  db_.prepare(
         "INSERT INTO walks (day, started_at, finished_at, evaluated, actions) VALUES (?1, ?2, ?3, ?4, ?5) "
         "ON CONFLICT (day) DO UPDATE SET finished_at = ?3, evaluated = walks.evaluated + ?4, actions = "
         "walks.actions + ?5")
      .bind(1, to_day_number(walk.day))
      .bind(2, to_unix(walk.started_at))
      .bind(3, to_unix(walk.finished_at))
      .bind(4, walk.evaluated)
      .bind(5, walk.actions)
      .run();
}

std::optional<WalkRecord> SqlStore::last_walk() {
  auto& stmt = db_.prepare(
      "SELECT day, started_at, finished_at, evaluated, actions FROM walks ORDER BY day DESC LIMIT 1");
  if (!stmt.step()) return std::nullopt;
  WalkRecord walk{from_day_number(stmt.int64(0)), from_unix(stmt.int64(1)), from_unix(stmt.int64(2)),
                  static_cast<int>(stmt.int64(3)), static_cast<int>(stmt.int64(4))};
  stmt.reset();
  return walk;
}

std::vector<Action> SqlStore::actions(const ActionFilter& filter) {
  // Only the conditions asked for, and the state as a literal (one of the fixed names), so that
  // the planner can take the partial indexes on pending and dead actions and the index by
  // customer: with "? IS NULL OR ..." it read every action ever queued, 142,000 on the bench book,
  // for each of a forecast's 90 days.
  std::string where = "WHERE 1 = 1";
  if (filter.state) where += fmt::format(" AND state = '{}'", to_string(*filter.state));
  if (filter.kind) where += fmt::format(" AND kind = '{}'", to_string(*filter.kind));
  const auto limit = static_cast<std::int64_t>(filter.limit);
  // Every parameter the text names, and no other (PostgreSQL refuses one it cannot type).
  if (filter.customer_id)
    return select_all(db_, kActions, where + " AND customer_id = ? ORDER BY id LIMIT ?", *filter.customer_id,
                      limit);
  return select_all(db_, kActions, where + " ORDER BY id LIMIT ?", limit);
}

void SqlStore::complete_action(std::int64_t action_id, Instant at, std::string_view reply) {
  finish_action(action_id, at, reply, false);
}

bool SqlStore::complete_action_in_flight(std::int64_t action_id, Instant at, std::string_view reply) {
  return finish_action(action_id, at, reply, true);
}

bool SqlStore::finish_action(std::int64_t action_id, Instant at, std::string_view reply,
                             bool only_in_flight) {
  auto& find = db_.prepare(
      "SELECT a.key, a.kind, a.target, a.payload, c.ext_id FROM actions a JOIN customers c ON c.id = "
      "a.customer_id "
      "WHERE a.id = ?");
  find.bind(1, action_id);
  if (!find.step()) throw StoreError(fmt::format("no action with id {}", action_id));
  const auto key = find.text(0);
  const auto kind = parse_action_kind(find.text(1));
  const auto target = find.text(2);
  const auto payload = json::parse(find.text(3), nullptr, false);
  const auto customer = find.text(4);
  find.reset();
  // The state is checked by the UPDATE itself: between a read and a write another daemon's
  // dispatcher (PostgreSQL) may have given the action up.
  db_.prepare(only_in_flight
                  ? "UPDATE actions SET state = 'done', done_at = ?, reply = ?, attempts = attempts + 1 "
                    "WHERE id = ? AND state = 'in_flight'"
                  : "UPDATE actions SET state = 'done', done_at = ?, reply = ?, attempts = attempts + 1 "
                    "WHERE id = ?")
      .bind(1, to_unix(at))
      .bind(2, reply)
      .bind(3, action_id)
      .run();
  if (db_.changes() == 0) return false;
  // ARCHITECTURE rule 2: the service changes state only now, on the panel's yes.
  if (kind == ActionKind::suspend) {
    const bool lock = payload.is_object() && payload.value("lock", false);
    const std::string reason = payload.is_object() ? payload.value("reason", std::string(kNonPayment)) : "";
    // An operator's hold outlives any suspension the panel acknowledges: it keeps its reason.
    db_.prepare(
           "UPDATE services SET state = ?, suspend_reason = CASE WHEN manual_reason != '' THEN manual_reason "
           "ELSE ? END WHERE ext_id = ?")
        .bind(1, lock ? "locked" : "suspended")
        .bind(2, reason)
        .bind(3, target)
        .run();
  } else if (kind == ActionKind::unsuspend) {
    db_.prepare("UPDATE services SET state = 'active', suspend_reason = '' WHERE ext_id = ?")
        .bind(1, target)
        .run();
  }
  // What it means for a cancellation, a lock, a purge or a backup (sql_store_lifecycle.cpp).
  if (kind) apply_lifecycle_completion(*kind, target, payload, std::string(reply), at);
  audit({0, at, "system", "customer:" + customer, "action_done",
         dump_json(json{{"action", key}, {"reply", reply}})});
  return true;
}

namespace {

// Every audit row, by one statement: a row with no customer's id is indexed by its subject.
void insert_audit(Connection& db, const AuditEntry& entry, std::optional<std::int64_t> customer_id) {
  auto& stmt =
      db.prepare(
            "INSERT INTO audit (at, actor, subject, event, details, customer_id) VALUES (?, ?, ?, ?, ?, ?)")
          .bind(1, to_unix(entry.at))
          .bind(2, entry.actor)
          .bind(3, entry.subject)
          .bind(4, entry.event)
          .bind(5, entry.details.empty() ? "{}" : entry.details);
  if (customer_id)
    stmt.bind(6, *customer_id);
  else
    stmt.bind_null(6);
  stmt.run();
}

}  // namespace

void SqlStore::audit(const AuditEntry& entry) { insert_audit(db_, entry, std::nullopt); }

void SqlStore::audit_customer(const AuditEntry& entry, std::int64_t customer_id) {
  insert_audit(db_, entry, customer_id);
}

namespace {

// A subject's rows: those indexed by subject, and the walk's, indexed by their customer's id
// (schema migration 15), found through the customer the subject names.
constexpr std::string_view kAuditOf =
    "SELECT id, at, actor, subject, event, details FROM audit WHERE subject = ? AND customer_id IS NULL "
    "UNION ALL SELECT id, at, actor, subject, event, details FROM audit "
    "WHERE customer_id = (SELECT id FROM customers WHERE ext_id = ?) AND subject = ? ";

// Binds a subject to kAuditOf: a subject that names no customer finds no customer's id.
sql::Statement& bind_subject(sql::Statement& stmt, std::string_view subject) {
  constexpr std::string_view kCustomer = "customer:";
  stmt.bind(1, subject).bind(3, subject);
  if (subject.starts_with(kCustomer))
    stmt.bind(2, subject.substr(kCustomer.size()));
  else
    stmt.bind_null(2);
  return stmt;
}

AuditEntry audit_entry(sql::Statement& stmt) {
  return {stmt.int64(0), from_unix(stmt.int64(1)), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5)};
}

}  // namespace

std::vector<AuditEntry> SqlStore::audit_of(std::string_view subject) {
  auto& stmt = bind_subject(db_.prepare(fmt::format("{}ORDER BY id", kAuditOf)), subject);
  std::vector<AuditEntry> out;
  while (stmt.step()) out.push_back(audit_entry(stmt));
  return out;
}

std::optional<AuditEntry> SqlStore::last_audit_of(std::string_view subject) {
  auto& stmt = bind_subject(db_.prepare(fmt::format("{}ORDER BY id DESC LIMIT 1", kAuditOf)), subject);
  std::optional<AuditEntry> last;
  if (stmt.step()) last = audit_entry(stmt);
  stmt.reset();
  return last;
}

}  // namespace cobrador::store::sql
