// `cobradord --check-config`: everything the daemon would load — cobrador.yaml, policy.yaml,
// the templates of every locale and stage, the secret files — checked at once, each problem
// a line "file:line:col: message" (or "file: message" where there is no position).
#pragma once

#include <string>
#include <vector>

namespace cobrador::daemon {

std::vector<std::string> check_config(const std::string& config_path);

}  // namespace cobrador::daemon
