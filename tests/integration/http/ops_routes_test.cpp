// /healthz and /metrics over real HTTP, open to anyone on the listen address; the detail of
// /healthz for API clients only.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <thread>

#include "api_fixture.hpp"
#include "walk/walk.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// Health says the database answers and when the last walk ran (refreshed within a second).
TEST_CASE("GET healthz reports the database and the last walk", "[http]") {
  ApiFixture api;
  const auto first = api.call("GET", "/healthz", "", kReaderToken);
  CHECK(first.status == 200);
  CHECK(first.json()["status"] == "ok");
  CHECK(first.json()["database"] == "ok");
  CHECK(first.json()["last_walk"].is_null());

  store::in_transaction(api.db(), [&] {
    api.db().record_walk({*parse_date("2026-03-05"), api.now(), api.now() + std::chrono::seconds{3}, 7, 2});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds{1100});
  const auto later = api.call("GET", "/healthz", "", kReaderToken);
  CHECK(later.json()["last_walk"]["day"] == "2026-03-05");
  CHECK(later.json()["last_walk"]["evaluated"] == 7);
}

// Without a token /healthz says whether the daemon is well and nothing else: not its host,
// pid, store, walk leader or last walk. Any client's token (any scope) gets the detail; a
// token that is not valid is refused.
TEST_CASE("GET healthz shows its detail to API clients only", "[http]") {
  ApiFixture api;
  const auto anyone = api.call("GET", "/healthz");
  CHECK(anyone.status == 200);
  CHECK(anyone.json() == nlohmann::json{{"status", "ok"}});
  CHECK(anyone.body.find(std::to_string(getpid())) == std::string::npos);

  for (const auto& token : {kReaderToken, kBillingToken, kAreaToken, kOperatorToken}) {
    const auto client = api.call("GET", "/healthz", "", token);
    CHECK(client.status == 200);
    CHECK(client.json()["status"] == "ok");
    CHECK(client.json()["database"] == "ok");
    CHECK(client.json()["daemon"].get<std::string>().find(":" + std::to_string(getpid())) !=
          std::string::npos);
    CHECK(client.json().contains("store"));
    CHECK(client.json().contains("walk_leader"));
  }

  const auto forged = api.call("GET", "/healthz", "", "not-a-token");
  CHECK(forged.status == 401);
  CHECK(forged.error_code() == "invalid_token");
}

// Metrics count requests by route and status, with latency buckets and the store's figures.
TEST_CASE("GET metrics in the Prometheus text format", "[http]") {
  ApiFixture api;
  api.seed_customer("c1");
  api.seed_invoice("i1", "c1", "49.90", *parse_date("2026-03-02"));
  walk::walk(api.db(), api.policy(), api.now());  // day 3: c1 reaches the reminder, one notice queued
  store::in_transaction(api.db(), [&] {
    api.db().record_walk({*parse_date("2026-03-05"), api.now(), api.now() + std::chrono::seconds{3}, 1, 1});
  });
  REQUIRE(api.call("PUT", "/v1/customers/c2", R"({"name": "Bia"})", kBillingToken).status == 201);
  REQUIRE(api.call("PUT", "/v1/customers/c3", R"({"name": 3})", kBillingToken).status == 400);
  REQUIRE(api.call("GET", "/nowhere").status == 404);
  const auto reply = api.call("GET", "/metrics");
  REQUIRE(reply.status == 200);
  CHECK(reply.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const auto& text = reply.body;
  const auto has = [&](const std::string& line) { return text.find(line) != std::string::npos; };
  CHECK(has("# TYPE cobrador_http_requests_total counter\n"));
  CHECK(has("cobrador_http_requests_total{method=\"PUT\",route=\"/v1/customers/{id}\",status=\"201\"} 1\n"));
  CHECK(has("cobrador_http_requests_total{method=\"PUT\",route=\"/v1/customers/{id}\",status=\"400\"} 1\n"));
  CHECK(has("cobrador_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  CHECK(has("# TYPE cobrador_http_request_duration_seconds histogram\n"));
  CHECK(
      has("cobrador_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/v1/customers/"
          "{id}\",le=\"+Inf\"} 2\n"));
  CHECK(has("cobrador_http_request_duration_seconds_count{method=\"PUT\",route=\"/v1/customers/{id}\"} 2\n"));
  CHECK(has("cobrador_customers_in_stage{stage=\"reminder\"} 1\n"));
  CHECK(has("cobrador_customers_in_stage{stage=\"warning\"} 0\n"));
  CHECK(has("cobrador_customers_in_stage{stage=\"lock\"} 0\n"));
  CHECK(has("cobrador_outbox_actions{state=\"pending\"} 1\n"));
  CHECK(has("cobrador_outbox_actions{state=\"dead\"} 0\n"));
  CHECK(has("cobrador_dispatch_attempts_total 0\n"));
  CHECK(has("cobrador_dispatch_failures_total 0\n"));
  CHECK(has("# TYPE cobrador_walk_duration_seconds gauge\n"));
  CHECK(has("cobrador_walk_duration_seconds 3\n"));
  CHECK(has("cobrador_walk_customers_evaluated 1\n"));
}
