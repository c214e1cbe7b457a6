// Implements the writing of the policy's decisions: episode, stage runs, outbox rows, audit
// rows, alerts and the next evaluation day, one customer at a time (apply) or a walk's batch
// at once (apply_all), which on PostgreSQL writes each table in one statement instead of a
// round trip per row (docs/benchmarks.md, *The first day at book size*).
#include <optional>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/fragments.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

std::string customer_subject(const policy::CustomerSnapshot& c) { return "customer:" + c.ext_id; }

// The keys of the new actions of a decision by stage, as its audit rows name them.
using KeysByStage = std::map<std::string, std::vector<std::string>>;

// The audit rows of a decision's explanations, in order: a stage's row names the actions it
// queued that were new.
std::vector<AuditEntry> decision_audit(const policy::CustomerSnapshot& customer,
                                       const policy::Decision& decision, const KeysByStage& keys_by_stage,
                                       Instant now, std::string_view actor) {
  std::vector<AuditEntry> rows;
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
    rows.push_back({0, now, std::string(actor), customer_subject(customer), line.event, dump_json(details)});
  }
  return rows;
}

// A batch's rows of a table as parallel columns, each bound as one PostgreSQL array literal
// ({"a","b"}, {1,NULL}) that unnest() reads back as a table, so that they are written by one
// statement. Cheaper for the server than one JSON document read by json_to_recordset, which
// parses the text twice (the cast, then the function) and looks every field up by its name:
// 15 ms instead of 83 ms for 1,864 outbox rows (docs/benchmarks.md, issue 20 point 4).
class Columns {
 public:
  explicit Columns(std::size_t count) : columns_(count) {}
  template <class... Values>
  void add(const Values&... values) {
    auto column = columns_.begin();
    (append(*column++, values), ...);
    ++rows_;
  }
  bool empty() const { return rows_ == 0; }
  std::size_t size() const { return rows_; }
  // Binds the columns as the statement's first parameters, in order.
  void bind(Statement& statement) const {
    int index = 0;
    for (const auto& column : columns_) statement.bind(++index, "{" + column + "}");
  }

 private:
  static void separate(std::string& column) {
    if (!column.empty()) column += ',';
  }
  static void append(std::string& column, std::int64_t value) {
    separate(column);
    column += std::to_string(value);
  }
  static void append(std::string& column, int value) { append(column, static_cast<std::int64_t>(value)); }
  static void append(std::string& column, const std::optional<std::int64_t>& value) {
    if (value) return append(column, *value);
    separate(column);
    column += "NULL";
  }
  // Quoted, so that commas, braces, blanks and the word NULL are text; inside the quotes
  // only the quote and the backslash are escaped (array_in's rules).
  static void append(std::string& column, std::string_view text) {
    separate(column);
    column += '"';
    for (const char c : text) {
      if (c == '"' || c == '\\') column += '\\';
      column += c;
    }
    column += '"';
  }
  static void append(std::string& column, const std::string& text) { append(column, std::string_view(text)); }

  std::vector<std::string> columns_;
  std::size_t rows_ = 0;
};

// A new episode takes the cause learned before it started (a returned debit) when it was learned
// on or after the day the episode's oldest invoice fell due (the day before it started), so that
// a cause left from an earlier debt never explains a new one (store note_cause).
constexpr std::string_view kPendingCause =
    "CASE WHEN c.pending_cause_at >= (? - 1) * 86400 THEN c.pending_cause ELSE '' END, "
    "CASE WHEN c.pending_cause_at >= (? - 1) * 86400 THEN c.pending_cause_source ELSE '' END, "
    "CASE WHEN c.pending_cause_at >= (? - 1) * 86400 THEN c.pending_cause_at END";
constexpr std::string_view kPendingCauseOfRecord =
    "CASE WHEN c.pending_cause_at >= (r.s - 1) * 86400 THEN c.pending_cause ELSE '' END, "
    "CASE WHEN c.pending_cause_at >= (r.s - 1) * 86400 THEN c.pending_cause_source ELSE '' END, "
    "CASE WHEN c.pending_cause_at >= (r.s - 1) * 86400 THEN c.pending_cause_at END";

