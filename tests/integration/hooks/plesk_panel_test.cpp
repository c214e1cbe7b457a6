#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;
using std::chrono::milliseconds;

namespace {

struct PleskFixture {
  explicit PleskFixture(FakePanel::Handler handler, milliseconds timeout = std::chrono::seconds(2))
      : server(std::move(handler)) {
    hooks::PanelConfig config;
    config.type = "plesk";
    config.url = server.url();
    config.secret = "PLESK-SECRET-KEY";
    config.timeout = timeout;
    auto made = hooks::make_panel("plesk1", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(const PanelCall& call) { return run_call(*panel, call, io); }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

FakeResponse plesk(const std::string& operation, const std::string& result) {
  return FakeResponse{200,
                      {{"Content-Type", "text/xml"}},
                      R"(<?xml version="1.0" encoding="UTF-8"?><packet version="1.6.9.1"><webspace><)" +
                          operation + "><result>" + result + "</result></" + operation +
                          "></webspace></packet>",
                      {}};
}

const std::string ok = "<status>ok</status><filter-id>ana</filter-id><id>7</id>";

// The value at a path of the request packet, read back with pugixml as Plesk would.
std::string xpath(const std::string& xml, const char* path) {
  pugi::xml_document doc;
  doc.load_string(xml.c_str());
  return doc.select_node(path).node().child_value();
}

}  // namespace

// A suspension POSTs a webspace <set> with status 16 to agent.php with the KEY header.
TEST_CASE("plesk suspends a subscription with gen_setup status 16", "[hooks][plesk]") {
  PleskFixture f([](const FakeRequest&) { return plesk("set", ok); });
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));

  CHECK(outcome.kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/enterprise/control/agent.php");
  CHECK(seen[0].header("key") == "PLESK-SECRET-KEY");
  CHECK(seen[0].header("content-type") == "text/xml");
  CHECK(xpath(seen[0].body, "/packet/webspace/set/filter/name") == std::string("ana"));
  CHECK(xpath(seen[0].body, "/packet/webspace/set/values/gen_setup/status") == std::string("16"));
}

// Unsuspension sets status 0; termination deletes the webspace.
TEST_CASE("plesk activates and deletes subscriptions", "[hooks][plesk]") {
  PleskFixture f([](const FakeRequest& r) {
    return r.body.find("<del>") != std::string::npos ? plesk("del", ok) : plesk("set", ok);
  });
  CHECK(f.run(sample_call(PanelCall::Kind::unsuspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::terminate)).kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(xpath(seen[0].body, "/packet/webspace/set/values/gen_setup/status") == std::string("0"));
  CHECK(xpath(seen[1].body, "/packet/webspace/del/filter/name") == std::string("ana"));
}

// Plesk's refusal is <status>error</status> with errcode and errtext, as is a system error.
TEST_CASE("plesk treats status error as a failure with errcode and errtext", "[hooks][plesk]") {
  PleskFixture f([](const FakeRequest&) {
    return plesk("set", "<status>error</status><errcode>1013</errcode><errtext>Object not found.</errtext>");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "Plesk suspend refused: error 1013: Object not found.");
  PleskFixture denied([](const FakeRequest&) {
    return FakeResponse{200,
                        {},
                        R"(<packet><system><status>error</status><errcode>1001</errcode>)"
                        R"(<errtext>Authentication failed</errtext></system></packet>)",
                        {}};
  });
  CHECK(denied.run(sample_call(PanelCall::Kind::suspend)).detail ==
        "Plesk suspend refused: error 1001: Authentication failed");
}

// Deleting a subscription that is already gone (a retry after a lost answer) is done.
TEST_CASE("plesk terminate of a missing subscription is done", "[hooks][plesk]") {
  PleskFixture f([](const FakeRequest&) {
    return plesk("del", "<status>error</status><errcode>1013</errcode><errtext>Object not found.</errtext>");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::terminate));
  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.detail == "Plesk terminate: the subscription was already gone");
}

// A 500, a 429 with Retry-After and a timeout are retried.
TEST_CASE("plesk retries 500, 429 and timeouts", "[hooks][plesk]") {
  PleskFixture broken([](const FakeRequest&) { return FakeResponse{500, {}, "", {}}; });
  CHECK(broken.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
  PleskFixture limited([](const FakeRequest&) { return FakeResponse{429, {{"Retry-After", "90"}}, "", {}}; });
  const auto outcome = limited.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.retry_after == std::chrono::seconds(90));
  PleskFixture slow(
      [](const FakeRequest&) {
        return FakeResponse{200, {}, "", milliseconds(1500)};
      },
      milliseconds(200));
  CHECK(slow.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
}

// A backup is refused before any request is sent.
TEST_CASE("plesk refuses backups without calling the panel", "[hooks][plesk]") {
  PleskFixture f([](const FakeRequest&) { return plesk("set", ok); });
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(f.server.requests().empty());
}
