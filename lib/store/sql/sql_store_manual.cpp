// Implements the manual-suspension half of SqlStore: the operator's hold on a service
// (services.manual_reason, migration 7), the reason of an acknowledged suspension, and the
// reads and cancellations of a service's unfinished panel actions.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sql/record_select.hpp"
#include "store/sql/shared_reads.hpp"
#include "store/sql/sql_store.hpp"
#include "util/dump_json.hpp"

namespace cobrador::store::sql {

std::optional<std::string> SqlStore::manual_hold(std::int64_t service_id) {
  auto& stmt = db_.prepare("SELECT manual_reason FROM services WHERE id = ?");
  stmt.bind(1, service_id);
  if (!stmt.step()) return std::nullopt;
  auto reason = stmt.text(0);
  stmt.reset();
  if (reason.empty()) return std::nullopt;
  return reason;
}

void SqlStore::set_manual_hold(std::int64_t service_id, const std::optional<std::string>& reason) {
  db_.prepare("UPDATE services SET manual_reason = ? WHERE id = ?")
      .bind(1, reason.value_or(""))
      .bind(2, service_id)
      .run();
}

void SqlStore::set_suspend_reason(std::int64_t service_id, std::string_view reason) {
  db_.prepare("UPDATE services SET suspend_reason = ? WHERE id = ?")
      .bind(1, reason)
      .bind(2, service_id)
      .run();
}

std::vector<Action> SqlStore::open_service_actions(std::string_view service_ext_id) {
  return select_all(db_, kActions,
                    "WHERE target = ? AND kind != 'notify' AND state IN ('pending', 'in_flight', 'failed') "
                    "ORDER BY id",
                    service_ext_id);
}

bool SqlStore::cancel_action(std::int64_t action_id, Instant now, std::string_view actor,
                             std::string_view why) {
  db_.prepare(
         "UPDATE actions SET state = 'cancelled', last_error = ?, lease_owner = NULL, lease_until = NULL "
         "WHERE id = ? AND state IN ('pending', 'failed')")
      .bind(1, why)
      .bind(2, action_id)
      .run();
  if (db_.changes() == 0) return false;
  auto& find = db_.prepare(
      "SELECT a.key, c.ext_id FROM actions a LEFT JOIN customers c ON c.id = a.customer_id WHERE a.id = ?");
  find.bind(1, action_id);
  find.step();
  const auto key = find.text(0);
  const auto subject = find.is_null(1) ? "action:" + key : "customer:" + find.text(1);
  find.reset();
  audit({0, now, std::string(actor), subject, "action_cancelled",
         dump_json(nlohmann::json{{"action", key}, {"rule", why}})});
  return true;
}

int SqlStore::manual_action_count(std::string_view service_ext_id) {
  auto& stmt = db_.prepare("SELECT COUNT(*) FROM actions WHERE target = ? AND stage = 'manual'");
  stmt.bind(1, service_ext_id);
  stmt.step();
  const int count = static_cast<int>(stmt.int64(0));
  stmt.reset();
  return count;
}

}  // namespace cobrador::store::sql
