// Implements policy/notice_dates.hpp.
#include "policy/notice_dates.hpp"

#include <algorithm>

namespace cobrador::policy {

Date next_step_date_at_send(const Policy& policy, const Stage* next, Date planned, Date sent_on) {
  if (next && !next->has_effect()) return std::max(planned, sent_on + date::days{1});
  const Date fair = sent_on + date::days{std::max(policy.min_notice_days, 0)};
  return std::max(planned, policy.next_suspension_day(fair));
}

bool refresh_next_step_date(const Policy& policy, NoticeVariables& variables, Instant sent_at) {
  const auto date = variables.find("next_step_date");
  if (date == variables.end()) return false;
  const auto planned = parse_date(date->second);
  if (!planned) return false;
  const auto step = variables.find("next_step");
  const Stage* next = step == variables.end() ? nullptr : policy.find_stage(step->second);
  const Date day = next_step_date_at_send(policy, next, *planned, policy.local_date(sent_at));
  if (day == *planned) return false;
  date->second = format_date(day);
  return true;
}

}  // namespace cobrador::policy
