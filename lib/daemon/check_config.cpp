// Implements the full configuration check. It keeps going after a problem so that an
// operator fixes everything in one round.
#include "daemon/check_config.hpp"

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "config/config.hpp"
#include "hooks/suspend_modes.hpp"
#include "notify/template_catalog.hpp"
#include "notify/template_library.hpp"
#include "policy/policy.hpp"

namespace cobrador::daemon {

namespace {

void add_lines(std::vector<std::string>& problems, const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    problems.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

void check_secret(std::vector<std::string>& problems, const config::Config& config, const std::string& key,
                  const std::string& name) {
  if (name.empty()) return;
  const auto secret = config::read_secret(config, name);
  if (!secret) problems.push_back(fmt::format("{}: {}: {}", config.file, key, secret.error().message));
}

void check_secrets(std::vector<std::string>& problems, const config::Config& config) {
  for (const auto& [name, panel] : config.panels) {
    check_secret(problems, config, "panels." + name, panel.secret_file);
    check_secret(problems, config, "panels." + name + ".identifier_file", panel.identifier_file);
  }
  if (config.email)
    check_secret(problems, config, "channels.email.password_file", config.email->password_file);
  if (config.sms)
    check_secret(problems, config, "channels.sms.auth_header_file", config.sms->auth_header_file);
  for (const auto& [name, client] : config.api_clients) {
    check_secret(problems, config, "api_clients." + name + ".token_file", client.token_file);
  }
  for (const auto& [name, source] : config.sources) {
    check_secret(problems, config, "sources." + name, source.secret_file);
    check_secret(problems, config, "sources." + name + ".identifier_file", source.identifier_file);
  }
  // The customer's page: a key nobody can read would end every link at once.
  if (config.links) check_secret(problems, config, "links.key_file", config.links->key_file);
  for (const auto& [name, source] : config.webhook_sources) {
    for (const auto& file : source.secret_files)
      check_secret(problems, config, "webhook_sources." + name, file);
  }
}

void check_stage_templates(std::vector<std::string>& problems, const policy::Policy& policy,
                           const std::string& policy_file) {
  const auto names = notify::template_names();
  for (const auto& stage : policy.stages) {
    if (stage.template_name.empty()) continue;
    if (std::find(names.begin(), names.end(), stage.template_name) == names.end()) {
      problems.push_back(fmt::format("{}: stage '{}': template '{}' is not one cobrador knows ({})",
                                     policy_file, stage.name, stage.template_name, fmt::join(names, ", ")));
    }
  }
}

// The kinds of service `stage` suspends outgoing_only that `panel` serves, in SPEC §3's order.
std::vector<std::string_view> outgoing_only_kinds(const policy::Stage& stage,
                                                  const config::PanelConfig& panel) {
  std::vector<std::string_view> kinds;
  for (const auto& [kind, mode] : stage.modes) {
    if (mode == policy::SuspendMode::outgoing_only && panel.serves(to_string(kind)))
      kinds.push_back(to_string(kind));
  }
  return kinds;
}

// A stage that asks for outgoing_only on a kind of service that a cpanel, directadmin or plesk
// panel serves would have that panel's adapter refuse every such suspension when it is sent.
// Which services a panel has lives in the database, not here, so a panel is taken at its
// declared `kinds` (none declared: every kind).
void check_suspend_modes(std::vector<std::string>& problems, const policy::Policy& policy,
                         const std::string& policy_file, const config::Config& config) {
  for (const auto& stage : policy.stages) {
    for (const auto& [name, panel] : config.panels) {
      if (hooks::can_suspend_outgoing_only(panel.type)) continue;
      const auto kinds = outgoing_only_kinds(stage, panel);
      if (kinds.empty()) continue;
      const auto listed = fmt::format("{}", fmt::join(kinds, ", "));
      const auto serves = panel.kinds.empty() ? std::string("declares no kinds, so it serves every kind,")
                                              : fmt::format("serves {}", listed);
      problems.push_back(fmt::format(
          "{}: stage '{}': mode outgoing_only for {}, but panel '{}' ({}) {} and can "
          "only suspend fully; give {} mode full in this stage, or leave {} out of "
          "the kinds the panel serves (panels.{}.kinds in {})",
          policy_file, stage.name, listed, name, panel.type, serves, listed, listed, name, config.file));
    }
  }
}

}  // namespace

std::vector<std::string> check_config(const std::string& config_path) {
  std::vector<std::string> problems;
  const auto config = config::load_config(config_path);
  if (!config) {
    add_lines(problems, config.error().message);
    return problems;
  }
  const auto policy = policy::load_policy(config->policy);
  if (!policy) add_lines(problems, policy.error().message);
  if (!std::filesystem::is_directory(config->templates)) {
    problems.push_back(fmt::format("{}: templates: {} is not a folder", config->file, config->templates));
  } else {
    for (const auto& line : notify::validate_templates(config->templates)) problems.push_back(line);
    if (policy) check_stage_templates(problems, *policy, config->policy);
  }
  if (policy) check_suspend_modes(problems, *policy, config->policy, *config);
  check_secrets(problems, *config);
  return problems;
}

}  // namespace cobrador::daemon
