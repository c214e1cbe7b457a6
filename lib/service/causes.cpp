// Implements service/causes.hpp.
#include "service/causes.hpp"

#include <nlohmann/json.hpp>

#include "policy/tasks.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

void note_return_cause(store::AuditTrail& store, std::int64_t customer_id, const std::string& customer_ext_id,
                       std::string_view reason_code, Instant now, std::string_view actor) {
  const auto cause = policy::cause_of_return(reason_code);
  if (!cause) return;
  const auto source = "bank:" + std::string(reason_code);
  store.note_cause(customer_id, *cause, source, now, false);
  store.audit({0, now, std::string(actor), "customer:" + customer_ext_id, "cause_noted",
               dump_json(nlohmann::json{
                   {"cause", *cause},
                   {"source", source},
                   {"rule", "the bank's return reason " + std::string(reason_code) + " names it"}})});
}

}  // namespace cobrador::service
