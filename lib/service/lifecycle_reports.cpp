// Implements service/lifecycle_reports.hpp.
#include "service/lifecycle_reports.hpp"

#include "policy/dunning_outcomes.hpp"

#include <map>

#include <fmt/format.h>

namespace cobrador::service {

namespace {

using nlohmann::json;

// A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

std::string row(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + field(fields[i]);
  return line + "\r\n";
}

}  // namespace

std::string collections_csv(store::LifecycleStore& store) {
  std::string out = row({"customer_id", "name", "emails", "phones", "currency", "amount_owed", "invoices",
                         "oldest_due_on", "locked_on", "services"});
  for (const auto& debtor : store.collections()) {
    std::map<std::string, std::vector<const store::InvoiceBalance*>> by_currency;
    for (const auto& i : debtor.invoices) by_currency[std::string(i.balance.currency.code())].push_back(&i);
    for (const auto& [code, invoices] : by_currency) {
      Money owed{0, invoices.front()->balance.currency};
      std::vector<std::string> ids;
      Date oldest = invoices.front()->invoice.due_on;
      for (const auto* i : invoices) {
        owed.minor = saturating_add(owed.minor, i->balance.minor);
        ids.push_back(i->invoice.ext_id);
        oldest = std::min(oldest, i->invoice.due_on);
      }
      const auto& c = debtor.customer;
      out += row({c.ext_id, c.name, store::join_list(c.emails), store::join_list(c.phones), code,
                  format_amount(owed), store::join_list(ids), format_date(oldest),
                  format_date(debtor.locked_on), store::join_list(debtor.services)});
    }
  }
  return out;
}

std::string export_charges_csv(store::LifecycleStore& store, const policy::Policy& policy, Instant now) {
  std::string out = row(
      {"charge_id", "customer_id", "service_id", "kind", "amount", "currency", "description", "charged_on"});
  std::vector<std::int64_t> exported;
  for (const auto& charge : store.charges_due()) {
    out += row({std::to_string(charge.id), charge.customer, charge.service, charge.kind,
                format_amount(charge.amount), std::string(charge.amount.currency.code()), charge.reason,
                format_date(policy.local_date(charge.created_at))});
    exported.push_back(charge.id);
  }
  store.mark_charges_exported(exported, now);
  return out;
}

json episodes_report(const policy::Policy& policy, std::span<const policy::EpisodeFacts> facts) {
  const auto outcomes = policy::dunning_outcomes(facts, policy);
  json by_end = json::object();
  for (const auto& [end, n] : outcomes.by_end) by_end[std::string(policy::to_string(end))] = n;
  json recovered = json::object();
  for (const auto& [code, minor] : outcomes.recovered) {
    const auto currency = Currency::parse(code);
    recovered[code] = currency ? format_amount(Money{minor, *currency}) : std::to_string(minor);
  }
  json days = json::array();
  for (const auto& [bucket, n] : outcomes.days_to_recovery)
    days.push_back({{"days", bucket}, {"episodes", n}});
  json stages = json::array();
  for (const auto& stage : outcomes.by_last_stage)
    stages.push_back({{"stage", stage.stage}, {"episodes", stage.episodes}, {"recovered", stage.recovered}});
  return json{{"episodes_started", outcomes.episodes},
              {"episodes_by_end", by_end},
              {"recovered", recovered},
              {"days_to_recovery", days},
              {"recovery_by_last_stage", stages},
              {"episodes_by_cause", outcomes.by_cause}};
}

Result<json> monthly_report(store::DeskStore& store, const policy::Policy& policy, const std::string& month) {
  const auto first = parse_date(month + "-01");
  if (month.size() != 7 || !first) return make_error(fmt::format("--month: '{}' is not YYYY-MM", month));
  const Date next = last_day_of_month(*first) + date::days{1};
  auto report = episodes_report(policy, store.episode_facts(*first, next));
  const auto counts = store.monthly_counts(policy.instant_at(*first, 0), policy.instant_at(next, 0));
  std::int64_t cancellations = 0;
  for (const auto& [reason, n] : counts.cancellations_by_reason) cancellations += n;
  report["month"] = month;
  report["cancellations"] = cancellations;
  report["cancellations_by_reason"] = counts.cancellations_by_reason;
  report["suspensions"] = counts.suspensions;
  report["reactivations"] = counts.reactivations;
  report["locks"] = counts.locks;
  report["purges"] = counts.purges;
  return report;
}

}  // namespace cobrador::service
