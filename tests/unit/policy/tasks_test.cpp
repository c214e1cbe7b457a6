// The rules of the operator's desk (policy/tasks): outcomes per kind, the bank's return codes as
// causes, the steps of a cancellation's confirming call, the rules that open tasks, and the
// `tasks:` section of policy.yaml.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "policy/policy.hpp"
#include "policy/tasks.hpp"

using namespace cobrador;
using namespace cobrador::policy;

namespace {

Date day(const char* text) { return *parse_date(text); }

const std::string kStages =
    "timezone: UTC\nstages:\n  - name: reminder\n    when: { days_overdue: 3 }\n    notify: [email]\n"
    "    template: payment_reminder\n";

}  // namespace

TEST_CASE("a task closes as done only with an outcome of its kind, and is dismissed with a dismissal",
          "[policy]") {
  CHECK_FALSE(check_outcome("confirm_cancellation", Closing::done, "confirmed"));
  CHECK_FALSE(check_outcome("unmatched_payment", Closing::done, "refunded"));
  const auto wrong = check_outcome("unmatched_payment", Closing::done, "confirmed");
  REQUIRE(wrong);
  CHECK(*wrong ==
        "'confirmed' is not an outcome of a unmatched_payment task; one of matched_by_hand, refunded, "
        "not_ours");
  CHECK_FALSE(check_outcome("ask_cause", Closing::dismissed, "not_needed"));
  CHECK(check_outcome("ask_cause", Closing::dismissed, "reached"));
  CHECK(check_outcome("no_such_kind", Closing::done, "reached"));
  for (const auto& kind : task_kinds()) CHECK_FALSE(kind.outcomes.empty());
}

TEST_CASE("a bank's return reason names the cause of the non-payment", "[policy]") {
  CHECK(cause_of_return("MS03") == "insufficient_funds");
  CHECK(cause_of_return("AM04") == "insufficient_funds");
  CHECK(cause_of_return("AC04") == "account_closed");
  CHECK(cause_of_return("MD06") == "mandate_refused");
  CHECK(cause_of_return("01") == "insufficient_funds");  // FEBRABAN: insuficiência de fundos
  CHECK(cause_of_return("30") == "mandate_refused");     // FEBRABAN: sem contrato de débito automático
  CHECK_FALSE(cause_of_return("ZZ99"));
  CHECK_FALSE(cause_of_return(""));
  for (const auto& code : {"MS03", "AC04", "MD06", "AC01", "01", "02", "04", "10", "15", "30"})
    CHECK(is_cause(*cause_of_return(code)));
  CHECK(causes().size() == 10);
}

TEST_CASE("the confirming call: confirmed cancels, withdrawn closes, not_reached retries until max_attempts",
          "[policy]") {
  TaskRules::ConfirmCancellation rules;
  rules.retry_days = 2;
  rules.max_attempts = 3;
  using Kind = ConfirmationStep::Kind;
  CHECK(confirmation_step(rules, 0, "confirmed", day("2026-08-12")).kind == Kind::cancel);
  CHECK(confirmation_step(rules, 2, "withdrawn", day("2026-08-12")).kind == Kind::withdraw);
  const auto first = confirmation_step(rules, 0, "not_reached", day("2026-08-08"));
  CHECK(first.kind == Kind::retry);
  CHECK(first.next_attempt_on == day("2026-08-10"));
  CHECK(confirmation_step(rules, 1, "not_reached", day("2026-08-10")).kind == Kind::retry);
  const auto third = confirmation_step(rules, 2, "not_reached", day("2026-08-12"));
  CHECK(third.kind == Kind::lapse);
  CHECK(third.rule.find("3 calls without reaching the customer") != std::string::npos);
}

