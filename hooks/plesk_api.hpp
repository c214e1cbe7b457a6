// Plesk's XML API (POST /enterprise/control/agent.php) as the `plesk` adapter uses it: the
// request packets for a subscription (webspace) and how to read the answers. Pure functions,
// no I/O; XML is built and read with pugixml.
#pragma once

#include <string>
#include <string_view>

#include "hooks/panel.hpp"
#include "util/result.hpp"

namespace cobrador::hooks::plesk {

inline constexpr std::string_view agent_path = "/enterprise/control/agent.php";

// Plesk object status codes used on a webspace's gen_setup.
inline constexpr int status_active = 0;
inline constexpr int status_disabled_by_admin = 16;

// The request packet: webspace <set> with gen_setup/status 16 (suspend) or 0 (activate), or
// webspace <del> (terminate), filtered by the subscription name (the account). Backups are
// not offered: the XML API's backup-manager went away after Plesk Onyx 17.5.
Result<std::string> request_for(const PanelCall& call);

struct Reply {
  bool ok = false;
  long errcode = 0;
  std::string errtext;
};

// The verdict of a response packet: a <system> error (authentication, malformed packet) or
// the first <result> under the webspace operation. An error when the body is not such a packet.
Result<Reply> parse_reply(std::string_view body);

// Plesk's "object does not exist" code: deleting a webspace that is already gone is done.
inline constexpr long errcode_not_found = 1013;

}  // namespace cobrador::hooks::plesk
