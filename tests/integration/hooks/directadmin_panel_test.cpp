#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <atomic>

#include "hooks/form_encoding.hpp"
#include "hooks/panel_factory.hpp"
#include "integration/hooks/run_call.hpp"
#include "support/fake_panel.hpp"
#include "util/crypto.hpp"

using namespace cobrador;
using namespace cobrador::testing;
using hooks::Outcome;
using hooks::PanelCall;
using std::chrono::milliseconds;

namespace {

struct DaFixture {
  explicit DaFixture(FakePanel::Handler handler, milliseconds timeout = std::chrono::seconds(2))
      : server(std::move(handler)) {
    hooks::PanelConfig config;
    config.type = "directadmin";
    config.url = server.url();
    config.user = "admin";
    config.secret = "LOGINKEY9";
    config.timeout = timeout;
    config.poll_interval = milliseconds(20);
    config.poll_limit = milliseconds(200);
    auto made = hooks::make_panel("da1", config, http, io, fixed_now);
    REQUIRE(made);
    panel = std::move(made).value();
  }

  Outcome run(const PanelCall& call) { return run_call(*panel, call, io); }

  FakePanel server;
  boost::asio::io_context io;
  net::HttpClient http{io};
  std::unique_ptr<hooks::Panel> panel;
};

FakeResponse da(const std::string& body) {
  return FakeResponse{200, {{"Content-Type", "text/plain"}}, body, {}};
}

std::string basic(const std::string& login) { return "Basic " + crypto::base64_encode(login + ":LOGINKEY9"); }

}  // namespace

// A suspension POSTs the CMD_SELECT_USERS form with basic auth; error=0 is done.
TEST_CASE("directadmin suspends through CMD_API_SELECT_USERS", "[hooks][directadmin]") {
  DaFixture f([](const FakeRequest&) { return da("error=0&text=Success&details=ana+suspended"); });
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));

  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.detail == "DirectAdmin suspend: Success");
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].method == "POST");
  CHECK(seen[0].path == "/CMD_API_SELECT_USERS");
  CHECK(seen[0].header("authorization") == basic("admin"));
  CHECK(seen[0].header("content-type") == "application/x-www-form-urlencoded");
  const auto form = hooks::decode_form(seen[0].body);
  CHECK(hooks::form_value(form, "location") == "CMD_SELECT_USERS");
  CHECK(hooks::form_value(form, "suspend") == "Suspend");
  CHECK(hooks::form_value(form, "select0") == "ana");
  CHECK(hooks::form_value(form, "json") == "yes");
}

// Unsuspend and delete send their own buttons; a JSON success answer is understood too.
TEST_CASE("directadmin unsuspends and deletes users", "[hooks][directadmin]") {
  DaFixture f([](const FakeRequest&) { return da(R"({"success":"Done","result":""})"); });
  CHECK(f.run(sample_call(PanelCall::Kind::unsuspend)).kind == Outcome::Kind::done);
  CHECK(f.run(sample_call(PanelCall::Kind::terminate)).kind == Outcome::Kind::done);
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(hooks::form_value(hooks::decode_form(seen[0].body), "unsuspend") == "Unsuspend");
  const auto del = hooks::decode_form(seen[1].body);
  CHECK(hooks::form_value(del, "delete") == "yes");
  CHECK(hooks::form_value(del, "confirmed") == "Confirm");
  CHECK(hooks::form_value(del, "select0") == "ana");
}

// DirectAdmin's refusal is HTTP 200 with error=1; text and details become the reason.
TEST_CASE("directadmin treats error=1 as a failure with text and details", "[hooks][directadmin]") {
  DaFixture f(
      [](const FakeRequest&) { return da("error=1&text=Cannot+suspend+user&details=ana+is+not+your+user"); });
  const auto outcome = f.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "CMD_API_SELECT_USERS refused: Cannot suspend user: ana is not your user");
}

// A 500, a 429 with Retry-After and a timeout are all retried.
TEST_CASE("directadmin retries 500, 429 and timeouts", "[hooks][directadmin]") {
  DaFixture broken([](const FakeRequest&) { return FakeResponse{500, {}, "", {}}; });
  CHECK(broken.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
  DaFixture limited([](const FakeRequest&) { return FakeResponse{429, {{"Retry-After", "12"}}, "", {}}; });
  const auto outcome = limited.run(sample_call(PanelCall::Kind::suspend));
  CHECK(outcome.kind == Outcome::Kind::retry);
  CHECK(outcome.retry_after == std::chrono::seconds(12));
  DaFixture slow(
      [](const FakeRequest&) {
        return FakeResponse{200, {}, "error=0", milliseconds(1500)};
      },
      milliseconds(200));
  CHECK(slow.run(sample_call(PanelCall::Kind::suspend)).kind == Outcome::Kind::retry);
}

// A backup logs in as admin|ana, queues CMD_API_SITE_BACKUP and waits for a new file in the listing.
TEST_CASE("directadmin backup queues a site backup and waits for the file", "[hooks][directadmin]") {
  std::atomic<int> listings{0};
  DaFixture f([&](const FakeRequest& r) {
    if (r.method == "POST") return da("error=0&text=Backup+creation+added+to+queue");
    const bool ready = ++listings >= 3;
    return da(ready ? "list[]=old.tar.gz&list[]=backup-Feb-25-2021-1.tar.gz" : "list[]=old.tar.gz");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));

  CHECK(outcome.kind == Outcome::Kind::done);
  CHECK(outcome.location == "/home/ana/backups/backup-Feb-25-2021-1.tar.gz");
  const auto seen = f.server.requests();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].method == "GET");
  CHECK(seen[1].method == "POST");
  for (const auto& request : seen) {
    CHECK(request.path == "/CMD_API_SITE_BACKUP");
    CHECK(request.header("authorization") == basic("admin|ana"));
  }
  CHECK(hooks::form_value(hooks::decode_form(seen[1].body), "action") == "backup");
}

// A backup DirectAdmin refuses is a failure with its reason.
TEST_CASE("directadmin backup refused is a failure", "[hooks][directadmin]") {
  DaFixture f([](const FakeRequest& r) {
    if (r.method == "POST") return da("error=1&text=Backup+failed&details=quota+exceeded");
    return da("");
  });
  const auto outcome = f.run(sample_call(PanelCall::Kind::backup));
  CHECK(outcome.kind == Outcome::Kind::failed);
  CHECK(outcome.detail == "CMD_API_SITE_BACKUP refused: Backup failed: quota exceeded");
}
