// The lock scenario the lock tests share: a policy that suspends on day 5 and locks at three
// unpaid invoices, a quarter of unpaid monthly invoices for service s1 of customer c1, and the
// walks that take s1 from active to locked on 11 May.
#pragma once

#include <string>

#include <fmt/format.h>

#include "lifecycle_site.hpp"

namespace cobrador::testing {

inline std::string lock_policy(int months_upfront) {
  return fmt::format(
      "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
      "stages:\n"
      "  - name: suspend\n    when: {{ days_overdue: 5 }}\n    suspend: billed_services\n"
      "    notify: [email]\n    template: suspended\n"
      "  - name: lock\n    when: {{ unpaid_invoices: 3 }}\n    lock: true\n    collections: true\n"
      "    notify: [email]\n    template: locked\n    purge_after: 30 days\n"
      "backups: {{ allowed_in: [active], offer_before_purge_days: 7 }}\n"
      "reactivation_after_lock: {{ pay_all_debts: true, months_upfront: {} }}\n",
      months_upfront);
}

// Three monthly invoices of 49.90 BRL for s1 of c1, none paid (the customer and the service
// are the test's own).
inline void import_unpaid_quarter(const LifecycleSite& site) {
  site.import("invoices",
              "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
              "i1,c1,s1,49.90,BRL,2026-03-01,2026-03-10,open\n"
              "i2,c1,s1,49.90,BRL,2026-04-01,2026-04-10,open\n"
              "i3,c1,s1,49.90,BRL,2026-05-01,2026-05-10,open\n",
              "2026-03-01");
}

// Suspended on day 5 of i1, locked when i3 is overdue (11 May).
inline void walk_to_lock(const LifecycleSite& site) {
  site.walk_and_dispatch("2026-03-15");
  REQUIRE(site.state("s1") == ServiceState::suspended);
  site.walk_and_dispatch("2026-05-11");
  REQUIRE(site.state("s1") == ServiceState::locked);
}

}  // namespace cobrador::testing
