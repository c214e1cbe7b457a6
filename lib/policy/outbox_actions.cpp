// Implements policy/outbox_actions.hpp.
#include "policy/outbox_actions.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace cobrador::policy {

using nlohmann::json;

std::string notice_payload(const NoticeRequest& request) {
  json variables = json::object();
  for (const auto& [name, value] : request.variables) variables[name] = value;
  return json{{"template", request.template_name},
              {"locale", request.locale},
              {"channel", request.channel},
              {"to", request.to},
              {"customer", {{"id", request.customer_id}, {"name", request.customer_name}}},
              {"variables", variables}}
      .dump();
}

std::vector<Action> customer_notices(const Customer& customer, const std::string& template_name,
                                     NoticeVariables variables, const std::string& key_prefix,
                                     bool every_contact, Instant now) {
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
    notice.key = fmt::format("{}:notify:{}", key_prefix, notice.target);
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

PanelTarget panel_target(const ServiceView& service, std::string_view customer_id) {
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
                    std::string key, std::string stage, Instant now, const json& extra) {
  json payload = panel_payload(type, reason, panel_target(service));
  if (extra.is_object()) payload.update(extra);
  Action action;
  action.kind = kind;
  action.key = std::move(key);
  action.customer_id = service.customer_id;
  action.stage = std::move(stage);
  action.target = service.ext_id;
  action.payload = payload.dump();
  action.next_attempt_at = now;
  return action;
}

Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    std::string key, std::string stage, Instant now) {
  return panel_action(service, kind, type, reason, std::move(key), std::move(stage), now, json());
}

std::string join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace cobrador::policy
