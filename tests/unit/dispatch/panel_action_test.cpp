// A panel action's payload read back as the adapter's call.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "dispatch/panel_action.hpp"

using namespace cobrador;
using namespace cobrador::dispatch;

namespace {

Action action(ActionKind kind, const std::string& type) {
  Action a;
  a.key = "c1:e1:suspend:suspend:s1";
  a.kind = kind;
  a.target = "s1";
  a.payload =
      nlohmann::json{{"type", type},
                     {"reason", "non_payment"},
                     {"mode", "full"},
                     {"service", {{"id", "s1"}, {"account", "ana"}, {"kind", "hosting"}, {"panel", "whm1"}}},
                     {"customer", {{"id", "c1"}}}}
          .dump();
  return a;
}

}  // namespace

// Every field of the walk's suspension reaches the call, with the key.
TEST_CASE("a suspension becomes a panel call with its key, reason and mode", "[dispatch]") {
  const auto request = parse_panel_action(action(ActionKind::suspend, "service.suspend"));
  REQUIRE(request);
  CHECK(request->panel == "whm1");
  const auto& call = request->call;
  CHECK(call.kind == hooks::PanelCall::Kind::suspend);
  CHECK(call.idempotency_key == "c1:e1:suspend:suspend:s1");
  CHECK(call.reason == "non_payment");
  CHECK(call.mode == "full");
  CHECK(call.service_id == "s1");
  CHECK(call.account == "ana");
  CHECK(call.service_kind == "hosting");
  CHECK(call.customer_id == "c1");
}

// An unsuspension carries no reason and no mode (docs/panels.md).
TEST_CASE("an unsuspension has neither reason nor mode", "[dispatch]") {
  const auto request = parse_panel_action(action(ActionKind::unsuspend, "service.unsuspend"));
  REQUIRE(request);
  CHECK(request->call.kind == hooks::PanelCall::Kind::unsuspend);
  CHECK(request->call.reason.empty());
  CHECK(request->call.mode.empty());
}

// A purge removes the account: the panel's terminate, with its reason (docs/lifecycle.md).
TEST_CASE("a purge is the panel's terminate", "[dispatch]") {
  const auto request = parse_panel_action(action(ActionKind::purge, "service.terminate"));
  REQUIRE(request);
  CHECK(request->call.kind == hooks::PanelCall::Kind::terminate);
  CHECK(request->call.reason == "non_payment");  // the payload's reason goes with it
}

// Kinds no panel performs and payloads without a panel are refused.
TEST_CASE("an event or a payload without a panel is not a panel call", "[dispatch]") {
  CHECK(parse_panel_action(action(ActionKind::event, "x")).error().message ==
        "no panel performs 'event' actions");
  auto broken = action(ActionKind::suspend, "service.suspend");
  broken.payload = R"({"service": {"id": "s1"}})";
  CHECK(parse_panel_action(broken).error().message == "panel action payload: service.panel is missing");
}
