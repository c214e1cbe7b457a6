// Implements the end-of-relationship half of SqlStore: cancellations asked by customers,
// locks for non-payment, the purges both lead to, backups and the reports about them
// (docs/lifecycle.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/fragments.hpp"
#include "store/sql/nullable.hpp"
#include "store/sql/record_select.hpp"
#include "store/sql/rows.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

namespace {

using nlohmann::json;

constexpr RecordSelect<CancellationRecord> kCancellations{
    "k.id, k.service_id, s.ext_id, k.customer_id, c.ext_id, k.requested_at, k.requested_on, "
    "k.requested_by, k.channel, k.reason_code, k.note, k.retention_offers, k.scope, k.service_end, "
    "k.purge_on, k.rule, k.state",
    "cancellations k JOIN services s ON s.id = k.service_id JOIN customers c ON c.id = k.customer_id",
    read_fields<
        &CancellationRecord::id, &CancellationRecord::service_id, &CancellationRecord::service,
        &CancellationRecord::customer_id, &CancellationRecord::customer, &CancellationRecord::requested_at,
        &CancellationRecord::requested_on, &CancellationRecord::requested_by, &CancellationRecord::channel,
        &CancellationRecord::reason_code, &CancellationRecord::note, &CancellationRecord::retention_offers,
        &CancellationRecord::scope, &CancellationRecord::service_end, &CancellationRecord::purge_on,
        &CancellationRecord::rule, &CancellationRecord::state>};

constexpr RecordSelect<LockRecord> kLocks{
    "l.id, l.service_id, s.ext_id, l.customer_id, c.ext_id, l.stage, l.locked_on, l.purge_on, l.collections",
    "locks l JOIN services s ON s.id = l.service_id JOIN customers c ON c.id = l.customer_id",
    read_fields<&LockRecord::id, &LockRecord::service_id, &LockRecord::service, &LockRecord::customer_id,
                &LockRecord::customer, &LockRecord::stage, &LockRecord::locked_on, &LockRecord::purge_on,
                &LockRecord::collections>};

constexpr RecordSelect<ChargeRecord> kCharges{
    "g.id, g.customer_id, c.ext_id, g.service_id, s.ext_id, g.kind, g.amount, g.currency, g.reason, "
    "g.action_key, g.created_at, g.created_by",
    "charges g JOIN services s ON s.id = g.service_id JOIN customers c ON c.id = g.customer_id",
    read_fields<&ChargeRecord::id, &ChargeRecord::customer_id, &ChargeRecord::customer,
                &ChargeRecord::service_id, &ChargeRecord::service, &ChargeRecord::kind, &ChargeRecord::amount,
                &ChargeRecord::reason, &ChargeRecord::action_key, &ChargeRecord::created_at,
                &ChargeRecord::created_by>};

// The panel's location of a backup, from either form of reply: the callback's JSON, or the
// dispatcher's "detail; location: where" (dispatch/record.cpp).
std::string location_in(const std::string& reply) {
  const auto doc = json::parse(reply, nullptr, false);
  if (doc.is_object()) {
    const auto it = doc.find("location");
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  }
  const auto at = reply.rfind("; location: ");
  return at == std::string::npos ? std::string() : reply.substr(at + 12);
}

}  // namespace

std::pair<CancellationRecord, bool> SqlStore::add_cancellation(const CancellationRecord& r) {
  // OR IGNORE: the partial unique index cancellations_open turns a second request into no row.
  db_.prepare(
         "INSERT INTO cancellations (service_id, customer_id, requested_at, requested_on, "
         "requested_by, "
         "channel, reason_code, note, retention_offers, scope, service_end, purge_on, rule, state) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'requested') ON CONFLICT DO NOTHING")
      .bind_all(r.service_id, r.customer_id, to_unix(r.requested_at), to_day_number(r.requested_on),
                r.requested_by, r.channel, r.reason_code, r.note, join_list(r.retention_offers), r.scope,
                to_day_number(r.service_end), to_day_number(r.purge_on), r.rule)
      .run();
  const bool created = db_.changes() > 0;
  auto open = open_cancellation(r.service_id);
  if (!open)
    throw StoreError(fmt::format("cancellation of service {} was neither written nor found", r.service));
  return {*open, created};
}

