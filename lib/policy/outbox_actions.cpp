// Implements policy/outbox_actions.hpp.
#include "policy/outbox_actions.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "policy/decide.hpp"
#include "util/dump_json.hpp"

namespace cobrador::policy {

using nlohmann::json;

std::string notice_payload(const NoticeRequest& request) {
  json variables = json::object();
  for (const auto& [name, value] : request.variables) variables[name] = value;
  return dump_json(json{{"template", request.template_name},
                        {"locale", request.locale},
                        {"channel", request.channel},
                        {"to", request.to},
                        {"customer", {{"id", request.customer_id}, {"name", request.customer_name}}},
                        {"variables", variables}});
}

std::vector<Action> customer_notices(const Customer& customer, const std::string& template_name,
                                     NoticeVariables variables, const ActionKey& scope, bool every_contact,
                                     Instant now) {
  variables["customer_name"] = customer.name;
  const std::size_t count =
      every_contact ? customer.emails.size() : std::min<std::size_t>(1, customer.emails.size());
  std::vector<Action> notices;
  for (std::size_t i = 0; i < count; ++i) {
    const auto& address = customer.emails[i];
    const NoticeRequest request{template_name,   customer.locale, "email",  address,
                                customer.ext_id, customer.name,   variables};
    Action notice;
    notice.kind = ActionKind::notify;
    notice.target = "email:" + address;
    notice.key = scope.then("notify").then(notice.target).text();
    notice.customer_id = customer.id;
    notice.stage = template_name;
    notice.payload = notice_payload(request);
    notice.next_attempt_at = now;
    notices.push_back(std::move(notice));
  }
  return notices;
}

PanelTarget panel_target(const Service& service) {
  return {service.ext_id, service.account, service.kind, service.panel, service.customer_ext_id};
}

PanelTarget panel_target(const Service& service, std::string_view customer_id) {
  return {service.ext_id, service.account, service.kind, service.panel, customer_id};
}

json panel_payload(std::string_view type, std::string_view reason, const PanelTarget& target) {
  return json{{"type", type},
              {"reason", reason},
              {"service",
               {{"id", target.service_id},
                {"account", target.account},
                {"kind", to_string(target.kind)},
                {"panel", target.panel}}},
              {"customer", {{"id", target.customer_id}}}};
}

Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    const ActionKey& key, std::string stage, Instant now, const json& extra) {
  json payload = panel_payload(type, reason, panel_target(service));
  if (extra.is_object()) payload.update(extra);
  Action action;
  action.kind = kind;
  action.key = key.text();
  action.customer_id = service.customer_id;
  action.stage = std::move(stage);
  action.target = service.ext_id;
  action.payload = dump_json(payload);
  action.next_attempt_at = now;
  return action;
}

Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    const ActionKey& key, std::string stage, Instant now) {
  return panel_action(service, kind, type, reason, key, std::move(stage), now, json());
}

Action reactivation_notice(const Customer& customer, std::int64_t episode_id, int episode_number,
                           const std::vector<std::string>& services, Instant now) {
  const auto& address = customer.emails.front();
  const NoticeRequest request{"reactivated",
                              customer.locale,
                              "email",
                              address,
                              customer.ext_id,
                              customer.name,
                              {{"customer_name", customer.name}, {"services", join_names(services)}}};
  Action notice;
  notice.target = "email:" + address;
  notice.key = ActionKey::episode(customer.id, episode_number)
                   .then(kEndStage, ActionKind::notify, notice.target)
                   .text();
  notice.kind = ActionKind::notify;
  notice.customer_id = customer.id;
  notice.episode_id = episode_id;
  notice.stage = kEndStage;
  notice.payload = notice_payload(request);
  notice.next_attempt_at = now;
  return notice;
}

bool undone_if_late(const Action& suspension) {
  const auto payload = json::parse(suspension.payload, nullptr, false);
  return payload.is_object() && !payload.value("lock", false) &&
         payload.value("reason", std::string()) == kNonPayment;
}

Action late_suspension_undo(const Action& suspension, int episode_number, Instant now) {
  auto payload = json::parse(suspension.payload, nullptr, false);
  payload["type"] = "service.unsuspend";
  payload.erase("mode");
  Action unsuspend;
  unsuspend.kind = ActionKind::unsuspend;
  unsuspend.target = suspension.target;
  unsuspend.key = ActionKey::episode(suspension.customer_id, episode_number)
                      .then(kEndStage, ActionKind::unsuspend, suspension.target)
                      .text();
  unsuspend.customer_id = suspension.customer_id;
  unsuspend.episode_id = suspension.episode_id;
  unsuspend.stage = kEndStage;
  unsuspend.payload = dump_json(payload);
  unsuspend.next_attempt_at = now;
  return unsuspend;
}

NoticeVariables debt_variables(const CustomerSnapshot& customer, Date today,
                               const std::vector<std::string>& services) {
  const auto overdue = overdue_on(customer, today);
  std::vector<std::string> invoices;
  for (const auto* invoice : overdue.invoices) invoices.push_back(invoice->ext_id);
  return {{"amount_due", amount_due(overdue.invoices)},
          {"due_date", overdue.invoices.empty() ? "" : format_date(overdue.invoices.front()->due_on)},
          {"days_overdue", std::to_string(overdue.days)},
          {"invoices", join_names(invoices)},
          {"services", join_names(services)},
          {"cause", customer.episode ? customer.episode->cause : std::string()}};
}

Customer notice_customer(const CustomerSnapshot& customer) {
  Customer c;
  c.id = customer.id;
  c.ext_id = customer.ext_id;
  c.name = customer.name;
  c.emails = customer.emails;
  c.phones = customer.phones;
  c.locale = customer.locale;
  return c;
}

std::string join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace cobrador::policy
