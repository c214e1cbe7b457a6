// The customer hears about promises and claims (issue 18): a granted trust release queues one
// trust_release_granted notice naming the deadline, and a claim that expires unconfirmed one
// claim_unconfirmed notice, each under its own idempotency key, so that walking again queues
// nothing more. Real store (SQLite, and PostgreSQL through the [trust]/[claims] tags), the
// real walk, the release and the claim through the services the HTTP routes call.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "service/payment_claims.hpp"
#include "service/trust_release.hpp"

#include "claim_world.hpp"

using namespace cobrador;

namespace promise_notices {
using testing::claim_world::d;
using testing::claim_world::World;
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