std::optional<CancellationRecord> SqlStore::open_cancellation(std::int64_t service_id) {
  return select_first(db_, kCancellations, "WHERE k.service_id = ? AND k.state != 'withdrawn'", service_id);
}

std::vector<CancellationRecord> SqlStore::cancellations(std::optional<Instant> from,
                                                        std::optional<Instant> to) {
  return select_all(
      db_, kCancellations,
      "WHERE (CAST(?1 AS BIGINT) IS NULL OR k.requested_at >= ?1) AND (CAST(?2 AS BIGINT) IS NULL "
      "OR k.requested_at < ?2) ORDER BY k.requested_at, k.id",
      unix_or_null(from), unix_or_null(to));
}

void SqlStore::withdraw_cancellation(std::int64_t id, Instant at, std::string_view actor) {
  db_.prepare("UPDATE cancellations SET state = 'withdrawn', withdrawn_at = ?, withdrawn_by = ? WHERE id = ?")
      .bind_all(to_unix(at), actor, id)
      .run();
}

std::vector<CancellationRecord> SqlStore::cancellations_ended_before(Date day) {
  return select_all(db_, kCancellations, "WHERE k.state = 'requested' AND k.service_end < ? ORDER BY k.id",
                    to_day_number(day));
}

void SqlStore::set_service_state(std::int64_t service_id, ServiceState state, std::string_view reason) {
  db_.prepare("UPDATE services SET state = ?, suspend_reason = ? WHERE id = ?")
      .bind_all(to_string(state), reason, service_id)
      .run();
}

std::optional<LockRecord> SqlStore::open_lock(std::int64_t service_id) {
  return select_first(
      db_, kLocks, "WHERE l.service_id = ? AND l.reactivated_at IS NULL AND l.purged_at IS NULL", service_id);
}

std::vector<LockRecord> SqlStore::open_locks_of(std::int64_t customer_id) {
  return select_all(
      db_, kLocks,
      "WHERE l.customer_id = ? AND l.reactivated_at IS NULL AND l.purged_at IS NULL ORDER BY l.id",
      customer_id);
}

std::vector<Payment> SqlStore::confirmed_payments_of(std::int64_t customer_id) {
  return select_all(db_, kPayments,
                    "WHERE i.customer_id = ? AND p.status = 'confirmed' ORDER BY p.received_on, p.id",
                    customer_id);
}

void SqlStore::end_lock(std::int64_t lock_id, Instant at, std::string_view actor) {
  db_.prepare("UPDATE locks SET reactivated_at = ?, reactivated_by = ? WHERE id = ?")
      .bind_all(to_unix(at), actor, lock_id)
      .run();
}

std::vector<PurgeCandidate> SqlStore::purges_due_by(Date until) {
  auto& stmt = db_.prepare(
      "SELECT 'cancellation:' || k.id, k.service_id, s.ext_id, k.customer_id, k.purge_on FROM cancellations "
      "k "
      "JOIN services s ON s.id = k.service_id WHERE k.state = 'cancelled' AND k.purge_on <= ?1 "
      "UNION ALL "
      "SELECT 'lock:' || l.id, l.service_id, s.ext_id, l.customer_id, l.purge_on FROM locks l "
      "JOIN services s ON s.id = l.service_id WHERE l.reactivated_at IS NULL AND l.purged_at IS NULL "
      "AND l.purge_on IS NOT NULL AND l.purge_on <= ?1 AND s.state = 'locked' "
      "ORDER BY 5, 2");
  stmt.bind(1, to_day_number(until));
  return read_rows(stmt,
                   read_fields<&PurgeCandidate::origin, &PurgeCandidate::service_id, &PurgeCandidate::service,
                               &PurgeCandidate::customer_id, &PurgeCandidate::purge_on>);
}

