// The end of relationships from the command line: `cancel SERVICE --reason CODE` and
// `cancel --undo SERVICE`, `reactivate SERVICE --reason TEXT` (after a lock), `backup SERVICE`,
// `export collections|charges`, `report monthly --month YYYY-MM`, and `list cancellations`
// (called from show_commands.cpp). The same service functions as the HTTP API (docs/lifecycle.md).
#include <iostream>

#include <fmt/format.h>

#include "ctl/context.hpp"
#include "service/backup.hpp"
#include "service/cancellation.hpp"
#include "service/lifecycle_reports.hpp"
#include "service/lock_reactivation.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

// A refusal as the command's failure: the message, and what it is about when there is more.
[[noreturn]] void refuse(const service::Refusal& refusal) {
  throw CommandError(fmt::format("{} ({})", refusal.message, refusal.code));
}

struct CancelOptions {
  std::string service;
  bool undo = false;
  service::CancellationRequest request;
  std::string prepaid_until;
};

void cancel(Context& ctx, CancelOptions& options) {
  const Instant now = clock::now();
  if (options.undo) {
    const auto outcome = store::in_transaction(ctx.store(), [&] {
      return service::withdraw(ctx.store(), ctx.policy(), options.service, now, ctx.actor());
    });
    if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
    const auto& withdrawn = std::get<service::Withdrawal>(outcome);
    return ctx.print(
        withdrawn.to_json(),
        fmt::format("{} of {} withdrawn: the service stays\n",
                    withdrawn.request ? "cancellation request" : "cancellation", withdrawn.service()));
  }
  if (options.request.reason_code.empty()) throw CommandError("cancel: --reason CODE is required");
  options.request.service = options.service;
  if (!options.prepaid_until.empty())
    options.request.prepaid_until = date_option(options.prepaid_until, "--prepaid-until");
  const auto outcome = store::in_transaction(ctx.store(), [&] {
    return service::request_cancellation(ctx.store(), ctx.policy(), options.request, now, ctx.actor());
  });
  if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
  const auto& done = std::get<service::CancellationOutcome>(outcome);
  json rows = json::array();
  std::string text = done.created ? "" : "already asked; the first request stands:\n";
  if (done.awaiting) {
    const auto& a = *done.awaiting;
    return ctx.print(service::to_json(a),
                     text + fmt::format("{}: cancellation request {} recorded, awaiting the confirming call "
                                        "(cancellation.confirm_by: phone; see cobradorctl tasks)\n",
                                        a.service, a.id));
  }
  for (const auto& r : done.records) {
    rows.push_back(service::to_json(r));
    text += fmt::format("{} cancelled ({}): service ends {}, purged {} [{}]\n", r.service, r.reason_code,
                        format_date(r.service_end), format_date(r.purge_on), r.rule);
  }
  ctx.print(rows, text);
}

void add_cancel(CLI::App& app, Context& ctx) {
  static CancelOptions options;
  options.request.channel = "cli";
  auto* cmd = app.add_subcommand("cancel", "record a customer's cancellation, or withdraw it (--undo)");
  cmd->add_option("service", options.service, "the service's external id")->required();
  cmd->add_flag("--undo", options.undo, "re-engage: withdraw the cancellation before the purge");
  cmd->add_option("--reason", options.request.reason_code, "reason code (e.g. price, moving, competitor)");
  cmd->add_option("--note", options.request.note, "the customer's words");
  cmd->add_option("--channel", options.request.channel, "how the customer asked (phone, email, chat...)");
  cmd->add_option("--offer", options.request.retention_offers, "a retention offer made (repeatable)");
  cmd->add_option("--scope", options.request.scope, "partial (this service) or total (all the customer's)")
      ->check(CLI::IsMember({"partial", "total"}));
  cmd->add_option("--prepaid-until", options.prepaid_until, "last prepaid day, YYYY-MM-DD (else derived)");
  cmd->add_option("--contact", options.request.contact,
                  "who asked (name, e-mail or phone): checked against the customer's responsible persons");
  cmd->add_flag("--force", options.request.force,
                "override the responsible-person check (needs --force-note)");
  cmd->add_option("--force-note", options.request.force_note, "why the check is overridden");
  cmd->callback([&ctx] { cancel(ctx, options); });
}

void add_reactivate(CLI::App& app, Context& ctx) {
  static std::string service_id;
  static std::string reason;
  // reactivation_after_lock.months_upfront is measured from the payments since the lock and the
  // services' recurring prices: there is no invoice to name (docs/lifecycle.md).
  auto* cmd = app.add_subcommand("reactivate", "bring back a service locked for non-payment");
  cmd->add_option("service", service_id, "the service's external id")->required();
  cmd->add_option("--reason", reason, "why, for the audit trail")->required();
  cmd->callback([&ctx] {
    const auto outcome = store::in_transaction(ctx.store(), [&] {
      return service::reactivate_locked(ctx.store(), ctx.policy(), service_id, reason, clock::now(),
                                        ctx.actor());
    });
    if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
    const auto& action = std::get<Action>(outcome);
    ctx.print({{"service", service_id}, {"action", action.key}},
              fmt::format("{}: unsuspension queued ({})\n", service_id, action.key));
  });
}

