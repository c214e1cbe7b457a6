// Implements policy/tasks.hpp.
#include "policy/tasks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "policy/snapshot.hpp"
#include "util/dump_json.hpp"

namespace cobrador::policy {

namespace {

using nlohmann::json;

const std::vector<TaskKind>& kinds() {
  static const std::vector<TaskKind> table{
      {"confirm_cancellation",
       "call the customer to confirm a cancellation they asked for",
       {"confirmed", "withdrawn", "not_reached"}},
      {"cancellation_unanswered",
       "a customer asked to cancel and did not answer the confirming calls",
       {"reached", "wrote_to_customer", "gave_up"}},
      {"ask_cause",
       "call the customer to learn why they do not pay",
       {"reached", "not_reached", "wrong_number"}},
      {"purge_follow_up",
       "call after the last-chance notice before a purge",
       {"reached", "not_reached", "backup_requested"}},
      {"open_invoices_at_cancellation",
       "finance: invoices still open when a cancellation took effect",
       {"charged", "paid", "waived"}},
      {"invite_to_cancel",
       "a customer who is late again and again: invite them to cancel",
       {"invited", "declined", "cancelled", "not_reached"}},
      {"action_dead", "an action was given up after its retries", {"retried", "done_by_hand"}},
      {"action_failed", "a panel or channel refused an action", {"retried", "done_by_hand"}},
      {"panel_disabled", "a panel is disabled and its actions wait", {"enabled_again"}},
      {"unmatched_payment",
       "money arrived that pays no invoice cobrador knows",
       {"matched_by_hand", "refunded", "not_ours"}},
      {"unmatched_return", "a returned debit that matches no payment", {"matched_by_hand", "not_ours"}},
      {"review_claim",
       "a customer sent a receipt on their page: look at it, then confirm or reject the payment",
       {"confirmed", "rejected"}},
      {"unconfirmed_claim",
       "a payment the customer reported was never confirmed by the bank",
       {"confirmed", "rejected", "reached"}},
      {"warning_undelivered",
       "a suspension waits for a warning that never went out",
       {"contact_corrected", "reached"}},
  };
  return table;
}

constexpr std::array<std::string_view, 10> kCauses{
    "insufficient_funds", "account_closed",       "mandate_refused", "bank_error", "forgot", "dispute",
    "hardship",           "unhappy_with_service", "unreachable",     "other"};

constexpr std::array<std::string_view, 7> kContactOutcomes{
    "reached",         "not_reached",    "left_message",   "wrong_number",
    "promised_to_pay", "refused_to_pay", "asked_to_cancel"};

// ISO 20022 ExternalReturnReason1Code, and FEBRABAN's automatic-debit return codes (two digits)
// as Brazilian banks report them for a returned débito automático.
constexpr std::array<std::pair<std::string_view, std::string_view>, 27> kReturnCauses{{
    {"AM04", "insufficient_funds"}, {"MS03", "insufficient_funds"}, {"AC04", "account_closed"},
    {"AC06", "account_closed"},     {"MD07", "account_closed"},     {"MD06", "mandate_refused"},
    {"MD01", "mandate_refused"},    {"MS02", "mandate_refused"},    {"AM05", "dispute"},
    {"AC01", "bank_error"},         {"AG01", "bank_error"},         {"AG02", "bank_error"},
    {"BE05", "bank_error"},         {"FF01", "bank_error"},         {"MD02", "bank_error"},
    {"RC01", "bank_error"},         {"RR01", "bank_error"},         {"RR02", "bank_error"},
    {"RR03", "bank_error"},         {"RR04", "bank_error"},         {"SL01", "bank_error"},
    {"01", "insufficient_funds"},   {"02", "account_closed"},       {"10", "account_closed"},
    {"04", "bank_error"},           {"15", "bank_error"},           {"30", "mandate_refused"},
}};

std::string upper(std::string_view code) {
  std::string out(code);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

std::string listed(const std::vector<std::string_view>& words) {
  return fmt::format("{}", fmt::join(words, ", "));
}

}  // namespace

std::span<const TaskKind> task_kinds() { return kinds(); }

const TaskKind* find_task_kind(std::string_view name) {
  const auto& table = kinds();
  const auto found =
      std::find_if(table.begin(), table.end(), [&](const TaskKind& k) { return k.name == name; });
  return found == table.end() ? nullptr : &*found;
}

std::optional<std::string> check_outcome(std::string_view kind, Closing closing, std::string_view outcome) {
  if (closing == Closing::dismissed) {
    const std::vector<std::string_view> allowed(std::begin(kDismissOutcomes), std::end(kDismissOutcomes));
    if (std::find(allowed.begin(), allowed.end(), outcome) != allowed.end()) return std::nullopt;
    return fmt::format("'{}' does not dismiss a task; one of {}", outcome, listed(allowed));
  }
  const auto* found = find_task_kind(kind);
  if (!found) return fmt::format("a task of kind '{}' can only be dismissed", kind);
  if (std::find(found->outcomes.begin(), found->outcomes.end(), outcome) != found->outcomes.end())
    return std::nullopt;
  return fmt::format("'{}' is not an outcome of a {} task; one of {}", outcome, kind,
                     listed(found->outcomes));
}

std::span<const std::string_view> causes() { return kCauses; }

bool is_cause(std::string_view code) {
  return std::find(kCauses.begin(), kCauses.end(), code) != kCauses.end();
}

std::optional<std::string_view> cause_of_return(std::string_view reason_code) {
  // Banks write the ISO codes in capitals; a lower-case one in a hand-made CSV means the same.
  const auto code = upper(reason_code);
  const auto found = std::find_if(kReturnCauses.begin(), kReturnCauses.end(),
                                  [&](const auto& entry) { return entry.first == code; });
  if (found == kReturnCauses.end()) return std::nullopt;
  return found->second;
}

std::span<const std::string_view> contact_outcomes() { return kContactOutcomes; }

bool is_contact_outcome(std::string_view code) {
  return std::find(kContactOutcomes.begin(), kContactOutcomes.end(), code) != kContactOutcomes.end();
}

ConfirmationStep confirmation_step(const TaskRules::ConfirmCancellation& rules, int attempts,
                                   std::string_view outcome, Date today) {
  using Kind = ConfirmationStep::Kind;
  if (outcome == "confirmed")
    return {Kind::cancel, today, "the customer confirmed the cancellation on the call"};
  if (outcome == "withdrawn") return {Kind::withdraw, today, "the customer withdrew the request on the call"};
  const int made = attempts + 1;
  if (made >= rules.max_attempts) {
    return {
        Kind::lapse, today,
        fmt::format("tasks.confirm_cancellation.max_attempts: {} calls without reaching the customer; the "
                    "request lapses and nothing is cancelled",
                    made)};
  }
  return {
      Kind::retry, today + date::days{rules.retry_days},
      fmt::format("tasks.confirm_cancellation.retry_days: call {} of {} did not reach the customer; the next "
                  "is due in {} days",
                  made, rules.max_attempts, rules.retry_days)};
}

TaskRequest confirm_cancellation_task(const TaskRules::ConfirmCancellation& rules, std::int64_t request_id,
                                      const std::string& customer, const std::string& service,
                                      const std::string& contact, Date requested_on) {
  return {
      "confirm_cancellation",
      fmt::format("cancellation_request:{}", request_id),
      "",
      customer,
      requested_on + date::days{rules.due_days},
      fmt::format("Call {} to confirm the cancellation of {} asked on {}{}", customer, service,
                  format_date(requested_on), contact.empty() ? "" : fmt::format(" (asked by {})", contact)),
      dump_json(
          json{{"request", request_id}, {"service", service}, {"requested_on", format_date(requested_on)}})};
}

std::optional<TaskRequest> cancellation_unanswered_task(const TaskRules& rules, std::int64_t request_id,
                                                        const std::string& customer,
                                                        const std::string& service, int attempts,
                                                        Date today) {
  if (!rules.cancellation_unanswered.enabled) return std::nullopt;
  return TaskRequest{
      "cancellation_unanswered",
      fmt::format("cancellation_request:{}", request_id),
      "",
      customer,
      today + date::days{rules.cancellation_unanswered.due_days},
      fmt::format("{} asked to cancel {} and did not answer {} calls: the request lapsed; write to them",
                  customer, service, attempts),
      dump_json(json{{"request", request_id}, {"service", service}, {"attempts", attempts}})};
}

bool pending_cause_applies(const CustomerSnapshot& customer, Date started_on) {
  if (customer.pending_cause.empty() || !customer.pending_cause_at) return false;
  const auto due_day = started_on - date::days{1};
  return *customer.pending_cause_at >= Instant(due_day);
}

std::optional<TaskRequest> ask_cause_task(const TaskRules& rules, const std::string& customer, int episode,
                                          const std::vector<std::string>& stages_run, bool has_cause,
                                          Date today) {
  const auto& rule = rules.ask_cause;
  if (!rule.enabled || has_cause) return std::nullopt;
  if (std::find(stages_run.begin(), stages_run.end(), rule.at_stage) == stages_run.end()) return std::nullopt;
  return TaskRequest{"ask_cause",
                     "customer:" + customer,
                     fmt::format("episode:{}", episode),
                     customer,
                     today + date::days{rule.due_days},
                     fmt::format("Call {} to learn why they do not pay (stage {} reached, no cause recorded)",
                                 customer, rule.at_stage),
                     dump_json(json{{"episode", episode},
                                    {"stage", rule.at_stage},
                                    {"rule", fmt::format("tasks.ask_cause.at_stage: {}", rule.at_stage)}})};
}

std::optional<TaskRequest> purge_follow_up_task(const TaskRules& rules, const std::string& customer,
                                                const std::string& service, const std::string& origin,
                                                Date purge_on, Date today) {
  const auto& rule = rules.purge_follow_up;
  if (!rule.enabled) return std::nullopt;
  return TaskRequest{
      "purge_follow_up",
      "service:" + service,
      origin,
      customer,
      today + date::days{rule.due_days},
      fmt::format("Call {}: did they receive the notice that {} is purged on {}?", customer, service,
                  format_date(purge_on)),
      dump_json(json{{"service", service}, {"origin", origin}, {"purge_date", format_date(purge_on)}})};
}

std::optional<TaskRequest> open_invoices_task(const TaskRules& rules, const std::string& customer,
                                              const std::string& service, std::int64_t cancellation_id,
                                              const std::vector<OpenInvoiceFact>& invoices, Date today) {
  const auto& rule = rules.open_invoices_at_cancellation;
  if (!rule.enabled || invoices.empty()) return std::nullopt;
  json listed_invoices = json::array();
  std::vector<std::string> to_charge;
  for (const auto& i : invoices) {
    const auto overdue = (today - i.due_on).count();
    const bool charge = overdue > rule.charge_after_days;
    if (charge) to_charge.push_back(i.invoice);
    listed_invoices.push_back({{"invoice", i.invoice},
                               {"due_on", format_date(i.due_on)},
                               {"balance", format_amount(i.balance)},
                               {"currency", i.balance.currency.code()},
                               {"days_overdue", overdue},
                               {"charge_the_customer", charge}});
  }
  const auto title =
      to_charge.empty()
          ? fmt::format("Finance: {} cancelled {} with {} open invoice(s)", customer, service,
                        invoices.size())
          : fmt::format("Finance: charge the customer {} for {} (more than {} days overdue); {} cancelled",
                        customer, fmt::join(to_charge, ", "), rule.charge_after_days, service);
  return TaskRequest{"open_invoices_at_cancellation",
                     "service:" + service,
                     fmt::format("cancellation:{}", cancellation_id),
                     customer,
                     today + date::days{rule.due_days},
                     title,
                     dump_json(json{{"service", service},
                                    {"cancellation", cancellation_id},
                                    {"invoices", listed_invoices},
                                    {"charge_the_customer", !to_charge.empty()}})};
}

Date invite_window_start(const TaskRules& rules, Date today) {
  return add_months(today, -rules.invite_to_cancel.within_months) + date::days{1};
}

std::optional<TaskRequest> invite_to_cancel_task(const TaskRules& rules, const std::string& customer,
                                                 int episode, int episodes_in_window, Date today) {
  const auto& rule = rules.invite_to_cancel;
  if (!rule.enabled || episodes_in_window < rule.episodes) return std::nullopt;
  return TaskRequest{
      "invite_to_cancel",
      "customer:" + customer,
      fmt::format("episode:{}", episode),
      customer,
      today + date::days{rule.due_days},
      fmt::format("{} started {} dunning episodes within {} months: invite them to cancel", customer,
                  episodes_in_window, rule.within_months),
      dump_json(json{{"episode", episode},
                     {"episodes_in_window", episodes_in_window},
                     {"rule", fmt::format("tasks.invite_to_cancel: {} episodes within {} months",
                                          rule.episodes, rule.within_months)}})};
}

}  // namespace cobrador::policy
