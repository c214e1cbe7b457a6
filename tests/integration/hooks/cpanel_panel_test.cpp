#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <atomic>

#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;
using std::chrono::milliseconds;

namespace {

struct WhmFixture {
  explicit WhmFixture(FakePanel::Handler handler, milliseconds timeout = std::chrono::seconds(2))
      : server(std::move(handler)) {
    hooks::PanelConfig config;
    config.type = "cpanel";
    config.url = server.url() + "/";
    config.user = "root";
    config.secret = "WHMTOKEN42";
    config.timeout = timeout;
    config.poll_interval = milliseconds(20);
    config.poll_limit = milliseconds(200);
    auto made = hooks::make_panel("whm1", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(const PanelCall& call) { return run_call(*panel, call, io); }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

// WHM's answer shape: HTTP 200 with metadata.result 1 or 0 and metadata.reason.
FakeResponse whm(const std::string& command, int result, const std::string& reason,
                 const std::string& data = "") {
  std::string body = R"({)" + (data.empty() ? "" : R"("data":)" + data + ",") + R"("metadata":{"command":")" +
                     command + R"(","reason":")" + reason + R"(","result":)" + std::to_string(result) +
                     R"(,"version":1}})";
  return FakeResponse{200, {{"Content-Type", "application/json"}}, body, {}};
}

}  // namespace

// A suspension is GET /json-api/suspendacct with the token header, the user, and a reason that
// carries the idempotency key; metadata.result 1 is done.
TEST_CASE("cpanel suspends through suspendacct", "[hooks][cpanel]") {
  WhmFixture f([](const FakeRequest&) { return whm("suspendacct", 1, "OK"); });
  const auto call = sample_call(PanelCall::Kind::suspend);
  const auto outcome = f.run(call);

  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.detail == "WHM suspendacct: OK");
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "GET");
  CHECK(seen[0].path == "/json-api/suspendacct");
  CHECK(seen[0].header("authorization") == "whm root:WHMTOKEN42");
  CHECK(seen[0].query_value("api.version") == "1");
  CHECK(seen[0].query_value("user") == "ana");
  CHECK(seen[0].query_value("reason") == "non_payment [cobrador " + call.idempotency_key + "]");
}

// Unsuspend and terminate call their own functions with WHM's parameter names.
TEST_CASE("cpanel unsuspends and removes accounts", "[hooks][cpanel]") {
  WhmFixture f([](const FakeRequest& r) { return whm(r.path.substr(10), 1, "OK"); });
  CHECK(f.run(sample_call(PanelCall::Kind::unsuspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::terminate)).kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].path == "/json-api/unsuspendacct");
  CHECK(seen[0].query_value("user") == "ana");
  CHECK(seen[1].path == "/json-api/removeacct");
  CHECK(seen[1].query_value("username") == "ana");
}

// WHM's refusal comes as HTTP 200 with result 0; it is a failure with WHM's reason.
TEST_CASE("cpanel treats result 0 as a failure with the reason", "[hooks][cpanel]") {
  WhmFixture f([](const FakeRequest&) { return whm("suspendacct", 0, "Account does not exist: ana"); });
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "WHM suspendacct refused: Account does not exist: ana");
}

// A 500 and a 429 with Retry-After are retried; an answer that is not WHM JSON fails.
TEST_CASE("cpanel retries 500 and 429 and fails on a non-API answer", "[hooks][cpanel]") {
  WhmFixture broken([](const FakeRequest&) { return FakeResponse{500, {}, "Internal Server Error", {}}; });
  CHECK(broken.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
  WhmFixture limited([](const FakeRequest&) { return FakeResponse{429, {{"Retry-After", "45"}}, "", {}}; });
  const auto outcome = limited.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.retry_after == std::chrono::seconds(45));
  WhmFixture login([](const FakeRequest&) { return FakeResponse{200, {}, "<html>Login</html>", {}}; });
  const auto page = login.run(sample_call(PanelCall::Kind::suspend));
  CHECK(page.kind == Outcome::Kind::failed);
  CHECK(page.detail.find("not a JSON object") != std::string::npos);
}

// WHM slower than the timeout is retried.
TEST_CASE("cpanel retries after a timeout", "[hooks][cpanel]") {
  WhmFixture f(
      [](const FakeRequest&) {
        return FakeResponse{200, {}, "", milliseconds(1500)};
      },
      milliseconds(200));
  CHECK(f.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
}

// A backup starts a pkgacct session, polls its state until COMPLETED, and reports the file.
TEST_CASE("cpanel backup polls the pkgacct session until it completes", "[hooks][cpanel]") {
  std::atomic<int> polls{0};
  WhmFixture f([&](const FakeRequest& r) {
    if (r.path == "/json-api/start_background_pkgacct") {
      return whm("start_background_pkgacct", 1, "OK",
                 R"({"session_id":"ana20260101kDJ2","complete_file":"/home/cpmove-ana.tar.gz"})");
    }
    const bool finished = ++polls >= 3;
    return whm("get_pkgacct_session_state", 1, "OK",
               finished ? R"({"state":"COMPLETED"})" : R"({"state":"RUNNING"})");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));

  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.location == "/home/cpmove-ana.tar.gz");
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].query_value("user") == "ana");
  for (std::size_t i = 1; i < seen.size(); ++i) {
    CHECK(seen[i].path == "/json-api/get_pkgacct_session_state");
    CHECK(seen[i].query_value("session_id") == "ana20260101kDJ2");
  }
}

// A session that ends FAILED is a failure; one still running past the poll limit is retried.
TEST_CASE("cpanel backup reports failed and overlong sessions", "[hooks][cpanel]") {
  WhmFixture failing([](const FakeRequest& r) {
    if (r.path == "/json-api/start_background_pkgacct")
      return whm("start_background_pkgacct", 1, "OK", R"({"session_id":"s1"})");
    return whm("get_pkgacct_session_state", 1, "OK", R"({"state":"FAILED"})");
  });
  const auto failed = failing.run(sample_call(PanelCall::Kind::backup));
  CHECK(failed.kind == Outcome::Kind::failed);
  CHECK(failed.detail == "WHM pkgacct session s1 failed");
  WhmFixture endless([](const FakeRequest& r) {
    if (r.path == "/json-api/start_background_pkgacct")
      return whm("start_background_pkgacct", 1, "OK", R"({"session_id":"s2"})");
    return whm("get_pkgacct_session_state", 1, "OK", R"({"state":"RUNNING"})");
  });
  const auto slow = endless.run(sample_call(PanelCall::Kind::backup));
  CHECK(slow.kind == Outcome::Kind::retry);
  CHECK(slow.detail == "WHM pkgacct session s2 still running after 10 checks");
}

// A transient error while polling does not abandon a backup that is still running.
TEST_CASE("cpanel backup keeps polling through a transient error", "[hooks][cpanel]") {
  std::atomic<int> polls{0};
  WhmFixture f([&](const FakeRequest& r) {
    if (r.path == "/json-api/start_background_pkgacct")
      return whm("start_background_pkgacct", 1, "OK", R"({"session_id":"s3"})");
    if (++polls == 1) return FakeResponse{503, {}, "restarting", {}};
    return whm("get_pkgacct_session_state", 1, "OK", R"({"state":"COMPLETED"})");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));
  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(polls == 2);
}
