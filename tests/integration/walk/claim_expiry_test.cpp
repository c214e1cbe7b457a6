// A claim that expires before the release it bought: with release_days 5 and
// expire_after_days 2, the walk of the expiry day rejects the claim as unconfirmed, flags the
// customer, alerts the operator, and ends the release that same day — suspended again, with
// no new notice. Real SQLite file, the real walk, the claim through the service the HTTP route
// calls.
#include <catch2/catch.hpp>

#include "service/payment_claims.hpp"

#include "claim_world.hpp"

using namespace cobrador;

using testing::claim_world::d;
using testing::claim_world::World;

TEST_CASE("a claim that expires before its release ends the release that day", "[claims]") {
  World w;
  w.suspended_rui();

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

  // The operator is asked to look, once: a task in the inbox about the customer, still one the
  // next day.
  store::TaskFilter unconfirmed;
  unconfirmed.kind = "unconfirmed_claim";
  auto tasks = w.store->tasks(unconfirmed);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].subject == "customer:rui");
  CHECK(tasks[0].state == "open");
  w.walk_and_deliver("2026-03-10");
  CHECK(w.store->tasks(unconfirmed).size() == 1);
}
