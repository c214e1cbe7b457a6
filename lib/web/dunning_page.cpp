// Implements web/dunning_page.hpp.
#include "web/dunning_page.hpp"

#include <algorithm>
#include <span>

#include <nlohmann/json.hpp>

#include "policy/dunning_outcomes.hpp"
#include "service/lifecycle_reports.hpp"
#include "web/chart.hpp"

namespace cobrador::web {

namespace {

using nlohmann::json;

constexpr int kMonths = 6;

// What each way of ending is called on the page.
const char* end_label(policy::EpisodeEnd end) {
  switch (end) {
    case policy::EpisodeEnd::paid_before_suspension:
      return "paid before any suspension";
    case policy::EpisodeEnd::paid_after_suspension:
      return "paid after a suspension";
    case policy::EpisodeEnd::promise_kept:
      return "trust release kept";
    case policy::EpisodeEnd::locked:
      return "locked";
    case policy::EpisodeEnd::ended_unpaid:
      return "ended without money (voided, credited)";
    case policy::EpisodeEnd::open:
      return "still open";
  }
  return "";
}

std::string month_of(Date day) { return format_date(day).substr(0, 7); }

Date first_of(const std::string& month) { return *parse_date(month + "-01"); }

Date months_before(Date first, int months) {
  const date::year_month_day ymd{first};
  const auto shifted = date::year_month{ymd.year(), ymd.month()} - date::months{months};
  return Date{shifted / date::day{1}};
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "—";
  return fmt::format("{:.0f} %", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// The episodes of `facts` (in the order they started, as the store reads them) that started in
// the month.
std::span<const policy::EpisodeFacts> started_in(std::span<const policy::EpisodeFacts> facts, Date month) {
  const auto by_start = [](const policy::EpisodeFacts& episode, Date day) {
    return episode.started_on < day;
  };
  const auto begin = std::lower_bound(facts.begin(), facts.end(), month, by_start);
  const auto end = std::lower_bound(begin, facts.end(), months_before(month, -1), by_start);
  return {begin, end};
}

// The last months' episodes by how they ended, stacked per month, told apart by the month each
// started in.
Html months_chart(std::span<const policy::EpisodeFacts> facts, const policy::Policy& policy, Date first) {
  std::vector<std::string> labels;
  std::vector<ChartSeries> series;
  for (int i = kMonths - 1; i >= 0; --i) {
    const auto month = months_before(first, i);
    labels.push_back(month_of(month));
    const auto outcomes = policy::dunning_outcomes(started_in(facts, month), policy);
    if (series.empty())
      for (const auto& [end, n] : outcomes.by_end) series.push_back({end_label(end), {}});
    for (std::size_t s = 0; s < outcomes.by_end.size(); ++s)
      series[s].values.push_back(outcomes.by_end[s].second);
  }
  return stacked_bars("Episodes started each month, by how they ended", labels, series);
}

Html month_tables(const json& report) {
  const auto started = report["episodes_started"].get<std::int64_t>();
  Html ends;
  for (const auto& [end, n] : report["episodes_by_end"].items()) {
    policy::EpisodeEnd kind = policy::EpisodeEnd::open;
    for (const auto candidate :
         {policy::EpisodeEnd::paid_before_suspension, policy::EpisodeEnd::paid_after_suspension,
          policy::EpisodeEnd::promise_kept, policy::EpisodeEnd::locked, policy::EpisodeEnd::ended_unpaid,
          policy::EpisodeEnd::open})
      if (policy::to_string(candidate) == end) kind = candidate;
    ends += html(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>)", end_label(kind),
                 n.get<std::int64_t>(), percent(n.get<std::int64_t>(), started));
  }
  Html money;
  for (const auto& [currency, amount] : report["recovered"].items())
    money += html(R"(<tr><td>{}</td><td class="n">{}</td></tr>)", currency, amount.get<std::string>());
  if (money.markup.empty()) money = html(R"(<tr><td colspan="2" class="muted">{}</td></tr>)", "nothing yet");
  std::vector<std::string> buckets;
  ChartSeries days{"episodes", {}};
  for (const auto& bucket : report["days_to_recovery"]) {
    buckets.push_back(bucket["days"].get<std::string>() + " days");
    days.values.push_back(bucket["episodes"].get<std::int64_t>());
  }
  Html stages;
  for (const auto& stage : report["recovery_by_last_stage"]) {
    const auto episodes = stage["episodes"].get<std::int64_t>();
    const auto recovered = stage["recovered"].get<std::int64_t>();
    stages += html(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td></tr>)",
                   stage["stage"].get<std::string>(), episodes, recovered, percent(recovered, episodes));
  }
  Html causes;
  for (const auto& [cause, n] : report["episodes_by_cause"].items())
    causes += html(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>)", cause,
                   n.get<std::int64_t>(), percent(n.get<std::int64_t>(), started));
  return html(R"(<div class="grid">
<section class="card" id="ends"><h2>How the episodes ended</h2><p class="muted">{} started in the month</p><table><thead><tr><th>ended</th><th class="n">episodes</th><th class="n">share</th></tr></thead><tbody>{}</tbody></table></section>
<section class="card" id="recovered"><h2>Money recovered</h2><table><thead><tr><th>currency</th><th class="n">amount</th></tr></thead><tbody>{}</tbody></table>
<p class="muted">{}</p></section></div>
<div class="grid"><section class="card" id="by-stage"><h2>Recovered, by the last stage reached</h2><table><thead><tr><th>last stage</th><th class="n">episodes</th><th class="n">recovered</th><th class="n">rate</th></tr></thead><tbody>{}</tbody></table></section>
<section class="card" id="causes"><h2>Causes of non-payment</h2><table><thead><tr><th>cause</th><th class="n">episodes</th><th class="n">share</th></tr></thead><tbody>{}</tbody></table></section></div>
<section class="card" id="days"><h2>Days to recovery</h2>{}</section>)",
              started, ends, money,
              "Confirmed payments on the customer's invoices from the episode's start to its end.", stages,
              causes, stacked_bars("Days from the episode's start to the money", buckets, {days}));
}

}  // namespace

std::optional<Html> dunning_body(store::Store& store, const policy::Policy& policy, Instant now,
                                 const std::string& month) {
  const auto chosen = month.empty() ? month_of(policy.local_date(now)) : month;
  if (chosen.size() != 7 || !parse_date(chosen + "-01")) return std::nullopt;
  // The six months are read in one go; the chosen one's report is made from its share.
  const auto first = first_of(chosen);
  const auto facts = store.episode_facts(months_before(first, kMonths - 1), months_before(first, -1));
  // The page shows the report's half about episodes (not the panel actions of the month).
  const auto report = service::episodes_report(policy, started_in(facts, first));
  return html(
      R"(<form method="get" action="/console/dunning"><label for="month">Episodes that started in</label>
<input id="month" name="month" type="month" value="{}"> <button type="submit">Show</button></form>
<section class="card"><h2>The last {} months</h2>{}</section>{})",
      chosen, kMonths, months_chart(facts, policy, first), month_tables(report));
}

}  // namespace cobrador::web
