// A folder with the shipped policy and a cobrador.yaml over a fresh database (either store,
// support/test_database.hpp), and cobradorctl run on it as a user runs it: the set-up of every
// test that drives the real programs.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace cobrador::testing {

struct CliSite {
  TempDir dir;
  std::string database;  // as `database:` names it
  std::string config;    // the path of cobrador.yaml

  // `extra` is appended to cobrador.yaml (listen:, api_clients: ...).
  explicit CliSite(const std::string& extra = "");

  // cobradorctl -c cobrador.yaml ARGS..., the clock pinned to `now`.
  ProcessResult run(std::vector<std::string> args, const std::string& now = "2026-03-01T12:00:00Z") const;
  // Writes dir/NAME and returns its path.
  std::string file(const std::string& name, const std::string& content) const;
};

// The port of "HTTP API listening on port N" in a cobradord's log (listen: 127.0.0.1:0),
// waiting up to `limit` for the line; the test fails without it.
unsigned short listening_port(const std::filesystem::path& log,
                              std::chrono::milliseconds limit = std::chrono::seconds{20});

}  // namespace cobrador::testing
