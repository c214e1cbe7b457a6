// Implements the translation of configuration into dispatcher options.
#include "dispatch/dispatcher.hpp"

namespace cobrador::dispatch {

DispatcherOptions dispatcher_options_from(const config::Config& config, const policy::Policy& policy,
                                          std::function<void(const std::string&)> log) {
  DispatcherOptions options;
  options.retry.max_attempts = config.dispatch.max_attempts;
  options.retry.backoff = {config.dispatch.retry_initial, config.dispatch.retry_max};
  options.lease = config.dispatch.lease;
  if (const auto quiet = policy.quiet_hours.find(policy::Channel::sms); quiet != policy.quiet_hours.end()) {
    options.sms_quiet = SmsQuietHours{quiet->second, &policy.zone()};
  }
  options.policy = std::make_shared<const policy::Policy>(policy);
  options.log = std::move(log);
  return options;
}

}  // namespace cobrador::dispatch
