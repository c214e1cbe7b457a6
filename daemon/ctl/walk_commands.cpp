// `cobradorctl walk`, `simulate` and `forecast`.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "ctl/progress_line.hpp"
#include "util/clock.hpp"
#include "walk/simulate.hpp"
#include "walk/walk.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

json decisions_json(const walk::WalkReport& report) {
  json out = json::array();
  for (const auto& [customer, decision] : report.decisions) {
    json actions = json::array();
    for (const auto& a : decision.actions) {
      actions.push_back(
          {{"kind", to_string(a.kind)}, {"target", a.target}, {"key", a.key}, {"stage", a.stage}});
    }
    json lines = json::array();
    for (const auto& e : decision.explanations)
      lines.push_back({{"event", e.event}, {"stage", e.stage}, {"rule", e.rule}});
    out.push_back(
        {{"customer", customer}, {"stages_run", decision.stages_run}, {"actions", actions}, {"why", lines}});
  }
  return out;
}

std::string report_text(const walk::WalkReport& report, bool dry_run) {
  std::string text =
      fmt::format("walk {}{}: {} customers evaluated, {} episodes started, {} ended, {} actions {}\n",
                  format_date(report.day), dry_run ? " (dry run, nothing written)" : "", report.evaluated,
                  report.episodes_started, report.episodes_ended, report.actions_queued,
                  dry_run ? "would be queued" : "queued");
  for (const auto& [stage, n] : report.stages_run) text += fmt::format("  {:<20} {}\n", stage, n);
  for (const auto& [customer, decision] : report.decisions) {
    for (const auto& e : decision.explanations) {
      text += fmt::format("  {}: {} {} ({})\n", customer, e.event, e.stage, e.rule);
    }
    for (const auto& a : decision.actions)
      text += fmt::format("  {}:   {} {}\n", customer, to_string(a.kind), a.target);
  }
  return text;
}

json timeline_json(const std::vector<walk::TimelineEntry>& timeline) {
  json out = json::array();
  for (const auto& e : timeline) {
    out.push_back({{"date", format_date(e.day)},
                   {"customer", e.customer},
                   {"event", e.event},
                   {"stage", e.stage},
                   {"detail", e.detail}});
  }
  return out;
}

std::string timeline_text(const std::vector<walk::TimelineEntry>& timeline, bool actions_only) {
  std::string text;
  for (const auto& e : timeline) {
    if (actions_only && e.event != "action") continue;
    text += fmt::format("{}  {:<14} {:<17} {:<12} {}\n", format_date(e.day), e.customer, e.event, e.stage,
                        e.detail);
  }
  return text.empty() ? "nothing would happen\n" : text;
}

}  // namespace

void add_walk_commands(CLI::App& app, Context& ctx) {
  static std::string walk_date;
  static bool dry_run = false;
  auto* walk_cmd = app.add_subcommand("walk", "run the daily walk now (or for --date)");
  walk_cmd->add_option("--date", walk_date, "walk this day (YYYY-MM-DD) at the policy's run_at");
  walk_cmd->add_flag("--dry-run", dry_run, "decide and show, write nothing");
  walk_cmd->callback([&ctx] {
    const auto& policy = ctx.policy();
    const Instant now = walk_date.empty()
                            ? clock::now()
                            : policy.instant_at(date_option(walk_date, "--date"), policy.run_at_minute);
    walk::WalkOptions options;
    options.dry_run = dry_run;
    options.keep_decisions = dry_run;
    const Instant started = clock::now();
    ProgressLine line(ctx, "walk " + format_date(policy.local_date(now)), "customers");
    // The walk's batches commit without copying the log: a thread of its own does (as the
    // daemon's walk and the import do).
    options.progress = ctx.checkpoint_aside(line.progress());
    const auto report = walk::walk(ctx.store(), policy, now, options);
    line.finish();
    if (!dry_run) {
      ctx.store().begin();
      ctx.store().record_walk({report.day, started, clock::now(), report.evaluated, report.actions_queued});
      ctx.store().commit();
    }
    ctx.print({{"date", format_date(report.day)},
               {"dry_run", dry_run},
               {"evaluated", report.evaluated},
               {"episodes_started", report.episodes_started},
               {"episodes_ended", report.episodes_ended},
               {"actions", report.actions_queued},
               {"stages_run", report.stages_run},
               {"decisions", decisions_json(report)}},
              report_text(report, dry_run));
  });

  static std::string from;
  static int days = 30;
  auto* simulate = app.add_subcommand("simulate", "timeline of what would happen; touches nothing");
  simulate->add_option("--from", from, "first day (YYYY-MM-DD)")->required();
  simulate->add_option("--days", days, "how many days")->check(CLI::Range(1, 3660));
  simulate->callback([&ctx] {
    const auto timeline = walk::simulate(ctx.store(), ctx.policy(), date_option(from, "--from"), days);
    ctx.print(timeline_json(timeline), timeline_text(timeline, false));
  });

  static int forecast_days = 7;
  auto* forecast = app.add_subcommand("forecast", "every action the policy will take in the next N days");
  forecast->add_option("--days", forecast_days, "how many days")->check(CLI::Range(1, 3660));
  forecast->callback([&ctx] {
    const auto& policy = ctx.policy();
    const auto timeline = walk::simulate(ctx.store(), policy, policy.local_date(clock::now()), forecast_days);
    json actions = json::array();
    for (const auto& entry : timeline_json(timeline)) {
      if (entry["event"] == "action") actions.push_back(entry);
    }
    ctx.print(actions, timeline_text(timeline, true));
  });
}

}  // namespace cobrador::ctl
