// A stage's suspend `mode` by kind of service (issue 18, point 6; seed 004: phones keep
// incoming calls): how policy.yaml reads it, and the mode each suspend action carries.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;
using cobrador::policy_tests::parse;
using cobrador::policy_tests::service;

namespace {

// One suspending stage on day 5 with `mode_line` (empty: no mode key), everything else plain.
std::string one_stage(const std::string& mode_line) {
  return "timezone: UTC\nrun_at: \"06:00\"\nmin_notice_days: 0\nstages:\n"
         "  - name: suspend\n"
         "    when: { days_overdue: 5 }\n"
         "    suspend: all_services\n" +
         mode_line +
         "    notify: [email]\n"
         "    template: suspended\n";
}

Policy valid(const std::string& text) {
  auto policy = parse(text);
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  return *policy;
}

constexpr ServiceKind kEveryKind[]{ServiceKind::hosting, ServiceKind::vps, ServiceKind::internet,
                                   ServiceKind::phone, ServiceKind::other};

// Rui has a phone line and an internet access, both billed by one invoice due 2 March 2026.
CustomerSnapshot rui() {
  CustomerSnapshot c;
  c.id = 8;
  c.ext_id = "cus-8";
  c.name = "Rui";
  c.emails = {"rui@example.com"};
  c.services = {service(1, "line-1", ServiceKind::phone, "pbx", "5511300000001", ServiceState::active),
                service(2, "fiber-1", ServiceKind::internet, "router", "rui-fiber", ServiceState::active)};
  c.open_invoices.push_back({1, "inv-1", d("2026-03-02"), Money{9990, *Currency::parse("BRL")}, {}});
  return c;
}

// "suspend line-1 outgoing_only" for each suspend action of the decision.
std::vector<std::string> suspend_modes(const Decision& decision) {
  std::vector<std::string> out;
  for (const auto& action : decision.actions) {
    if (action.kind != ActionKind::suspend) continue;
    const auto payload = nlohmann::json::parse(action.payload);
    out.push_back(action.target + " " + payload["mode"].get<std::string>());
  }
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

// Without `mode` every kind is suspended fully; a single value still applies to every kind.
TEST_CASE("a single suspend mode applies to every kind of service", "[policy]") {
  const auto plain = valid(one_stage(""));
  const auto outgoing = valid(one_stage("    mode: outgoing_only\n"));
  const auto full = valid(one_stage("    mode: full\n"));
  for (const auto kind : kEveryKind) {
    INFO(to_string(kind));
    CHECK(plain.stages[0].mode_for(kind) == SuspendMode::full);
    CHECK(outgoing.stages[0].mode_for(kind) == SuspendMode::outgoing_only);
    CHECK(full.stages[0].mode_for(kind) == SuspendMode::full);
  }
}

// A map names the mode of each kind; a kind it leaves out is suspended fully.
TEST_CASE("a suspend mode map gives each kind of service its own mode", "[policy]") {
  const auto policy = valid(one_stage("    mode: {phone: outgoing_only, internet: full}\n"));
  const auto& stage = policy.stages[0];
  CHECK(stage.mode_for(ServiceKind::phone) == SuspendMode::outgoing_only);
  CHECK(stage.mode_for(ServiceKind::internet) == SuspendMode::full);
  CHECK(stage.mode_for(ServiceKind::hosting) == SuspendMode::full);
  CHECK(stage.mode_for(ServiceKind::vps) == SuspendMode::full);
  CHECK(stage.mode_for(ServiceKind::other) == SuspendMode::full);

  const auto block = valid(one_stage("    mode:\n      vps: outgoing_only\n      other: outgoing_only\n"));
  CHECK(block.stages[0].mode_for(ServiceKind::vps) == SuspendMode::outgoing_only);
  CHECK(block.stages[0].mode_for(ServiceKind::other) == SuspendMode::outgoing_only);
  CHECK(block.stages[0].mode_for(ServiceKind::phone) == SuspendMode::full);
}

// An unknown kind, an unknown mode, or a mode that is neither a word nor a map is an error
// at its line and column, naming what is accepted.
TEST_CASE("a bad suspend mode is an error with line and column", "[policy]") {
  CHECK(parse(one_stage("    mode: {fax: outgoing_only}\n")).error().message ==
        "policy.yaml:8:12: stages[0].mode: 'fax' is not a kind of service (hosting, vps, internet, phone, "
        "other)");
  CHECK(parse(one_stage("    mode: {phone: incoming_only, internet: full}\n")).error().message ==
        "policy.yaml:8:19: stages[0].mode.phone: 'incoming_only' is not one of: full, outgoing_only");
  CHECK(parse(one_stage("    mode:\n      phone: [outgoing_only]\n")).error().message ==
        "policy.yaml:9:14: stages[0].mode.phone: must be one of: full, outgoing_only");
  CHECK(parse(one_stage("    mode: half\n")).error().message ==
        "policy.yaml:8:11: stages[0].mode: 'half' is not one of: full, outgoing_only, or a map from kind of "
        "service to mode");
  CHECK(
      parse(one_stage("    mode: [phone]\n")).error().message ==
      "policy.yaml:8:11: stages[0].mode: must be one of: full, outgoing_only, or a map from kind of service "
      "to mode such as {phone: outgoing_only}");
  CHECK(parse(one_stage("    mode: {phone: outgoing_only, phone: full}\n")).error().message ==
        "policy.yaml:8:34: key 'phone' appears twice (first at line 8, column 12)");
  // Every problem at once.
  CHECK(parse(one_stage("    mode: {fax: outgoing_only, phone: off}\n")).error().message ==
        "policy.yaml:8:12: stages[0].mode: 'fax' is not a kind of service (hosting, vps, internet, phone, "
        "other)\n"
        "policy.yaml:8:39: stages[0].mode.phone: 'off' is not one of: full, outgoing_only");
}

// `mode` still needs `suspend`, in either form.
TEST_CASE("a suspend mode map without suspend is an error", "[policy]") {
  const auto policy = parse(
      "timezone: UTC\nstages:\n  - name: warn\n    when: { days_overdue: 3 }\n"
      "    mode: {phone: outgoing_only}\n    notify: [email]\n    template: suspension_warning\n");
  REQUIRE_FALSE(policy);
  CHECK(policy.error().message == "policy.yaml:5:11: stages[0].mode: applies only to a stage with suspend");
}

// Seed 004: on day 5 Rui's phone line keeps its incoming calls while his internet is cut; each
// service's suspend action carries its own kind's mode.
TEST_CASE("each suspended service gets the mode of its kind", "[policy][decide]") {
  const auto policy = valid(one_stage("    mode: {phone: outgoing_only, internet: full}\n"));
  const auto day5 = decide(rui(), policy, policy.instant_at(d("2026-03-07"), policy.run_at_minute));
  CHECK(day5.stages_run == Names{"suspend"});
  CHECK(suspend_modes(day5) == Names{"line-1 outgoing_only", "fiber-1 full"});
}

// A broken trust release suspends again the way the first suspending stage suspends each kind.
TEST_CASE("a broken promise suspends each service with the mode of its kind", "[policy][decide][promise]") {
  const auto policy = valid(one_stage("    mode: {phone: outgoing_only}\n"));
  auto c = rui();
  c.episode = Episode{100, 1, d("2026-03-03"), {{"suspend", StageRun{d("2026-03-07"), false}}}, {}, ""};
  c.last_episode_number = 1;
  Promise promise;
  promise.id = 9;
  promise.granted_on = d("2026-03-07");
  promise.deadline = d("2026-03-09");
  promise.released_services = {"line-1", "fiber-1"};
  c.promise = promise;
  const auto day = decide(c, policy, policy.instant_at(d("2026-03-09"), policy.run_at_minute));
  CHECK(day.broken_promise == 9);
  CHECK(suspend_modes(day) == Names{"line-1 outgoing_only", "fiber-1 full"});
}
