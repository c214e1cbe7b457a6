// Implements dispatch/notice.hpp.
#include "dispatch/notice.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "domain/date.hpp"
#include "notify/locale.hpp"
#include "util/dump_json.hpp"

namespace cobrador::dispatch {

namespace {

using nlohmann::json;
using std::string_view_literals::operator""sv;

// The variables of docs/templates.md that hold a day; the walk writes them as YYYY-MM-DD.
constexpr std::array kDateVariables{"due_date"sv, "next_step_date"sv, "purge_date"sv,
                                    "deadline"sv, "claim_date"sv,     "service_end_date"sv};

Result<std::string> string_field(const json& object, std::string_view path, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return make_error(fmt::format("notice payload: {}{} must be a string", path, key));
  }
  return it->get<std::string>();
}

bool is_date_variable(std::string_view name) {
  for (const auto date_name : kDateVariables) {
    if (date_name == name) return true;
  }
  return false;
}

}  // namespace

Result<NoticeRequest> parse_notice(std::string_view payload) {
  const auto doc = json::parse(payload, nullptr, false);
  if (!doc.is_object()) return make_error("notice payload: not a JSON object");
  NoticeRequest request;
  const std::pair<const char*, std::string*> fields[] = {{"template", &request.template_name},
                                                         {"locale", &request.locale},
                                                         {"channel", &request.channel},
                                                         {"to", &request.to}};
  for (const auto& [key, into] : fields) {
    auto value = string_field(doc, "", key);
    if (!value) return value.error();
    *into = std::move(*value);
  }
  const auto customer = doc.find("customer");
  if (customer == doc.end() || !customer->is_object())
    return make_error("notice payload: customer must be an object");
  for (const auto& [key, into] :
       {std::pair{"id", &request.customer_id}, std::pair{"name", &request.customer_name}}) {
    auto value = string_field(*customer, "customer.", key);
    if (!value) return value.error();
    *into = std::move(*value);
  }
  const auto variables = doc.find("variables");
  if (variables != doc.end() && !variables->is_object())
    return make_error("notice payload: variables must be an object");
  if (variables != doc.end()) {
    for (const auto& [name, value] : variables->items()) {
      request.variables[name] = value.is_string() ? value.get<std::string>() : dump_json(value);
    }
  }
  return request;
}

notify::Variables notice_values(const NoticeRequest& request, const notify::Variables& support) {
  notify::Variables values = request.variables;
  for (auto& [name, value] : values) {
    if (!is_date_variable(name)) continue;
    if (const auto day = parse_date(value)) value = notify::format_local_date(*day, request.locale);
  }
  // Today's contacts, not the ones of the day the notice was queued.
  for (const auto& [name, value] : support) values.insert_or_assign(name, value);
  if (!values.contains("customer_name")) values["customer_name"] = request.customer_name;
  return values;
}

}  // namespace cobrador::dispatch
