// POST and DELETE /v1/services/{id}/cancellation over real HTTP on a real database (either store): two
// requests at the same moment make one record, the refusals name what is wrong, and a
// withdrawal before the end of service leaves the service active.
#include <catch2/catch.hpp>

#include <thread>

#include "integration/http/api_fixture.hpp"
#include "store/store.hpp"
#include "store/backends/open_store.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// Two agents at the same moment, five times over (one service each): one 201 and one 200 with
// the same record; one row and one confirmation notice per service.
TEST_CASE("two cancellation requests at the same moment create one record", "[lifecycle][http]") {
  ApiFixture api;
  for (int i = 1; i <= 5; ++i) {
    const auto customer = "c" + std::to_string(i);
    api.seed_customer(customer);
    const auto path = "/v1/services/s-" + customer + "/cancellation";
    Reply first, second;
    std::thread a(
        [&] { first = api.call("POST", path, R"({"reason": "price", "channel": "chat"})", kAreaToken); });
    std::thread b([&] {
      second = api.call("POST", path, R"({"reason": "moving", "channel": "phone"})", kOperatorToken);
    });
    a.join();
    b.join();
    INFO(first.body << "\n" << second.body);
    CHECK(std::min(first.status, second.status) == 200);
    CHECK(std::max(first.status, second.status) == 201);
    CHECK(first.json()["id"] == second.json()["id"]);
    CHECK(first.json()["reason"] == second.json()["reason"]);
    CHECK(api.db().service("s-" + customer)->state == ServiceState::cancelling);
  }
  CHECK(api.count("SELECT COUNT(*) FROM cancellations") == 5);
  CHECK(api.count("SELECT COUNT(DISTINCT service_id) FROM cancellations") == 5);
  CHECK(api.count("SELECT COUNT(*) FROM actions WHERE stage = 'cancellation_confirmed'") == 5);
}

// The unique index holds across connections (two daemons on one file): the second insert
// finds the first record.
TEST_CASE("the open-cancellation index makes a second connection find the first record", "[lifecycle]") {
  ApiFixture api;
  api.seed_customer("c1");
  const auto other_store = store::open_store(api.database());
  auto& other = *other_store;
  const auto service = *api.db().service("s-c1");
  store::CancellationRecord record;
  record.service_id = service.id;
  record.customer_id = service.customer_id;
  record.requested_at = api.now();
  record.requested_on = *parse_date("2026-03-05");
  record.requested_by = "customer";
  record.channel = "api";
  record.reason_code = "price";
  record.service_end = *parse_date("2026-03-31");
  record.purge_on = *parse_date("2026-04-30");
  const auto mine = store::in_transaction(api.db(), [&] { return api.db().add_cancellation(record); });
  record.reason_code = "moving";
  const auto theirs = store::in_transaction(other, [&] { return other.add_cancellation(record); });
  CHECK(mine.second);
  CHECK_FALSE(theirs.second);
  CHECK(theirs.first.id == mine.first.id);
  CHECK(theirs.first.reason_code == "price");
  CHECK(api.count("SELECT COUNT(*) FROM cancellations") == 1);
}

// Refusals: open invoices listed (409), a missing or malformed reason (400), an unknown
// service (404); nothing is written by any of them.
TEST_CASE("cancellation refusals name the invoices, the field or the service", "[lifecycle][http]") {
  ApiFixture api;
  api.seed_customer("c1");
  api.seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-10"));
  api.seed_invoice("i2", "c1", "59.90", *parse_date("2026-04-10"));
  const auto open = api.call("POST", "/v1/services/s-c1/cancellation", R"({"reason": "price"})", kAreaToken);
  CHECK(open.status == 409);
  CHECK(open.error_code() == "open_invoices");
  const auto details = open.json()["error"]["details"];
  REQUIRE(details.size() == 2);
  CHECK(details[0]["id"] == "i1");
  CHECK(details[1]["id"] == "i2");
  CHECK(details[1]["balance"] == "59.90");

  const auto missing = api.call("POST", "/v1/services/s-c1/cancellation", R"({"note": "bye"})", kAreaToken);
  CHECK(missing.status == 400);
  CHECK(missing.error_field() == "reason");
  const auto bad =
      api.call("POST", "/v1/services/s-c1/cancellation", R"({"reason": "Too Expensive!"})", kAreaToken);
  CHECK(bad.status == 400);
  CHECK(bad.error_field() == "reason");
  const auto offers = api.call("POST", "/v1/services/s-c1/cancellation",
                               R"({"reason": "price", "retention_offers": "discount"})", kAreaToken);
  CHECK(offers.error_field() == "retention_offers");
  const auto unknown =
      api.call("POST", "/v1/services/s-zz/cancellation", R"({"reason": "price"})", kAreaToken);
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "unknown_service");
  CHECK(api.count("SELECT COUNT(*) FROM cancellations") == 0);
  CHECK(api.count("SELECT COUNT(*) FROM audit WHERE event = 'cancellation_requested'") == 0);
}

// DELETE before the end of service: withdrawn, the service simply active again; a second
// DELETE finds nothing to withdraw; a new request after it makes a new record.
TEST_CASE("a cancellation withdrawn before the end of service leaves the service active",
          "[lifecycle][http]") {
  ApiFixture api;
  api.seed_customer("c1");
  const auto asked =
      api.call("POST", "/v1/services/s-c1/cancellation",
               R"({"reason": "price", "retention_offers": ["10% off"], "scope": "total"})", kAreaToken);
  REQUIRE(asked.status == 201);
  CHECK(asked.json()["services"] == nlohmann::json({"s-c1"}));
  const auto back = api.call("DELETE", "/v1/services/s-c1/cancellation", "", kAreaToken);
  CHECK(back.status == 200);
  CHECK(back.json()["state"] == "withdrawn");
  CHECK(api.db().service("s-c1")->state == ServiceState::active);
  CHECK(api.count("SELECT COUNT(*) FROM actions WHERE kind = 'unsuspend'") == 0);
  const auto again = api.call("DELETE", "/v1/services/s-c1/cancellation", "", kOperatorToken);
  CHECK(again.status == 404);
  CHECK(again.error_code() == "no_cancellation");
  CHECK(api.call("POST", "/v1/services/s-c1/cancellation", R"({"reason": "moving"})", kAreaToken).status ==
        201);
  CHECK(api.count("SELECT COUNT(*) FROM cancellations") == 2);
}
