#include <catch2/catch.hpp>

#include "policy/policy.hpp"
#include "policy_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::parse;

namespace {

const char* kMinimal = R"(timezone: UTC
stages:
  - name: reminder
    when: { days_overdue: 3 }
    notify: [email]
    template: payment_reminder
)";

}  // namespace

// The example policy shipped in etc/ (the one SPEC §5 shows) is valid and read in full.
TEST_CASE("the shipped example policy parses with every key", "[policy]") {
  const auto policy = load_policy(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml");
  INFO((policy ? "" : policy.error().message));
  REQUIRE(policy);
  CHECK(policy->timezone_name == "America/Sao_Paulo");
  CHECK(policy->run_at_minute == 6 * 60);
  CHECK(policy->no_suspend_weekdays.count() == 3);
  CHECK(policy->no_suspend_on_holidays);
  CHECK(policy->holidays.count(*parse_date("2026-12-25")) == 1);
  CHECK(policy->quiet_hours.at(Channel::sms).start == std::chrono::hours{21});
  CHECK(policy->min_notice_days == 1);
  REQUIRE(policy->stages.size() == 4);
  CHECK(policy->stages[2].suspend == SuspendScope::billed_services);
  CHECK(policy->stages[2].notify == std::vector<Channel>{Channel::email, Channel::sms});
  CHECK(policy->stages[3].when.unpaid_invoices == 3);
  CHECK(policy->stages[3].lock);
  CHECK(policy->stages[3].purge_after == Period{30, Period::Unit::days});
  CHECK(policy->trust_release.max_per_12_months == 2);
  CHECK(policy->payments.claims.release_days == 1);
  CHECK(policy->cancellation.purge_after == Period{1, Period::Unit::months});
  CHECK(policy->reactivation_after_lock.months_upfront == 3);
}

// A misspelt key is refused by name at its line and column, not silently ignored.
TEST_CASE("an unknown key is an error with line and column", "[policy]") {
  const auto policy = parse(std::string(kMinimal) + "    suspnd: all_services\n");
  REQUIRE_FALSE(policy);
  CHECK(policy.error().message == "policy.yaml:7:5: unknown key 'suspnd' in stages[0]");
}

// A bad value names the key, the value and where it is.
TEST_CASE("bad values are errors that name the place", "[policy]") {
  CHECK(parse("timezone: Mars/Olympus\nstages: []\n").error().message ==
        "policy.yaml:1:11: timezone: 'Mars/Olympus' is not an IANA time zone such as America/Sao_Paulo\n"
        "policy.yaml:2:9: stages: a list of at least one stage is required");
  CHECK(parse(std::string(kMinimal) + "run_at: \"6am\"\n").error().message ==
        "policy.yaml:7:9: run_at: '6am' is not a time like \"06:00\"");
  CHECK(parse(std::string(kMinimal) + "no_suspend_on: [friday]\n").error().message ==
        "policy.yaml:7:16: no_suspend_on: 'friday' is not a weekday (mon..sun) or 'holidays'");
  CHECK(
      parse(std::string(kMinimal) + "no_suspend_on: [mon, tue, wed, thu, fri, sat, sun]\n").error().message ==
      "policy.yaml:7:16: no_suspend_on: every weekday is listed: no suspension could ever happen");
  CHECK(parse(std::string(kMinimal) + "min_notice_days: soon\n").error().message ==
        "policy.yaml:7:18: min_notice_days: 'soon' is not a whole number");
  CHECK(parse(std::string(kMinimal) + "    purge_after: 30 days\n").error().message ==
        "policy.yaml:7:18: stages[0].purge_after: applies only to a stage with lock: true");
  CHECK(parse(std::string(kMinimal) + "trust_release: { days: -1 }\n").error().message ==
        "policy.yaml:7:24: trust_release.days: -1 is out of range (0 to 365)");
}

// A stage without a condition or without an effect is refused; names are unique.
TEST_CASE("stages must say when and what", "[policy]") {
  CHECK(
      parse("timezone: UTC\nstages:\n  - name: a\n    when: {}\n    notify: [email]\n    template: t\n")
          .error()
          .message ==
      "policy.yaml:4:11: stages[0].when: needs at least one of days_overdue, unpaid_invoices, unpaid_total, "
      "returned_debits_in_a_row, tags_include");
  CHECK(parse("timezone: UTC\nstages:\n  - name: a\n    when: { days_overdue: 1 }\n").error().message ==
        "policy.yaml:3:5: stages[0] (a): does nothing; give it notify, suspend or lock");
  CHECK(parse("timezone: UTC\nstages:\n  - name: a\n    when: { days_overdue: 1 }\n    notify: [fax]\n")
            .error()
            .message == "policy.yaml:5:13: stages[0].notify: 'fax' is not a channel (email, sms)");
  const auto twice =
      parse(std::string(kMinimal) + "  - name: reminder\n    when: { days_overdue: 4 }\n    lock: true\n");
  CHECK(twice.error().message == "policy.yaml:7:5: stages[1]: the name 'reminder' is used twice");
}

// YAML syntax errors keep yaml-cpp's position.
TEST_CASE("a YAML syntax error names its place", "[policy]") {
  CHECK(parse("timezone: UTC\nstages: [\n").error().message.rfind("policy.yaml:3:1: ", 0) == 0);
  CHECK(load_policy("/nonexistent/policy.yaml").error().message ==
        "/nonexistent/policy.yaml: cannot be read");
}

// Local dates follow the policy's zone: 01:00 UTC is still the previous day in São Paulo.
TEST_CASE("the policy's zone decides what today is", "[policy]") {
  auto policy = *parse("timezone: America/Sao_Paulo\n" + std::string(kMinimal).substr(14));
  const auto at = *parse_instant("2026-03-10T01:00:00Z");
  CHECK(policy.local_date(at) == *parse_date("2026-03-09"));
  CHECK(policy.local_minute(at) == 22 * 60);
  CHECK(policy.instant_at(*parse_date("2026-03-09"), 22 * 60) == at);
}

// On a spring-forward day a local time inside the gap maps to the end of the gap.
TEST_CASE("a run time inside a DST gap happens when the gap ends", "[policy]") {
  auto policy = *parse("timezone: America/New_York\n" + std::string(kMinimal).substr(14));
  // 2026-03-08 02:30 does not exist in New York; clocks jump from 02:00 EST to 03:00 EDT.
  CHECK(format_instant(policy.instant_at(*parse_date("2026-03-08"), 2 * 60 + 30)) == "2026-03-08T07:00:00Z");
  CHECK(format_instant(policy.instant_at(*parse_date("2026-03-08"), 6 * 60)) == "2026-03-08T10:00:00Z");
  CHECK(format_instant(policy.instant_at(*parse_date("2026-03-07"), 6 * 60)) == "2026-03-07T11:00:00Z");
}

// Thresholds compare exactly whatever the currency's decimals.
TEST_CASE("unpaid_total compares in the customer's currency", "[policy]") {
  const DecimalAmount threshold{15000, 2, "150.00"};
  CHECK(threshold.reached_by(Money{15000, *Currency::parse("BRL")}));
  CHECK_FALSE(threshold.reached_by(Money{14999, *Currency::parse("BRL")}));
  CHECK(threshold.reached_by(Money{150, *Currency::parse("JPY")}));
  CHECK_FALSE(threshold.reached_by(Money{149, *Currency::parse("JPY")}));
  CHECK(threshold.reached_by(Money{150000, *Currency::parse("KWD")}));
}
