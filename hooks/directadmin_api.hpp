// DirectAdmin's legacy CMD_API_* interface as the `directadmin` adapter uses it: the form
// bodies it posts and how to read the answers. DirectAdmin answers HTTP 200 either way; a
// non-zero `error` is a refusal, explained by `text` and `details`. Pure functions, no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hooks/form_encoding.hpp"
#include "hooks/panel.hpp"
#include "util/result.hpp"

namespace cobrador::hooks::directadmin {

inline constexpr std::string_view select_users_path = "/CMD_API_SELECT_USERS";
inline constexpr std::string_view site_backup_path = "/CMD_API_SITE_BACKUP";

// The CMD_API_SELECT_USERS form for suspend, unsuspend or terminate (delete) of one user.
FormFields select_users_form(const PanelCall& call);

// The CMD_API_SITE_BACKUP form that queues a full backup of the logged-in user.
FormFields site_backup_form();

// "Basic base64(user:key)" for HTTP basic auth with a login key.
std::string basic_auth(std::string_view user, std::string_view login_key);

// DirectAdmin's "login as": an admin acting as `account` logs in as "admin|account" with
// the admin's own key; user-level commands such as CMD_API_SITE_BACKUP need it.
std::string login_as(std::string_view admin, std::string_view account);

struct Reply {
  bool ok = false;
  std::string text;
  std::string details;
};

// Either answer form: url-encoded "error=0&text=...&details=..." or, with json=yes, a JSON
// object with "error" (a code, or the message itself) or "success", plus "text"/"details"
// or "result". An error when the body is neither.
Result<Reply> parse_reply(std::string_view body);

// The file names of a CMD_API_SITE_BACKUP listing ("list[]=a.tar.gz&list[]=b.tar.gz").
std::vector<std::string> parse_file_list(std::string_view body);

}  // namespace cobrador::hooks::directadmin
