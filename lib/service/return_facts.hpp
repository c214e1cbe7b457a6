// The facts policy::return_terms weighs, read from the store: the customer's invoices and
// confirmed payments, and the recurring prices of the services to bring back. Shared by
// reactivation after a lock and re-engagement after the end of service.
#pragma once

#include <cstdint>
#include <vector>

#include "policy/return_terms.hpp"
#include "store/lifecycle_store.hpp"

namespace cobrador::service {

policy::ReturnFacts return_facts(store::LifecycleStore& store, std::int64_t customer_id, Date since,
                                 const std::vector<Service>& services);

}  // namespace cobrador::service
