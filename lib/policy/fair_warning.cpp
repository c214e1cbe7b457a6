// Implements policy/fair_warning.hpp.
#include "policy/fair_warning.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace cobrador::policy {

namespace {

std::string channels_of(const Stage& stage) {
  std::vector<std::string_view> names;
  for (const Channel channel : stage.notify) names.push_back(to_string(channel));
  return fmt::format("{}", fmt::join(names, ", "));
}

// Why a warning that is neither sent nor queued never went out.
std::string why_undelivered(const Stage& warning, const StageNotices* notices) {
  if (!notices) return fmt::format("no contact on its channels ({})", channels_of(warning));
  if (notices->undelivered == 1) return "its notice ended failed or dead";
  if (notices->undelivered > 1)
    return fmt::format("all {} of its notices ended failed or dead", notices->undelivered);
  return "none of its notices went out";
}

}  // namespace

const Stage* warning_stage(const Policy& policy, std::size_t effect_index,
                           const std::map<std::string, StageRun>& runs) {
  for (std::size_t i = std::min(effect_index, policy.stages.size()); i-- > 0;) {
    const Stage& stage = policy.stages[i];
    if (stage.notify.empty()) continue;
    const auto run = runs.find(stage.name);
    if (run != runs.end() && !run->second.superseded) return &stage;
  }
  return nullptr;
}

std::optional<WarningHold> fair_warning_hold(const Policy& policy, std::size_t effect_index,
                                             const std::map<std::string, StageRun>& runs,
                                             const std::map<std::string, StageNotices>& notices, Date today) {
  if (policy.min_notice_days <= 0) return std::nullopt;
  const Stage* warning = warning_stage(policy, effect_index, runs);
  if (!warning) return std::nullopt;
  const auto found = notices.find(warning->name);
  const StageNotices* sent = found == notices.end() ? nullptr : &found->second;
  const auto rule =
      fmt::format("min_notice_days {}: the warning (stage '{}')", policy.min_notice_days, warning->name);
  const Date tomorrow = today + date::days{1};
  if (!sent || (!sent->sent_at && sent->pending == 0)) {
    return WarningHold{warning->name,
                       fmt::format("{} never went out: {}", rule, why_undelivered(*warning, sent)), tomorrow,
                       true};
  }
  if (!sent->sent_at) return WarningHold{warning->name, rule + " has not gone out yet", tomorrow, false};
  const Date fair = policy.local_date(*sent->sent_at) + date::days{policy.min_notice_days};
  if (sent->pending > 0) {
    return WarningHold{warning->name,
                       fmt::format("{} went out {} and another of its notices is still queued", rule,
                                   format_instant(*sent->sent_at)),
                       std::max(fair, tomorrow), false};
  }
  if (today < fair) {
    return WarningHold{warning->name, fmt::format("{} went out {}", rule, format_instant(*sent->sent_at)),
                       fair, false};
  }
  return std::nullopt;
}

}  // namespace cobrador::policy
