// The world of the claim and promise walk tests: a policy that warns on day 3, suspends on
// day 5 and gives claims a 5-day release expiring after 2 days; Rui, suspended on 7 March for
// 99.00 BRL due 2 March; the real walk on a real store, every queued action marked done.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "policy/policy.hpp"
#include "service/billing.hpp"
#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"

namespace cobrador::testing::claim_world {

inline const char* kPolicy = R"(timezone: UTC
run_at: "06:00"
min_notice_days: 0
stages:
  - name: warning
    when: { days_overdue: 3 }
    notify: [email]
    template: suspension_warning
  - name: suspend
    when: { days_overdue: 5 }
    suspend: billed_services
    notify: [email]
    template: suspended
trust_release: { enabled: true, days: 3, min_customer_months: 6, new_customer_days: 0, max_per_12_months: 2,
                 blocked_after_broken_promise_days: 365 }
payments: { claims: { release_days: 5, expire_after_days: 2 } }
)";

inline Date d(const char* text) { return *parse_date(text); }

struct World {
  TempDir dir;
  std::unique_ptr<store::Store> store = store::open_store(fresh_database(dir.path()));
  policy::Policy policy = *policy::parse_policy(kPolicy, "policy.yaml");
  const service::Origin origin{"billing", "test"};

  Instant at(const char* day) { return policy.instant_at(d(day), policy.run_at_minute); }

  // Rui owes 99.00 BRL due 2 March; day 5 (7 March) suspends his VPS.
  void suspended_rui() {
    store::in_transaction(*store, [&] {
      Customer c;
      c.ext_id = "rui";
      c.name = "Rui";
      c.emails = {"rui@example.com"};
      c.customer_since = d("2024-01-01");
      REQUIRE(service::put_customer(*store, c, at("2026-03-01"), origin));
      Service s;
      s.ext_id = "s-rui";
      s.customer_ext_id = "rui";
      s.kind = ServiceKind::vps;
      REQUIRE(service::put_service(*store, s, at("2026-03-01"), origin));
      Invoice inv;
      inv.ext_id = "inv-rui";
      inv.customer_ext_id = "rui";
      inv.amount = Money{9900, *Currency::parse("BRL")};
      inv.issued_on = d("2026-02-20");
      inv.due_on = d("2026-03-02");
      REQUIRE(service::put_invoice(*store, inv, at("2026-03-01"), origin));
    });
    for (const char* day : {"2026-03-05", "2026-03-07"}) walk_and_deliver(day);
    REQUIRE(store->service("s-rui")->state == ServiceState::suspended);
  }

  void walk_and_deliver(const char* day) {
    walk::walk(*store, policy, at(day));
    store::ActionFilter pending;
    pending.state = ActionState::pending;
    store::in_transaction(*store, [&] {
      for (const auto& a : store->actions(pending))
        store->complete_action(a.id, at(day) + std::chrono::minutes{1}, "ok");
    });
  }

  // The notify actions queued with `template_name` (their stage), in any state.
  std::vector<Action> notices(const std::string& template_name) {
    store::ActionFilter filter;
    filter.kind = ActionKind::notify;
    std::vector<Action> found;
    for (const auto& a : store->actions(filter)) {
      if (a.stage == template_name) found.push_back(a);
    }
    return found;
  }

  std::size_t count(ActionKind kind) {
    store::ActionFilter filter;
    filter.kind = kind;
    return store->actions(filter).size();
  }
};

}  // namespace cobrador::testing::claim_world
