// Implements the dunning half of SqlStore: the walk's selection and snapshots, the writing
// of decisions (episode, stage runs, outbox, audit) and the outbox and audit reads.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

std::string customer_subject(const policy::CustomerSnapshot& c) { return "customer:" + c.ext_id; }

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

policy::CustomerSnapshot SqlStore::snapshot(std::int64_t customer_id) {
  policy::CustomerSnapshot snap;
  // On PostgreSQL the customer's row is locked for the rest of the transaction: a walk and a
  // payment (which locks the row when it marks the customer) on two daemons then take turns
  // on one customer, each reading what the other committed, as SQLite's single writer does.
  auto& head = db_.prepare(
      db_.pick("SELECT ext_id, name, locale, emails, phones, tags, exempt_until, returned_debits_in_a_row "
               "FROM customers WHERE id = ?",
               "SELECT ext_id, name, locale, emails, phones, tags, exempt_until, returned_debits_in_a_row "
               "FROM customers WHERE id = ? FOR UPDATE"));
  head.bind(1, customer_id);
  if (!head.step()) throw StoreError(fmt::format("no customer with id {}", customer_id));
  snap.id = customer_id;
  snap.ext_id = head.text(0);
  snap.name = head.text(1);
  snap.locale = head.text(2);
  snap.emails = split_list(head.text(3));
  snap.phones = split_list(head.text(4));
  for (auto& tag : split_list(head.text(5))) snap.tags.insert(std::move(tag));
  if (const auto exempt = head.optional_int64(6)) snap.exempt_until = from_day_number(*exempt);
  snap.returned_debits_in_a_row = static_cast<int>(head.int64(7));
  head.reset();
  snap.promise = open_promise(customer_id);

  // ORDER BY everywhere rows become a list: SQLite happens to return index (id) order, while
  // PostgreSQL returns heap order, which an UPDATE changes.
  auto& invoices = db_.prepare(
      "SELECT i.id, i.ext_id, i.due_on, i.currency, i.services, i.amount - COALESCE((SELECT SUM(p.amount) "
      "FROM payments p WHERE p.invoice_id = i.id AND p.status = 'confirmed'), 0) "
      "FROM invoices i WHERE i.customer_id = ? AND i.status = 'open' ORDER BY i.id");
  invoices.bind(1, customer_id);
  while (invoices.step()) {
    const auto balance = invoices.int64(5);
    if (balance <= 0) continue;
    auto currency = Currency::parse(invoices.text(3));
    snap.open_invoices.push_back({invoices.int64(0), invoices.text(1), from_day_number(invoices.int64(2)),
                                  Money{balance, currency ? *currency : Currency{}},
                                  split_list(invoices.text(4))});
  }

  snap.services = services_of(customer_id);

  auto& episodes = db_.prepare(
      "SELECT id, number, started_on, ended_at FROM episodes WHERE customer_id = ? ORDER BY number DESC "
      "LIMIT 1");
  episodes.bind(1, customer_id);
  if (episodes.step()) {
    snap.last_episode_number = static_cast<int>(episodes.int64(1));
    if (episodes.is_null(3)) {
      snap.episode = policy::Episode{
          episodes.int64(0), snap.last_episode_number, from_day_number(episodes.int64(2)), {}, {}};
    }
    episodes.reset();
  }
  if (!snap.episode) return snap;

  auto& runs = db_.prepare("SELECT stage, ran_on, superseded FROM stage_runs WHERE episode_id = ?");
  runs.bind(1, snap.episode->id);
  while (runs.step()) {
    snap.episode->runs[runs.text(0)] = policy::StageRun{from_day_number(runs.int64(1)), runs.int64(2) != 0};
  }
  // What became of each stage's notices, in one grouped read: fair warning counts from the
  // warning's own delivery, and a warning that never went out holds the suspension.
  auto& notices = db_.prepare(
      "SELECT stage, MAX(CASE WHEN state = 'done' THEN done_at END), "
      "COUNT(*) FILTER (WHERE state IN ('pending', 'in_flight')), "
      "COUNT(*) FILTER (WHERE state IN ('failed', 'dead')) "
      "FROM actions WHERE episode_id = ? AND kind = 'notify' GROUP BY stage ORDER BY stage");
  notices.bind(1, snap.episode->id);
  while (notices.step()) {
    auto& stage = snap.episode->notices[notices.text(0)];
    if (const auto sent = notices.optional_int64(1)) stage.sent_at = from_unix(*sent);
    stage.pending = static_cast<int>(notices.int64(2));
    stage.undelivered = static_cast<int>(notices.int64(3));
  }
  return snap;
}

