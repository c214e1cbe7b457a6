// Implements suspension by hand. The operator's hold is written at once (so a payment or the
// walk arriving before the panel answers cannot lift it); the panel is told through the
// outbox like every other panel call, under a key of its own: c<customer>:m<n>:manual:<kind>:<service>.
#include "service/suspension.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "policy/outbox_actions.hpp"

namespace cobrador::service {

namespace {

using nlohmann::json;

constexpr std::string_view kManualStage = "manual";
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
  const auto key = fmt::format("c{}:m{}:{}:{}:{}", service.customer_id, number, kManualStage, to_string(kind),
                               service.ext_id);
  json extra{{"by_hand", true}};
  if (kind == ActionKind::suspend) extra["mode"] = "full";
  const auto action = policy::panel_action(
      service, kind, kind == ActionKind::suspend ? "service.suspend" : "service.unsuspend", reason, key,
      std::string(kManualStage), now, extra);
  store.add_action(
      action, now,
      fmt::format("{} by hand: {}", kind == ActionKind::suspend ? "suspended" : "unsuspended", reason));
  return key;
}

bool is_manual(const Action& action, ActionKind kind) {
  return action.kind == kind && action.stage == kManualStage;
}

void audit_hand(store::AuditTrail& store, const HandSuspension& done, std::string_view event, Instant now,
                const std::string& actor) {
  store.audit({0, now, actor, "customer:" + done.customer, std::string(event),
               json{{"service", done.service},
                    {"reason", done.reason},
                    {"action", done.action_key},
                    {"rule", done.outcome}}
                   .dump()});
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
  if (const auto hold = store.manual_hold(service->id)) {
    return refuse(HandRefusal::Kind::conflict,
                  fmt::format("service {} is already suspended by hand: {}", service->ext_id, *hold));
  }
  if (service->state != ServiceState::active && service->state != ServiceState::suspended &&
      service->state != ServiceState::cancelling) {
    return refuse(HandRefusal::Kind::conflict, fmt::format("service {} is {}: there is nothing to suspend",
                                                           service->ext_id, to_string(service->state)));
  }
  store.set_manual_hold(service->id, reason);

  HandSuspension done{service->ext_id, service->customer_ext_id, reason, "", ""};
  // An unsuspension for non-payment not sent yet would lift the operator's suspension: cancelled.
  bool unsuspend_in_flight = false;
  for (const auto& action : store.open_service_actions(service->ext_id)) {
    if (action.kind != ActionKind::unsuspend) continue;
    if (action.state == ActionState::in_flight) unsuspend_in_flight = true;
    store.cancel_action(action.id, now, actor,
                        fmt::format("service {} was suspended by hand ({}): only an operator lifts it",
                                    service->ext_id, reason));
  }
  if (service->state == ServiceState::suspended && !unsuspend_in_flight) {
    store.set_suspend_reason(service->id, reason);
    done.outcome = fmt::format(
        "already off on panel '{}' (was: {}); the suspension now stands for the operator's reason",
        service->panel, service->suspend_reason);
  } else {
    done.action_key = queue_panel_call(store, *service, ActionKind::suspend, reason, now);
    done.outcome = fmt::format("suspend queued for panel '{}'", service->panel);
  }
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
  const auto hold = store.manual_hold(service->id);
  if (!hold) {
    if (service->state == ServiceState::suspended || service->state == ServiceState::locked) {
      return refuse(
          HandRefusal::Kind::conflict,
          fmt::format("service {} is {} for {}, not by hand: a confirmed payment or a trust release lifts it",
                      service->ext_id, to_string(service->state), service->suspend_reason));
    }
    return refuse(HandRefusal::Kind::conflict,
                  fmt::format("service {} is not suspended by hand", service->ext_id));
  }
  const auto open = store.open_service_actions(service->ext_id);
  const bool sending = std::any_of(open.begin(), open.end(), [](const Action& a) {
    return is_manual(a, ActionKind::suspend) && a.state == ActionState::in_flight;
  });
  if (sending) {
    return refuse(
        HandRefusal::Kind::conflict,
        fmt::format("the suspension of {} is being sent to panel '{}' right now; try again once it is done",
                    service->ext_id, service->panel));
  }
  store.set_manual_hold(service->id, std::nullopt);
  for (const auto& action : open) {
    if (is_manual(action, ActionKind::suspend)) {
      store.cancel_action(action.id, now, actor,
                          fmt::format("the suspension by hand was lifted before it went out: {}", reason));
    }
  }

  HandSuspension done{service->ext_id, service->customer_ext_id, reason, "", ""};
  if (service->state == ServiceState::locked) {
    // A lock stage ended the service for non-payment while the hold was on: that stands.
    store.set_suspend_reason(service->id, kNonPayment);
    done.outcome = "stays locked: a lock stage ended the service for non-payment";
  } else if (service->state != ServiceState::suspended) {
    done.outcome = "the suspension had not reached the panel; nothing to undo there";
  } else if (policy::suspended_by_episode(store.snapshot(service->customer_id), policy, now,
                                          service->ext_id)) {
    // The customer still owes what the episode suspended them for: the service stays off, and
    // now a payment lifts it.
    store.set_suspend_reason(service->id, kNonPayment);
    done.outcome =
        "stays suspended for non_payment: the open dunning episode took it off; a payment lifts it";
  } else {
    done.action_key = queue_panel_call(store, *service, ActionKind::unsuspend, reason, now);
    done.outcome = fmt::format("unsuspend queued for panel '{}'", service->panel);
  }
  audit_hand(store, done, "unsuspended_by_hand", now, actor);
  return done;
}

}  // namespace cobrador::service
