// Implements the walk's part of trust releases and claims: expiry before the decision, the
// promise's outcome after it.
#include "walk/promise_outcomes.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/action_key.hpp"
#include "policy/claim_expiry.hpp"
#include "policy/outbox_actions.hpp"
#include "util/dump_json.hpp"

namespace cobrador::walk {

namespace {

using nlohmann::json;

// The customer hears that the claim was not confirmed: claim_unconfirmed, to the first e-mail
// address (as every notice queued outside a stage), keyed c<customer>:claim<payment>:notify:...
// so that a second walk or daemon queues nothing more. Written with the open episode, whose
// end cancels it if it has not gone out. The walk's own decision, applied next, sets the
// customer's next evaluation.
void queue_unconfirmed_notice(store::DunningStore& store, const store::Claim& claim,
                              const std::vector<std::string>& released, Date today, Instant now,
                              std::string_view actor) {
  const auto snap = store.snapshot(claim.customer_id);
  std::vector<std::string> services = released;
  for (const auto& s : snap.services) {
    const bool listed = std::find(services.begin(), services.end(), s.ext_id) != services.end();
    if (s.state == ServiceState::suspended && s.suspend_reason == kNonPayment && !listed)
      services.push_back(s.ext_id);
  }
  auto variables = policy::debt_variables(snap, today, services);
  variables["claim_amount"] = format_money(claim.payment.amount);
  variables["claim_date"] = format_date(claim.payment.received_on);
  policy::Decision decision;
  decision.episode_number = snap.episode ? snap.episode->number : 0;
  decision.next_evaluation = today;
  for (const auto& notice :
       policy::customer_notices(policy::notice_customer(snap), "claim_unconfirmed", variables,
                                policy::ActionKey::of_claim(snap.id, claim.payment.id), false, now)) {
    decision.actions.push_back(
        {notice.kind, notice.stage, notice.target, notice.key, notice.payload, notice.next_attempt_at});
  }
  if (!decision.actions.empty()) store.apply(snap, decision, today, now, actor);
}

void expire_claim(store::DunningStore& store, const store::Claim& claim, Date today, Instant now,
                  std::string_view actor) {
  const auto& p = claim.payment;
  store.set_payment_status(p.id, PaymentStatus::rejected, "unconfirmed");
  store.flag_claims(claim.customer_id, now);
  const std::string subject = "customer:" + claim.customer_ext_id;
  const std::string rule = fmt::format("claims.expire_after_days: claim {} of {} not confirmed by {}",
                                       p.ext_id, format_money(p.amount), format_date(*claim.expires_on));
  store.audit({0, now, std::string(actor), subject, "claim_unconfirmed",
               dump_json(json{{"payment", p.ext_id},
                              {"invoice", p.invoice_ext_id},
                              {"status", "rejected"},
                              {"status_reason", "unconfirmed"},
                              {"flagged", true},
                              {"rule", rule}})});
  store.add_alert(now, "unconfirmed_claim", subject,
                  fmt::format("{}: customer {} flagged, no more claim-based trust releases", rule,
                              claim.customer_ext_id));
  // The release this claim bought ends now: the walk's decision suspends again.
  const auto promise = store.open_promise(claim.customer_id);
  const bool bought = promise && promise->claim_payment == p.ext_id;
  queue_unconfirmed_notice(store, claim, bought ? promise->released_services : std::vector<std::string>{},
                           today, now, actor);
  if (promise && promise->claim_payment == p.ext_id && promise->deadline > today) {
    store.move_promise_deadline(promise->id, today);
    store.audit(
        {0, now, std::string(actor), subject, "promise_deadline_moved",
         dump_json(json{{"promise", promise->id},
                        {"deadline", format_date(today)},
                        {"rule", fmt::format("the claim {} that caused it was not confirmed", p.ext_id)}})});
  }
}

}  // namespace

void expire_claims(store::DunningStore& store, const policy::Policy& policy,
                   std::span<const std::int64_t> customer_ids, Instant now, std::string_view actor) {
  const Date today = policy.local_date(now);
  for (const auto& claim : store.open_claims_of(customer_ids)) {
    if (policy::claim_expired(claim.payment.status, claim.expires_on, today))
      expire_claim(store, claim, today, now, actor);
  }
}

void record_promise_outcome(store::PromiseStore& store, const policy::CustomerSnapshot& customer,
                            const policy::Decision& decision, Instant now, std::string_view actor) {
  if (customer.promise && decision.end_episode) {
    const auto& promise = *customer.promise;
    store.close_promise(promise.id, PromiseOutcome::kept, now);
    store.audit({0, now, std::string(actor), "customer:" + customer.ext_id, "promise_kept",
                 dump_json(json{{"promise", promise.id},
                                {"deadline", format_date(promise.deadline)},
                                {"rule", fmt::format("nothing is overdue any more before the deadline {}",
                                                     format_date(promise.deadline))}})});
  } else if (decision.broken_promise) {
    store.close_promise(decision.broken_promise, PromiseOutcome::broken, now);
  }
}

}  // namespace cobrador::walk
