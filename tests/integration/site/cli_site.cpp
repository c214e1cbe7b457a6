// Implements the programs' test site.
#include "integration/site/cli_site.hpp"

#include <catch2/catch.hpp>

#include <thread>

#include "support/test_database.hpp"

namespace cobrador::testing {

CliSite::CliSite(const std::string& extra) {
  dir.write("policy.yaml", read_file(std::string(COBRADOR_SOURCE_DIR) + "/etc/policy.yaml"));
  std::filesystem::create_directories(dir / "var");
  database = fresh_database(dir / "var");
  config =
      dir.write("cobrador.yaml", "database: \"" + database + "\"\npolicy: policy.yaml\n" + extra).string();
}

ProcessResult CliSite::run(std::vector<std::string> args, const std::string& now) const {
  args.insert(args.begin(), {COBRADORCTL_PATH, "-c", config});
  return run_process(args, {{"COBRADOR_NOW", now}});
}

std::string CliSite::file(const std::string& name, const std::string& content) const {
  return dir.write(name, content).string();
}

unsigned short listening_port(const std::filesystem::path& log, std::chrono::milliseconds limit) {
  constexpr std::string_view kLine = "HTTP API listening on port ";
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = read_file(log);
    const auto at = text.find(kLine);
    if (at != std::string::npos)
      return static_cast<unsigned short>(std::stoi(text.substr(at + kLine.size())));
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  FAIL("no listening line in " << read_file(log));
  return 0;
}

}  // namespace cobrador::testing
