// Implements grant_trust_release(): check, then queue the unsuspensions, cancel the queued
// suspensions, record the promise and pause the stages (the decision's next evaluation is the
// deadline; policy::promise_step keeps them paused until then).
#include "service/trust_release.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/action_key.hpp"
#include "policy/decide.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/trust_release.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

constexpr int kMaxDays = 366;

policy::TrustHistory history_of(store::DunningStore& store, const Customer& customer) {
  policy::TrustHistory history;
  history.customer_since = customer.customer_since;
  for (const auto& p : store.promises_of(customer.id)) {
    const auto outcome = p.outcome == PromiseOutcome::open   ? policy::PromiseRecord::Outcome::open
                         : p.outcome == PromiseOutcome::kept ? policy::PromiseRecord::Outcome::kept
                                                             : policy::PromiseRecord::Outcome::broken;
    history.promises.push_back({p.granted_on, p.deadline, outcome});
  }
  return history;
}

// Refusals no operator can override: there is nothing to release, or a release is running.
std::optional<TrustReleaseRefused> not_applicable(store::DunningStore& store,
                                                  const policy::CustomerSnapshot& snap,
                                                  const TrustReleaseRequest& request, Date today) {
  if (snap.promise) {
    return TrustReleaseRefused{
        "open_promise",
        fmt::format("a trust release granted on {} is still open until {}",
                    format_date(snap.promise->granted_on), format_date(snap.promise->deadline))};
  }
  if (policy::overdue_on(snap, today).invoices.empty()) {
    return TrustReleaseRefused{"nothing_to_release",
                               "nothing is overdue: there is no suspension to release or postpone"};
  }
  // Before the first stage there is no episode to pause, and nothing to release either.
  if (!snap.episode) {
    return TrustReleaseRefused{"nothing_to_release",
                               "no dunning stage has run yet: there is no suspension to release or postpone"};
  }
  if (!request.claim_payment.empty() && store.claims_flagged_at(snap.id)) {
    return TrustReleaseRefused{
        "claims_flagged", "an earlier payment claim was never confirmed: no more claim-based trust releases"};
  }
  return std::nullopt;
}

// The unsuspend actions for the services suspended for non-payment (a suspension made by
// hand keeps its reason: a trust release never lifts it).
policy::Decision release_decision(const policy::CustomerSnapshot& snap, std::int64_t promise_id,
                                  Date deadline, Instant now, std::vector<std::string>& unsuspended) {
  policy::Decision decision;
  decision.episode_number = snap.episode->number;
  decision.next_evaluation = deadline;
  const std::string stage = fmt::format("promise{}", promise_id);
  for (const auto& service : snap.services) {
    if (service.state != ServiceState::suspended || service.suspend_reason != kNonPayment) continue;
    decision.actions.push_back({ActionKind::unsuspend, "promise", service.ext_id,
                                policy::ActionKey::episode(snap.id, snap.episode->number)
                                    .then(stage, ActionKind::unsuspend, service.ext_id)
                                    .text(),
                                policy::panel_action_payload(snap, "service.unsuspend", service, ""), now});
    unsuspended.push_back(service.ext_id);
  }
  return decision;
}

// The customer hears of the release: trust_release_granted with the deadline, to the first
// e-mail address (as every notice queued outside a stage), keyed after the promise
// (c<customer>:e<episode>:promise<id>:notify:email:<address>).
void queue_grant_notice(policy::Decision& decision, const policy::CustomerSnapshot& snap, const Promise& p,
                        Date today, Instant now) {
  auto variables = policy::debt_variables(snap, today, p.released_services);
  variables["deadline"] = format_date(p.deadline);
  const auto scope =
      policy::ActionKey::episode(snap.id, snap.episode->number).then(fmt::format("promise{}", p.id));
  for (const auto& notice : policy::customer_notices(policy::notice_customer(snap), "trust_release_granted",
                                                     variables, scope, false, now)) {
    decision.actions.push_back(
        {notice.kind, notice.stage, notice.target, notice.key, notice.payload, notice.next_attempt_at});
  }
}

std::string length_rule(const policy::Policy& policy, const TrustReleaseRequest& request, bool new_customer) {
  if (!request.claim_payment.empty())
    return fmt::format("payments.claims.release_days {}", request.days.value_or(0));
  if (request.days) return fmt::format("days {} chosen by {}", *request.days, request.actor);
  return new_customer
             ? fmt::format("trust_release.new_customer_days {}", policy.trust_release.new_customer_days)
             : fmt::format("trust_release.days {}", policy.trust_release.days);
}

