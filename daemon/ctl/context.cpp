// Implements the lazily opened config, policy and store of a cobradorctl run.
#include "ctl/context.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "daemon/open_database.hpp"
#include "util/dump_json.hpp"
#include "util/text_encoding.hpp"

namespace cobrador::ctl {

const config::Config& Context::config() {
  if (!config_) {
    auto loaded = config::load_config(config::config_path(config_option));
    if (!loaded) throw CommandError(loaded.error().message);
    config_ = std::make_unique<config::Config>(std::move(*loaded));
  }
  return *config_;
}

const policy::Policy& Context::policy() {
  if (!policy_) {
    auto loaded = policy::load_policy(config().policy);
    if (!loaded) throw CommandError(loaded.error().message);
    policy_ = std::make_unique<policy::Policy>(std::move(*loaded));
  }
  return *policy_;
}

store::Store& Context::store() {
  if (!store_) {
    auto opened = daemon::open_database_with_upkeep(config(), "cli");
    store_ = std::move(opened.store);
    upkeep_ = opened.upkeep;
  }
  return *store_;
}

Progress Context::checkpoint_aside(Progress shown) {
  store();
  if (!upkeep_) return shown;
  if (!aside_) aside_ = std::make_unique<store::CheckpointsAside>(upkeep_, daemon::open_upkeep(config()));
  return aside_->progress(std::move(shown));
}

std::string Context::actor() const {
  const char* sudo = std::getenv("SUDO_USER");
  if (sudo && *sudo) return fmt::format("operator:{}", sudo);
  const passwd* pw = getpwuid(getuid());
  return fmt::format("operator:{}", pw ? pw->pw_name : std::to_string(getuid()));
}

void Context::print(const nlohmann::json& value, const std::string& text) const {
  if (json) {
    std::cout << dump_json(value, 2) << '\n';
  } else {
    std::cout << text;
    if (!text.empty() && text.back() != '\n') std::cout << '\n';
  }
}

Date date_option(const std::string& text, const std::string& option) {
  auto day = parse_date(text);
  if (!day) throw CommandError(fmt::format("{}: {}", option, day.error().message));
  return *day;
}

CLI::Validator encoding_validator() {
  return CLI::Validator(
      [](std::string& name) {
        return encoding_named(name) ? std::string()
                                    : fmt::format("'{}' is not one of {}", name, kEncodingNames);
      },
      "ENCODING");
}

}  // namespace cobrador::ctl
