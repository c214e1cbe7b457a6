// The adapters and suspend modes (issue 18, point 6): cPanel, DirectAdmin and Plesk can only
// suspend a whole account, so each refuses a suspension with mode outgoing_only for good,
// without a request to the panel, and still carries out a full one; the webhook adapter passes
// outgoing_only on. Each adapter talks to a loopback fake panel.
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;

namespace {

// Each vendor's yes, as its documentation gives it.
FakeResponse vendor_yes(const std::string& type) {
  if (type == "cpanel") {
    return FakeResponse{200,
                        {{"Content-Type", "application/json"}},
                        R"({"metadata":{"command":"suspendacct","reason":"OK","result":1,"version":1}})",
                        {}};
  }
  if (type == "directadmin") return FakeResponse{200, {}, "error=0&text=Success&details=", {}};
  if (type == "plesk") {
    return FakeResponse{200,
                        {{"Content-Type", "text/xml"}},
                        "<?xml version=\"1.0\"?><packet><webspace><set><result><status>ok</status>"
                        "<filter-id>ana</filter-id></result></set></webspace></packet>",
                        {}};
  }
  return FakeResponse{200, {}, "{}", {}};
}

struct PanelCase {
  explicit PanelCase(const std::string& type)
      : server([type](const FakeRequest&) { return vendor_yes(type); }) {
    hooks::PanelConfig config;
    config.type = type;
    config.url = server.url() + (type == "webhook" ? "/cobrador" : "");
    config.user = "root";
    config.secret = type == "webhook" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "SECRET";
    config.timeout = std::chrono::seconds(2);
    auto made = hooks::make_panel("p1", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome suspend(const std::string& mode) {
    auto call = sample_call(PanelCall::Kind::suspend);
    call.mode = mode;
    call.service_kind = "phone";
    return run_call(*panel, call, io);
  }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

}  // namespace

// outgoing_only on a panel that can only suspend fully: failed, and the panel never asked.
TEST_CASE("cpanel, directadmin and plesk refuse outgoing_only without calling the panel", "[hooks]") {
  for (const std::string type : {"cpanel", "directadmin", "plesk"}) {
    INFO(type);
    PanelCase t(type);
    const auto refused = t.suspend("outgoing_only");
    CHECK(refused.kind == Outcome::Kind::failed);
    CHECK(
        refused.detail ==
        "mode outgoing_only refused: a " + type +
            " panel can only suspend the whole account, and suspending phone service svc-7 fully is not what "
            "the policy asked; set its kind's mode to full in policy.yaml, or serve it through a webhook or "
            "exec "
            "panel (docs/panels.md)");
    CHECK(t.server.requests().empty());

    const auto full = t.suspend("full");
    CHECK(full.kind == Outcome::Kind::done);
    CHECK(t.server.requests().size() == 1);
  }
}

// The webhook adapter hands the mode to the operator's side, which does the cutting.
TEST_CASE("the webhook adapter passes outgoing_only on", "[hooks]") {
  PanelCase t("webhook");
  CHECK(t.suspend("outgoing_only").kind == Outcome::Kind::done);
  const auto seen = t.server.requests();
  REQUIRE(seen.size() == 1);
  const auto body = nlohmann::json::parse(seen[0].body);
  CHECK(body["mode"] == "outgoing_only");
  CHECK(body["service"]["kind"] == "phone");
}