TrustReleaseGranted grant(store::DunningStore& store, const policy::Policy& policy,
                          const policy::CustomerSnapshot& snap, const TrustReleaseRequest& request, int days,
                          const std::string& overridden, const std::string& rule, Instant now) {
  const Date today = policy.local_date(now);
  TrustReleaseGranted granted;
  granted.overridden_rule = overridden;
  auto& p = granted.promise;
  p.customer_id = snap.id;
  p.customer_ext_id = snap.ext_id;
  p.episode_id = snap.episode->id;
  p.granted_at = now;
  p.granted_on = today;
  p.deadline = today + date::days{days};
  p.granted_by = request.actor;
  p.reason = request.reason;
  p.forced = !overridden.empty();
  if (p.forced) p.override_reason = fmt::format("{}: {}", overridden, request.reason);
  p.claim_payment = request.claim_payment;
  granted.postponed = store.cancel_queued_suspensions(
      snap.id, now, fmt::format("postponed by a trust release until {}", format_date(p.deadline)),
      request.actor);
  for (const auto& s : snap.services) {
    if (s.state == ServiceState::suspended && s.suspend_reason == kNonPayment)
      p.released_services.push_back(s.ext_id);
  }
  for (const auto& s : granted.postponed) {
    if (std::find(p.released_services.begin(), p.released_services.end(), s) == p.released_services.end())
      p.released_services.push_back(s);
  }
  p.id = store.add_promise(p);
  auto decision = release_decision(snap, p.id, p.deadline, now, granted.unsuspended);
  queue_grant_notice(decision, snap, p, today, now);
  store.apply(snap, decision, today, now, request.actor);
  store.bring_forward_to_claim_expiry({&snap.id, 1});  // a claim may expire before the deadline
  json keys = json::array();
  for (const auto& a : decision.actions) keys.push_back(a.key);
  json details{{"promise", p.id},
               {"episode", snap.episode->number},
               {"deadline", format_date(p.deadline)},
               {"days", days},
               {"reason", p.reason},
               {"rule", rule},
               {"actions", keys},
               {"postponed", granted.postponed},
               {"forced", p.forced}};
  if (p.forced) details["overridden_rule"] = overridden;
  if (!p.claim_payment.empty()) details["claim"] = p.claim_payment;
  store.audit({0, now, request.actor, "customer:" + snap.ext_id,
               p.forced ? "trust_release_forced" : "trust_release_granted", dump_json(details)});
  return granted;
}

}  // namespace

Result<TrustReleaseOutcome> grant_trust_release(store::DunningStore& store, const policy::Policy& policy,
                                                const TrustReleaseRequest& request, Instant now) {
  const auto customer = store.customer(request.customer);
  if (!customer) return make_error(fmt::format("customer: no customer '{}'", request.customer));
  if (request.days && (*request.days < 1 || *request.days > kMaxDays)) {
    return make_error(fmt::format("days: must be a whole number from 1 to {}", kMaxDays));
  }
  if (request.force && request.reason.empty())
    return make_error("reason: a forced trust release needs a reason");
  const Date today = policy.local_date(now);
  const auto snap = store.snapshot(customer->id);
  auto refusal = not_applicable(store, snap, request, today);
  std::string overridden;
  int days = request.days.value_or(policy.trust_release.days);
  bool new_customer = false;
  if (!refusal) {
    const auto eligibility =
        policy::trust_release_eligibility(history_of(store, *customer), policy, today, request.days);
    if (const auto* refused = std::get_if<policy::TrustRefusal>(&eligibility)) {
      if (!request.force) refusal = TrustReleaseRefused{refused->rule, refused->message};
      overridden = refused->rule;
    } else {
      days = std::get<policy::TrustGrant>(eligibility).days;
      new_customer = days != policy.trust_release.days && !request.days;
    }
  }
  if (refusal) {
    store.audit({0, now, request.actor, "customer:" + customer->ext_id, "trust_release_refused",
                 dump_json(json{{"rule", refusal->rule},
                                {"message", refusal->message},
                                {"reason", request.reason},
                                {"claim", request.claim_payment}})});
    return TrustReleaseOutcome{*refusal};
  }
  return TrustReleaseOutcome{
      grant(store, policy, snap, request, days, overridden, length_rule(policy, request, new_customer), now)};
}

Result<TrustReleaseOutcome> preview_trust_release(store::DunningStore& store, const policy::Policy& policy,
                                                  const TrustReleaseRequest& request, Instant now) {
  store.begin();
  try {
    auto outcome = grant_trust_release(store, policy, request, now);
    store.rollback();
    return outcome;
  } catch (...) {
    store.rollback();
    throw;
  }
}

}  // namespace cobrador::service
