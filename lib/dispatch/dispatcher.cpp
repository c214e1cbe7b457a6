// Implements dispatch/dispatcher.hpp: setting the dispatcher up from the outbound settings
// (adapters, channels, lanes, leases), routing an action to its lane, and the public calls.
// One turn of the loop is in dispatcher_turn.cpp.
#include "dispatch/dispatcher.hpp"

#include <random>
#include <set>

#include <fmt/format.h>

#include "dispatch/dispatcher_impl.hpp"
#include "dispatch/panel_action.hpp"
#include "hooks/panel_factory.hpp"
#include "util/clock.hpp"
#include "util/process_name.hpp"

namespace cobrador::dispatch {

namespace asio = boost::asio;
using hooks::Outcome;

namespace {

// How much longer than the longest call an action's lease lasts, for the outcome to be written.
constexpr std::chrono::seconds kLeaseMargin{60};
constexpr std::chrono::seconds kSmtpTimeout{60};  // notify::SmtpConfig's default

std::string default_owner() {
  std::random_device random;
  return fmt::format("{}:{:08x}", host_and_pid(), random());
}

}  // namespace

void add_counts(DispatchCounts& a, const DispatchCounts& b, int sign) {
  int DispatchCounts::*const fields[] = {&DispatchCounts::claimed,        &DispatchCounts::done,
                                         &DispatchCounts::accepted,       &DispatchCounts::retried,
                                         &DispatchCounts::failed,         &DispatchCounts::dead,
                                         &DispatchCounts::cancelled,      &DispatchCounts::held,
                                         &DispatchCounts::panel_disabled, &DispatchCounts::lost};
  for (const auto field : fields) a.*field += sign * (b.*field);
}

Dispatcher::Impl::Impl(asio::io_context& context, store::OutboxStore& s, const Outbound& outbound,
                       DispatcherOptions o)
    : io(context),
      store(s),
      options(std::move(o)),
      now(options.now ? options.now : std::function<Instant()>(&clock::now)),
      http(context),
      timer(context),
      random(options.seed ? options.seed : std::random_device{}()) {
  if (options.owner.empty()) options.owner = default_owner();
  add_panels(outbound);
  add_channels(outbound);
  // One open connection per call the lanes allow at once, kept between turns.
  http.keep_connections(static_cast<long>(lanes.capacity()));
  for (const auto& [what, why] : problems) warn(fmt::format("{}: {}", what, why));
}

void Dispatcher::Impl::add_panels(const Outbound& outbound) {
  const hooks::Now panel_now = [clock = now] { return std::chrono::system_clock::time_point(clock()); };
  for (const auto& [name, setup] : outbound.panels) {
    const auto lane = panel_lane(name);
    auto panel = hooks::make_panel(name, setup.config, http, io, panel_now);
    if (!panel) {
      problems[lane] = panel.error().message;
      continue;
    }
    panels.emplace(name, std::move(*panel));
    lanes.add(lane, setup.concurrency);
    const auto timeout = std::chrono::ceil<std::chrono::seconds>(setup.config.timeout);
    lane_leases[lane] = std::max(options.lease, timeout + kLeaseMargin);
    lane_leases[lane + ":backup"] =
        lane_leases[lane] + std::chrono::ceil<std::chrono::seconds>(setup.config.poll_limit);
  }
  for (const auto& [lane, why] : outbound.unusable) problems[lane] = why;
}

void Dispatcher::Impl::add_channels(const Outbound& outbound) {
  notices = std::make_unique<NoticeSender>(http, io, outbound, now, options.policy);
  for (const auto& [what, why] : notices->problems()) problems[what] = why;
  lanes.add(channel_lane("email"), outbound.email_concurrency);
  lanes.add(channel_lane("sms"), outbound.sms_concurrency);
  lane_leases[channel_lane("email")] = std::max(options.lease, kSmtpTimeout + kLeaseMargin);
  lane_leases[channel_lane("sms")] = std::max(options.lease, kSmsTimeout + kLeaseMargin);
}

Route Dispatcher::Impl::route(const Action& action) const {
  if (action.kind == ActionKind::notify) {
    const auto channel = action.target.substr(0, action.target.find(':'));
    if (channel == "email" || channel == "sms") return {channel_lane(channel), "", std::nullopt};
    return {"", "", make_delivery(Outcome::Kind::failed, "a notice's target starts with email: or sms:")};
  }
  auto request = parse_panel_action(action);
  if (!request) return {"", "", make_delivery(Outcome::Kind::failed, request.error().message)};
  const auto lane = panel_lane(request->panel);
  // The operator can fix cobrador.yaml meanwhile: these wait for their retries, then go dead.
  if (const auto problem = problems.find(lane); problem != problems.end()) {
    return {"", request->panel,
            make_delivery(Outcome::Kind::retry, fmt::format("{}: {}", lane, problem->second))};
  }
  if (!panels.contains(request->panel)) {
    return {"", request->panel,
            make_delivery(Outcome::Kind::retry,
                          fmt::format("panel '{}' is not in cobrador.yaml", request->panel))};
  }
  return {lane, request->panel, std::nullopt};
}

std::chrono::seconds Dispatcher::Impl::lease_for(const Action& action, const std::string& lane) const {
  const bool backup = action.kind == ActionKind::backup;
  const auto it = lane_leases.find(backup ? lane + ":backup" : lane);
  return it == lane_leases.end() ? options.lease : it->second;
}

void Dispatcher::Impl::warn(const std::string& message) const {
  if (options.log) options.log(message);
}

Dispatcher::Dispatcher(asio::io_context& io, store::OutboxStore& store, const Outbound& outbound,
                       DispatcherOptions options)
    : impl_(std::make_shared<Impl>(io, store, outbound, std::move(options))) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::start() {
  impl_->mode = Impl::Mode::running;
  impl_->claim_budget.reset();
  impl_->dry.clear();
  impl_->post_pump();
}

void Dispatcher::wake() {
  impl_->dry.clear();
  if (impl_->mode == Impl::Mode::running) impl_->post_pump();
}

void Dispatcher::stop(std::function<void()> stopped) {
  auto& impl = *impl_;
  impl.on_stopped = std::move(stopped);
  impl.mode = Impl::Mode::stopping;
  impl.timer.cancel();
  impl.post_pump();
}

DispatchCounts Dispatcher::drain(std::optional<int> max_actions) {
  auto& impl = *impl_;
  const auto before = impl.counts;
  impl.mode = Impl::Mode::draining;
  impl.claim_budget = max_actions;
  impl.drained = false;
  impl.dry.clear();
  impl.post_pump();
  impl.io.restart();
  try {
    while (!impl.drained && impl.io.run_one() > 0) {
    }
  } catch (...) {
    impl.mode = Impl::Mode::idle;
    throw;
  }
  impl.mode = Impl::Mode::idle;
  auto run = impl.counts;
  add_counts(run, before, -1);
  return run;
}

DispatchCounts Dispatcher::counts() const { return impl_->counts; }

const std::map<std::string, std::string>& Dispatcher::problems() const { return impl_->problems; }

const std::string& Dispatcher::owner() const { return impl_->options.owner; }

}  // namespace cobrador::dispatch
