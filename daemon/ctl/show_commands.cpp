// `cobradorctl show customer|service|invoice ID`, `audit CUSTOMER` and `list suspended`.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "policy/decide.hpp"
#include "util/clock.hpp"
#include "walk/simulate.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

std::string current_stage(const policy::CustomerSnapshot& snap, const policy::Policy& policy) {
  if (!snap.episode) return "";
  std::string stage;
  for (const auto& s : policy.stages) {
    const auto run = snap.episode->runs.find(s.name);
    if (run != snap.episode->runs.end() && !run->second.superseded) stage = s.name;
  }
  return stage;
}

void show_customer(Context& ctx, const std::string& id) {
  auto& store = ctx.store();
  const auto customer = store.customer(id);
  if (!customer) throw CommandError(fmt::format("no customer '{}'", id));
  const auto& policy = ctx.policy();
  const auto snap = store.snapshot(customer->id);
  const Date today = policy.local_date(clock::now());
  json services = json::array();
  std::string text = fmt::format("customer {} ({})\n", customer->ext_id, customer->name);
  for (const auto& s : store.services_of(customer->id)) {
    services.push_back({{"id", s.ext_id}, {"kind", to_string(s.kind)}, {"panel", s.panel}, {"state", to_string(s.state)},
                        {"suspend_reason", s.suspend_reason}});
    text += fmt::format("  service {:<16} {:<9} {}{}\n", s.ext_id, to_string(s.kind), to_string(s.state),
                        s.suspend_reason.empty() ? "" : " (" + s.suspend_reason + ")");
  }
  json balances = json::object();
  for (const auto& inv : snap.open_invoices) {
    const std::string code(inv.balance.currency.code());
    const std::int64_t before = balances.contains(code) ? balances[code].get<std::int64_t>() : 0;
    balances[code] = before + inv.balance.minor;
    text += fmt::format("  invoice {:<16} due {}  balance {}\n", inv.ext_id, format_date(inv.due_on), format_money(inv.balance));
  }
  json balance = json::object();
  for (const auto& [code, minor] : balances.items()) {
    balance[code] = format_amount(Money{minor.get<std::int64_t>(), *Currency::parse(code)});
  }
  const auto overdue = policy::overdue_on(snap, today);
  const auto stage = current_stage(snap, policy);
  json next = nullptr;
  for (const auto& entry : walk::simulate(store, policy, today, 90, customer->id)) {
    if (entry.event != "action") continue;
    next = {{"date", format_date(entry.day)}, {"stage", entry.stage}, {"action", entry.detail}};
    break;
  }
  text += fmt::format("  days overdue: {}   current stage: {}   episode: {}\n", overdue.days,
                      stage.empty() ? "none" : stage, snap.episode ? std::to_string(snap.episode->number) : "none");
  text += next.is_null() ? "  next action: none planned\n"
                         : fmt::format("  next action: {} on {} (stage {})\n", next["action"].get<std::string>(),
                                       next["date"].get<std::string>(), next["stage"].get<std::string>());
  text += "  open promise: none\n";
  ctx.print({{"id", customer->ext_id}, {"name", customer->name}, {"locale", customer->locale}, {"tags", customer->tags},
             {"exempt_until", customer->exempt_until ? json(format_date(*customer->exempt_until)) : json(nullptr)},
             {"services", services}, {"balance", balance}, {"days_overdue", overdue.days},
             {"current_stage", stage.empty() ? json(nullptr) : json(stage)},
             {"episode", snap.episode ? json(snap.episode->number) : json(nullptr)}, {"next_action", next},
             {"open_promise", nullptr}},
            text);
}

void show_service(Context& ctx, const std::string& id) {
  const auto s = ctx.store().service(id);
  if (!s) throw CommandError(fmt::format("no service '{}'", id));
  ctx.print({{"id", s->ext_id}, {"customer", s->customer_ext_id}, {"kind", to_string(s->kind)}, {"panel", s->panel},
             {"account", s->account}, {"state", to_string(s->state)}, {"suspend_reason", s->suspend_reason}},
            fmt::format("service {} of customer {}: {} on {} (account {}), {}{}", s->ext_id, s->customer_ext_id,
                        to_string(s->kind), s->panel, s->account, to_string(s->state),
                        s->suspend_reason.empty() ? "" : " (" + s->suspend_reason + ")"));
}

void show_invoice(Context& ctx, const std::string& id) {
  const auto found = ctx.store().invoice(id);
  if (!found) throw CommandError(fmt::format("no invoice '{}'", id));
  const auto& inv = found->invoice;
  ctx.print({{"id", inv.ext_id}, {"customer", inv.customer_ext_id}, {"amount", format_amount(inv.amount)},
             {"currency", inv.amount.currency.code()}, {"balance", format_amount(found->balance)},
             {"issued_on", format_date(inv.issued_on)}, {"due_on", format_date(inv.due_on)},
             {"status", to_string(inv.status)}, {"services", inv.services}},
            fmt::format("invoice {} of customer {}: {} due {}, {}, balance {}", inv.ext_id, inv.customer_ext_id,
                        format_money(inv.amount), format_date(inv.due_on), to_string(inv.status),
                        format_money(found->balance)));
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
    if (!ctx.store().customer(audit_customer)) throw CommandError(fmt::format("no customer '{}'", audit_customer));
    json rows = json::array();
    std::string text;
    for (const auto& e : ctx.store().audit_of("customer:" + audit_customer)) {
      rows.push_back({{"at", format_instant(e.at)}, {"actor", e.actor}, {"event", e.event},
                      {"details", json::parse(e.details, nullptr, false)}});
      text += fmt::format("{}  {:<22} {:<18} {}\n", format_instant(e.at), e.actor, e.event, e.details);
    }
    ctx.print(rows, text.empty() ? "no audit rows\n" : text);
  });

  static std::string list_what;
  auto* list = app.add_subcommand("list", "suspended services or dead actions");
  list->add_option("what", list_what, "suspended or dead-actions")
      ->required()
      ->check(CLI::IsMember({"suspended", "dead-actions"}));
  list->callback([&ctx] {
    json rows = json::array();
    std::string text;
    if (list_what == "suspended") {
      for (const auto& s : ctx.store().services_in(ServiceState::suspended)) {
        rows.push_back({{"service", s.ext_id}, {"customer", s.customer_ext_id}, {"reason", s.suspend_reason}});
        text += fmt::format("{:<16} {:<16} {}\n", s.ext_id, s.customer_ext_id, s.suspend_reason);
      }
    } else {
      store::ActionFilter filter;
      filter.state = ActionState::dead;
      for (const auto& a : ctx.store().actions(filter)) {
        rows.push_back({{"id", a.id}, {"key", a.key}, {"attempts", a.attempts}, {"last_error", a.last_error}});
        text += fmt::format("{:<8} {:<50} {} attempts: {}\n", a.id, a.key, a.attempts, a.last_error);
      }
    }
    ctx.print(rows, text.empty() ? "none\n" : text);
  });
}

}  // namespace cobrador::ctl
