// Implements hooks/directadmin_api.hpp.
#include "hooks/directadmin_api.hpp"

#include <nlohmann/json.hpp>

#include "util/crypto.hpp"
#include "util/dump_json.hpp"

namespace cobrador::hooks::directadmin {

namespace {

std::string as_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return dump_json(value);
}

bool is_zero(const nlohmann::json& value) {
  return (value.is_number() && value.get<double>() == 0) || (value.is_string() && value == "0");
}

std::string field(const nlohmann::json& doc, const char* name) {
  const auto it = doc.find(name);
  return it == doc.end() ? std::string() : as_text(*it);
}

Result<Reply> parse_json_reply(const nlohmann::json& doc) {
  Reply reply;
  reply.details = doc.contains("details") ? field(doc, "details") : field(doc, "result");
  if (const auto error = doc.find("error"); error != doc.end()) {
    reply.ok = is_zero(*error);
    reply.text = field(doc, "text");
    // The JSON API puts the message itself in "error" rather than a code.
    if (!reply.ok && reply.text.empty() && error->is_string() && *error != "1") reply.text = *error;
    return reply;
  }
  if (doc.contains("success")) {
    reply.ok = true;
    reply.text = field(doc, "success");
    return reply;
  }
  return make_error("DirectAdmin's JSON answer has neither 'error' nor 'success'");
}

}  // namespace

FormFields select_users_form(const PanelCall& call) {
  FormFields form{{"location", "CMD_SELECT_USERS"}};
  switch (call.kind) {
    case PanelCall::Kind::suspend:
      form.emplace_back("suspend", "Suspend");
      break;
    case PanelCall::Kind::unsuspend:
      form.emplace_back("unsuspend", "Unsuspend");
      break;
    case PanelCall::Kind::terminate:
      form.emplace_back("delete", "yes");
      form.emplace_back("confirmed", "Confirm");
      break;
    case PanelCall::Kind::backup:
      break;  // not a CMD_SELECT_USERS action
  }
  form.emplace_back("select0", call.account);
  form.emplace_back("json", "yes");
  return form;
}

FormFields site_backup_form() {
  FormFields form{{"action", "backup"}};
  static constexpr const char* parts[] = {
      "domain",        "subdomain", "email",       "forwarder", "autoresponder", "vacation",  "list",
      "emailsettings", "ftp",       "ftpsettings", "database",  "database_data", "email_data"};
  int index = 0;
  for (const char* part : parts) form.emplace_back("select" + std::to_string(index++), part);
  form.emplace_back("json", "yes");
  return form;
}

std::string basic_auth(std::string_view user, std::string_view login_key) {
  return "Basic " + crypto::base64_encode(std::string(user) + ":" + std::string(login_key));
}

std::string login_as(std::string_view admin, std::string_view account) {
  return std::string(admin) + "|" + std::string(account);
}

Result<Reply> parse_reply(std::string_view body) {
  const auto first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    const auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object()) return make_error("DirectAdmin answered with malformed JSON");
    return parse_json_reply(doc);
  }
  const auto fields = decode_form(body);
  bool has_error = false;
  for (const auto& [name, value] : fields) has_error |= name == "error";
  if (!has_error) return make_error("DirectAdmin's answer has no 'error' field");
  return Reply{form_value(fields, "error") == "0", form_value(fields, "text"), form_value(fields, "details")};
}

std::vector<std::string> parse_file_list(std::string_view body) {
  std::vector<std::string> files;
  for (auto& [name, value] : decode_form(body)) {
    if (name == "list[]" && !value.empty()) files.push_back(std::move(value));
  }
  return files;
}

}  // namespace cobrador::hooks::directadmin
