// `cobradorctl suspend|unsuspend SERVICE --reason TEXT`: suspension by hand (SPEC §8), through
// the same service functions as POST|DELETE /v1/services/{id}/suspension.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "service/suspension.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

void report(Context& ctx, const service::HandResult& result, std::string_view verb) {
  if (const auto* refusal = std::get_if<service::HandRefusal>(&result)) throw CommandError(refusal->message);
  const auto& done = std::get<service::HandSuspension>(result);
  ctx.print({{"service", done.service},
             {"customer", done.customer},
             {"reason", done.reason},
             {"action", done.action_key.empty() ? nlohmann::json(nullptr) : nlohmann::json(done.action_key)},
             {"outcome", done.outcome}},
            fmt::format("{} {} by hand ({}): {}{}", done.service, verb, done.reason, done.outcome,
                        done.action_key.empty() ? "" : fmt::format(" [{}]", done.action_key)));
}

}  // namespace

void add_suspension_commands(CLI::App& app, Context& ctx) {
  static std::string service;
  static std::string reason;
  auto* suspend =
      app.add_subcommand("suspend", "suspend a service by hand (abuse, request): payment never lifts it");
  suspend->add_option("service", service, "the service's id")->required();
  suspend->add_option("--reason", reason, "why, kept with the suspension and in the audit trail")->required();
  suspend->callback([&ctx] {
    auto& store = ctx.store();
    const auto result = store::in_transaction(
        store, [&] { return service::suspend_by_hand(store, service, reason, clock::now(), ctx.actor()); });
    report(ctx, result, "suspended");
  });

  auto* unsuspend = app.add_subcommand("unsuspend", "lift a suspension made by hand");
  unsuspend->add_option("service", service, "the service's id")->required();
  unsuspend->add_option("--reason", reason, "why, for the audit trail")->required();
  unsuspend->callback([&ctx] {
    auto& store = ctx.store();
    const auto& policy = ctx.policy();
    const auto result = store::in_transaction(store, [&] {
      return service::unsuspend_by_hand(store, policy, service, reason, clock::now(), ctx.actor());
    });
    report(ctx, result, "unsuspended");
  });
}

}  // namespace cobrador::ctl
