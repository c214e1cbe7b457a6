// The last look before a send (policy/last_look): ours or lost, stale after the episode's end
// except for the end's own actions, and an operator's hold that no payment lifts.
#include <catch2/catch.hpp>

#include "policy/last_look.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace {

SendFacts ours(ActionKind kind, std::string stage) {
  SendFacts facts;
  facts.found = true;
  facts.ours = true;
  facts.kind = kind;
  facts.stage = std::move(stage);
  return facts;
}

}  // namespace

TEST_CASE("an action no longer ours is dropped untouched", "[policy]") {
  auto facts = ours(ActionKind::suspend, "suspend");
  facts.ours = false;
  CHECK(last_look(facts).kind == SendVerdict::Kind::lost);
  CHECK(last_look(SendFacts{}).kind == SendVerdict::Kind::lost);
  facts.ours = true;
  CHECK(last_look(facts).kind == SendVerdict::Kind::send);
}

TEST_CASE("an ended episode cancels its stages' actions but not those of its end", "[policy]") {
  auto stale = ours(ActionKind::suspend, "suspend");
  stale.episode_ended = true;
  stale.episode_number = 4;
  stale.episode_end_reason = "paid";
  const auto verdict = last_look(stale);
  CHECK(verdict.kind == SendVerdict::Kind::cancel);
  CHECK(verdict.why == "episode 4 ended before it went out: paid");
  auto end = ours(ActionKind::unsuspend, "end");
  end.episode_ended = true;
  CHECK(last_look(end).kind == SendVerdict::Kind::send);
}

TEST_CASE("an unsuspension not made by hand never lifts a suspension by hand", "[policy]") {
  auto paid = ours(ActionKind::unsuspend, "end");
  paid.episode_ended = true;
  paid.target_manual_reason = "abuse";
  const auto verdict = last_look(paid);
  CHECK(verdict.kind == SendVerdict::Kind::cancel);
  CHECK(verdict.why == "the service is suspended by hand (abuse): only an operator lifts it");
  auto by_hand = ours(ActionKind::unsuspend, "manual");
  by_hand.target_manual_reason = "abuse";
  CHECK(last_look(by_hand).kind == SendVerdict::Kind::send);
  auto notice = ours(ActionKind::notify, "end");
  notice.target_manual_reason = "abuse";  // only an unsuspension turns the service on
  CHECK(last_look(notice).kind == SendVerdict::Kind::send);
}
