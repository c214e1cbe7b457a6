// Implements the dispatcher's half of SqlStore: leases on outbox rows (claim, confirm,
// release), the results of attempts (retry later, give up, wait for a callback), the
// operator's retry, disabled panels and alerts, and the follow-up actions the dispatcher adds.
#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/last_look.hpp"
#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

// The holder of an action whose panel answered 202 and will call back (SPEC §7).
constexpr std::string_view kCallbackOwner = "callback";

// Claims run on every turn of the dispatcher: the statements are built once per dialect. A
// claim skips actions for a panel in panel_status, and for the panels (?5) and channels (?6)
// the dispatcher has enough of; each test is spared while its list is empty, which is nearly
// always. On PostgreSQL the rows are locked with SKIP LOCKED, so that daemons claiming at the
// same moment take different actions instead of waiting on each other.
std::string claim_filter(Dialect dialect) {
  const auto panel = pick(dialect, "json_extract(actions.payload, '$.service.panel')",
                          "(actions.payload::jsonb #>> '{service,panel}')");
  const auto list = [&](std::string_view param) {
    return dialect == Dialect::postgresql
               ? fmt::format("SELECT jsonb_array_elements_text(CAST({} AS TEXT)::jsonb)", param)
               : fmt::format("SELECT value FROM json_each({})", param);
  };
  const auto channel =
      pick(dialect, "substr(target, 1, instr(target, ':') - 1)", "split_part(target, ':', 1)");
  return fmt::format(
      "(NOT EXISTS (SELECT 1 FROM panel_status) OR kind = 'notify' OR NOT EXISTS (SELECT 1 FROM panel_status "
      "p "
      "WHERE p.panel = {0})) "
      "AND (CAST(?5 AS TEXT) = '[]' OR kind = 'notify' OR COALESCE({0}, '') NOT IN ({1})) "
      "AND (CAST(?6 AS TEXT) = '[]' OR kind != 'notify' OR {2} NOT IN ({3}))",
      panel, list("?5"), channel, list("?6"));
}

// Leases that ran out (a dispatcher that died) first, then the actions that are due. SQLite is
// told which index to read: left to itself it took actions_state (state, attempts) and sorted
// every pending action by due time for each claim, which made draining a queue of N actions
// cost N²/claim-size row reads (half the store thread's time in the dispatch bench). The
// partial indexes hold exactly the rows asked for, in the order asked for.
std::array<std::string, 2> claim_statements(Dialect dialect) {
  const auto filter = claim_filter(dialect);
  const auto lock = pick(dialect, "", " FOR UPDATE SKIP LOCKED");
  return {
      fmt::format(
          "UPDATE actions SET lease_owner = ?2, lease_until = ?3 WHERE id IN (SELECT id FROM actions{} "
          "WHERE state = 'in_flight' AND lease_until <= ?1 AND {} ORDER BY lease_until, id LIMIT ?4{}) "
          "RETURNING {}",
          pick(dialect, " INDEXED BY actions_in_flight", ""), filter, lock, kActions.columns),
      fmt::format("UPDATE actions SET state = 'in_flight', lease_owner = ?2, lease_until = ?3 WHERE id IN "
                  "(SELECT id FROM actions{} WHERE state = 'pending' AND next_attempt_at <= ?1 AND {} "
                  "ORDER BY next_attempt_at, id LIMIT ?4{}) RETURNING {}",
                  pick(dialect, " INDEXED BY actions_pending", ""), filter, lock, kActions.columns)};
}

// What the audit rows and alerts about one action need to name it.
struct ActionRef {
  std::string key;
  std::string subject;  // customer:<ext id>, or action:<key> for an action of no customer
  ActionKind kind = ActionKind::event;
  std::string target;
  int attempts = 0;
};

ActionRef read_ref(Row& row) {
  ActionRef ref;
  ref.key = row.text();
  const auto customer = row.optional_text();
  ref.subject = customer ? "customer:" + *customer : "action:" + ref.key;
  ref.kind = row.parsed(parse_action_kind, ActionKind::event);
  row.into(ref.target, ref.attempts);
  return ref;
}

