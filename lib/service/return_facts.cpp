// Implements service/return_facts.hpp.
#include "service/return_facts.hpp"

namespace cobrador::service {

policy::ReturnFacts return_facts(store::LifecycleStore& store, std::int64_t customer_id, Date since,
                                 const std::vector<Service>& services) {
  policy::ReturnFacts facts;
  facts.since = since;
  for (auto& found : store.invoices_of(customer_id)) facts.invoices.push_back(std::move(found.invoice));
  facts.payments = store.confirmed_payments_of(customer_id);
  for (const auto& s : services) facts.services.emplace_back(s.ext_id, s.recurring_amount);
  return facts;
}

}  // namespace cobrador::service