bool SqlStore::backup_in_flight(std::string_view service_ext_id) {
  auto& stmt = db_.prepare(
      "SELECT EXISTS (SELECT 1 FROM actions WHERE target = ? AND kind = 'backup' "
      "AND state IN ('pending', 'in_flight'))");
  stmt.bind(1, service_ext_id);
  return read_number(stmt) != 0;
}

int SqlStore::count_service_actions(std::string_view service_ext_id, ActionKind kind) {
  auto& stmt = db_.prepare("SELECT COUNT(*) FROM actions WHERE target = ? AND kind = ?");
  stmt.bind_all(service_ext_id, to_string(kind));
  return static_cast<int>(read_number(stmt));
}

std::string SqlStore::backup_location(std::int64_t action_id) {
  auto& stmt = db_.prepare("SELECT reply FROM actions WHERE id = ? AND kind = 'backup' AND state = 'done'");
  stmt.bind(1, action_id);
  const auto reply = read_first(stmt, [](Row& row) { return row.text(); });
  return reply ? location_in(*reply) : std::string();
}

std::int64_t SqlStore::add_charge(const ChargeRecord& g) {
  auto& stmt = db_.prepare(
      "INSERT INTO charges (customer_id, service_id, kind, amount, currency, reason, action_key, created_at, "
      "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  stmt.bind_all(g.customer_id, g.service_id, g.kind, g.amount.minor, g.amount.currency.code(), g.reason,
                g.action_key, to_unix(g.created_at), g.created_by);
  return *returned_id(stmt);
}

std::vector<ChargeRecord> SqlStore::charges_due() {
  return select_all(db_, kCharges,
                    "JOIN actions a ON a.key = g.action_key WHERE g.exported_at IS NULL AND a.state = 'done' "
                    "ORDER BY g.created_at, g.id");
}

void SqlStore::mark_charges_exported(const std::vector<std::int64_t>& ids, Instant at) {
  auto& stmt = db_.prepare("UPDATE charges SET exported_at = ? WHERE id = ? AND exported_at IS NULL");
  for (const auto id : ids) {
    stmt.bind_all(to_unix(at), id);
    stmt.run();
  }
}

