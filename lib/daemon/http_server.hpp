// The HTTP API as the daemon runs it: http::Server with its stores opened from the
// configuration and the dispatcher's retry rules, so that the server itself opens nothing.
#pragma once

#include <functional>
#include <memory>

#include "config/config.hpp"
#include "http/server.hpp"
#include "policy/policy.hpp"
#include "util/clock.hpp"
#include "util/result.hpp"

namespace cobrador::daemon {

// Opens the request connection ("http") and, for SQLite, one for its checkpoints, and creates the server;
// a database that cannot be opened is an error like a bad token file.
Result<std::unique_ptr<http::Server>> create_http_server(const config::Config& config,
                                                         std::shared_ptr<const policy::Policy> policy,
                                                         std::function<Instant()> clock = &clock::now);

}  // namespace cobrador::daemon
