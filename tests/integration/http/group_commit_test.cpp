// Many requests at once share commits (group commit) yet stay independent: each good one is
// written whole, each refused one leaves nothing, whatever else was in its batch.
#include <catch2/catch.hpp>

#include <thread>

#include <fmt/format.h>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// Forty concurrent payments, every fourth refused by the store (no such invoice).
TEST_CASE("concurrent requests are applied one by one inside shared commits", "[http]") {
  ApiFixture api;
  api.seed_customer("c1");
  api.seed_invoice("i1", "c1", "1000.00", *parse_date("2026-03-20"));
  std::vector<long> statuses(40);
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      const auto invoice = i % 4 == 3 ? "nope" : "i1";
      const auto body = fmt::format(R"({{"id": "p{}", "invoice_id": "{}", "amount": "1.00", "currency": "BRL",
                                        "status": "confirmed", "received_on": "2026-03-05"}})",
                                    i, invoice);
      statuses[i] = api.signed_call("/v1/payments", body, kBankNewSecret, fmt::format("msg-{}", i)).status;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 40; ++i) {
    INFO(i);
    CHECK(statuses[i] == (i % 4 == 3 ? 400 : 201));
    CHECK(api.db().payment(fmt::format("p{}", i)).has_value() == (i % 4 != 3));
  }
  CHECK(api.db().invoice("i1")->balance.minor == 100000 - 30 * 100);
  CHECK(api.count("SELECT COUNT(*) FROM webhook_receipts") == 30);
}
