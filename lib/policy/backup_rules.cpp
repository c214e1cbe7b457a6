// Implements policy/backup_rules.hpp.
#include "policy/backup_rules.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "policy/policy.hpp"

namespace cobrador::policy {

namespace {

BackupVerdict refused(std::string code, std::string rule) {
  BackupVerdict verdict;
  verdict.code = std::move(code);
  verdict.rule = std::move(rule);
  return verdict;
}

// The states the purge notice's last-chance offer is for.
bool last_chance_state(ServiceState state) {
  return state == ServiceState::cancelling || state == ServiceState::cancelled ||
         state == ServiceState::locked;
}

BackupVerdict last_chance(const Policy& policy, const BackupFacts& facts) {
  const std::string state(to_string(facts.state));
  if (facts.purge_started) return refused("purge_in_progress", "the service is being purged");
  if (facts.last_chance_taken) {
    return refused(
        "last_chance_taken",
        fmt::format("the last-chance backup of a {} service is offered once, and it was taken", state));
  }
  BackupVerdict verdict;
  verdict.allowed = true;
  verdict.last_chance = true;
  const auto& fee = policy.backups.last_chance_fee;
  if (fee && fee->units > 0) {
    if (!facts.currency) {
      return refused("fee_currency_unknown",
                     fmt::format("backups.last_chance_fee {}: the customer has no invoice and the service no "
                                 "recurring price to tell the currency to charge in",
                                 fee->text));
    }
    verdict.fee = Money{fee->minor_units_in(*facts.currency), *facts.currency};
    verdict.rule = fmt::format(
        "last-chance backup of a {} service before its purge, once, for "
        "backups.last_chance_fee {}",
        state, format_money(*verdict.fee));
  } else {
    verdict.rule = fmt::format("last-chance backup of a {} service before its purge, once, free", state);
  }
  return verdict;
}

}  // namespace

BackupVerdict backup_decision(const Policy& policy, const BackupFacts& facts) {
  const std::string state(to_string(facts.state));
  const auto& allowed = policy.backups.allowed_in;
  const bool state_allowed = std::find(allowed.begin(), allowed.end(), state) != allowed.end();
  const bool paid_up = facts.overdue_invoices == 0 && !facts.promise_open && !facts.claim_open;
  if (facts.purge_started) return refused("purge_in_progress", "the service is being purged");
  if (state_allowed && paid_up) {
    BackupVerdict verdict;
    verdict.allowed = true;
    verdict.rule =
        fmt::format("backups.allowed_in includes {}; nothing overdue, no open promise or claim", state);
    return verdict;
  }
  // Where an ordinary backup is not possible, the purge notice's offer still stands.
  if (last_chance_state(facts.state)) return last_chance(policy, facts);
  if (!state_allowed) {
    return refused("backup_not_allowed",
                   fmt::format("service is {}; backups.allowed_in: [{}]", state, fmt::join(allowed, ", ")));
  }
  // A claim release is a trust release too: the claim says more.
  if (facts.claim_open) {
    return refused("claim_open",
                   "backups only while paid: a payment claim waits for the bank's confirmation");
  }
  if (facts.promise_open) {
    return refused("promise_open",
                   "backups only while paid: a trust release is running; the backup waits until it is kept");
  }
  return refused("invoices_overdue",
                 fmt::format("backups only while paid: {} invoice{} overdue", facts.overdue_invoices,
                             facts.overdue_invoices == 1 ? " is" : "s are"));
}

std::optional<Currency> book_currency(const Service& service, std::optional<Currency> latest_invoice) {
  if (service.recurring_amount) return service.recurring_amount->currency;
  return latest_invoice;
}

std::string last_chance_fee_text(const Policy& policy, std::optional<Currency> currency) {
  const auto& fee = policy.backups.last_chance_fee;
  if (!currency) return fee ? fee->text : "0";
  return format_money(Money{fee ? fee->minor_units_in(*currency) : 0, *currency});
}

}  // namespace cobrador::policy