std::optional<ActionRef> find_ref(Connection& db, std::int64_t action_id) {
  auto& stmt = db.prepare(
      "SELECT a.key, c.ext_id, a.kind, a.target, a.attempts FROM actions a "
      "LEFT JOIN customers c ON c.id = a.customer_id WHERE a.id = ?");
  stmt.bind(1, action_id);
  return read_first(stmt, read_ref);
}

// The ends of an attempt the dispatcher made under its lease (retry later, give up, wait for
// the panel's callback, the panel's late failure, hand it back) change the action only while
// `holder` still holds that lease: one that ran out belongs to whoever claimed the action
// again, and a late answer must not overwrite that attempt. `set` is the SET clause; its
// values are bound first, then the id and the holder. False when the lease was not held.
template <class... Values>
bool end_attempt(Connection& db, std::string_view set, std::int64_t action_id, std::string_view holder,
                 const Values&... values) {
  db.prepare(
        fmt::format("UPDATE actions SET {} WHERE id = ? AND state = 'in_flight' AND lease_owner = ?", set))
      .bind_all(values..., action_id, holder)
      .run();
  return db.changes() > 0;
}

// The alert of an action the dispatcher or its panel gave up on.
std::string gave_up_message(const ActionRef& ref, std::string_view error) {
  return fmt::format("{} {} gave up after {} attempts: {}", to_string(ref.kind), ref.target, ref.attempts,
                     error);
}

std::optional<std::int64_t> as_id(std::string_view text) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return id;
}

}  // namespace

