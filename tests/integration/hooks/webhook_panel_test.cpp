#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "hooks/event_payload.hpp"
#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"
#include "util/standard_webhooks.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;

namespace {

const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct WebhookFixture {
  explicit WebhookFixture(FakePanel::Handler handler,
                          std::chrono::milliseconds timeout = std::chrono::seconds(2))
      : server(std::move(handler)) {
    hooks::PanelConfig config;
    config.type = "webhook";
    config.url = server.url() + "/cobrador";
    config.secret = secret;
    config.timeout = timeout;
    auto made = hooks::make_panel("noc", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(const PanelCall& call) { return run_call(*panel, call, io); }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

FakeResponse reply(int status, std::string body = {},
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
  return FakeResponse{status, std::move(headers), std::move(body), {}};
}

}  // namespace

// A 200 is done; the receiver got the SPEC §7 JSON with Standard Webhooks headers that verify,
// and webhook-id is the idempotency key.
TEST_CASE("webhook posts signed SPEC 7 json and a 200 is done", "[hooks][webhook]") {
  WebhookFixture f([](const FakeRequest&) { return reply(200, "ok"); });
  const auto call = sample_call(PanelCall::Kind::suspend);
  const auto outcome = f.run(call);

  CHECK(outcome.kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  const auto& request = seen[0];
  CHECK(request.method == "POST");
  CHECK(request.path == "/cobrador");
  CHECK(request.header("content-type") == "application/json");
  CHECK(request.body == hooks::event_json(call));
  CHECK(request.header("webhook-id") == call.idempotency_key);
  CHECK(request.header("webhook-timestamp") == "1614265330");
  const webhooks::SignedHeaders headers{request.header("webhook-id"), request.header("webhook-timestamp"),
                                        request.header("webhook-signature")};
  CHECK(webhooks::verify(headers, request.body, {secret},
                         std::chrono::sys_seconds(std::chrono::seconds(1614265330))));
}

// Every retry of an action carries the same webhook-id, so the receiver can drop duplicates.
TEST_CASE("webhook keeps the same webhook-id on every retry", "[hooks][webhook]") {
  WebhookFixture f([](const FakeRequest&) { return reply(503); });
  const auto call = sample_call(PanelCall::Kind::terminate);
  CHECK(f.run(call).kind == Outcome::Kind::retry);
  CHECK(f.run(call).kind == Outcome::Kind::retry);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].header("webhook-id") == call.idempotency_key);
  CHECK(seen[1].header("webhook-id") == call.idempotency_key);
}

// A 202 means the receiver will call back; a 2xx JSON body may say where a backup went.
TEST_CASE("webhook 202 is accepted and a 200 body can carry the location", "[hooks][webhook]") {
  WebhookFixture later([](const FakeRequest&) { return reply(202); });
  CHECK(later.run(sample_call(PanelCall::Kind::backup)).kind == Outcome::Kind::accepted);
  WebhookFixture now([](const FakeRequest&) {
    return reply(200, R"({"location":"s3://backups/ana.tar.gz","detail":"copied"})",
                 {{"Content-Type", "application/json"}});
  });
  const auto outcome = now.run(sample_call(PanelCall::Kind::backup));
  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.location == "s3://backups/ana.tar.gz");
  CHECK(outcome.detail == "copied");
}

// 429 and 503 are retried with the receiver's Retry-After (seconds or HTTP date); a 500 too.
TEST_CASE("webhook retries 429, 503 and 500 honouring Retry-After", "[hooks][webhook]") {
  WebhookFixture limited([](const FakeRequest&) { return reply(429, "slow down", {{"Retry-After", "30"}}); });
  const auto a = limited.run(sample_call(PanelCall::Kind::suspend));
  CHECK(a.kind == Outcome::Kind::retry);
  CHECK(a.retry_after == std::chrono::seconds(30));
  WebhookFixture busy([](const FakeRequest&) {
    return reply(503, "", {{"Retry-After", "Thu, 25 Feb 2021 15:04:10 GMT"}});
  });
  const auto b = busy.run(sample_call(PanelCall::Kind::suspend));
  CHECK(b.kind == Outcome::Kind::retry);
  CHECK(b.retry_after == std::chrono::seconds(120));
  WebhookFixture broken([](const FakeRequest&) { return reply(500, "boom"); });
  const auto c = broken.run(sample_call(PanelCall::Kind::suspend));
  CHECK(c.kind == Outcome::Kind::retry);
  CHECK(c.detail == "HTTP 500: boom");
}

// 410 disables the panel; any other 4xx is a permanent failure.
TEST_CASE("webhook 410 disables the panel and other 4xx fail", "[hooks][webhook]") {
  WebhookFixture gone([](const FakeRequest&) { return reply(410, "endpoint removed"); });
  CHECK(gone.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::disable_panel);
  WebhookFixture refused([](const FakeRequest&) { return reply(422, "unknown account"); });
  const auto outcome = refused.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "HTTP 422: unknown account");
}

// A receiver slower than the panel's timeout is retried.
TEST_CASE("webhook retries after a timeout", "[hooks][webhook]") {
  WebhookFixture f(
      [](const FakeRequest&) {
        return FakeResponse{200, {}, "", std::chrono::milliseconds(1500)};
      },
      std::chrono::milliseconds(200));
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.detail.rfind("timed out", 0) == 0);
}
