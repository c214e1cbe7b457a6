// `cobradorctl sync [SOURCE] [--dry-run] [--status]`: one pass of each billing system named
// under `sources:` (docs/connectors.md), or the last pass of each.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "ctl/progress_line.hpp"
#include "sources/fetch.hpp"
#include "service/sync_passes.hpp"
#include "sources/sync.hpp"
#include "util/clock.hpp"
#include "util/instant.hpp"

namespace cobrador::ctl {

namespace {

nlohmann::json pass_json(const sources::SyncPass& pass) {
  auto out = service::sync_pass_counts(pass);
  out["source"] = pass.source;
  out["at"] = format_instant(pass.at);
  out["seconds"] = static_cast<double>(pass.took.count()) / 1000.0;
  out["dry_run"] = pass.dry_run;
  out["error"] = pass.error.empty() ? nlohmann::json() : nlohmann::json(pass.error);
  return out;
}

std::string pass_text(const sources::SyncPass& pass) {
  const auto seconds = static_cast<double>(pass.took.count()) / 1000.0;
  if (!pass.ok()) return fmt::format("{}: failed after {:.1f} s: {}", pass.source, seconds, pass.error);
  std::string outcome =
      pass.dry_run ? "nothing written (--dry-run)" : fmt::format("{} rows changed", pass.rows_changed);
  if (pass.written_back > 0) outcome += fmt::format(", {} bank payments to write back", pass.written_back);
  if (pass.invoices_gone > 0)
    outcome += fmt::format(", {} invoices gone from the billing system voided", pass.invoices_gone);
  if (pass.returns_reported > 0)
    outcome += fmt::format(", {} returned debits to report", pass.returns_reported);
  return fmt::format("{}: {} customers, {} services, {} invoices read in {} calls ({:.1f} s); {}",
                     pass.source, pass.customers, pass.services, pass.invoices, pass.calls, seconds, outcome);
}

// The sources a command is about: the one named, else every one; an unknown name is an error.
std::vector<std::string> sources_named(Context& ctx, const std::string& name) {
  const auto& sources = ctx.config().sources;
  if (sources.empty())
    throw CommandError(fmt::format("{} names no sources: (docs/connectors.md)", ctx.config().file));
  std::vector<std::string> names;
  for (const auto& [known, source] : sources)
    if (name.empty() || known == name) names.push_back(known);
  if (names.empty()) {
    std::vector<std::string> known;
    for (const auto& [each, source] : sources) known.push_back(each);
    throw CommandError(
        fmt::format("there is no source '{}' in {} ({})", name, ctx.config().file, fmt::join(known, ", ")));
  }
  return names;
}

void show_status(Context& ctx, const std::vector<std::string>& names) {
  nlohmann::json passes = nlohmann::json::array();
  std::string text;
  for (const auto& name : names) {
    const auto& source = ctx.config().sources.at(name);
    const auto last = service::last_sync_pass(ctx.store(), name);
    if (!last) {
      passes.push_back({{"source", name}, {"type", source.type}, {"last_pass", nullptr}});
      text += fmt::format("{} ({}): no pass yet\n", name, source.type);
      continue;
    }
    auto entry = pass_json(*last);
    entry["type"] = source.type;
    passes.push_back(std::move(entry));
    text += fmt::format("{} ({}): last pass {}, {}\n", name, source.type, format_instant(last->at),
                        last->ok() ? fmt::format("{:.1f} s, {} rows read, {} changed, {} calls",
                                                 static_cast<double>(last->took.count()) / 1000.0,
                                                 last->rows_read, last->rows_changed, last->calls)
                                   : "failed: " + last->error);
  }
  text.pop_back();
  ctx.print(passes, text);
}

}  // namespace

void add_sync_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "sync", "read the book from the billing systems under sources: (WHMCS, FOSSBilling)");
  static std::string name;
  static bool dry_run = false;
  static bool status = false;
  cmd->add_option("source", name, "the source to read (default: every source)");
  cmd->add_flag("--dry-run", dry_run, "read the source and write nothing");
  cmd->add_flag("--status", status, "show the last pass of each source instead of running one");
  cmd->callback([&ctx] {
    const auto names = sources_named(ctx, name);
    if (status) return show_status(ctx, names);
    nlohmann::json passes = nlohmann::json::array();
    std::string text;
    std::vector<std::string> failures;
    for (const auto& each : names) {
      // The pass's length is the billing system's paging, unknown until the last page: the line
      // counts the calls made.
      ProgressLine line(ctx, "sync " + each, "calls");
      std::uint64_t calls = 0;
      const sources::Fetch fetch = [&line, &calls, http = sources::http_fetch()](net::HttpRequest request) {
        auto response = http(std::move(request));
        line.update(++calls, 0);
        return response;
      };
      const auto pass =
          sources::sync_source(ctx.store(), ctx.policy(), ctx.config(), each, clock::now(), dry_run, fetch);
      line.finish();
      passes.push_back(pass_json(pass));
      if (pass.ok())
        text += pass_text(pass) + "\n";
      else
        failures.push_back(pass_text(pass));
    }
    // The passes that went through on stdout, the failed ones (each naming its call) on stderr.
    if (!text.empty() || ctx.json) {
      if (!text.empty()) text.pop_back();
      ctx.print(passes, text);
    }
    if (!failures.empty()) throw CommandError(fmt::format("{}", fmt::join(failures, "\ncobradorctl: ")));
  });
}

}  // namespace cobrador::ctl
