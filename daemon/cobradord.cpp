// cobradord, the dunning daemon (SPEC §2). Thin: parse the command line, then either check the
// configuration or hand over to the runtime; every failure becomes an exit code.
#include <iostream>

#include <CLI/CLI.hpp>

#include "config/config.hpp"
#include "daemon/check_config.hpp"
#include "daemon/components.hpp"
#include "daemon/runtime.hpp"
#include "docs/cli_docs.hpp"
#include "store/sqlite/database.hpp"
#include "util/allocator.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace cobrador;
  tune_allocator();
  CLI::App app{"cobradord: the cobrador dunning daemon", "cobradord"};
  std::string config_option;
  bool check_only = false;
  app.add_option("-c,--config", config_option,
                 "cobrador.yaml to use (default $COBRADOR_CONFIG, else /etc/cobrador/cobrador.yaml)");
  app.add_flag("--check-config", check_only, "validate config, policy, templates and secrets, then exit");
  cli_docs::add_generate_option(
      app,
      {8, COBRADOR_VERSION,
       "cobradord is the dunning daemon: it walks the open invoices once a day at the policy's run_at, sends "
       "the notices and asks the control panels to suspend and unsuspend, serves the HTTP API to billing "
       "systems, panels and banks, and reports to systemd. It runs until SIGTERM; SIGHUP reloads the "
       "configuration.",
       "cobradorctl(1)"});
  CLI11_PARSE(app, argc, argv);
  const std::string path = config::config_path(config_option);

  if (check_only) {
    const auto problems = daemon::check_config(path);
    for (const auto& line : problems) std::cerr << line << '\n';
    if (problems.empty()) std::cout << path << ": configuration is valid\n";
    return problems.empty() ? 0 : 1;
  }
  try {
    daemon::Runtime runtime(path);
    runtime.add_component(daemon::make_http_component);
    runtime.add_component(daemon::make_dispatch_component);
    return runtime.run();
  } catch (const store::StoreError& e) {
    log::error("database: {}", e.what());
  } catch (const std::exception& e) {
    log::error("{}", e.what());
  }
  return 1;
}
