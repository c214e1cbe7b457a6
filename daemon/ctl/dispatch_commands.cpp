// `cobradorctl dispatch [--until-empty]` and `cobradorctl retry ACTION`: the outbox drained from
// the command line (cron installations, tests), and a dead or failed action sent again.
#include <boost/asio/io_context.hpp>

#include <iostream>

#include <fmt/format.h>

#include "ctl/context.hpp"
#include "dispatch/dispatcher.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

json counts_json(const dispatch::DispatchCounts& c) {
  return {{"claimed", c.claimed},
          {"done", c.done},
          {"accepted", c.accepted},
          {"retried", c.retried},
          {"failed", c.failed},
          {"dead", c.dead},
          {"cancelled", c.cancelled},
          {"held", c.held},
          {"panel_disabled", c.panel_disabled},
          {"lost", c.lost}};
}

std::string counts_text(const dispatch::DispatchCounts& c) {
  std::string text = fmt::format("dispatched {} actions: {} done", c.claimed, c.done);
  const std::pair<int, const char*> others[] = {
      {c.accepted, "waiting for the panel's callback"},
      {c.retried, "to be retried later"},
      {c.failed, "refused (see the alerts)"},
      {c.dead, "dead (see `cobradorctl list dead-actions`)"},
      {c.cancelled, "cancelled: their episode had ended"},
      {c.held, "SMS held until quiet hours end"},
      {c.panel_disabled, "waiting: their panel was disabled (HTTP 410)"},
      {c.lost, "taken over by another dispatcher"}};
  for (const auto& [n, what] : others) {
    if (n > 0) text += fmt::format(", {} {}", n, what);
  }
  return text + "\n";
}

}  // namespace

void add_dispatch_commands(CLI::App& app, Context& ctx) {
  static bool until_empty = false;
  static int batch = 1000;
  auto* dispatch = app.add_subcommand("dispatch", "deliver the actions that are due now, then exit");
  dispatch->add_flag("--until-empty", until_empty, "keep claiming until no action is due (else one batch)");
  dispatch->add_option("--batch", batch, "without --until-empty: claim at most this many actions")
      ->check(CLI::Range(1, 1'000'000));
  dispatch->callback([&ctx] {
    const auto& config = ctx.config();
    boost::asio::io_context io;
    dispatch::Dispatcher dispatcher(
        io, ctx.store(), dispatch::outbound_from(config),
        dispatch::dispatcher_options_from(config, ctx.policy(), [](const std::string& message) {
          std::cerr << "cobradorctl: warning: " << message << '\n';
        }));
    const auto counts = until_empty ? dispatcher.drain_until_empty() : dispatcher.drain(batch);
    ctx.print(counts_json(counts), counts_text(counts));
  });

  static std::string action;
  auto* retry =
      app.add_subcommand("retry", "send a dead or failed action again, with a fresh count of attempts");
  retry->add_option("action", action, "the action's id or idempotency key")->required();
  retry->callback([&ctx] {
    auto& store = ctx.store();
    const auto retried =
        store::in_transaction(store, [&] { return store.retry_action(action, clock::now(), ctx.actor()); });
    if (!retried) throw CommandError(retried.error().message);
    ctx.print({{"id", retried->id}, {"key", retried->key}, {"state", "pending"}},
              fmt::format("action {} ({}) is pending again; the daemon or `cobradorctl dispatch` sends it",
                          retried->id, retried->key));
  });
}

}  // namespace cobrador::ctl
