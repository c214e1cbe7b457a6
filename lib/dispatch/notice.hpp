// A notice action's payload (what decide() queues, see policy/decide.cpp) read back as a
// request to send, and the values its template gets. Pure: the sending is notice_sender's.
#pragma once

#include <string>
#include <string_view>

#include "notify/template.hpp"
#include "policy/outbox_actions.hpp"
#include "util/result.hpp"

namespace cobrador::dispatch {

using policy::NoticeRequest;

// Fails, naming the field, on a payload that is not a notice.
Result<NoticeRequest> parse_notice(std::string_view payload);

// What the template is rendered with: the payload's variables, its dates written as the
// customer reads them (format_local_date), and the support contacts of cobrador.yaml.
notify::Variables notice_values(const NoticeRequest& request, const notify::Variables& support);

}  // namespace cobrador::dispatch
