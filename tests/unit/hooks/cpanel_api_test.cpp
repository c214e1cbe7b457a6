#include <catch2/catch.hpp>

#include "hooks/cpanel_api.hpp"

using namespace cobrador::hooks;

namespace {

PanelCall cpanel_call(PanelCall::Kind kind) {
  PanelCall call;
  call.idempotency_key = "k-1";
  call.kind = kind;
  call.reason = "non_payment";
  call.account = "ana";
  return call;
}

}  // namespace

// Each kind maps to its WHM API 1 function, with the parameter names WHM documents.
TEST_CASE("cpanel maps each kind to its WHM function", "[hooks]") {
  const auto suspend = cpanel::action_call(cpanel_call(PanelCall::Kind::suspend));
  CHECK(suspend.function == "suspendacct");
  CHECK(suspend.params == FormFields{{"user", "ana"}, {"reason", "non_payment [cobrador k-1]"}});
  CHECK(cpanel::action_call(cpanel_call(PanelCall::Kind::unsuspend)).params == FormFields{{"user", "ana"}});
  const auto terminate = cpanel::action_call(cpanel_call(PanelCall::Kind::terminate));
  CHECK(terminate.function == "removeacct");
  CHECK(terminate.params == FormFields{{"username", "ana"}});
  CHECK(cpanel::action_call(cpanel_call(PanelCall::Kind::backup)).function == "start_background_pkgacct");
  CHECK(cpanel::session_state_call("ana2020x").params == FormFields{{"session_id", "ana2020x"}});
}

// The URL is base + /json-api/<function> with api.version=1 first and values escaped.
TEST_CASE("cpanel builds the json-api url and the whm auth header", "[hooks]") {
  const auto url = cpanel::url_for("https://whm1.example.com:2087/",
                                   cpanel::action_call(cpanel_call(PanelCall::Kind::suspend)));
  CHECK(url ==
        "https://whm1.example.com:2087/json-api/"
        "suspendacct?api.version=1&user=ana&reason=non_payment%20%5Bcobrador%20k-1%5D");
  CHECK(cpanel::authorization("root", "TOKEN123") == "whm root:TOKEN123");
}

// WHM answers 200 either way: metadata.result says yes or no, metadata.reason says why.
TEST_CASE("cpanel reads metadata.result and reason", "[hooks]") {
  const auto yes =
      cpanel::parse_reply(R"({"metadata":{"command":"suspendacct","reason":"OK","result":1,"version":1}})");
  REQUIRE(yes);
  CHECK(yes->ok);
  CHECK(yes->reason == "OK");
  const auto no = cpanel::parse_reply(
      R"({"metadata":{"command":"suspendacct","reason":"Account does not exist: ana","result":0,"version":1}})");
  REQUIRE(no);
  CHECK_FALSE(no->ok);
  CHECK(no->reason == "Account does not exist: ana");
  const auto data = cpanel::parse_reply(R"({"data":{"session_id":"s1"},"metadata":{"result":1}})");
  CHECK(data->data["session_id"] == "s1");
}

// Bodies that are not WHM API 1 answers are errors, not successes.
TEST_CASE("cpanel refuses answers without metadata.result", "[hooks]") {
  CHECK_FALSE(cpanel::parse_reply("<html>Login</html>"));
  CHECK_FALSE(cpanel::parse_reply(R"({"cpanelresult":{"data":[]}})"));
  CHECK(cpanel::parse_reply("[]").error().message == "WHM answered with something that is not a JSON object");
}

// get_pkgacct_session_state's three states are read; anything else is an error.
TEST_CASE("cpanel reads pkgacct session states", "[hooks]") {
  using nlohmann::json;
  CHECK(*cpanel::parse_session_state(json{{"state", "RUNNING"}}) == cpanel::SessionState::running);
  CHECK(*cpanel::parse_session_state(json{{"state", "COMPLETED"}}) == cpanel::SessionState::completed);
  CHECK(*cpanel::parse_session_state(json{{"state", "FAILED"}}) == cpanel::SessionState::failed);
  CHECK_FALSE(cpanel::parse_session_state(json{{"state", "PAUSED"}}));
  CHECK_FALSE(cpanel::parse_session_state(json(nullptr)));
}