std::vector<CollectionsRow> SqlStore::collections() {
  auto& stmt = db_.prepare(fmt::format(
      "SELECT l.customer_id, {}, MIN(l.locked_on) FROM locks l "
      "JOIN services s ON s.id = l.service_id WHERE l.collections = 1 AND l.reactivated_at IS NULL "
      "GROUP BY l.customer_id ORDER BY l.customer_id",
      db_.pick("group_concat(s.ext_id, ';')", "string_agg(s.ext_id, ';' ORDER BY s.id)")));
  const auto locked = read_rows(stmt, [](Row& row) {
    const auto customer_id = row.int64();
    auto services = row.list();
    return std::tuple(customer_id, std::move(services), row.day());
  });
  std::vector<CollectionsRow> rows;
  for (const auto& [customer_id, services, locked_on] : locked) {
    CollectionsRow row{*customer(customer_id), services, locked_on, {}};
    for (auto& invoice : invoices_of(customer_id)) {
      if (invoice.invoice.status == InvoiceStatus::open && invoice.balance.minor > 0)
        row.invoices.push_back(std::move(invoice));
    }
    if (!row.invoices.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

MonthlyCounts SqlStore::monthly_counts(Instant from, Instant to) {
  MonthlyCounts counts;
  auto& reasons = db_.prepare(
      "SELECT reason_code, COUNT(*) FROM cancellations WHERE requested_at >= ? AND requested_at < ? "
      "GROUP BY reason_code ORDER BY reason_code");
  reasons.bind_all(to_unix(from), to_unix(to));
  while (reasons.step()) counts.cancellations_by_reason[reasons.text(0)] = reasons.int64(1);
  // Acknowledged panel actions: a suspension without the lock flag for non-payment, any
  // unsuspension (payment, trust release, re-engagement, the operator), any purge. Only those
  // kinds are read (index actions_done): a month's notices are most of what is done.
  auto& done = db_.prepare(
      fmt::format("SELECT COUNT(*) FILTER (WHERE kind = 'suspend' AND {} = 'non_payment' AND NOT {}), "
                  "COUNT(*) FILTER (WHERE kind = 'unsuspend'), COUNT(*) FILTER (WHERE kind = 'purge') "
                  "FROM actions{} WHERE state = 'done' AND kind IN ('suspend', 'unsuspend', 'purge') AND "
                  "done_at >= ? AND "
                  "done_at < ?",
                  json_text(db_.dialect(), "payload", "reason"), json_flag(db_.dialect(), "payload", "lock"),
                  // SQLite without statistics takes the index by state, which reads every action done.
                  db_.pick(" INDEXED BY actions_done", "")));
  done.bind_all(to_unix(from), to_unix(to));
  if (done.step()) {
    counts.suspensions = done.optional_int64(0).value_or(0);
    counts.reactivations = done.optional_int64(1).value_or(0);
    counts.purges = done.optional_int64(2).value_or(0);
    done.reset();
  }
  auto& locks = db_.prepare("SELECT COUNT(*) FROM locks WHERE locked_at >= ? AND locked_at < ?");
  locks.bind_all(to_unix(from), to_unix(to));
  counts.locks = read_number(locks);
  return counts;
}

// ARCHITECTURE rule 2 for the lifecycle: a deactivation makes the service cancelled, a lock
// is recorded with its purge day, a purge makes the service purged — each only now that the
// panel said yes.
void SqlStore::apply_lifecycle_completion(ActionKind kind, const std::string& target, const json& doc,
                                          const std::string& reply, Instant at) {
  if (!doc.is_object()) return;
  const bool cancellation = kind == ActionKind::suspend && doc.contains("cancellation");
  const bool lock = kind == ActionKind::suspend && doc.value("lock", false);
  // Nearly every acknowledged action is none of these: the service is not read for them (a
  // dispatcher records thousands a second; docs/benchmarks.md, *Dispatch*).
  if (!cancellation && !lock && kind != ActionKind::purge && kind != ActionKind::backup) return;
  const auto service = this->service(target);
  if (!service) return;
  if (cancellation) {
    const auto id = doc["cancellation"].get<std::int64_t>();
    // A customer who re-engaged meanwhile keeps the service: the unsuspension is queued.
    db_.prepare("UPDATE cancellations SET state = 'cancelled' WHERE id = ? AND state = 'requested'")
        .bind(1, id)
        .run();
    if (db_.changes() > 0) set_service_state(service->id, ServiceState::cancelled, "cancellation");
  } else if (lock) {
    const auto locked_on = parse_date(doc.value("locked_on", std::string()));
    const auto purge_on = parse_date(doc.value("purge_date", std::string()));
    db_.prepare(
           "INSERT INTO locks (service_id, customer_id, stage, locked_on, locked_at, purge_on, "
           "collections) "
           "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
        .bind_all(service->id, service->customer_id, doc.value("stage", std::string()),
                  to_day_number(locked_on ? *locked_on : date::floor<date::days>(at)), to_unix(at),
                  purge_on ? std::optional<std::int64_t>(to_day_number(*purge_on)) : std::nullopt,
                  doc.value("collections", false) ? 1 : 0)
        .run();
  } else if (kind == ActionKind::purge) {
    set_service_state(service->id, ServiceState::purged, doc.value("reason", std::string("purge")));
    db_.prepare("UPDATE cancellations SET state = 'purged' WHERE service_id = ? AND state = 'cancelled'")
        .bind(1, service->id)
        .run();
    db_.prepare(
           "UPDATE locks SET purged_at = ? WHERE service_id = ? AND reactivated_at IS NULL AND purged_at IS "
           "NULL")
        .bind_all(to_unix(at), service->id)
        .run();
  } else if (kind == ActionKind::backup) {
    audit({0, at, "system", "service:" + target, "backup_done",
           dump_json(json{{"location", location_in(reply)}})});
  }
}

}  // namespace cobrador::store::sql
