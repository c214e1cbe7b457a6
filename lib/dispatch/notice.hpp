// A notice action's payload (what decide() queues, see policy/decide.cpp) read back as a
// request to send, and the values its template gets. Pure: the sending is notice_sender's.
#pragma once

#include <string>
#include <string_view>

#include "notify/template.hpp"
#include "util/result.hpp"

namespace cobrador::dispatch {

struct NoticeRequest {
  std::string template_name;
  std::string locale;   // the customer's, as stored ("pt-BR")
  std::string channel;  // email or sms
  std::string to;       // an address or a phone number
  std::string customer_id;
  std::string customer_name;
  notify::Variables variables;  // as the walk wrote them: dates as YYYY-MM-DD
};

// Fails, naming the field, on a payload that is not a notice.
Result<NoticeRequest> parse_notice(std::string_view payload);

// The payload for a notice (the inverse of parse_notice), for the notices the dispatcher
// queues itself (the reactivation notice).
std::string notice_payload(const NoticeRequest& request);

// What the template is rendered with: the payload's variables, its dates written as the
// customer reads them (format_local_date), and the support contacts of cobrador.yaml.
notify::Variables notice_values(const NoticeRequest& request, const notify::Variables& support);

}  // namespace cobrador::dispatch
