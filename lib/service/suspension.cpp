// Implements suspension by hand. The operator's hold is written at once (so a payment or the
// walk arriving before the panel answers cannot lift it); the panel is told through the
// outbox like every other panel call, under a key of its own: c<customer>:m<n>:manual:<kind>:<service>.
#include "service/suspension.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy/hand_suspension.hpp"
#include "policy/outbox_actions.hpp"
#include "util/dump_json.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxReason = 500;

HandRefusal refuse(HandRefusal::Kind kind, std::string message) { return {kind, std::move(message)}; }

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

std::optional<HandRefusal> check_reason(const std::string& reason) {
  if (reason.empty())
    return refuse(HandRefusal::Kind::invalid, "reason: required (say why, for the audit trail)");
  if (reason.size() > kMaxReason) {
    return refuse(HandRefusal::Kind::invalid, fmt::format("reason: longer than {} characters", kMaxReason));
  }
  return std::nullopt;
}

// Queues the panel call of a suspension by hand (or of its end) and returns its key.
std::string queue_panel_call(store::ManualStore& store, const Service& service, ActionKind kind,
                             const std::string& reason, Instant now) {
  const int number = store.manual_action_count(service.ext_id) + 1;
  const auto key = policy::ActionKey::by_hand(service.customer_id, number)
                       .then(policy::kManualStage, kind, service.ext_id);
  json extra{{"by_hand", true}};
  if (kind == ActionKind::suspend) extra["mode"] = "full";
  const auto action = policy::panel_action(
      service, kind, kind == ActionKind::suspend ? "service.suspend" : "service.unsuspend", reason, key,
      std::string(policy::kManualStage), now, extra);
  store.add_action(
      action, now,
      fmt::format("{} by hand: {}", kind == ActionKind::suspend ? "suspended" : "unsuspended", reason));
  return key.text();
}

bool is_manual(const Action& action, ActionKind kind) {
  return action.kind == kind && action.stage == policy::kManualStage;
}

void audit_hand(store::AuditTrail& store, const HandSuspension& done, std::string_view event, Instant now,
                const std::string& actor) {
  store.audit({0, now, actor, "customer:" + done.customer, std::string(event),
               dump_json(json{{"service", done.service},
                              {"reason", done.reason},
                              {"action", done.action_key},
                              {"rule", done.outcome}})});
}

// What policy::hand_suspension needs to know of the service, but for what is in flight.
policy::HandFacts hand_facts(store::ManualStore& store, const Service& service) {
  policy::HandFacts facts;
  facts.service = service.ext_id;
  facts.panel = service.panel;
  facts.state = service.state;
  facts.suspend_reason = service.suspend_reason;
  facts.hold = store.manual_hold(service.id);
  return facts;
}

// Does what the rule said: calls the panel, or records the reason the service stays off for.
void carry_out(store::ManualStore& store, const Service& service, const policy::HandStep& step,
               ActionKind kind, const std::string& reason, Instant now, HandSuspension& done) {
  if (step.kind == policy::HandStep::Kind::call_panel)
    done.action_key = queue_panel_call(store, service, kind, reason, now);
  else if (step.kind == policy::HandStep::Kind::keep_off)
    store.set_suspend_reason(service.id, step.suspend_reason);
}

}  // namespace

HandResult suspend_by_hand(store::ManualStore& store, std::string_view service_ext_id,
                           std::string_view reason_text, Instant now, const std::string& actor) {
  const auto reason = trimmed(reason_text);
  if (auto refusal = check_reason(reason)) return *refusal;
  if (reason == kNonPayment) {
    return refuse(
        HandRefusal::Kind::invalid,
        "reason: 'non_payment' is the walk's reason; give the operator's own (abuse, customer request...)");
  }
  const auto service = store.service(service_ext_id);
  if (!service) return refuse(HandRefusal::Kind::not_found, fmt::format("no service '{}'", service_ext_id));
  const auto open = store.open_service_actions(service->ext_id);
  auto facts = hand_facts(store, *service);
  facts.unsuspend_in_flight = std::any_of(open.begin(), open.end(), [](const Action& a) {
    return a.kind == ActionKind::unsuspend && a.state == ActionState::in_flight;
  });
  const auto step = policy::suspend_by_hand_step(facts, reason);
  if (step.kind == policy::HandStep::Kind::refuse) return refuse(HandRefusal::Kind::conflict, step.text);
  store.set_manual_hold(service->id, reason);
  // An unsuspension for non-payment not sent yet would lift the operator's suspension: cancelled.
  for (const auto& action : open) {
    if (action.kind != ActionKind::unsuspend) continue;
    store.cancel_action(action.id, now, actor,
                        fmt::format("service {} was suspended by hand ({}): only an operator lifts it",
                                    service->ext_id, reason));
  }
  HandSuspension done{service->ext_id, service->customer_ext_id, reason, "", step.text};
  carry_out(store, *service, step, ActionKind::suspend, reason, now, done);
  audit_hand(store, done, "suspended_by_hand", now, actor);
  return done;
}

HandResult unsuspend_by_hand(store::Store& store, const policy::Policy& policy,
                             std::string_view service_ext_id, std::string_view reason_text, Instant now,
                             const std::string& actor) {
  const auto reason = trimmed(reason_text);
  if (auto refusal = check_reason(reason)) return *refusal;
  const auto service = store.service(service_ext_id);
  if (!service) return refuse(HandRefusal::Kind::not_found, fmt::format("no service '{}'", service_ext_id));
  const auto open = store.open_service_actions(service->ext_id);
  auto facts = hand_facts(store, *service);
  facts.hand_suspend_in_flight = std::any_of(open.begin(), open.end(), [](const Action& a) {
    return is_manual(a, ActionKind::suspend) && a.state == ActionState::in_flight;
  });
  // Only a suspended service can still be owed for: the snapshot is read for those alone.
  facts.owed_for_episode =
      facts.hold && service->state == ServiceState::suspended &&
      policy::suspended_by_episode(store.snapshot(service->customer_id), policy, now, service->ext_id);
  const auto step = policy::unsuspend_by_hand_step(facts);
  if (step.kind == policy::HandStep::Kind::refuse) return refuse(HandRefusal::Kind::conflict, step.text);
  store.set_manual_hold(service->id, std::nullopt);
  for (const auto& action : open) {
    if (is_manual(action, ActionKind::suspend)) {
      store.cancel_action(action.id, now, actor,
                          fmt::format("the suspension by hand was lifted before it went out: {}", reason));
    }
  }
  HandSuspension done{service->ext_id, service->customer_ext_id, reason, "", step.text};
  carry_out(store, *service, step, ActionKind::unsuspend, reason, now, done);
  audit_hand(store, done, "unsuspended_by_hand", now, actor);
  return done;
}

}  // namespace cobrador::service
