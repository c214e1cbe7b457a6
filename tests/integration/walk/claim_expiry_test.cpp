// A claim that expires before the release it bought: with release_days 5 and
// expire_after_days 2, the walk of the expiry day rejects the claim as unconfirmed, flags the
// customer, alerts the operator, and ends the release that same day — suspended again, with
// no new notice. Real SQLite file, the real walk, the claim through the service the HTTP route
// calls.
#include <catch2/catch.hpp>

#include "policy/policy.hpp"
#include "service/billing.hpp"
#include "service/payment_claims.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "walk/walk.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;

namespace {

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

  Instant at(const char* day) { return policy.instant_at(d(day), policy.run_at_minute); }

  void walk_and_deliver(const char* day) {
    walk::walk(*store, policy, at(day));
    store::ActionFilter pending;
    pending.state = ActionState::pending;
    store::in_transaction(*store, [&] {
      for (const auto& a : store->actions(pending))
        store->complete_action(a.id, at(day) + std::chrono::minutes{1}, "ok");
    });
  }

  std::size_t count(ActionKind kind) {
    store::ActionFilter filter;
    filter.kind = kind;
    return store->actions(filter).size();
  }
};

}  // namespace

TEST_CASE("a claim that expires before its release ends the release that day", "[claims]") {
  World w;
  const service::Origin origin{"billing", "test"};
  store::in_transaction(*w.store, [&] {
    Customer c;
    c.ext_id = "rui";
    c.name = "Rui";
    c.emails = {"rui@example.com"};
    c.customer_since = d("2024-01-01");
    REQUIRE(service::put_customer(*w.store, c, w.at("2026-03-01"), origin));
    Service s;
    s.ext_id = "s-rui";
    s.customer_ext_id = "rui";
    s.kind = ServiceKind::vps;
    REQUIRE(service::put_service(*w.store, s, w.at("2026-03-01"), origin));
    Invoice inv;
    inv.ext_id = "inv-rui";
    inv.customer_ext_id = "rui";
    inv.amount = Money{9900, *Currency::parse("BRL")};
    inv.issued_on = d("2026-02-20");
    inv.due_on = d("2026-03-02");
    REQUIRE(service::put_invoice(*w.store, inv, w.at("2026-03-01"), origin));
  });
  for (const char* day : {"2026-03-05", "2026-03-07"}) w.walk_and_deliver(day);
  REQUIRE(w.store->service("s-rui")->state == ServiceState::suspended);

  service::PaymentClaim claim;
  claim.customer = "rui";
  claim.amount = "99.00";
  claim.paid_on = d("2026-03-07");
  claim.method = "ted";
  claim.reference = "TED-1";
  const auto outcome = store::in_transaction(*w.store, [&] {
    return service::record_claim(*w.store, w.policy, claim, w.at("2026-03-07") + std::chrono::hours{3});
  });
  const auto* recorded = std::get_if<service::ClaimRecorded>(&outcome);
  REQUIRE(recorded);
  CHECK(recorded->expires_on == d("2026-03-09"));
  REQUIRE(recorded->release);
  const auto& granted = std::get<service::TrustReleaseGranted>(*recorded->release);
  CHECK(granted.promise.deadline == d("2026-03-12"));
  w.walk_and_deliver("2026-03-07");
  CHECK(w.store->service("s-rui")->state == ServiceState::active);
  const auto notices = w.count(ActionKind::notify);

  w.walk_and_deliver("2026-03-08");
  CHECK(w.store->service("s-rui")->state == ServiceState::active);
  w.walk_and_deliver("2026-03-09");  // expiry day, three days before the release's deadline
  const auto claims = w.store->claims(std::nullopt);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].payment.status == PaymentStatus::rejected);
  CHECK(claims[0].status_reason == "unconfirmed");
  const auto rui = w.store->customer("rui");
  CHECK(w.store->claims_flagged_at(rui->id).has_value());
  const auto promises = w.store->promises_of(rui->id);
  REQUIRE(promises.size() == 1);
  CHECK(promises[0].outcome == PromiseOutcome::broken);
  CHECK(promises[0].deadline == d("2026-03-09"));
  CHECK(w.store->service("s-rui")->state == ServiceState::suspended);
  CHECK(w.count(ActionKind::notify) == notices + 1);          // claim_unconfirmed (issue 18)
  CHECK(w.store->invoice("inv-rui")->balance.minor == 9900);  // the claim never counted as money
}
