// `cobradorctl show customer|service|invoice ID`, `audit CUSTOMER` and `list suspended`.
#include <fmt/format.h>

#include "ctl/bank_commands.hpp"
#include "ctl/context.hpp"
#include "service/customer_view.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

void show_customer(Context& ctx, const std::string& id) {
  const auto view = service::customer_view(ctx.store(), ctx.policy(), id, clock::now());
  if (!view) throw CommandError(fmt::format("no customer '{}'", id));
  std::string text = fmt::format("customer {} ({})\n", view->customer.ext_id, view->customer.name);
  for (const auto& s : view->services) {
    text += fmt::format("  service {:<16} {:<9} {}{}\n", s.ext_id, to_string(s.kind), to_string(s.state),
                        s.suspend_reason.empty() ? "" : " (" + s.suspend_reason + ")");
  }
  for (const auto& inv : view->open_invoices) {
    text += fmt::format("  invoice {:<16} due {}  balance {}\n", inv.ext_id, format_date(inv.due_on),
                        format_money(inv.balance));
  }
  text += fmt::format("  state: {}   days overdue: {}   current stage: {}   episode: {}\n", view->state,
                      view->days_overdue, view->current_stage.empty() ? "none" : view->current_stage,
                      view->episode ? std::to_string(*view->episode) : "none");
  const auto& next = view->next_action;
  text += next ? fmt::format("  next action: {} on {} (stage {})\n", next->action, format_date(next->date),
                             next->stage)
               : "  next action: none planned\n";
  const auto& promise = view->open_promise;
  text += promise ? fmt::format("  open promise: #{} until {} (granted {} by {}{})\n", promise->id,
                                format_date(promise->deadline), format_date(promise->granted_on),
                                promise->granted_by, promise->forced ? ", forced" : "")
                  : "  open promise: none\n";
  if (view->claims_flagged_at) {
    text += fmt::format("  flagged: a payment claim went unconfirmed ({}); no claim-based releases\n",
                        format_instant(*view->claims_flagged_at));
  }
  if (view->reactivation) text += fmt::format("  reactivation after lock: {}\n", view->reactivation->summary);
  if (view->cause) {
    text += fmt::format("  cause of non-payment: {} (from {}{})\n", view->cause->cause, view->cause->source,
                        view->cause->at ? ", " + format_instant(*view->cause->at) : "");
  }
  ctx.print(service::to_json(*view), text);
}

void show_service(Context& ctx, const std::string& id) {
  const auto s = ctx.store().service(id);
  if (!s) throw CommandError(fmt::format("no service '{}'", id));
  ctx.print({{"id", s->ext_id},
             {"customer", s->customer_ext_id},
             {"kind", to_string(s->kind)},
             {"panel", s->panel},
             {"account", s->account},
             {"state", to_string(s->state)},
             {"suspend_reason", s->suspend_reason},
             {"recurring_amount", s->recurring_amount ? format_money(*s->recurring_amount) : ""}},
            fmt::format("service {} of customer {}: {} on {} (account {}), {}{}{}", s->ext_id,
                        s->customer_ext_id, to_string(s->kind), s->panel, s->account, to_string(s->state),
                        s->suspend_reason.empty() ? "" : " (" + s->suspend_reason + ")",
                        s->recurring_amount ? ", " + format_money(*s->recurring_amount) + " a period" : ""));
}

void show_invoice(Context& ctx, const std::string& id) {
  const auto found = ctx.store().invoice(id);
  if (!found) throw CommandError(fmt::format("no invoice '{}'", id));
  const auto& inv = found->invoice;
  ctx.print({{"id", inv.ext_id},
             {"customer", inv.customer_ext_id},
             {"amount", format_amount(inv.amount)},
             {"currency", inv.amount.currency.code()},
             {"balance", format_amount(found->balance)},
             {"issued_on", format_date(inv.issued_on)},
             {"due_on", format_date(inv.due_on)},
             {"status", to_string(inv.status)},
             {"services", inv.services}},
            fmt::format("invoice {} of customer {}: {} due {}, {}, balance {}", inv.ext_id,
                        inv.customer_ext_id, format_money(inv.amount), format_date(inv.due_on),
                        to_string(inv.status), format_money(found->balance)));
}

}  // namespace

void add_show_commands(CLI::App& app, Context& ctx) {
  static std::string what;
  static std::string id;
  auto* show = app.add_subcommand("show", "a customer, service or invoice");
  show->add_option("what", what, "customer, service or invoice")
      ->required()
      ->check(CLI::IsMember({"customer", "service", "invoice"}));
  show->add_option("id", id, "its external id")->required();
  show->callback([&ctx] {
    if (what == "customer") show_customer(ctx, id);
    if (what == "service") show_service(ctx, id);
    if (what == "invoice") show_invoice(ctx, id);
  });

  static std::string audit_customer;
  auto* audit = app.add_subcommand("audit", "a customer's audit trail: every decision and its rule");
  audit->add_option("customer", audit_customer, "the customer's external id")->required();
  audit->callback([&ctx] {
    if (!ctx.store().customer(audit_customer))
      throw CommandError(fmt::format("no customer '{}'", audit_customer));
    json rows = json::array();
    std::string text;
    for (const auto& e : ctx.store().audit_of("customer:" + audit_customer)) {
      rows.push_back({{"at", format_instant(e.at)},
                      {"actor", e.actor},
                      {"event", e.event},
                      {"details", json::parse(e.details, nullptr, false)}});
      text += fmt::format("{}  {:<22} {:<18} {}\n", format_instant(e.at), e.actor, e.event, e.details);
    }
    ctx.print(rows, text.empty() ? "no audit rows\n" : text);
  });

  static std::string list_what;
  auto* list = app.add_subcommand(
      "list", "suspended services, dead actions, promises, claims, unmatched bank entries or cancellations");
  list->add_option("what", list_what, "suspended, dead-actions, promises, claims, unmatched or cancellations")
      ->required()
      ->check(
          CLI::IsMember({"suspended", "dead-actions", "promises", "claims", "unmatched", "cancellations"}));
  list->callback([&ctx] {
    if (list_what == "promises") return list_promises(ctx);
    if (list_what == "claims") return list_claims(ctx);
    if (list_what == "cancellations") return list_cancellations(ctx);
    json rows = json::array();
    std::string text;
    if (list_what == "suspended") {
      for (const auto& s : ctx.store().services_in(ServiceState::suspended)) {
        rows.push_back(
            {{"service", s.ext_id}, {"customer", s.customer_ext_id}, {"reason", s.suspend_reason}});
        text += fmt::format("{:<16} {:<16} {}\n", s.ext_id, s.customer_ext_id, s.suspend_reason);
      }
    } else if (list_what == "unmatched") {
      list_unmatched(ctx.store(), rows, text);
    } else {
      store::ActionFilter filter;
      filter.state = ActionState::dead;
      for (const auto& a : ctx.store().actions(filter)) {
        rows.push_back(
            {{"id", a.id}, {"key", a.key}, {"attempts", a.attempts}, {"last_error", a.last_error}});
        text += fmt::format("{:<8} {:<50} {} attempts: {}\n", a.id, a.key, a.attempts, a.last_error);
      }
    }
    ctx.print(rows, text.empty() ? "none\n" : text);
  });
}

}  // namespace cobrador::ctl
