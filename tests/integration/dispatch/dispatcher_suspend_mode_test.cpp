// Suspend modes by kind of service at send time (issue 18, point 6): the walk queues each
// service's suspension with its kind's mode, webhook panels pass the mode on, and a cPanel
// panel, which can only suspend a whole account, refuses outgoing_only for good — the action
// fails with an alert and WHM is never asked — instead of cutting everything. The outbox is
// on a real database, WHM and the webhook receiver are loopback fakes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "integration/dispatch/outbox_fixture.hpp"
#include "support/fake_panel.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string policy_with_mode(const std::string& mode) {
  return "timezone: America/Sao_Paulo\nrun_at: \"06:00\"\nmin_notice_days: 0\n"
         "stages:\n  - name: suspend\n    when: { days_overdue: 1 }\n    suspend: billed_services\n"
         "    mode: " +
         mode + "\n    notify: []\n    template: suspended\n";
}

// WHM API 1's answer to suspendacct: HTTP 200 with metadata.result 1 (WHM's documentation).
FakeResponse whm_yes(const FakeRequest&) {
  return FakeResponse{200,
                      {{"Content-Type", "application/json"}},
                      R"({"metadata":{"command":"suspendacct","reason":"OK","result":1,"version":1}})",
                      {}};
}

// The fixture's panels plus `whm1`, a cPanel panel at `whm_url`.
dispatch::Outbound with_whm(dispatch::Outbound outbound, const std::string& whm_url) {
  dispatch::PanelSetup whm;
  whm.config.type = "cpanel";
  whm.config.url = whm_url;
  whm.config.user = "root";
  whm.config.secret = "WHMTOKEN42";
  whm.config.timeout = std::chrono::seconds(5);
  outbound.panels["whm1"] = whm;
  return outbound;
}

const Action& action_for(const std::vector<Action>& actions, const std::string& target) {
  const auto found =
      std::find_if(actions.begin(), actions.end(), [&](const Action& a) { return a.target == target; });
  REQUIRE(found != actions.end());
  return *found;
}

}  // namespace

// `mode: outgoing_only` for a hosting account on WHM: suspendacct would take the whole account,
// so the adapter refuses without calling WHM; the action is failed and the operator alerted,
// and the service stays active.
TEST_CASE("a cpanel panel refuses an outgoing_only suspension instead of suspending fully", "[dispatch]") {
  OutboxFixture t(policy_with_mode("outgoing_only"));
  FakePanel whm(whm_yes);
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services, "id,customer_id,kind,panel,account\ns1,c1,hosting,whm1,ana\n");
  t.import(service::ImportKind::invoices, kOneInvoice);
  t.walk();
  CHECK(nlohmann::json::parse(t.only(ActionKind::suspend).payload)["mode"] == "outgoing_only");

  dispatch::Dispatcher dispatcher(
      t.io, t.store(), with_whm(t.webhook_outbound("http://127.0.0.1:9/hook"), whm.url()), t.options());
  const auto counts = dispatcher.drain_until_empty();
  CHECK(counts.failed == 1);
  CHECK(counts.done == 0);
  const auto action = t.only(ActionKind::suspend);
  CHECK(action.state == ActionState::failed);
  CHECK(
      action.last_error.starts_with("mode outgoing_only refused: a cpanel panel can only suspend the whole "
                                    "account"));
  CHECK(t.alerts() == std::vector<std::string>{"action_failed action:" + action.key});
  CHECK(t.service_state("s1") == ServiceState::active);
  CHECK(whm.requests().empty());
}

// Seed 004: Ana's phone line (on the operator's webhook) keeps its incoming calls while her
// hosting (on WHM) is suspended fully; each panel gets its service's mode.
TEST_CASE("each service is suspended with its kind's mode through its own panel", "[dispatch]") {
  OutboxFixture t(policy_with_mode("{phone: outgoing_only, hosting: full}"));
  FakePanel whm(whm_yes);
  FakePanel noc([](const FakeRequest&) { return FakeResponse{200, {}, "{}", {}}; });
  t.import(service::ImportKind::customers, kOneCustomer);
  t.import(service::ImportKind::services,
           "id,customer_id,kind,panel,account\ns1,c1,hosting,whm1,ana\ns2,c1,phone,noc,5511300000001\n");
  t.import(service::ImportKind::invoices,
           "id,customer_id,services,amount,currency,issued_on,due_on,status\n"
           "i1,c1,s1;s2,89.90,BRL,2026-02-20,2026-03-02,open\n");
  t.walk();

  dispatch::Dispatcher dispatcher(t.io, t.store(),
                                  with_whm(t.webhook_outbound(noc.url() + "/hook"), whm.url()), t.options());
  CHECK(dispatcher.drain_until_empty().done == 2);
  const auto suspends = t.actions(ActionKind::suspend);
  REQUIRE(suspends.size() == 2);
  CHECK(nlohmann::json::parse(action_for(suspends, "s1").payload)["mode"] == "full");
  CHECK(nlohmann::json::parse(action_for(suspends, "s2").payload)["mode"] == "outgoing_only");
  CHECK(t.service_state("s1") == ServiceState::suspended);
  CHECK(t.service_state("s2") == ServiceState::suspended);

  const auto to_whm = whm.requests();
  REQUIRE(to_whm.size() == 1);
  CHECK(to_whm[0].path == "/json-api/suspendacct");
  CHECK(to_whm[0].query_value("user") == "ana");
  const auto to_noc = noc.requests();
  REQUIRE(to_noc.size() == 1);
  const auto body = nlohmann::json::parse(to_noc[0].body);
  CHECK(body["type"] == "service.suspend");
  CHECK(body["mode"] == "outgoing_only");
  CHECK(body["service"]["kind"] == "phone");
  CHECK(t.alerts().empty());
}
