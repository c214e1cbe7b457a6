// Why a due purge waits (policy/purge_hold): a backup in flight, or a last-chance offer queued
// only today.
#include <catch2/catch.hpp>

#include "policy/policy.hpp"
#include "policy/purge_hold.hpp"

using namespace cobrador;
using namespace cobrador::policy;

TEST_CASE("a purge waits for a backup in flight and for a day after the last-chance offer", "[policy]") {
  Policy policy;
  policy.backups.offer_before_purge_days = 3;
  const Date today = *parse_date("2026-03-10");
  PurgeFacts facts;
  facts.service = "web-1";
  CHECK(purge_hold(policy, facts, today).empty());

  facts.backup_in_flight = true;
  CHECK(purge_hold(policy, facts, today) ==
        "a backup of web-1 is in flight; a purge never runs before it ends");

  facts.backup_in_flight = false;
  facts.offer_queued_on = today;
  CHECK(purge_hold(policy, facts, today) == "the last-chance backup offer went out only today");
  facts.offer_queued_on = *parse_date("2026-03-09");
  CHECK(purge_hold(policy, facts, today).empty());

  facts.offer_queued_on = today;
  policy.backups.offer_before_purge_days = 0;  // no offers: nothing to wait for
  CHECK(purge_hold(policy, facts, today).empty());
}
