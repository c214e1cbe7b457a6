#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <vector>

#include "net/http_client.hpp"
#include "support/fake_panel.hpp"

using namespace cobrador;
using cobrador::testing::FakePanel;
using cobrador::testing::FakeRequest;
using cobrador::testing::FakeResponse;

namespace {

net::HttpResponse fetch(net::HttpClient& http, boost::asio::io_context& io, net::HttpRequest request) {
  net::HttpResponse out;
  bool got = false;
  http.perform(std::move(request), [&](net::HttpResponse r) {
    out = std::move(r);
    got = true;
  });
  io.restart();
  io.run_for(std::chrono::seconds(10));
  REQUIRE(got);
  return out;
}

// A port on 127.0.0.1 where nothing listens: bound, then released.
unsigned short unused_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace

// A POST carries method, headers and body to the server; the answer's status, lower-cased
// headers (Retry-After kept) and body come back.
TEST_CASE("http client sends a POST and reads status, headers and body", "[hooks][http]") {
  FakePanel panel([](const FakeRequest&) {
    return FakeResponse{201, {{"Retry-After", "7"}, {"X-Panel", "fake"}}, "created", {}};
  });
  boost::asio::io_context io;
  net::HttpClient http(io);
  net::HttpRequest request;
  request.method = "POST";
  request.url = panel.url() + "/things?x=1";
  request.headers = {{"Content-Type", "application/json"}, {"X-Token", "abc"}};
  request.body = R"({"a":1})";
  const auto response = fetch(http, io, request);

  CHECK(response.ok());
  CHECK(response.status == 201);
  CHECK(response.body == "created");
  CHECK(response.header("retry-after") == "7");
  CHECK(response.header("x-panel") == "fake");
  const auto seen = panel.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].target == "/things?x=1");
  CHECK(seen[0].header("x-token") == "abc");
  CHECK(seen[0].header("content-type") == "application/json");
  CHECK(seen[0].body == R"({"a":1})");
}

// A server slower than the request's timeout gives a timeout error, well before the server answers.
TEST_CASE("http client gives up at the request's timeout", "[hooks][http]") {
  FakePanel panel([](const FakeRequest&) {
    return FakeResponse{200, {}, "late", std::chrono::milliseconds(1500)};
  });
  boost::asio::io_context io;
  net::HttpClient http(io);
  net::HttpRequest request;
  request.url = panel.url() + "/slow";
  request.timeout = std::chrono::milliseconds(200);
  const auto started = std::chrono::steady_clock::now();
  const auto response = fetch(http, io, request);
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK_FALSE(response.ok());
  CHECK(response.timed_out);
  CHECK(took < std::chrono::milliseconds(1200));
}

// Nothing listening is a transport error, not an HTTP status.
TEST_CASE("http client reports a refused connection as an error", "[hooks][http]") {
  boost::asio::io_context io;
  net::HttpClient http(io);
  net::HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(unused_port()) + "/";
  request.timeout = std::chrono::milliseconds(1000);
  const auto response = fetch(http, io, request);

  CHECK_FALSE(response.ok());
  CHECK_FALSE(response.timed_out);
  CHECK(response.status == 0);
}

// Schemes other than http and https are refused, so a bad panel url cannot read local files.
TEST_CASE("http client refuses a file:// url", "[hooks][http]") {
  boost::asio::io_context io;
  net::HttpClient http(io);
  net::HttpRequest request;
  request.url = "file:///etc/passwd";
  const auto response = fetch(http, io, request);

  CHECK_FALSE(response.ok());
  CHECK(response.body.empty());
}

// Twenty requests to a server that takes 300 ms each finish together: one thread, no queueing.
TEST_CASE("http client runs many requests at once on one thread", "[hooks][http]") {
  FakePanel panel([](const FakeRequest& r) {
    return FakeResponse{200, {}, r.path, std::chrono::milliseconds(300)};
  });
  boost::asio::io_context io;
  net::HttpClient http(io);
  std::vector<std::string> bodies;
  for (int i = 0; i < 20; ++i) {
    net::HttpRequest request;
    request.url = panel.url() + "/n" + std::to_string(i);
    http.perform(request, [&](net::HttpResponse r) { bodies.push_back(r.body); });
  }
  CHECK(http.in_flight() == 20);
  const auto started = std::chrono::steady_clock::now();
  io.run_for(std::chrono::seconds(10));
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK(bodies.size() == 20);
  CHECK(http.in_flight() == 0);
  CHECK(took < std::chrono::milliseconds(1500));
}

// Another engineer's transfer (an SMTP send, say) runs on the same multi through a configured
// easy handle, and gets the handle back to read its results.
TEST_CASE("http client runs a caller-configured easy handle", "[hooks][http]") {
  FakePanel panel([](const FakeRequest&) { return FakeResponse{418, {}, "teapot", {}}; });
  boost::asio::io_context io;
  net::HttpClient http(io);
  auto easy = net::make_easy();
  const auto url = panel.url() + "/raw";
  curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
  auto body = std::make_shared<std::string>();
  curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, body.get());
  curl_easy_setopt(
      easy.get(), CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* user) {
        static_cast<std::string*>(user)->append(data, size * n);
        return size * n;
      });
  CURLcode result = CURLE_FAILED_INIT;
  long status = 0;
  http.perform_easy(std::move(easy), [&, body](CURLcode rc, net::EasyHandle handle) {
    result = rc;
    curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &status);
  });
  io.run_for(std::chrono::seconds(10));

  CHECK(result == CURLE_OK);
  CHECK(status == 418);
  CHECK(*body == "teapot");
}

// Destroying the client with a request in flight drops it quietly: no callback, no crash.
TEST_CASE("http client abandons requests in flight when destroyed", "[hooks][http]") {
  FakePanel panel([](const FakeRequest&) {
    return FakeResponse{200, {}, "x", std::chrono::milliseconds(500)};
  });
  boost::asio::io_context io;
  bool called = false;
  {
    net::HttpClient http(io);
    net::HttpRequest request;
    request.url = panel.url() + "/";
    http.perform(request, [&](net::HttpResponse) { called = true; });
    io.run_for(std::chrono::milliseconds(100));
  }
  io.restart();
  io.run_for(std::chrono::milliseconds(600));
  CHECK_FALSE(called);
}
