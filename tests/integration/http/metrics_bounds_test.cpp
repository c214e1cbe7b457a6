// /metrics stays small whatever clients send: any token is a valid HTTP method and any path a
// valid target, so labels taken as sent would add a series with every request.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

namespace {

std::string bounds_random_word(std::mt19937& random, char first, char last, int min_size, int max_size) {
  std::uniform_int_distribution<int> size(min_size, max_size);
  std::uniform_int_distribution<int> letter(first, last);
  std::string word(static_cast<std::size_t>(size(random)), ' ');
  for (auto& c : word) c = static_cast<char>(letter(random));
  return word;
}

}  // namespace

// 20,000 requests with invented methods, half on invented paths (404) and half on /healthz
// (405), over one keep-alive connection: /metrics counts them all under method "other" and
// route "unmatched", in a handful of lines.
TEST_CASE("20,000 requests with random methods and paths leave /metrics small", "[http]") {
  ApiFixture api;
  std::mt19937 random(19);
  KeepAliveClient client;
  int not_found = 0;
  for (int i = 0; i < 20'000; ++i) {
    const auto method = "X" + bounds_random_word(random, 'A', 'Z', 3, 9);  // never a real method
    const auto path =
        i % 2 == 0 ? "/" + bounds_random_word(random, 'a', 'z', 1, 20) : std::string("/healthz");
    const auto reply = client.request(method, api.url(path));
    REQUIRE((reply.status == 404 || reply.status == 405));
    not_found += reply.status == 404;
  }
  CHECK(not_found == 10'000);

  const auto metrics = api.call("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  const auto lines = std::count(metrics.body.begin(), metrics.body.end(), '\n');
  INFO(metrics.body.substr(0, 2000));
  CHECK(lines < 120);
  CHECK(metrics.body.size() < 16 * 1024);
  CHECK(metrics.body.find("cobrador_http_requests_total{method=\"other\",route=\"unmatched\",status=\"404\"} "
                          "10000\n") != std::string::npos);
  CHECK(metrics.body.find("cobrador_http_requests_total{method=\"other\",route=\"unmatched\",status=\"405\"} "
                          "10000\n") != std::string::npos);
}