// The operator asks for a backup (the customer called): the same rules as the client area's.
void add_backup(CLI::App& app, Context& ctx) {
  static std::string service_id;
  auto* cmd = app.add_subcommand("backup", "ask the panel for a backup of a service (docs/lifecycle.md)");
  cmd->add_option("service", service_id, "the service's external id")->required();
  cmd->callback([&ctx] {
    const auto outcome = store::in_transaction(ctx.store(), [&] {
      return service::request_backup(ctx.store(), ctx.policy(), service_id, clock::now(), ctx.actor());
    });
    if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
    const auto& queued = std::get<service::BackupQueued>(outcome);
    json out{{"service", service_id},
             {"action", queued.action.key},
             {"created", queued.created},
             {"last_chance", queued.last_chance}};
    if (queued.fee) out["fee"] = format_money(*queued.fee);
    const auto fee = queued.fee ? fmt::format(", charged {}", format_money(*queued.fee)) : std::string();
    ctx.print(
        out,
        fmt::format("{}: {}{} ({}){}\n", service_id, queued.created ? "backup queued" : "already on its way",
                    queued.last_chance ? " (last chance before the purge)" : "", queued.action.key, fee));
  });
}

void add_export(CLI::App& app, Context& ctx) {
  static std::string what;
  auto* cmd = app.add_subcommand(
      "export", "collections: the debts of locked customers; charges: what the billing system is to invoice");
  cmd->add_option("what", what, "collections or charges")
      ->required()
      ->check(CLI::IsMember({"collections", "charges"}));
  cmd->callback([&ctx] {
    if (what == "collections") {
      std::cout << service::collections_csv(ctx.store());
      return;
    }
    // Marked exported in the same transaction that reads them: each charge is handed over once.
    std::cout << store::in_transaction(
        ctx.store(), [&] { return service::export_charges_csv(ctx.store(), ctx.policy(), clock::now()); });
  });
}

void add_report(CLI::App& app, Context& ctx) {
  static std::string what;
  static std::string month;
  auto* cmd =
      app.add_subcommand("report", "monthly: cancellations by reason, suspensions, reactivations, locks");
  cmd->add_option("what", what, "monthly")->required()->check(CLI::IsMember({"monthly"}));
  cmd->add_option("--month", month, "YYYY-MM")->required();
  cmd->callback([&ctx] {
    const auto report = service::monthly_report(ctx.store(), ctx.policy(), month);
    if (!report) throw CommandError(report.error().message);
    const auto& r = *report;
    std::string text = fmt::format("{}\ncancellations: {}\n", month, r["cancellations"].get<std::int64_t>());
    for (const auto& [reason, n] : r["cancellations_by_reason"].items()) {
      text += fmt::format("  {:<20} {}\n", reason, n.get<std::int64_t>());
    }
    text += fmt::format("suspensions: {}\nreactivations: {}\nlocks: {}\npurges: {}\n",
                        r["suspensions"].get<std::int64_t>(), r["reactivations"].get<std::int64_t>(),
                        r["locks"].get<std::int64_t>(), r["purges"].get<std::int64_t>());
    text += fmt::format("episodes started: {}\n", r["episodes_started"].get<std::int64_t>());
    for (const auto& [cause, n] : r["episodes_by_cause"].items()) {
      text += fmt::format("  {:<20} {}\n", cause, n.get<std::int64_t>());
    }
    text += "how they ended:\n";
    for (const auto& [end, n] : r["episodes_by_end"].items())
      text += fmt::format("  {:<24} {}\n", end, n.get<std::int64_t>());
    text += "recovered:";
    for (const auto& [currency, amount] : r["recovered"].items())
      text += fmt::format(" {} {}", amount.get<std::string>(), currency);
    text += r["recovered"].empty() ? " nothing\ndays to recovery:" : "\ndays to recovery:";
    for (const auto& bucket : r["days_to_recovery"])
      text +=
          fmt::format(" {} {},", bucket["days"].get<std::string>(), bucket["episodes"].get<std::int64_t>());
    text += "\nrecovered, by the last stage reached:\n";
    for (const auto& stage : r["recovery_by_last_stage"])
      text += fmt::format("  {:<20} {} of {}\n", stage["stage"].get<std::string>(),
                          stage["recovered"].get<std::int64_t>(), stage["episodes"].get<std::int64_t>());
    ctx.print(r, text);
  });
}

}  // namespace

void list_cancellations(Context& ctx) {
  json rows = json::array();
  std::string text;
  // Requests still waiting for their confirming call come first (cancellation.confirm_by: phone).
  for (const auto& r : ctx.store().awaiting_cancellation_requests()) {
    rows.push_back(service::to_json(r));
    text += fmt::format("{:<16} {:<16} {:<10} asked {} by {}{}, {} unanswered call(s)\n", r.service,
                        r.customer, r.state, format_instant(r.requested_at), r.requested_by,
                        r.contact.empty() ? "" : " (" + r.contact + ")", r.attempts);
  }
  for (const auto& r : ctx.store().cancellations(std::nullopt, std::nullopt)) {
    rows.push_back(service::to_json(r));
    text += fmt::format("{:<16} {:<16} {:<10} {:<14} asked {} by {} via {}, ends {}, purge {}{}\n", r.service,
                        r.customer, r.state, r.reason_code, format_date(r.requested_on), r.requested_by,
                        r.channel, format_date(r.service_end), format_date(r.purge_on),
                        r.note.empty() ? "" : ": " + r.note);
  }
  ctx.print(rows, text.empty() ? "none\n" : text);
}

void add_lifecycle_commands(CLI::App& app, Context& ctx) {
  add_cancel(app, ctx);
  add_reactivate(app, ctx);
  add_backup(app, ctx);
  add_export(app, ctx);
  add_report(app, ctx);
}

}  // namespace cobrador::ctl
