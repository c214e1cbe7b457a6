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
TEST_CASE("an event without its payment or a payload without a panel is not a panel call", "[dispatch]") {
  CHECK(parse_panel_action(action(ActionKind::event, "x")).error().message ==
        "payment action payload: service and payment must be objects");
  auto broken = action(ActionKind::suspend, "service.suspend");
  broken.payload = R"({"service": {"id": "s1"}})";
  CHECK(parse_panel_action(broken).error().message == "panel action payload: service.panel is missing");
}

// A write-back (policy/write_back.hpp) is read as the payment its billing panel records.
TEST_CASE("an event carrying a payment is a payment for its panel", "[dispatch]") {
  Action a;
  a.key = "c3:payment7:payment:event:billing";
  a.kind = ActionKind::event;
  a.target = "payment:p7";
  a.payload = nlohmann::json{{"service", {{"panel", "billing"}}},
                             {"payment",
                              {{"invoice", "1001"},
                               {"transaction", "camt:1"},
                               {"amount", "49.90"},
                               {"currency", "BRL"},
                               {"date", "2026-12-02"},
                               {"gateway", "banktransfer"}}}}
                  .dump();
  const auto request = parse_panel_action(a);
  REQUIRE(request);
  CHECK(request->panel == "billing");
  REQUIRE(request->payment);
  CHECK(request->payment->idempotency_key == a.key);
  CHECK(request->payment->invoice == "1001");
  CHECK(request->payment->transaction == "camt:1");
  CHECK(request->payment->amount == "49.90");
  CHECK(request->payment->currency == "BRL");
  CHECK(request->payment->paid_on == "2026-12-02");
  CHECK(request->payment->gateway == "banktransfer");
}

// A return report (policy::return_write_back_action) carries the return with the payment; a
// `returned` that is not an object is refused, never read as a plain payment.
TEST_CASE("an event carrying a returned payment is a return for its panel", "[dispatch]") {
  Action a;
  a.key = "c3:payment7:return:event:billing";
  a.kind = ActionKind::event;
  a.target = "payment:p7";
  nlohmann::json payload{
      {"service", {{"panel", "billing"}}},
      {"payment",
       {{"invoice", "1001"},
        {"transaction", "camt:1"},
        {"amount", "49.90"},
        {"returned", {{"transaction", "csv:RET-77"}, {"date", "2026-12-05"}, {"reason", "MS03"}}}}}};
  a.payload = payload.dump();
  const auto request = parse_panel_action(a);
  REQUIRE(request);
  REQUIRE(request->payment);
  REQUIRE(request->payment->returned);
  CHECK(request->payment->returned->transaction == "csv:RET-77");
  CHECK(request->payment->returned->date == "2026-12-05");
  CHECK(request->payment->returned->reason == "MS03");
  payload["payment"]["returned"] = "MS03";
  a.payload = payload.dump();
  CHECK(parse_panel_action(a).error().message ==
        "payment action payload: payment.returned must be an object");
}
