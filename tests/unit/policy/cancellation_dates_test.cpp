// Tests of cancellation_dates(): the end of service and the purge day of SPEC §5
// `cancellation`, with the dates of issue 6's acceptance.
#include <catch2/catch.hpp>

#include "policy/cancellation_dates.hpp"
#include "policy_test_support.hpp"

using namespace cobrador;
using namespace cobrador::policy;
using cobrador::policy_tests::d;

namespace {

Cancellation rules(Cancellation::Until until = Cancellation::Until::end_of_month) {
  Cancellation c;
  c.notice_day_of_month = 10;
  c.service_until = until;
  c.purge_after = Period{1, Period::Unit::months};
  return c;
}

}  // namespace

// Asked on or before the notice day: the service ends at the end of this month.
TEST_CASE("cancellation asked on 5 August ends 31 August and is purged 30 September",
          "[policy][cancellation]") {
  const auto dates = cancellation_dates(rules(), d("2026-08-05"), std::nullopt);
  CHECK(format_date(dates.service_end) == "2026-08-31");
  CHECK(format_date(dates.purge_on) == "2026-09-30");
  CHECK(dates.rule.find("notice_day_of_month 10") != std::string::npos);
}

// After the notice day: the end of next month, which is billed.
TEST_CASE("cancellation asked on 12 August ends 30 September and is purged 31 October",
          "[policy][cancellation]") {
  const auto dates = cancellation_dates(rules(), d("2026-08-12"), std::nullopt);
  CHECK(format_date(dates.service_end) == "2026-09-30");
  CHECK(format_date(dates.purge_on) == "2026-10-31");
}

// The notice day itself still counts as "on or before".
TEST_CASE("cancellation asked on the notice day ends this month", "[policy][cancellation]") {
  CHECK(format_date(cancellation_dates(rules(), d("2026-08-10"), std::nullopt).service_end) == "2026-08-31");
  CHECK(format_date(cancellation_dates(rules(), d("2026-08-11"), std::nullopt).service_end) == "2026-09-30");
}

// December rolls over to the next year; January after the notice day ends in February.
TEST_CASE("cancellation dates cross the year and short months", "[policy][cancellation]") {
  const auto december = cancellation_dates(rules(), d("2026-12-20"), std::nullopt);
  CHECK(format_date(december.service_end) == "2027-01-31");
  CHECK(format_date(december.purge_on) == "2027-02-28");
  const auto january = cancellation_dates(rules(), d("2028-01-15"), std::nullopt);
  CHECK(format_date(january.service_end) == "2028-02-29");
  CHECK(format_date(january.purge_on) == "2028-03-31");
}

// end_of_prepaid_period: 20 prepaid days left keep the service until the last prepaid day.
TEST_CASE("cancellation with 20 prepaid days left ends on the last prepaid day", "[policy][cancellation]") {
  const Date asked = d("2026-08-12");
  const Date last_paid = asked + date::days{19};  // the 12th is the first of 20 days left
  const auto dates = cancellation_dates(rules(Cancellation::Until::end_of_prepaid_period), asked, last_paid);
  CHECK(format_date(dates.service_end) == "2026-08-31");
  CHECK(format_date(dates.purge_on) == "2026-09-30");
  const auto later =
      cancellation_dates(rules(Cancellation::Until::end_of_prepaid_period), d("2026-08-02"), d("2026-08-21"));
  CHECK(format_date(later.service_end) == "2026-08-21");
  CHECK(format_date(later.purge_on) == "2026-09-21");
  CHECK(later.rule.find("end_of_prepaid_period") != std::string::npos);
}

// No prepaid period left (or none known): the notice-day rule applies.
TEST_CASE("end_of_prepaid_period without a running prepaid period falls back to the notice day",
          "[policy][cancellation]") {
  const auto none =
      cancellation_dates(rules(Cancellation::Until::end_of_prepaid_period), d("2026-08-12"), std::nullopt);
  CHECK(format_date(none.service_end) == "2026-09-30");
  const auto past =
      cancellation_dates(rules(Cancellation::Until::end_of_prepaid_period), d("2026-08-12"), d("2026-08-01"));
  CHECK(format_date(past.service_end) == "2026-09-30");
}

// purge_after in days counts calendar days from the end of service.
TEST_CASE("purge_after in days counts from the end of service", "[policy][cancellation]") {
  auto c = rules();
  c.purge_after = Period{30, Period::Unit::days};
  CHECK(format_date(cancellation_dates(c, d("2026-08-05"), std::nullopt).purge_on) == "2026-09-30");
}