std::vector<Action> SqlStore::claim_actions(Instant now, std::string_view owner, Instant lease_until,
                                            int limit, const ClaimSkip& skip) {
  const auto skip_panels = dump_json(json(skip.panels));
  const auto skip_channels = dump_json(json(skip.channels));
  static const auto sqlite_claims = claim_statements(Dialect::sqlite);
  static const auto postgresql_claims = claim_statements(Dialect::postgresql);
  const auto& claims = db_.is_postgresql() ? postgresql_claims : sqlite_claims;
  std::vector<Action> claimed;
  for (const std::string& sql : claims) {
    const int left = limit - static_cast<int>(claimed.size());
    if (left <= 0) break;
    auto& stmt = db_.prepare(sql);
    stmt.bind_all(to_unix(now), owner, to_unix(lease_until), left, skip_panels, skip_channels);
    for (auto& action : read_rows(stmt, read_action)) claimed.push_back(std::move(action));
  }
  // RETURNING gives no order; the oldest due goes first.
  std::stable_sort(claimed.begin(), claimed.end(), [](const Action& a, const Action& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
  for (auto& action : claimed) action.state = ActionState::in_flight;
  return claimed;
}

SendCheck SqlStore::confirm_send(std::int64_t action_id, std::string_view owner, Instant now,
                                 Instant lease_until) {
  // The facts of the last look; policy::last_look decides.
  auto& look = db_.prepare(
      "SELECT a.state = 'in_flight' AND a.lease_owner IS NOT DISTINCT FROM ?2, a.kind, a.stage, "
      "e.ended_at IS NOT NULL, e.number, e.end_reason, "
      "(SELECT s.manual_reason FROM services s WHERE s.ext_id = a.target AND s.manual_reason != '') "
      "FROM actions a LEFT JOIN episodes e ON e.id = a.episode_id WHERE a.id = ?1");
  look.bind_all(action_id, owner);
  policy::SendFacts facts;
  facts.found = look.step();
  if (facts.found) {
    facts.ours = look.int64(0) != 0;
    facts.kind = parse_action_kind(look.text(1)).value_or(ActionKind::event);
    facts.stage = look.text(2);
    facts.episode_ended = look.int64(3) != 0;
    facts.episode_number = look.int64(4);
    facts.episode_end_reason = look.text(5);
    facts.target_manual_reason = look.is_null(6) ? std::string() : look.text(6);
  }
  look.reset();
  const auto verdict = policy::last_look(facts);
  switch (verdict.kind) {
    case policy::SendVerdict::Kind::lost:
      return SendCheck::lost;
    case policy::SendVerdict::Kind::cancel:
      cancel_in_flight(action_id, now, verdict.why);
      return SendCheck::cancelled;
    case policy::SendVerdict::Kind::send:
      break;
  }
  db_.prepare("UPDATE actions SET lease_until = ? WHERE id = ?")
      .bind_all(to_unix(lease_until), action_id)
      .run();
  return SendCheck::send;
}

void SqlStore::cancel_in_flight(std::int64_t action_id, Instant now, const std::string& why) {
  db_.prepare(
         "UPDATE actions SET state = 'cancelled', last_error = ?, lease_owner = NULL, lease_until = NULL "
         "WHERE id = ?")
      .bind_all(why, action_id)
      .run();
  const auto ref = find_ref(db_, action_id);
  audit({0, now, "system", ref->subject, "action_cancelled",
         dump_json(json{{"action", ref->key}, {"rule", why}})});
}

bool SqlStore::retry_later(std::int64_t action_id, std::string_view owner, Instant now,
                           Instant next_attempt_at, std::string_view error) {
  if (!end_attempt(db_,
                   "state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?, "
                   "lease_owner = NULL, lease_until = NULL",
                   action_id, owner, to_unix(next_attempt_at), error))
    return false;
  const auto ref = find_ref(db_, action_id);
  audit({0, now, "system", ref->subject, "action_retry",
         dump_json(json{{"action", ref->key},
                        {"attempt", ref->attempts},
                        {"error", error},
                        {"next_attempt_at", format_instant(next_attempt_at)}})});
  return true;
}

bool SqlStore::give_up(std::int64_t action_id, std::string_view owner, ActionState state, Instant now,
                       std::string_view error) {
  if (state != ActionState::dead && state != ActionState::failed) {
    throw StoreError(fmt::format("give_up: '{}' is not dead or failed", to_string(state)));
  }
  if (!end_attempt(
          db_, "state = ?, attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = NULL",
          action_id, owner, to_string(state), error))
    return false;
  const auto ref = find_ref(db_, action_id);
  const auto event = fmt::format("action_{}", to_string(state));
  const auto message = state == ActionState::dead
                           ? gave_up_message(*ref, error)
                           : fmt::format("{} {} was refused: {}", to_string(ref->kind), ref->target, error);
  add_alert(now, event, "action:" + ref->key, message);
  audit({0, now, "system", ref->subject, event,
         dump_json(json{{"action", ref->key}, {"attempts", ref->attempts}, {"error", error}})});
  return true;
}

bool SqlStore::await_callback(std::int64_t action_id, std::string_view owner, Instant now, Instant until,
                              std::string_view detail) {
  if (!end_attempt(db_, "attempts = attempts + 1, last_error = ?, lease_owner = ?, lease_until = ?",
                   action_id, owner, detail, kCallbackOwner, to_unix(until)))
    return false;
  const auto ref = find_ref(db_, action_id);
  audit(
      {0, now, "system", ref->subject, "action_accepted",
       dump_json(json{{"action", ref->key}, {"reply", detail}, {"callback_until", format_instant(until)}})});
  return true;
}

// Only an action still held for the callback changes: one whose callback wait ran out is the
// dispatcher's again, and a late word from the panel must not overwrite that attempt.
bool SqlStore::fail_action_by_panel(std::int64_t action_id, Instant at, std::string_view panel,
                                    std::string_view detail, std::optional<Instant> retry_at) {
  const std::string error = fmt::format("panel {} reported failure: {}", panel, detail);
  if (!end_attempt(db_,
                   "state = ?, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?, "
                   "lease_owner = NULL, lease_until = NULL",
                   action_id, kCallbackOwner, retry_at ? "pending" : "dead", unix_or_null(retry_at), error))
    return false;
  const auto ref = find_ref(db_, action_id);
  json details{{"action", ref->key}, {"attempts", ref->attempts}, {"error", error}};
  if (retry_at) {
    details["next_attempt_at"] = format_instant(*retry_at);
    audit({0, at, fmt::format("panel:{}", panel), ref->subject, "action_failed", dump_json(details)});
  } else {
    add_alert(at, "action_dead", "action:" + ref->key, gave_up_message(*ref, error));
    audit({0, at, fmt::format("panel:{}", panel), ref->subject, "action_dead", dump_json(details)});
  }
  return true;
}

bool SqlStore::release_action(std::int64_t action_id, std::string_view owner, Instant next_attempt_at) {
  return end_attempt(db_, "state = 'pending', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL",
                     action_id, owner, to_unix(next_attempt_at));
}

Result<Action> SqlStore::retry_action(std::string_view id_or_key, Instant now, std::string_view actor) {
  auto found = select_first(db_, kActions, "WHERE id = ?1 OR key = ?2", as_id(id_or_key), id_or_key);
  if (!found) return make_error(fmt::format("no action '{}' (give its id or its key)", id_or_key));
  Action action = std::move(*found);
  if (action.state != ActionState::dead && action.state != ActionState::failed) {
    return make_error(fmt::format("action {} ({}) is {}, not dead or failed", action.id, action.key,
                                  to_string(action.state)));
  }
  db_.prepare(
         "UPDATE actions SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = '', "
         "lease_owner = NULL, lease_until = NULL WHERE id = ?")
      .bind_all(to_unix(now), action.id)
      .run();
  db_.prepare("UPDATE alerts SET acknowledged_at = ? WHERE subject = ? AND acknowledged_at IS NULL")
      .bind_all(to_unix(now), "action:" + action.key)
      .run();
  // The retry is the work its task asked for.
  db_.prepare(
         "UPDATE tasks SET state = 'done', outcome = 'retried', closed_at = ?, closed_by = ? WHERE subject = "
         "? AND "
         "state = 'open' AND kind IN ('action_dead', 'action_failed')")
      .bind_all(to_unix(now), actor, "action:" + action.key)
      .run();
  const auto ref = find_ref(db_, action.id);
  audit({0, now, std::string(actor), ref->subject, "action_retried",
         dump_json(json{{"action", action.key},
                        {"was", to_string(action.state)},
                        {"attempts", action.attempts},
                        {"last_error", action.last_error}})});
  action.state = ActionState::pending;
  action.attempts = 0;
  action.next_attempt_at = now;
  action.last_error.clear();
  return action;
}

bool SqlStore::disable_panel(std::string_view panel, Instant now, std::string_view reason) {
  db_.prepare("INSERT INTO panel_status (panel, disabled_at, reason) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
      .bind_all(panel, to_unix(now), reason)
      .run();
  if (db_.changes() == 0) return false;
  const auto subject = fmt::format("panel:{}", panel);
  add_alert(
      now, "panel_disabled", subject,
      fmt::format("panel '{}' is disabled: {}; its actions wait until it is enabled again", panel, reason));
  audit({0, now, "system", subject, "panel_disabled", dump_json(json{{"panel", panel}, {"reason", reason}})});
  return true;
}

bool SqlStore::add_action(const Action& action, Instant now, std::string_view why) {
  auto& insert = db_.prepare(fmt::format(
      "INSERT INTO actions (key, kind, customer_id, episode_id, stage, target, payload, next_attempt_at, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING{}",
      db_.returning_id()));
  insert.bind_all(action.key, to_string(action.kind), id_or_null(action.customer_id),
                  id_or_null(action.episode_id), action.stage, action.target, action.payload,
                  to_unix(action.next_attempt_at), to_unix(now));
  const auto id = db_.inserted_id(insert);
  if (!id) return false;
  const auto ref = find_ref(db_, *id);
  audit({0, now, "system", ref->subject, "action_queued",
         dump_json(json{{"action", action.key}, {"rule", why}})});
  return true;
}

std::optional<EpisodeState> SqlStore::episode_state(std::int64_t episode_id) {
  auto& stmt = db_.prepare("SELECT number, ended_at IS NOT NULL FROM episodes WHERE id = ?");
  stmt.bind(1, episode_id);
  return read_first(stmt, read_fields<&EpisodeState::number, &EpisodeState::ended>);
}

std::vector<Action> SqlStore::episode_actions(std::int64_t episode_id) {
  return select_all(db_, kActions, "WHERE episode_id = ? ORDER BY id", episode_id);
}

}  // namespace cobrador::store::sql
