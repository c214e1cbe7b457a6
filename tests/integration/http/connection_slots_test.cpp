// The connection limits over real sockets (http/admission.hpp): idle keep-alive peers give
// their slots to new clients, one address holds at most its share of busy connections (other
// peers come from 127.0.0.2 and 127.0.0.3, which Linux routes to lo like 127.0.0.1), and no
// connection outlives http.max_connection_age.
#include <catch2/catch.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "api_fixture.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using namespace std::chrono_literals;

namespace {

// Sends a whole request that keeps the connection open and reads its answer.
std::string slots_ask(RawConnection& connection) {
  connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  bool closed = false;
  return connection.read_until_closed(300ms, closed);
}

bool slots_closed_by_server(RawConnection& connection) {
  bool closed = false;
  connection.read_until_closed(1000ms, closed);
  return closed;
}

}  // namespace

// With the cap at 8, eight keep-alive clients that made a request and now sit idle do not
// lock out a ninth: the one idle longest gives way, the others keep their connections.
TEST_CASE("eight idle keep-alive peers do not lock out a ninth client", "[http]") {
  ApiFixture api(FixtureLimits{8, "5s", "60s"});
  std::vector<std::unique_ptr<KeepAliveClient>> peers;
  for (int i = 0; i < 8; ++i) {
    peers.push_back(std::make_unique<KeepAliveClient>());
    REQUIRE(peers.back()->request("GET", api.url("/healthz")).status == 200);
    std::this_thread::sleep_for(5ms);  // so that "idle longest" is the first one
  }

  const auto asked = std::chrono::steady_clock::now();
  const auto ninth = http_request("GET", api.url("/healthz"));
  CHECK(ninth.status == 200);
  CHECK(std::chrono::steady_clock::now() - asked < 1s);

  // The newest peer still has its connection; the oldest, whose connection gave way, simply
  // opens a new one.
  CHECK(peers.back()->request("GET", api.url("/healthz")).status == 200);
  CHECK(peers.back()->connections_opened() == 0);
  CHECK(peers.front()->request("GET", api.url("/healthz")).status == 200);
  CHECK(peers.front()->connections_opened() == 1);
}

// An address at max_connections_per_peer (4 of 8 here) with every connection in the middle
// of a request gets 503 for the next one, while other addresses are still served.
TEST_CASE("one address cannot hold more than its share of busy connections", "[http]") {
  ApiFixture api(FixtureLimits{8, "5s", "60s", 4});
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 4; ++i) {
    busy.push_back(std::make_unique<RawConnection>(api.port(), "127.0.0.2"));
    busy.back()->send("GET /healthz HTTP/1.1\r\nHo");  // half a request: busy until the read timeout
  }
  std::this_thread::sleep_for(100ms);

  RawConnection fifth(api.port(), "127.0.0.2");
  bool closed = false;
  const auto refused = fifth.read_until_closed(2000ms, closed);
  CHECK(refused.rfind("HTTP/1.1 503", 0) == 0);
  CHECK(refused.find("\"too_many_connections\"") != std::string::npos);
  CHECK(closed);

  RawConnection other(api.port(), "127.0.0.3");
  CHECK(slots_ask(other).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(api.call("GET", "/healthz").status == 200);  // from 127.0.0.1
}

// At its limit, an address's new connection takes the slot of that address's own idle
// connection, never another address's.
TEST_CASE("a peer at its limit gives way to itself, not to others", "[http]") {
  ApiFixture api(FixtureLimits{8, "5s", "60s", 2});
  RawConnection neighbour(api.port(), "127.0.0.3");
  REQUIRE(slots_ask(neighbour).rfind("HTTP/1.1 200", 0) == 0);
  std::this_thread::sleep_for(20ms);  // the neighbour has idled longest
  RawConnection oldest(api.port(), "127.0.0.2");
  REQUIRE(slots_ask(oldest).rfind("HTTP/1.1 200", 0) == 0);
  std::this_thread::sleep_for(20ms);
  RawConnection newer(api.port(), "127.0.0.2");
  REQUIRE(slots_ask(newer).rfind("HTTP/1.1 200", 0) == 0);

  RawConnection third(api.port(), "127.0.0.2");
  CHECK(slots_ask(third).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(slots_closed_by_server(oldest));
  CHECK(slots_ask(newer).rfind("HTTP/1.1 200", 0) == 0);
  CHECK(slots_ask(neighbour).rfind("HTTP/1.1 200", 0) == 0);
}

// Past max_connection_age (1 s here) an idle connection is closed, and a request that was on
// its way is answered whole, with Connection: close, before the connection ends.
TEST_CASE("no connection outlives max_connection_age", "[http]") {
  ApiFixture api(FixtureLimits{64, "5s", "60s", 0, "1s"});
  RawConnection working(api.port());
  REQUIRE(slots_ask(working).rfind("HTTP/1.1 200", 0) == 0);  // 0.3 s of its second
  RawConnection idle(api.port());
  REQUIRE(slots_ask(idle).rfind("HTTP/1.1 200", 0) == 0);

  std::this_thread::sleep_for(100ms);
  working.send("GET /healthz HTTP/1.1\r\nHo");  // begun within the lifetime...
  std::this_thread::sleep_for(500ms);
  working.send("st: x\r\n\r\n");  // ...and finished after it
  bool closed = false;
  const auto last = working.read_until_closed(2000ms, closed);
  CHECK(last.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(last.find("Connection: close") != std::string::npos);
  CHECK(closed);

  CHECK(slots_closed_by_server(idle));  // its second ends about now; the idle timeout is 60 s
}
