// The outbox's leases on a real SQLite file: what a claim takes and leaves, and how a lease
// keeps a second dispatcher off an action until it runs out.
#include <catch2/catch.hpp>

#include "integration/dispatch/outbox_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using std::chrono::seconds;

namespace {

std::vector<std::string> targets(const std::vector<Action>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(a.target);
  return out;
}

}  // namespace

// A claim takes what is due except the lanes it is told to skip; another dispatcher gets the
// rest but not what is leased, until the lease runs out; the first then finds it lost.
TEST_CASE("claims skip full lanes and respect each other's leases", "[dispatch]") {
  OutboxFixture t(one_stage_policy("[email, sms]"));
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, kOneService);
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();
  auto& store = t.store();
  const auto claim = [&](const std::string& owner, Instant at, store::ClaimSkip skip) {
    return store::in_transaction(store,
                                 [&] { return store.claim_actions(at, owner, at + seconds(60), 10, skip); });
  };

  const auto first = claim("a", t.now, {{"noc"}, {"sms"}});
  CHECK(targets(first) == std::vector<std::string>{"email:ana@example.com.br"});
  CHECK(first.front().state == ActionState::in_flight);
  CHECK(targets(claim("b", t.now, {})) == std::vector<std::string>{"s1", "sms:+5511900000001"});
  CHECK(claim("c", t.now + seconds(59), {}).empty());  // everything is leased

  // The leases ran out: c takes the e-mail over, and a may no longer send it.
  CHECK(targets(claim("c", t.now + seconds(60), {{"noc"}, {"sms"}})) ==
        std::vector<std::string>{"email:ana@example.com.br"});
  const auto check = store::in_transaction(store, [&] {
    return store.confirm_send(first.front().id, "a", t.now + seconds(61), t.now + seconds(120));
  });
  CHECK(check == store::SendCheck::lost);
}

// Nothing that is not yet due is claimed: an SMS the walk held for quiet hours stays pending.
TEST_CASE("an action is not claimed before its next attempt", "[dispatch]") {
  OutboxFixture t(one_stage_policy("[sms]", "quiet_hours: { sms: \"21:00-08:00\" }\n"));
  t.now = *parse_instant("2026-03-04T01:00:00Z");  // 22:00 in São Paulo
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, kOneService);
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();
  auto& store = t.store();
  const auto claimed = store::in_transaction(
      store, [&] { return store.claim_actions(t.now, "a", t.now + seconds(60), 10, {}); });
  CHECK(targets(claimed) == std::vector<std::string>{"s1"});
  CHECK(t.only(ActionKind::notify).next_attempt_at == *parse_instant("2026-03-04T11:00:00Z"));
}