TEST_CASE("the rules that open tasks hold only when switched on and their facts say so", "[policy]") {
  TaskRules rules;
  CHECK_FALSE(ask_cause_task(rules, "c1", 1, {"warning"}, false, day("2026-08-05")));
  rules.ask_cause = {true, "warning", 1};
  const auto call = ask_cause_task(rules, "c1", 2, {"reminder", "warning"}, false, day("2026-08-05"));
  REQUIRE(call);
  CHECK(call->kind == "ask_cause");
  CHECK(call->scope == "episode:2");
  CHECK(call->due_on == day("2026-08-06"));
  CHECK_FALSE(ask_cause_task(rules, "c1", 2, {"reminder"}, false, day("2026-08-05")));
  CHECK_FALSE(ask_cause_task(rules, "c1", 2, {"warning"}, true, day("2026-08-05")));

  CHECK_FALSE(invite_to_cancel_task(rules, "c1", 3, 3, day("2026-05-03")));
  rules.invite_to_cancel = {true, 3, 12, 0};
  CHECK_FALSE(invite_to_cancel_task(rules, "c1", 2, 2, day("2026-05-03")));
  CHECK(invite_to_cancel_task(rules, "c1", 3, 3, day("2026-05-03")));
  CHECK(invite_window_start(rules, day("2026-05-03")) == day("2025-05-04"));

  const Money owed{4990, *Currency::parse("BRL")};
  CHECK_FALSE(open_invoices_task(rules, "c1", "s1", 5, {{"i1", day("2026-07-10"), owed}}, day("2026-08-08")));
  rules.open_invoices_at_cancellation = {true, 15, 0};
  CHECK_FALSE(open_invoices_task(rules, "c1", "s1", 5, {}, day("2026-08-08")));
  const auto finance = open_invoices_task(
      rules, "c1", "s1", 5, {{"i-jul", day("2026-07-10"), owed}, {"i-aug", day("2026-08-05"), owed}},
      day("2026-08-08"));
  REQUIRE(finance);
  const auto details = nlohmann::json::parse(finance->details);
  CHECK(details["invoices"][0]["charge_the_customer"] == true);
  CHECK(details["invoices"][1]["charge_the_customer"] == false);
  // Exactly 15 days overdue is not "more than 15".
  const auto edge =
      open_invoices_task(rules, "c1", "s1", 5, {{"i", day("2026-07-24"), owed}}, day("2026-08-08"));
  CHECK(nlohmann::json::parse(edge->details)["charge_the_customer"] == false);

  CHECK_FALSE(
      purge_follow_up_task(rules, "c1", "s1", "cancellation:5", day("2026-09-30"), day("2026-09-23")));
  rules.purge_follow_up = {true, 1};
  const auto follow =
      purge_follow_up_task(rules, "c1", "s1", "cancellation:5", day("2026-09-30"), day("2026-09-23"));
  REQUIRE(follow);
  CHECK(follow->due_on == day("2026-09-24"));
  CHECK(follow->scope == "cancellation:5");
}

TEST_CASE("policy.yaml's tasks section switches kinds on and refuses what is wrong with its place",
          "[policy]") {
  const auto off = parse_policy(kStages, "policy.yaml");
  REQUIRE(off);
  CHECK_FALSE(off->tasks.ask_cause.enabled);
  CHECK(off->cancellation.confirm_by == Cancellation::ConfirmBy::immediately);

  const auto on = parse_policy(kStages +
                                   "cancellation: { confirm_by: phone }\n"
                                   "tasks:\n  ask_cause: { at_stage: reminder }\n"
                                   "  confirm_cancellation: { retry_days: 2, max_attempts: 4 }\n"
                                   "  invite_to_cancel: { episodes: 4, within_months: 6 }\n"
                                   "  purge_follow_up: { enabled: false }\n",
                               "policy.yaml");
  INFO((on ? "" : on.error().message));
  REQUIRE(on);
  CHECK(on->cancellation.confirm_by == Cancellation::ConfirmBy::phone);
  CHECK(on->tasks.ask_cause.enabled);
  CHECK(on->tasks.confirm_cancellation.max_attempts == 4);
  CHECK(on->tasks.invite_to_cancel.episodes == 4);
  CHECK_FALSE(on->tasks.purge_follow_up.enabled);

  const auto unknown_stage =
      parse_policy(kStages + "tasks:\n  ask_cause: { at_stage: warning }\n", "policy.yaml");
  REQUIRE_FALSE(unknown_stage);
  INFO(unknown_stage.error().message);
  CHECK(unknown_stage.error().message.find(
            "policy.yaml:8:26: tasks.ask_cause.at_stage: 'warning' is not a stage of "
            "this policy") != std::string::npos);
  const auto unknown_key = parse_policy(kStages + "tasks:\n  call_everyone: {}\n", "policy.yaml");
  REQUIRE_FALSE(unknown_key);
  CHECK(unknown_key.error().message.find("call_everyone") != std::string::npos);
  const auto bad_choice = parse_policy(kStages + "cancellation: { confirm_by: fax }\n", "policy.yaml");
  REQUIRE_FALSE(bad_choice);
  CHECK(bad_choice.error().message.find("confirm_by") != std::string::npos);
}
