// The pure pieces of lib/http, without a socket: path matching, the PIX reader, RFC 3339
// times, the metrics text and its labels, and the connection slots' decisions. (They live in cobrador_http,
// which only integration_tests links.)
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "http/admission.hpp"
#include "http/metrics.hpp"
#include "http/pix.hpp"
#include "http/router.hpp"

using namespace cobrador;
using namespace cobrador::http;

// Placeholders match one non-empty segment and are percent-decoded; 405 lists the methods.
TEST_CASE("router matches segments and placeholders", "[http]") {
  Router router;
  const Handler nothing = [](Request&&, Params&&, Respond) {};
  router.add("PUT", "/v1/customers/{id}", nothing);
  router.add("GET", "/v1/customers/{id}", nothing);
  router.add("POST", "/v1/customers/{id}/trust-release", nothing);
  router.add("GET", "/healthz", nothing);

  const auto put = router.match("PUT", "/v1/customers/ana%20silva");
  REQUIRE(put.route);
  CHECK(put.route->pattern == "/v1/customers/{id}");
  CHECK(put.params.at("id") == "ana silva");
  CHECK(router.match("POST", "/v1/customers/c1/trust-release").params.at("id") == "c1");
  CHECK(!router.match("GET", "/v1/customers/").route);
  CHECK(!router.match("GET", "/v1/customers/%zz").route);
  CHECK(router.match("GET", "/v1/customers/c1/x").allowed.empty());
  const auto wrong = router.match("DELETE", "/v1/customers/c1");
  CHECK(!wrong.route);
  CHECK(wrong.allowed == std::vector<std::string>{"PUT", "GET"});
  CHECK(router.match("GET", "/healthz").route);
  CHECK_THROWS(router.add("GET", "/healthz", nothing));
}

// The PIX reader maps each credit and names the field at fault as pix[i].name.
TEST_CASE("PIX callback reader", "[http]") {
  const auto body = nlohmann::json::parse(R"({"pix": [{"endToEndId": "E1", "txid": "i1", "valor": "100.00",
      "horario": "2020-09-10T13:03:33.902-03:00", "chave": "x"}, {"endToEndId": "E2", "valor": "0.01",
      "horario": "2020-09-09T20:15:00Z"}]})");
  const auto read = read_pix_callback(body);
  REQUIRE(std::holds_alternative<std::vector<PixCredit>>(read));
  const auto& credits = std::get<std::vector<PixCredit>>(read);
  REQUIRE(credits.size() == 2);
  CHECK(credits[0].amount.minor == 10000);
  CHECK(credits[0].amount.currency.code() == "BRL");
  CHECK(format_instant(credits[0].at) == "2020-09-10T16:03:33Z");
  CHECK(credits[1].txid.empty());

  const auto problem = [](const char* text) {
    const auto outcome = read_pix_callback(nlohmann::json::parse(text));
    return std::get<service::FieldProblem>(outcome).field;
  };
  CHECK(problem(R"({"pix": {}})") == "pix");
  CHECK(problem(R"({"pix": []})") == "pix");
  CHECK(problem(R"({"pix": [{"valor": "1.00", "horario": "2020-09-09T20:15:00Z"}]})") == "pix[0].endToEndId");
  CHECK(problem(R"({"pix": [{"endToEndId": "E", "valor": "1.001", "horario": "2020-09-09T20:15:00Z"}]})") ==
        "pix[0].valor");
  CHECK(problem(R"({"pix": [{"endToEndId": "E", "valor": "1.00", "horario": "2020-09-09 20:15"}]})") ==
        "pix[0].horario");
}

// RFC 3339 times with fractions and offsets become UTC instants; other text is refused.
TEST_CASE("RFC 3339 times as PIX sends them", "[http]") {
  CHECK(format_instant(*parse_rfc3339("2020-09-09T20:15:00.358Z")) == "2020-09-09T20:15:00Z");
  CHECK(format_instant(*parse_rfc3339("2020-09-09T20:15:00Z")) == "2020-09-09T20:15:00Z");
  CHECK(format_instant(*parse_rfc3339("2020-09-10T13:03:33-03:00")) == "2020-09-10T16:03:33Z");
  CHECK(!parse_rfc3339("2020-09-10"));
  CHECK(!parse_rfc3339("2020-09-10T13:03:33"));
  CHECK(!parse_rfc3339("2020-09-10T13:03:33Zjunk"));
}

// Latencies fall in the first bucket that holds them; buckets are cumulative on render.
TEST_CASE("metrics histogram buckets", "[http]") {
  Metrics metrics;
  metrics.observe("GET", "/healthz", 200, std::chrono::microseconds{300});
  metrics.observe("GET", "/healthz", 200, std::chrono::milliseconds{3});
  metrics.observe("GET", "/healthz", 503, std::chrono::seconds{5});
  const auto text = metrics.render({});
  const auto has = [&](const std::string& line) { return text.find(line) != std::string::npos; };
  CHECK(has("cobrador_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2\n"));
  CHECK(has("cobrador_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"503\"} 1\n"));
  CHECK(has(
      "cobrador_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.0005\"} 1\n"));
  CHECK(has(
      "cobrador_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.0025\"} 1\n"));
  CHECK(has(
      "cobrador_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"0.005\"} 2\n"));
  CHECK(
      has("cobrador_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"2.5\"} 2\n"));
  CHECK(has(
      "cobrador_http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"} 3\n"));
  CHECK(has("cobrador_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 3\n"));
}

// The method label is one of the standard methods as sent, or "other" (methods are
// case-sensitive, so "get" is other too).
TEST_CASE("metrics count unknown methods as other", "[http]") {
  CHECK(method_label("GET") == "GET");
  CHECK(method_label("PATCH") == "PATCH");
  CHECK(method_label("OPTIONS") == "OPTIONS");
  CHECK(method_label("get") == "other");
  CHECK(method_label("BREW") == "other");
  CHECK(method_label("") == "other");
  Metrics metrics;
  metrics.observe("BREW", "unmatched", 404, std::chrono::microseconds{10});
  metrics.observe("XYZZY", "unmatched", 404, std::chrono::microseconds{10});
  const auto text = metrics.render({});
  CHECK(text.find("cobrador_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("BREW") == std::string::npos);
}

// Below both limits a connection is let in; at its address's limit one of that address's
// connections must give way, at the server's limit any one; the one idle longest goes first.
TEST_CASE("connection slots: who gives way", "[http]") {
  const AdmissionLimits limits{8, 2};
  CHECK(slot_needed(0, 0, limits) == SlotNeed::none);
  CHECK(slot_needed(7, 1, limits) == SlotNeed::none);
  CHECK(slot_needed(7, 2, limits) == SlotNeed::from_peer);
  CHECK(slot_needed(8, 1, limits) == SlotNeed::from_anyone);
  CHECK(slot_needed(8, 2, limits) == SlotNeed::from_peer);

  const auto now = std::chrono::steady_clock::now();
  const int a = 0, b = 0, c = 0;
  CHECK_FALSE(longest_idle({}).has_value());
  CHECK(longest_idle({{&a, now}, {&b, now - std::chrono::seconds{5}}, {&c, now - std::chrono::seconds{1}}}) ==
        &b);
}
