// Implements the operator's desk of SqlStore (store/desk_store.hpp, docs/tasks.md): tasks,
// the alerts that open them, the contact log, episodes' causes and cancellations awaiting
// their confirming call.
#include <fmt/format.h>

#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/sql_store.hpp"

#include <algorithm>
#include <unordered_map>

namespace cobrador::store::sql {

namespace {

constexpr RecordSelect<TaskRecord> kTasks{
    "t.id, t.kind, t.subject, t.scope, COALESCE(c.ext_id, ''), t.title, t.details, t.due_on, t.state, "
    "t.assignee, t.attempts, t.created_at, t.created_by, t.closed_at, COALESCE(t.closed_by, ''), "
    "COALESCE(t.outcome, ''), t.note",
    "tasks t LEFT JOIN customers c ON c.id = t.customer_id",
    read_fields<&TaskRecord::id, &TaskRecord::kind, &TaskRecord::subject, &TaskRecord::scope,
                &TaskRecord::customer, &TaskRecord::title, &TaskRecord::details, &TaskRecord::due_on,
                &TaskRecord::state, &TaskRecord::assignee, &TaskRecord::attempts, &TaskRecord::created_at,
                &TaskRecord::created_by, &TaskRecord::closed_at, &TaskRecord::closed_by, &TaskRecord::outcome,
                &TaskRecord::note>};

constexpr RecordSelect<ContactRecord> kContacts{
    "k.id, k.customer_id, c.ext_id, k.at, k.channel, k.direction, k.outcome, k.cause, k.note, k.operator, "
    "COALESCE(k.task_id, 0)",
    "contacts k JOIN customers c ON c.id = k.customer_id",
    read_fields<&ContactRecord::id, &ContactRecord::customer_id, &ContactRecord::customer, &ContactRecord::at,
                &ContactRecord::channel, &ContactRecord::direction, &ContactRecord::outcome,
                &ContactRecord::cause, &ContactRecord::note, &ContactRecord::operator_name,
                &ContactRecord::task_id>};

constexpr RecordSelect<CancellationRequestRecord> kRequests{
    "r.id, r.service_id, s.ext_id, r.customer_id, c.ext_id, r.requested_at, r.requested_by, r.contact, "
    "r.request, r.state, r.attempts, r.closed_at, COALESCE(r.closed_by, ''), COALESCE(r.cancellation_id, 0)",
    "cancellation_requests r JOIN services s ON s.id = r.service_id JOIN customers c ON c.id = r.customer_id",
    read_fields<&CancellationRequestRecord::id, &CancellationRequestRecord::service_id,
                &CancellationRequestRecord::service, &CancellationRequestRecord::customer_id,
                &CancellationRequestRecord::customer, &CancellationRequestRecord::requested_at,
                &CancellationRequestRecord::requested_by, &CancellationRequestRecord::contact,
                &CancellationRequestRecord::request, &CancellationRequestRecord::state,
                &CancellationRequestRecord::attempts, &CancellationRequestRecord::closed_at,
                &CancellationRequestRecord::closed_by, &CancellationRequestRecord::cancellation_id>};

// The customer an alert's subject names: "customer:c1" or "customer:c1:episode:2".
std::string customer_of_subject(std::string_view subject) {
  constexpr std::string_view prefix = "customer:";
  if (subject.substr(0, prefix.size()) != prefix) return {};
  const auto rest = subject.substr(prefix.size());
  return std::string(rest.substr(0, rest.find(":episode:")));
}

std::string_view action_key_of_subject(std::string_view subject) {
  constexpr std::string_view prefix = "action:";
  return subject.substr(0, prefix.size()) == prefix ? subject.substr(prefix.size()) : std::string_view{};
}

}  // namespace

std::optional<std::int64_t> SqlStore::open_task(const policy::TaskRequest& task, Instant now,
                                                std::string_view actor) {
  // Either unique index (one open per kind and subject; once per kind, subject and scope)
  // turns a second opening into no row.
  auto& insert = db_.prepare(
      "INSERT INTO tasks (kind, subject, scope, customer_id, title, details, due_on, created_at, created_by) "
      "VALUES (?, ?, ?, COALESCE((SELECT id FROM customers WHERE ext_id = ?), "
      "(SELECT customer_id FROM actions WHERE key = ?)), ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  insert
      .bind_all(task.kind, task.subject, task.scope, task.customer, action_key_of_subject(task.subject),
                task.title, task.details.empty() ? std::string("{}") : task.details,
                to_day_number(task.due_on), to_unix(now), actor)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  auto& id = db_.prepare("SELECT id FROM tasks WHERE kind = ? AND subject = ? AND scope = ?");
  return read_number(id.bind_all(task.kind, task.subject, task.scope));
}

void SqlStore::add_alert(Instant at, std::string_view kind, std::string_view subject,
                         std::string_view message) {
  const auto alert = db_.inserted_id(
      db_.prepare(fmt::format("INSERT INTO alerts (at, kind, subject, message) VALUES (?, ?, ?, ?){}",
                              db_.returning_id()))
          .bind_all(to_unix(at), kind, subject, message));
  // Every alert is a task in the inbox: one place to look (an open one of the same kind and
  // subject already says it).
  open_task({std::string(kind), std::string(subject), fmt::format("alert:{}", alert.value_or(0)),
             customer_of_subject(subject), from_day_number(to_unix(at) / 86400), std::string(message), "{}"},
            at, "system");
}

std::vector<TaskRecord> SqlStore::tasks(const TaskFilter& filter) {
  return select_all(db_, kTasks,
                    "WHERE (? = '' OR t.kind = ?) AND (? = '' OR t.state = ?) AND (? = '' OR c.ext_id = ?) "
                    "AND (? = '' OR t.assignee = ?) "
                    "ORDER BY CASE WHEN t.state = 'open' THEN 0 ELSE 1 END, t.due_on, t.id LIMIT ?",
                    filter.kind.value_or(""), filter.kind.value_or(""), filter.state.value_or(""),
                    filter.state.value_or(""), filter.customer.value_or(""), filter.customer.value_or(""),
                    filter.assignee.value_or(""), filter.assignee.value_or(""),
                    static_cast<std::int64_t>(filter.limit));
}

std::optional<TaskRecord> SqlStore::task(std::int64_t id) {
  return select_first(db_, kTasks, "WHERE t.id = ?", id);
}

std::optional<TaskRecord> SqlStore::open_task_of(std::string_view kind, std::string_view subject) {
  return select_first(db_, kTasks, "WHERE t.kind = ? AND t.subject = ? AND t.state = 'open'", kind, subject);
}

bool SqlStore::close_task(std::int64_t id, std::string_view state, std::string_view outcome,
                          std::string_view note, Instant at, std::string_view actor) {
  db_.prepare(
         "UPDATE tasks SET state = ?, outcome = ?, note = ?, closed_at = ?, closed_by = ? "
         "WHERE id = ? AND state = 'open'")
      .bind_all(state, outcome, note, to_unix(at), actor, id)
      .run();
  return db_.changes() > 0;
}

bool SqlStore::assign_task(std::int64_t id, std::string_view assignee) {
  db_.prepare("UPDATE tasks SET assignee = ? WHERE id = ? AND state = 'open'").bind_all(assignee, id).run();
  return db_.changes() > 0;
}

void SqlStore::reschedule_task(std::int64_t id, Date due_on, int attempts, std::string_view note) {
  // Each attempt's note is kept after the earlier ones.
  db_.prepare(
         "UPDATE tasks SET due_on = ?, attempts = ?, note = CASE WHEN ? = '' THEN note WHEN note = '' THEN ? "
         "ELSE "
         "note || '\n' || ? END WHERE id = ? AND state = 'open'")
      .bind_all(to_day_number(due_on), static_cast<std::int64_t>(attempts), note, note, note, id)
      .run();
}

std::vector<OpenTasks> SqlStore::open_task_counts() {
  auto& stmt = db_.prepare(
      "SELECT kind, COUNT(*), MIN(created_at) FROM tasks WHERE state = 'open' GROUP BY kind ORDER BY kind");
  std::vector<OpenTasks> out;
  while (stmt.step()) out.push_back({stmt.text(0), stmt.int64(1), from_unix(stmt.int64(2))});
  return out;
}

bool SqlStore::acknowledge_notice(const NoticeAcknowledgement& a) {
  db_.prepare(
         "INSERT INTO notice_acknowledgements (action_id, customer_id, at, address, source) "
         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (action_id) DO NOTHING")
      .bind_all(a.action_id, a.customer_id, to_unix(a.at), a.address, a.source)
      .run();
  return db_.changes() > 0;
}

std::optional<NoticeAcknowledgement> SqlStore::notice_acknowledgement(std::int64_t action_id) {
  auto& stmt = db_.prepare(
      "SELECT action_id, customer_id, at, address, source FROM notice_acknowledgements WHERE action_id = ?");
  stmt.bind(1, action_id);
  std::optional<NoticeAcknowledgement> found;
  if (stmt.step()) {
    Row row(stmt);
    found = NoticeAcknowledgement{row.int64(), row.int64(), row.instant(), row.text(), row.text()};
  }
  stmt.reset();
  return found;
}

std::int64_t SqlStore::add_contact(const ContactRecord& k) {
  auto& insert = db_.prepare(fmt::format(
      "INSERT INTO contacts (customer_id, at, channel, direction, outcome, cause, note, operator, task_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?){}",
      db_.returning_id()));
  insert.bind_all(k.customer_id, to_unix(k.at), k.channel, k.direction, k.outcome, k.cause, k.note,
                  k.operator_name, k.task_id ? std::optional<std::int64_t>(k.task_id) : std::nullopt);
  return *db_.inserted_id(insert);
}

std::vector<ContactRecord> SqlStore::contacts_of(std::int64_t customer_id) {
  return select_all(db_, kContacts, "WHERE k.customer_id = ? ORDER BY k.at, k.id", customer_id);
}

std::optional<EpisodeCause> SqlStore::episode_cause(std::int64_t customer_id) {
  auto& stmt = db_.prepare(
      "SELECT id, number, ended_at IS NULL, cause, cause_source, cause_at FROM episodes WHERE customer_id = "
      "? "
      "ORDER BY CASE WHEN ended_at IS NULL THEN 0 ELSE 1 END, number DESC LIMIT 1");
  stmt.bind(1, customer_id);
  EpisodeCause cause;
  if (!stmt.step()) {
    stmt.reset();
    auto& pending = db_.prepare(
        "SELECT pending_cause, pending_cause_source, pending_cause_at FROM customers WHERE id = ? AND "
        "pending_cause <> ''");
    pending.bind(1, customer_id);
    std::optional<EpisodeCause> found;
    if (pending.step()) {
      Row p(pending);
      found = EpisodeCause{0, 0, false, p.text(), p.text(), p.optional_instant()};
    }
    pending.reset();
    return found;
  }
  Row row(stmt);
  cause.episode_id = row.int64();
  cause.episode_number = static_cast<int>(row.int64());
  cause.open = row.flag();
  cause.cause = row.text();
  cause.source = row.text();
  cause.at = row.optional_instant();
  stmt.reset();
  if (cause.open) return cause;
  // A cause learned since the last episode ended waits for the next one: it is the news.
  auto& pending = db_.prepare(
      "SELECT pending_cause, pending_cause_source, pending_cause_at FROM customers WHERE id = ? AND "
      "pending_cause <> '' "
      "AND pending_cause_at > COALESCE((SELECT MAX(ended_at) FROM episodes WHERE customer_id = ?), 0)");
  pending.bind_all(customer_id, customer_id);
  if (pending.step()) {
    Row p(pending);
    cause = EpisodeCause{0, 0, false, p.text(), p.text(), p.optional_instant()};
  }
  pending.reset();
  return cause;
}

void SqlStore::note_cause(std::int64_t customer_id, std::string_view cause, std::string_view source,
                          Instant at, bool from_operator) {
  const auto known = episode_cause(customer_id);
  const auto set_episode = [&](std::int64_t episode_id) {
    db_.prepare("UPDATE episodes SET cause = ?, cause_source = ?, cause_at = ? WHERE id = ?")
        .bind_all(cause, source, to_unix(at), episode_id)
        .run();
  };
  if (known && known->open) {
    // The bank never overrules what the customer told an operator.
    if (!from_operator && known->source.rfind("contact:", 0) == 0) return;
    return set_episode(known->episode_id);
  }
  // No episode open: an operator corrects the one that ended, unless a cause already waits
  // for the next; anything else waits for the next episode.
  if (from_operator && known && known->episode_id != 0) return set_episode(known->episode_id);
  db_.prepare(
         "UPDATE customers SET pending_cause = ?, pending_cause_source = ?, pending_cause_at = ? WHERE id = "
         "?")
      .bind_all(cause, source, to_unix(at), customer_id)
      .run();
}

std::vector<policy::EpisodeFacts> SqlStore::episode_facts(Date from, Date to) {
  // A few set-wise reads over the period's episodes rather than one per episode: a month of a
  // large book starts tens of thousands.
  const auto from_day = to_day_number(from);
  const auto to_day = to_day_number(to);
  constexpr std::string_view kInPeriod = "e.started_on >= ? AND e.started_on < ?";
  std::vector<policy::EpisodeFacts> episodes;
  std::unordered_map<std::int64_t, std::size_t> at;
  {
    auto& stmt = db_.prepare(fmt::format(
        "SELECT e.id, e.started_on, e.ended_at, e.cause FROM episodes e WHERE {} ORDER BY e.started_on, e.id",
        kInPeriod));
    stmt.bind_all(from_day, to_day);
    while (stmt.step()) {
      policy::EpisodeFacts facts;
      facts.id = stmt.int64(0);
      facts.started_on = from_day_number(stmt.int64(1));
      if (!stmt.is_null(2)) facts.ended_on = Date{std::chrono::floor<date::days>(from_unix(stmt.int64(2)))};
      facts.cause = stmt.text(3);
      at.emplace(facts.id, episodes.size());
      episodes.push_back(std::move(facts));
    }
  }
  if (episodes.empty()) return episodes;
  // The stages and suspensions are read by the range of the period's episode ids (the primary
  // key of stage_runs, the index actions_done_episode) and kept for the period's own: no join,
  // and no reading of other months.
  const auto [first, last] = std::minmax_element(
      episodes.begin(), episodes.end(),
      [](const policy::EpisodeFacts& a, const policy::EpisodeFacts& b) { return a.id < b.id; });
  const auto first_id = first->id;
  const auto last_id = last->id;
  auto& stages = db_.prepare(
      "SELECT episode_id, stage FROM stage_runs WHERE episode_id >= ? AND episode_id <= ? AND superseded = "
      "0");
  stages.bind_all(first_id, last_id);
  while (stages.step())
    if (const auto found = at.find(stages.int64(0)); found != at.end())
      episodes[found->second].stages.push_back(stages.text(1));
  auto& suspended = db_.prepare(
      fmt::format("SELECT DISTINCT episode_id FROM actions{} WHERE kind = 'suspend' AND state = 'done' "
                  "AND episode_id >= ? AND episode_id <= ?",
                  // SQLite without statistics would take actions_episode and read every action of the period.
                  db_.pick(" INDEXED BY actions_done_episode", "")));
  suspended.bind_all(first_id, last_id);
  while (suspended.step())
    if (const auto found = at.find(suspended.int64(0)); found != at.end())
      episodes[found->second].suspended = true;
  // The period's episodes drive both reads below, by index (SQLite's CROSS JOIN keeps that
  // order; without statistics it would read every promise and every payment ever recorded).
  const auto join = db_.pick("CROSS JOIN", "JOIN");
  const auto started_index = db_.pick(" INDEXED BY episodes_started", "");
  auto& kept =
      db_.prepare(fmt::format("SELECT DISTINCT e.id FROM episodes e{} {} promises p ON p.customer_id = "
                              "e.customer_id AND p.episode_id = e.id WHERE {} AND p.outcome = 'kept'",
                              started_index, join, kInPeriod));
  kept.bind_all(from_day, to_day);
  while (kept.step()) episodes[at.at(kept.int64(0))].promise_kept = true;
  // The money: confirmed payments on the customer's invoices received from the episode's first
  // day to the day it ended (UTC), or to now while it is open.
  auto& money = db_.prepare(fmt::format(
      "SELECT e.id, p.currency, SUM(p.amount) FROM episodes e{0} {1} invoices i ON i.customer_id = "
      "e.customer_id {1} payments p ON p.invoice_id = i.id WHERE {2} AND p.status = 'confirmed' AND "
      "p.received_on >= e.started_on AND (e.ended_at IS NULL OR p.received_on <= e.ended_at / 86400) "
      "GROUP BY e.id, p.currency",
      started_index, join, kInPeriod));
  money.bind_all(from_day, to_day);
  while (money.step()) episodes[at.at(money.int64(0))].recovered[money.text(1)] += money.int64(2);
  return episodes;
}

int SqlStore::episodes_started_since(std::int64_t customer_id, Date since) {
  return static_cast<int>(
      read_number(db_.prepare("SELECT COUNT(*) FROM episodes WHERE customer_id = ? AND started_on >= ?")
                      .bind_all(customer_id, to_day_number(since))));
}

std::pair<CancellationRequestRecord, bool> SqlStore::add_cancellation_request(
    const CancellationRequestRecord& r) {
  db_.prepare(
         "INSERT INTO cancellation_requests (service_id, customer_id, requested_at, requested_by, contact, "
         "request) "
         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .bind_all(r.service_id, r.customer_id, to_unix(r.requested_at), r.requested_by, r.contact, r.request)
      .run();
  const bool created = db_.changes() > 0;
  auto awaiting = awaiting_cancellation_request(r.service_id);
  if (!awaiting)
    throw StoreError(
        fmt::format("cancellation request of service {} was neither written nor found", r.service));
  return {*awaiting, created};
}

std::optional<CancellationRequestRecord> SqlStore::cancellation_request(std::int64_t id) {
  return select_first(db_, kRequests, "WHERE r.id = ?", id);
}

std::optional<CancellationRequestRecord> SqlStore::awaiting_cancellation_request(std::int64_t service_id) {
  return select_first(db_, kRequests, "WHERE r.service_id = ? AND r.state = 'awaiting_confirmation'",
                      service_id);
}

std::vector<CancellationRequestRecord> SqlStore::awaiting_cancellation_requests() {
  return select_all(db_, kRequests, "WHERE r.state = 'awaiting_confirmation' ORDER BY r.requested_at, r.id");
}

void SqlStore::set_cancellation_request_attempts(std::int64_t id, int attempts) {
  db_.prepare("UPDATE cancellation_requests SET attempts = ? WHERE id = ?")
      .bind_all(static_cast<std::int64_t>(attempts), id)
      .run();
}

void SqlStore::close_cancellation_request(std::int64_t id, std::string_view state,
                                          std::int64_t cancellation_id, Instant at, std::string_view actor) {
  db_.prepare(
         "UPDATE cancellation_requests SET state = ?, cancellation_id = ?, closed_at = ?, closed_by = ? "
         "WHERE id = ? AND state = 'awaiting_confirmation'")
      .bind_all(state, cancellation_id ? std::optional<std::int64_t>(cancellation_id) : std::nullopt,
                to_unix(at), actor, id)
      .run();
}

}  // namespace cobrador::store::sql
