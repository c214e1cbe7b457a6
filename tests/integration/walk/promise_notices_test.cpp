// The customer hears about promises and claims (issue 18): a granted trust release queues one
// trust_release_granted notice naming the deadline, and a claim that expires unconfirmed one
// claim_unconfirmed notice, each under its own idempotency key, so that walking again queues
// nothing more. Real store (SQLite, and PostgreSQL through the [trust]/[claims] tags), the
// real walk, the release and the claim through the services the HTTP routes call.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"
#include "service/billing.hpp"
#include "service/payment_claims.hpp"
#include "service/trust_release.hpp"
#include "store/backends/open_store.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"

using namespace cobrador;

namespace promise_notices {

const char* kPolicy = R"(timezone: UTC
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

Date d(const char* text) { return *parse_date(text); }

struct World {
  testing::TempDir dir;
  std::unique_ptr<store::Store> store = store::open_store(testing::fresh_database(dir.path()));
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
};

}  // namespace promise_notices

// Issue 18: the grant tells the customer until when the services are back.
TEST_CASE("a granted trust release queues one trust_release_granted notice with the deadline", "[trust]") {
  promise_notices::World w;
  w.suspended_rui();
  service::TrustReleaseRequest request;
  request.customer = "rui";
  request.reason = "paying on Friday";
  request.actor = "operator:ana";
  const auto outcome = store::in_transaction(*w.store, [&] {
    return service::grant_trust_release(*w.store, w.policy, request,
                                        w.at("2026-03-07") + std::chrono::hours{3});
  });
  REQUIRE(outcome.ok());
  const auto* granted = std::get_if<service::TrustReleaseGranted>(&*outcome);
  REQUIRE(granted);
  REQUIRE(granted->promise.deadline == promise_notices::d("2026-03-10"));

  const auto notices = w.notices("trust_release_granted");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].target == "email:rui@example.com");
  const auto payload = nlohmann::json::parse(notices[0].payload);
  CHECK(payload["template"] == "trust_release_granted");
  CHECK(payload["variables"]["deadline"] == "2026-03-10");
  CHECK(payload["variables"]["services"] == "s-rui");
  CHECK(payload["variables"]["amount_due"] != "");

  // The walks while the release runs queue no second one.
  for (const char* day : {"2026-03-07", "2026-03-08", "2026-03-09"}) w.walk_and_deliver(day);
  CHECK(w.notices("trust_release_granted").size() == 1);
}

// Issue 18: the customer hears that the claim was not confirmed, once.
TEST_CASE("a claim that expires unconfirmed queues one claim_unconfirmed notice, and walking again none",
          "[claims]") {
  promise_notices::World w;
  w.suspended_rui();
  service::PaymentClaim claim;
  claim.customer = "rui";
  claim.amount = "99.00";
  claim.paid_on = promise_notices::d("2026-03-07");
  claim.method = "ted";
  claim.reference = "TED-1";
  const auto outcome = store::in_transaction(*w.store, [&] {
    return service::record_claim(*w.store, w.policy, claim, w.at("2026-03-07") + std::chrono::hours{3});
  });
  REQUIRE(std::get_if<service::ClaimRecorded>(&outcome));
  w.walk_and_deliver("2026-03-08");
  CHECK(w.notices("claim_unconfirmed").empty());

  w.walk_and_deliver("2026-03-09");  // the expiry day
  const auto notices = w.notices("claim_unconfirmed");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].target == "email:rui@example.com");
  const auto payload = nlohmann::json::parse(notices[0].payload);
  CHECK(payload["template"] == "claim_unconfirmed");
  CHECK(payload["variables"]["claim_amount"] != "");
  CHECK(payload["variables"]["claim_date"] == "2026-03-07");
  CHECK(payload["variables"]["services"] == "s-rui");

  // The same walk again (a second daemon, a restart) and the next days queue nothing more.
  for (const char* day : {"2026-03-09", "2026-03-10", "2026-03-11"}) w.walk_and_deliver(day);
  CHECK(w.notices("claim_unconfirmed").size() == 1);
}
