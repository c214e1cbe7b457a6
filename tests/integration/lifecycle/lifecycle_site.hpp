// An installation in a temporary folder for the end-of-relationship tests: cobrador.yaml with
// a webhook panel and an SMS gateway on a loopback fake panel and e-mail to a real SMTP sink,
// a policy given by the test, and the real cobradorctl run with a pinned clock (COBRADOR_NOW).
// The outbox is drained with `cobradorctl dispatch --until-empty`: the real dispatcher.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/fake_panel.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"
#include "support/test_database.hpp"
#include "store/backends/open_store.hpp"

namespace cobrador::testing {

class LifecycleSite {
 public:
  LifecycleSite(const std::string& policy, const std::string& panel_url, const std::string& smtp_url) {
    dir.write("policy.yaml", policy);
    dir.write("noc.secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
    std::filesystem::create_directories(dir / "var");
    database = fresh_database(dir / "var");
    config = dir.write("cobrador.yaml",
                       fmt::format(
                           "database: \"{}\"\npolicy: policy.yaml\ntemplates: {}/etc/templates\n"
                           "support: {{ phone: \"+55 11 4000-0000\", email: billing@example.com, "
                           "url: https://example.com/billing }}\n"
                           "panels:\n  noc: {{ type: webhook, url: \"{}/hook\", secret_file: noc.secret }}\n"
                           "channels:\n"
                           "  email: {{ smtp_url: \"{}\", starttls: none, from: \"Billing "
                           "<billing@example.com>\" }}\n"
                           "  sms: {{ url: \"{}/sms\", body: '{{\"to\": \"{{{{phone}}}}\", \"text\": "
                           "\"{{{{text}}}}\"}}' }}\n"
                           "dispatch: {{ lease: 60s }}\n",
                           database, COBRADOR_SOURCE_DIR, panel_url, smtp_url, panel_url))
                 .string();
  }

  // cobradorctl at `day` 12:00 UTC (09:00 in São Paulo, after run_at).
  ProcessResult ctl(std::vector<std::string> args, const std::string& day) const {
    args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
    return run_process(args, {{"COBRADOR_NOW", day + "T12:00:00Z"}});
  }

  // The same, required to succeed.
  std::string ok(const std::vector<std::string>& args, const std::string& day) const {
    const auto result = ctl(args, day);
    INFO(fmt::format("cobradorctl {} on {}\nstdout: {}\nstderr: {}", fmt::join(args, " "), day, result.out,
                     result.err));
    REQUIRE(result.exit_code == 0);
    return result.out;
  }

  nlohmann::json ok_json(std::vector<std::string> args, const std::string& day) const {
    args.insert(args.begin(), "--json");
    return nlohmann::json::parse(ok(args, day));
  }

  void import(const std::string& kind, const std::string& csv, const std::string& day) const {
    ok({"import", kind, dir.write(kind + "-" + day + ".csv", csv).string()}, day);
  }

  // The walk of `day`, then every due action delivered by the real dispatcher.
  void walk_and_dispatch(const std::string& day) const {
    ok({"walk"}, day);
    ok({"dispatch", "--until-empty"}, day);
  }

  std::unique_ptr<store::Store> open() const { return store::open_store(database); }

  ServiceState state(const std::string& service) const { return open()->service(service)->state; }

  std::vector<Action> actions(ActionKind kind) const {
    store::ActionFilter filter;
    filter.kind = kind;
    return open()->actions(filter);
  }

  TempDir dir;
  std::string database;  // as cobrador.yaml names it: support/test_database.hpp
  std::string config;
};

// The webhook calls the panel received: "type service" each.
inline std::vector<std::string> panel_calls(const FakePanel& panel) {
  std::vector<std::string> calls;
  for (const auto& request : panel.requests()) {
    if (request.path != "/hook") continue;
    const auto body = nlohmann::json::parse(request.body);
    calls.push_back(body["type"].get<std::string>() + " " + body["service"]["id"].get<std::string>());
  }
  return calls;
}

// A panel that says yes to everything.
inline FakeResponse ok(const FakeRequest&) { return FakeResponse{200, {}, "{}"}; }

}  // namespace cobrador::testing