// The value of a nullable id column.
std::optional<std::int64_t> episode_id_or_null(std::int64_t id) {
  return id ? std::optional(id) : std::nullopt;
}

}  // namespace

int SqlStore::apply(const policy::CustomerSnapshot& customer, const policy::Decision& decision, Date today,
                    Instant now, std::string_view actor) {
  std::int64_t episode_id = customer.episode ? customer.episode->id : 0;
  if (decision.start_episode) {
    auto& start =
        db_.prepare(fmt::format("INSERT INTO episodes (customer_id, number, started_on, cause, cause_source, "
                                "cause_at) SELECT c.id, ?, ?, "
                                "{} FROM customers c WHERE c.id = ?{}",
                                kPendingCause, db_.returning_id()));
    start.bind(1, decision.episode_number)
        .bind(2, to_day_number(decision.episode_started_on))
        .bind(3, to_day_number(decision.episode_started_on))
        .bind(4, to_day_number(decision.episode_started_on))
        .bind(5, to_day_number(decision.episode_started_on))
        .bind(6, customer.id);
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
  KeysByStage keys_by_stage;
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
  for (const auto& row : decision_audit(customer, decision, keys_by_stage, now, actor))
    audit_customer(row, customer.id);
  raise_alerts(decision, now);
  if (decision.end_episode && episode_id) end_episode(customer, decision, episode_id, now, actor);

  db_.prepare("UPDATE customers SET next_eval = ? WHERE id = ?")
      .bind(1, to_day_number(decision.next_evaluation))
      .bind(2, customer.id)
      .run();
  return queued;
}

std::vector<int> SqlStore::apply_all(std::span<const policy::CustomerSnapshot> customers,
                                     std::span<const policy::Decision> decisions, Date today, Instant now,
                                     std::string_view actor) {
  std::vector<int> queued(customers.size());
  // SQLite answers each statement in the process: a row at a time costs no round trip, and
  // its prepared statements beat reading JSON back.
  if (!db_.is_postgresql()) {
    for (std::size_t i = 0; i < customers.size(); ++i)
      queued[i] = apply(customers[i], decisions[i], today, now, actor);
    return queued;
  }

  // The episodes started, their ids by customer.
  std::vector<std::int64_t> episode_of(customers.size());
  // Numbered in the batch's order (unnest's ordinality): the join below may hand the rows over
  // in any order, and the ids must follow the batch's order, as apply() one customer after
  // another gives them.
  Columns starts(3);
  for (std::size_t i = 0; i < customers.size(); ++i) {
    if (customers[i].episode) episode_of[i] = customers[i].episode->id;
    if (decisions[i].start_episode)
      starts.add(customers[i].id, decisions[i].episode_number,
                 to_day_number(decisions[i].episode_started_on));
  }
  if (!starts.empty()) {
    std::unordered_map<std::int64_t, std::int64_t> started;
    auto& insert = db_.prepare(fmt::format(
        "INSERT INTO episodes (customer_id, number, started_on, cause, cause_source, cause_at) "
        "SELECT r.c, r.n, r.s, {} FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS bigint[])) "
        "WITH ORDINALITY AS r(c, n, s, o) JOIN customers c ON c.id = r.c ORDER BY r.o RETURNING id, "
        "customer_id",
        kPendingCauseOfRecord));
    starts.bind(insert);
    while (insert.step()) started.emplace(insert.int64(1), insert.int64(0));
    for (std::size_t i = 0; i < customers.size(); ++i)
      if (decisions[i].start_episode) episode_of[i] = started.at(customers[i].id);
  }

  Columns runs(4);
  Columns actions(9);
  for (std::size_t i = 0; i < customers.size(); ++i) {
    for (const auto& stage : decisions[i].stages_run) runs.add(episode_of[i], stage, to_day_number(today), 0);
    for (const auto& stage : decisions[i].stages_superseded)
      runs.add(episode_of[i], stage, to_day_number(today), 1);
    for (const auto& a : decisions[i].actions) {
      actions.add(a.key, to_string(a.kind), customers[i].id, episode_id_or_null(episode_of[i]), a.stage,
                  a.target, a.payload, to_unix(a.not_before), to_unix(now));
    }
  }
  if (!runs.empty()) {
    auto& insert = db_.prepare(
        "INSERT INTO stage_runs (episode_id, stage, ran_on, superseded) SELECT r.e, r.st, r.d, r.sup FROM "
        "unnest(CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[])) "
        "AS r(e, st, d, sup) ON CONFLICT DO NOTHING");
    runs.bind(insert);
    insert.run();
  }
  // The actions that were new (a key already queued, by an earlier walk of the day or another
  // daemon, is not).
  std::unordered_set<std::string> new_keys;
  if (!actions.empty()) {
    auto& insert = db_.prepare(
        "INSERT INTO actions (key, kind, customer_id, episode_id, stage, target, payload, next_attempt_at, "
        "created_at) SELECT r.k, r.kind, r.c, r.e, r.st, r.t, r.p, r.na, r.ca FROM unnest(CAST(? AS text[]), "
        "CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS text[]), "
        "CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS bigint[])) AS r(k, kind, c, e, st, t, p, na, ca) "
        "ON CONFLICT DO NOTHING RETURNING key");
    actions.bind(insert);
    while (insert.step()) new_keys.insert(insert.text(0));
  }

  Columns audit_rows(6);
  Columns next_evals(2);
  for (std::size_t i = 0; i < customers.size(); ++i) {
    KeysByStage keys_by_stage;
    for (const auto& a : decisions[i].actions) {
      if (!new_keys.count(a.key)) continue;
      ++queued[i];
      keys_by_stage[a.stage].push_back(a.key);
    }
    for (const auto& row : decision_audit(customers[i], decisions[i], keys_by_stage, now, actor))
      audit_rows.add(to_unix(row.at), row.actor, row.subject, row.event, row.details, customers[i].id);
    next_evals.add(customers[i].id, to_day_number(decisions[i].next_evaluation));
  }
  // In the batch's order, as apply() would have written them one customer after another.
  if (!audit_rows.empty()) {
    auto& insert = db_.prepare(
        "INSERT INTO audit (at, actor, subject, event, details, customer_id) "
        "SELECT r.a, r.ac, r.s, r.ev, r.d, r.c FROM unnest(CAST(? AS bigint[]), CAST(? AS text[]), "
        "CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[])) "
        "WITH ORDINALITY AS r(a, ac, s, ev, d, c, n) ORDER BY r.n");
    audit_rows.bind(insert);
    insert.run();
  }
  for (std::size_t i = 0; i < customers.size(); ++i) {
    raise_alerts(decisions[i], now);
    if (decisions[i].end_episode && episode_of[i])
      end_episode(customers[i], decisions[i], episode_of[i], now, actor);
  }
  if (!next_evals.empty()) {
    auto& update = db_.prepare(
        "UPDATE customers c SET next_eval = r.d FROM unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) "
        "AS r(id, d) WHERE c.id = r.id");
    next_evals.bind(update);
    update.run();
  }
  return queued;
}

// An alert is raised once: the decision that holds a suspension is taken again every day.
void SqlStore::raise_alerts(const policy::Decision& decision, Instant now) {
  for (const auto& alert : decision.alerts) {
    auto& raised = db_.prepare("SELECT COUNT(*) FROM alerts WHERE kind = ? AND subject = ?");
    raised.bind(1, alert.kind).bind(2, alert.subject);
    const bool known = raised.step() && raised.int64(0) > 0;
    raised.reset();
    if (!known) add_alert(now, alert.kind, alert.subject, alert.message);
  }
  for (const auto& task : decision.tasks) open_task(task, now, "system");
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
    audit_customer({0, now, std::string(actor), customer_subject(customer), "action_cancelled",
                    dump_json(json{{"action", key}, {"rule", why}})},
                   customer.id);
  }
}

}  // namespace cobrador::store::sql