int SqlStore::apply(const policy::CustomerSnapshot& customer, const policy::Decision& decision, Date today,
                    Instant now, std::string_view actor) {
  std::int64_t episode_id = customer.episode ? customer.episode->id : 0;
  if (decision.start_episode) {
    auto& start = db_.prepare(fmt::format(
        "INSERT INTO episodes (customer_id, number, started_on) VALUES (?, ?, ?){}", db_.returning_id()));
    start.bind(1, customer.id)
        .bind(2, decision.episode_number)
        .bind(3, to_day_number(decision.episode_started_on));
    episode_id = *db_.inserted_id(start);
  }
  auto& run = db_.prepare(
      "INSERT INTO stage_runs (episode_id, stage, ran_on, superseded) VALUES (?, ?, ?, ?) ON CONFLICT DO "
      "NOTHING");
  for (const auto& stage : decision.stages_run)
    run.bind(1, episode_id).bind(2, stage).bind(3, to_day_number(today)).bind(4, 0).run();
  for (const auto& stage : decision.stages_superseded) {
    run.bind(1, episode_id).bind(2, stage).bind(3, to_day_number(today)).bind(4, 1).run();
  }

  int queued = 0;
  std::map<std::string, std::vector<std::string>> keys_by_stage;
  auto& insert = db_.prepare(
      "INSERT INTO actions (key, kind, customer_id, episode_id, stage, target, payload, next_attempt_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  for (const auto& action : decision.actions) {
    insert.bind(1, action.key).bind(2, to_string(action.kind)).bind(3, customer.id);
    if (episode_id)
      insert.bind(4, episode_id);
    else
      insert.bind_null(4);
    insert.bind(5, action.stage).bind(6, action.target).bind(7, action.payload);
    insert.bind(8, to_unix(action.not_before)).bind(9, to_unix(now)).run();
    if (db_.changes() > 0) {
      ++queued;
      keys_by_stage[action.stage].push_back(action.key);
    }
  }

  for (const auto& line : decision.explanations) {
    json details{{"episode", decision.episode_number}, {"rule", line.rule}};
    if (!line.stage.empty()) details["stage"] = line.stage;
    const bool stage_actions = line.event == "stage_run" || line.event == policy::kWarningQueuedAgain;
    const auto keys = keys_by_stage.find(stage_actions ? line.stage : "end");
    // A warning queued again to contacts already tried added nothing: no row says it did.
    if (line.event == policy::kWarningQueuedAgain && keys == keys_by_stage.end()) continue;
    if (keys != keys_by_stage.end() && (stage_actions || line.event == "episode_ended")) {
      details["actions"] = keys->second;
    }
    audit({0, now, std::string(actor), customer_subject(customer), line.event, dump_json(details)});
  }
  // An alert is raised once: the decision that holds a suspension is taken again every day.
  for (const auto& alert : decision.alerts) {
    auto& raised = db_.prepare("SELECT COUNT(*) FROM alerts WHERE kind = ? AND subject = ?");
    raised.bind(1, alert.kind).bind(2, alert.subject);
    const bool known = raised.step() && raised.int64(0) > 0;
    raised.reset();
    if (!known) add_alert(now, alert.kind, alert.subject, alert.message);
  }
  if (decision.end_episode && episode_id) end_episode(customer, decision, episode_id, now, actor);

  db_.prepare("UPDATE customers SET next_eval = ? WHERE id = ?")
      .bind(1, to_day_number(decision.next_evaluation))
      .bind(2, customer.id)
      .run();
  return queued;
}

// Closes the episode and cancels what it still had queued: a notice decided before the
// payment must not go out after it (SPEC §10).
void SqlStore::end_episode(const policy::CustomerSnapshot& customer, const policy::Decision& decision,
                           std::int64_t episode_id, Instant now, std::string_view actor) {
  const std::string reason =
      decision.explanations.empty() ? "episode ended" : decision.explanations.front().rule;
  db_.prepare("UPDATE episodes SET ended_at = ?, end_reason = ? WHERE id = ?")
      .bind(1, to_unix(now))
      .bind(2, reason)
      .bind(3, episode_id)
      .run();
  auto& stale = db_.prepare(
      "SELECT id, key FROM actions WHERE episode_id = ? AND state IN ('pending', 'failed') AND stage != "
      "'end' "
      "ORDER BY id");
  stale.bind(1, episode_id);
  std::vector<std::pair<std::int64_t, std::string>> cancelled;
  while (stale.step()) cancelled.emplace_back(stale.int64(0), stale.text(1));
  auto& cancel = db_.prepare("UPDATE actions SET state = 'cancelled', last_error = ? WHERE id = ?");
  for (const auto& [id, key] : cancelled) {
    const std::string why =
        fmt::format("episode {} ended before it went out: {}", decision.episode_number, reason);
    cancel.bind(1, why).bind(2, id).run();
    audit({0, now, std::string(actor), customer_subject(customer), "action_cancelled",
           dump_json(json{{"action", key}, {"rule", why}})});
  }
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
  return select_all(db_, kActions,
                    "WHERE (CAST(?1 AS TEXT) IS NULL OR state = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR "
                    "customer_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR kind = ?3) ORDER BY id LIMIT ?4",
                    name_or_null(filter.state), filter.customer_id, name_or_null(filter.kind),
                    static_cast<std::int64_t>(filter.limit));
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
  if (kind) {
    apply_lifecycle_completion(*kind, target, payload.is_discarded() ? "" : dump_json(payload),
                               std::string(reply), at);
  }
  audit({0, at, "system", "customer:" + customer, "action_done",
         dump_json(json{{"action", key}, {"reply", reply}})});
  return true;
}

void SqlStore::audit(const AuditEntry& entry) {
  db_.prepare("INSERT INTO audit (at, actor, subject, event, details) VALUES (?, ?, ?, ?, ?)")
      .bind(1, to_unix(entry.at))
      .bind(2, entry.actor)
      .bind(3, entry.subject)
      .bind(4, entry.event)
      .bind(5, entry.details.empty() ? "{}" : entry.details)
      .run();
}

std::vector<AuditEntry> SqlStore::audit_of(std::string_view subject) {
  auto& stmt =
      db_.prepare("SELECT id, at, actor, subject, event, details FROM audit WHERE subject = ? ORDER BY id");
  stmt.bind(1, subject);
  std::vector<AuditEntry> out;
  while (stmt.step()) {
    out.push_back(
        {stmt.int64(0), from_unix(stmt.int64(1)), stmt.text(2), stmt.text(3), stmt.text(4), stmt.text(5)});
  }
  return out;
}

}  // namespace cobrador::store::sql
