// The server's hardening over real sockets: 404 and 405, header and body limits, malformed
// HTTP, slow and idle clients cut by their deadlines, and the connection cap when every
// connection is busy.
#include <catch2/catch.hpp>

#include <thread>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;

// A path no route has is 404; a path with other methods is 405 naming them.
TEST_CASE("unknown paths are 404 and wrong methods 405", "[http]") {
  ApiFixture api;
  const auto missing = api.call("GET", "/v1/nothing-here");
  CHECK(missing.status == 404);
  CHECK(missing.error_code() == "not_found");
  const auto trailing = api.call("GET", "/healthz/");
  CHECK(trailing.status == 404);
  const auto method = api.call("DELETE", "/v1/customers/c1", "", kBillingToken);
  CHECK(method.status == 405);
  CHECK(method.error_code() == "method_not_allowed");
  CHECK(method.header("allow") == "PUT, GET");
  CHECK(api.call("POST", "/healthz").status == 405);
}

// A body of exactly 1 MiB is read (and judged on its content); one byte more is 413, chunked too.
TEST_CASE("the body limit is 1 MiB exactly, with or without a length", "[http]") {
  ApiFixture api;
  std::string limit = "{}";
  limit.resize(1024 * 1024, ' ');
  const auto at_limit = api.call("PUT", "/v1/customers/c1", limit, kBillingToken);
  CHECK(at_limit.status == 400);
  CHECK(at_limit.error_code() == "missing_field");

  RawConnection raw(api.port());
  std::string chunked = "PUT /v1/customers/c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kBillingToken +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, ' ');
  for (int i = 0; i < 17; ++i) chunked += "10000\r\n" + chunk + "\r\n";
  bool closed = false;
  try {
    raw.send(chunked);
  } catch (const std::exception&) {
    // the server may answer and close before it has read everything
  }
  const auto answer = raw.read_until_closed(std::chrono::milliseconds{2000}, closed);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(closed);
  CHECK(api.count("SELECT COUNT(*) FROM customers") == 0);
}

// Headers beyond 16 KiB are 431; bytes that are not HTTP are 400; both close the connection.
TEST_CASE("header limit and malformed requests", "[http]") {
  ApiFixture api;
  const auto big = api.call("GET", "/healthz", "", "", {{"X-Padding", std::string(17 * 1024, 'x')}});
  CHECK(big.status == 431);
  CHECK(big.error_code() == "headers_too_large");

  RawConnection raw(api.port());
  raw.send("BLAH /healthz HTTP/9.9\r\n\r\n");
  bool closed = false;
  const auto answer = raw.read_until_closed(std::chrono::milliseconds{2000}, closed);
  CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(answer.find("\"bad_request\"") != std::string::npos);
  CHECK(closed);
}

// A client that sends half a request and waits is cut off at the read deadline (500 ms here).
TEST_CASE("a slow client is closed at the read timeout", "[http]") {
  ApiFixture api;
  RawConnection raw(api.port());
  const auto started = std::chrono::steady_clock::now();
  raw.send("GET /healthz HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  raw.send("st: x\r\n");  // still trickling: a deadline per read would never fire
  bool closed = false;
  const auto answer = raw.read_until_closed(std::chrono::milliseconds{2000}, closed);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(closed);
  CHECK(answer.empty());
  CHECK(took >= std::chrono::milliseconds{450});
  CHECK(took < std::chrono::milliseconds{1500});
}

// A keep-alive connection serves several requests, then is closed after idling 1 s.
TEST_CASE("an idle keep-alive connection is closed at the idle timeout", "[http]") {
  ApiFixture api;
  RawConnection raw(api.port());
  raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  bool closed = false;
  const auto started = std::chrono::steady_clock::now();
  const auto answers = raw.read_until_closed(std::chrono::milliseconds{2000}, closed);
  CHECK(closed);
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds{900});
  std::size_t count = 0;
  for (auto at = answers.find("HTTP/1.1 200"); at != std::string::npos;
       at = answers.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  CHECK(count == 2);
}

// Past max_connections a new connection is told 503 and closed when every open one is in
// the middle of a request (an idle one would give way: connection_slots_test.cpp); a freed
// slot is usable again.
TEST_CASE("the connection cap refuses the connection beyond it", "[http]") {
  ApiFixture api(FixtureLimits{2, "1s", "2s"});
  auto first = std::make_unique<RawConnection>(api.port());
  RawConnection second(api.port());
  first->send("GET /healthz HTTP/1.1\r\nHo");
  second.send("GET /healthz HTTP/1.1\r\nHo");
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  RawConnection third(api.port());
  bool closed = false;
  const auto answer = third.read_until_closed(std::chrono::milliseconds{1500}, closed);
  CHECK(answer.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(answer.find("\"too_many_connections\"") != std::string::npos);
  CHECK(closed);

  first.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
  CHECK(api.call("GET", "/healthz").status == 200);
}
