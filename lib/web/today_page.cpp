// Implements web/today_page.hpp.
#include "web/today_page.hpp"

#include <algorithm>

#include "util/instant.hpp"
#include "web/chart.hpp"

namespace cobrador::web {

namespace {

Html stage_table(store::Store& store, const policy::Policy& policy) {
  std::vector<std::string> order;
  for (const auto& stage : policy.stages) order.push_back(stage.name);
  const auto counts = store.customers_by_stage(order);
  Html rows;
  std::int64_t total = 0;
  for (const auto& name : order) {
    const auto found = counts.find(name);
    const auto count = found == counts.end() ? 0 : found->second;
    total += count;
    rows += html(R"(<tr><td>{}</td><td class="n">{}</td></tr>)", name, count);
  }
  return html(R"(<section class="card"><h2>Customers in dunning</h2><p class="figure">{}</p>
<table><thead><tr><th>stage reached</th><th class="n">customers</th></tr></thead><tbody>{}</tbody></table></section>)",
              total, rows);
}

Html walk_card(store::Store& store) {
  const auto walk = store.last_walk();
  if (!walk)
    return html(R"(<section class="card"><h2>The last walk</h2><p class="muted">{}</p></section>)",
                "No walk has run yet.");
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(walk->finished_at - walk->started_at);
  return html(R"(<section class="card"><h2>The last walk</h2><p class="figure">{}</p>
<table><tbody><tr><th>started</th><td>{}</td></tr><tr><th>took</th><td>{:.1f} s</td></tr>
<tr><th>customers evaluated</th><td class="n">{}</td></tr><tr><th>actions queued</th><td class="n">{}</td></tr></tbody></table></section>)",
              format_date(walk->day), format_instant(walk->started_at),
              static_cast<double>(took.count()) / 1000.0, walk->evaluated, walk->actions);
}

Html outbox_card(store::Store& store) {
  const auto counts = store.outbox_counts();
  Html rows;
  for (const auto* state : {"pending", "in_flight", "failed", "dead", "done", "cancelled"}) {
    const auto found = counts.by_state.find(state);
    rows += html(R"(<tr><td>{}</td><td class="n">{}</td></tr>)", state,
                 found == counts.by_state.end() ? 0 : found->second);
  }
  return html(R"(<section class="card"><h2>The outbox</h2>
<table><thead><tr><th>state</th><th class="n">actions</th></tr></thead><tbody>{}</tbody></table></section>)",
              rows);
}

Html tasks_card(store::Store& store, Instant now) {
  const auto open = store.open_task_counts();
  if (open.empty())
    return html(
        R"(<section class="card"><h2>Open tasks</h2><p class="figure">0</p><p class="muted">{}</p></section>)",
        "Nothing waits for a person.");
  Html rows;
  std::int64_t total = 0;
  for (const auto& kind : open) {
    total += kind.count;
    const auto days =
        std::chrono::duration_cast<std::chrono::hours>(now - kind.oldest_created_at).count() / 24;
    rows += html(R"(<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>)", kind.kind, kind.count,
                 days);
  }
  return html(R"(<section class="card"><h2>Open tasks</h2><p class="figure">{}</p>
<table><thead><tr><th>kind</th><th class="n">open</th><th class="n">oldest, days</th></tr></thead><tbody>{}</tbody></table></section>)",
              total, rows);
}

}  // namespace

ForecastDays forecast_days(const policy::Policy& policy, Date from, int days,
                           const std::vector<walk::TimelineEntry>& timeline) {
  ForecastDays out{from, {}, {}};
  for (const auto& stage : policy.stages) out.stages.push_back(stage.name);
  out.runs.assign(out.stages.size(),
                  std::vector<std::int64_t>(static_cast<std::size_t>(std::max(days, 0)), 0));
  for (const auto& entry : timeline) {
    if (entry.event != "stage_run") continue;
    const auto day = (entry.day - from).count();
    const auto stage = std::find(out.stages.begin(), out.stages.end(), entry.stage);
    if (day < 0 || day >= days || stage == out.stages.end()) continue;
    ++out.runs[static_cast<std::size_t>(stage - out.stages.begin())][static_cast<std::size_t>(day)];
  }
  return out;
}

Html today_body(store::Store& store, const policy::Policy& policy, Instant now,
                const ForecastDays& forecast) {
  std::vector<std::string> labels;
  const auto days = forecast.runs.empty() ? 0 : forecast.runs.front().size();
  for (std::size_t i = 0; i < days; ++i) {
    const auto day = forecast.from + date::days{static_cast<int>(i)};
    labels.push_back(format_date(day).substr(5));  // MM-DD
  }
  std::vector<ChartSeries> series;
  for (std::size_t s = 0; s < forecast.stages.size(); ++s)
    series.push_back({forecast.stages[s], forecast.runs[s]});
  const auto chart = stacked_bars("Stages the walk would run each day of the next 30", labels, series);
  return html(
      R"(<div class="grid">{}{}{}{}</div>
<section class="card"><h2>The next 30 days</h2><p class="muted">{}</p>{}</section>)",
      stage_table(store, policy), walk_card(store), outbox_card(store), tasks_card(store, now),
      "From the forecast: the walk run day after day on today's book, every action delivered, nothing paid.",
      chart);
}

}  // namespace cobrador::web
