// The dispatcher drains the outbox (docs/dispatch.md). On one io_context, with libcurl's multi
// interface underneath (no thread per request), it claims due actions under a lease, queues
// each on its lane (one per panel, one per channel, each with its own concurrency limit),
// takes a last look before sending (is the action still ours, has its episode ended?), calls
// the panel's adapter or sends the notice, and records the outcome: done, retried with
// backoff, dead after the last attempt, failed, or the panel disabled.
//
// Each turn is one short write transaction (the outcomes, the last look, the claim), whatever
// the number of outcomes it records, so that throughput is not bounded by commits. Those
// transactions run on a thread of the dispatcher's own, so that a database lock held elsewhere
// never stalls the io_context (which, in the daemon, serves HTTP too); give the dispatcher a
// Store (a connection) that nothing else uses while it runs.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "dispatch/outbound_setup.hpp"
#include "dispatch/record.hpp"
#include "config/config.hpp"
#include "policy/policy.hpp"
#include "store/outbox_store.hpp"

namespace cobrador::dispatch {

struct DispatcherOptions {
  std::string owner;  // the lease holder's name; empty: host:pid:nonce
  RetryRules retry;
  // How long a claim holds an action. Never shorter than a panel's timeout plus a minute,
  // and a background backup's lease also covers its polling limit.
  std::chrono::seconds lease{300};
  std::optional<SmsQuietHours> sms_quiet;
  // The policy whose calendar a notice's next_step_date is checked against when it goes out
  // (policy/notice_dates.hpp); none: the date is sent as the walk wrote it.
  std::shared_ptr<const policy::Policy> policy;
  std::chrono::milliseconds poll_interval{2000};  // start(): how often to look for due actions
  std::function<Instant()> now;                   // the clock; empty: cobrador::clock::now
  std::function<void(const std::string&)> log;    // warnings for the operator; never a secret
  std::uint64_t seed = 0;                         // for the jitter; 0: a random seed
};

// What a run did, action by action.
struct DispatchCounts {
  int claimed = 0;
  int done = 0;
  int accepted = 0;        // waiting for the panel's callback
  int retried = 0;         // will be tried again later
  int failed = 0;          // refused for good
  int dead = 0;            // out of attempts
  int cancelled = 0;       // its episode ended before it went out
  int held = 0;            // an SMS put back until quiet hours end
  int panel_disabled = 0;  // put back: its panel answered 410 Gone
  int lost = 0;            // another dispatcher holds it now
};

// The options cobrador.yaml's `dispatch:` and the policy's SMS quiet hours give; shared by
// `cobradorctl dispatch` and the daemon. `log` receives warnings for the operator.
DispatcherOptions dispatcher_options_from(const config::Config& config, const policy::Policy& policy,
                                          std::function<void(const std::string&)> log);

class Dispatcher {
 public:
  // `io` and `store` must outlive the dispatcher, and `store` is used from the dispatcher's
  // store thread; destroy it after stop() has reported, or
  // once `io` will not run again (calls still in flight are abandoned; their actions come back
  // when their leases run out). Problems with panels, channels or templates do not throw:
  // they are in problems(), and only the actions they concern wait.
  Dispatcher(boost::asio::io_context& io, store::OutboxStore& store, const Outbound& outbound,
             DispatcherOptions options = {});
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // For the daemon: delivers what is due, and looks again every poll_interval and on wake(),
  // until stop(). The caller runs the io_context.
  void start();
  // Something was queued (the walk ran, a payment arrived): look now instead of at the next poll.
  void wake();
  // Claims nothing more and hands back the actions still waiting for a slot; `stopped` runs
  // once the calls in flight have ended and their outcomes are recorded.
  void stop(std::function<void()> stopped = {});

  // For the CLI and tests: runs the io_context until no action is due now, none is waiting
  // and none is in flight. At most `max_actions` are claimed when given. Retries scheduled
  // for later and SMS held by quiet hours stay queued for the next run.
  DispatchCounts drain(std::optional<int> max_actions = std::nullopt);
  DispatchCounts drain_until_empty() { return drain(); }

  DispatchCounts counts() const;
  // "panel:<name>", "channel:email|sms" or "templates" → why it cannot be used.
  const std::map<std::string, std::string>& problems() const;
  const std::string& owner() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace cobrador::dispatch
