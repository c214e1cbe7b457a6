// Implements service/lifecycle_actions.hpp.
#include "service/lifecycle_actions.hpp"

#include <fmt/format.h>

#include "dispatch/notice.hpp"

namespace cobrador::service {

int queue_customer_notice(store::Store& store, const Customer& customer, const std::string& template_name,
                          notify::Variables variables, const std::string& key_prefix, bool every_contact,
                          Instant now, const std::string& why) {
  variables["customer_name"] = customer.name;
  int queued = 0;
  const std::size_t count =
      every_contact ? customer.emails.size() : std::min<std::size_t>(1, customer.emails.size());
  for (std::size_t i = 0; i < count; ++i) {
    const auto& address = customer.emails[i];
    const dispatch::NoticeRequest request{template_name,   customer.locale, "email",  address,
                                          customer.ext_id, customer.name,   variables};
    Action notice;
    notice.kind = ActionKind::notify;
    notice.target = "email:" + address;
    notice.key = fmt::format("{}:notify:{}", key_prefix, notice.target);
    notice.customer_id = customer.id;
    notice.stage = template_name;
    notice.payload = dispatch::notice_payload(request);
    notice.next_attempt_at = now;
    if (store.add_action(notice, now, why)) ++queued;
  }
  return queued;
}

Action panel_action(const Service& service, ActionKind kind, std::string_view type, std::string_view reason,
                    std::string key, std::string stage, Instant now, const nlohmann::json& extra) {
  nlohmann::json payload{{"type", type},
                         {"reason", reason},
                         {"service",
                          {{"id", service.ext_id},
                           {"account", service.account},
                           {"kind", to_string(service.kind)},
                           {"panel", service.panel}}},
                         {"customer", {{"id", service.customer_ext_id}}}};
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

std::string join_names(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace cobrador::service
