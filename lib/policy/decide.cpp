// Implements decide(): which stages of the policy are due for a customer on a day, which of
// them run, which wait (exemption, fair warning, no-suspend days), which actions that means,
// and when the customer needs to be looked at again.
#include "policy/decide.hpp"
#include "policy/tasks.hpp"
#include "policy/fair_warning.hpp"
#include "policy/outbox_actions.hpp"
#include "policy/promise_rules.hpp"
#include "policy/return_terms.hpp"
#include "util/dump_json.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cobrador::policy {

namespace {

using nlohmann::json;

bool has_tag(const CustomerSnapshot& c, std::string_view tag) { return c.tags.count(std::string(tag)) > 0; }

// Overdue balances summed per currency (a customer normally has one).
std::map<std::string, Money> totals_by_currency(const std::vector<const OpenInvoice*>& invoices) {
  std::map<std::string, Money> totals;
  for (const auto* invoice : invoices) {
    auto [it, fresh] = totals.try_emplace(std::string(invoice->balance.currency.code()), invoice->balance);
    if (!fresh) it->second.minor = saturating_add(it->second.minor, invoice->balance.minor);
  }
  return totals;
}

bool tags_allow(const Conditions& when, const CustomerSnapshot& c) {
  for (const auto& tag : when.tags_include) {
    if (!has_tag(c, tag)) return false;
  }
  for (const auto& tag : when.tags_exclude) {
    if (has_tag(c, tag)) return false;
  }
  return true;
}

bool holds(const Conditions& when, const CustomerSnapshot& c, const Overdue& overdue) {
  if (when.days_overdue && (overdue.invoices.empty() || overdue.days < *when.days_overdue)) return false;
  if (when.unpaid_invoices && static_cast<int>(overdue.invoices.size()) < *when.unpaid_invoices) return false;
  if (when.unpaid_total) {
    const auto totals = totals_by_currency(overdue.invoices);
    const bool reached = std::any_of(totals.begin(), totals.end(),
                                     [&](const auto& t) { return when.unpaid_total->reached_by(t.second); });
    if (!reached) return false;
  }
  if (when.returned_debits_in_a_row && c.returned_debits_in_a_row < *when.returned_debits_in_a_row)
    return false;
  return tags_allow(when, c);
}

std::vector<const OpenInvoice*> by_due_date(const CustomerSnapshot& c) {
  std::vector<const OpenInvoice*> sorted;
  for (const auto& invoice : c.open_invoices) sorted.push_back(&invoice);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* a, const auto* b) { return a->due_on < b->due_on; });
  return sorted;
}

// The first day on which `when` holds if nothing but time changes: invoices only become
// overdue as days pass. kNever when only an event (a new invoice, a tag) can make it hold.
Date earliest_day(const Conditions& when, const CustomerSnapshot& c) {
  const auto sorted = by_due_date(c);
  if (sorted.empty() || !tags_allow(when, c)) return kNever;
  if (when.returned_debits_in_a_row && c.returned_debits_in_a_row < *when.returned_debits_in_a_row)
    return kNever;
  Date day = sorted.front()->due_on + date::days{1};
  if (when.days_overdue) day = std::max(day, sorted.front()->due_on + date::days{*when.days_overdue});
  if (when.unpaid_invoices) {
    if (static_cast<int>(sorted.size()) < *when.unpaid_invoices) return kNever;
    day = std::max(day, sorted[*when.unpaid_invoices - 1]->due_on + date::days{1});
  }
  if (when.unpaid_total) {
    std::map<std::string, Money> running;
    std::optional<Date> reached;
    for (const auto* invoice : sorted) {
      auto [it, fresh] = running.try_emplace(std::string(invoice->balance.currency.code()), invoice->balance);
      if (!fresh) it->second.minor = saturating_add(it->second.minor, invoice->balance.minor);
      if (when.unpaid_total->reached_by(it->second)) {
        reached = invoice->due_on + date::days{1};
        break;
      }
    }
    if (!reached) return kNever;
    day = std::max(day, *reached);
  }
  return day;
}

std::string weekday_name(Date day) {
  static const char* names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  return names[date::weekday{day}.c_encoding()];
}

// Why no suspension may happen on `day`, as the policy's rule names it.
std::string no_suspend_rule(const Policy& policy, Date day) {
  return fmt::format("no_suspend_on: {}", policy.holidays.count(day) ? "holidays" : weekday_name(day));
}

// Everything one decision needs while it is being built.
struct Context {
  const CustomerSnapshot& customer;
  const Policy& policy;
  Instant now;
  Date today;
  Overdue overdue;
  Decision& decision;
  std::map<std::string, StageRun> runs;  // the episode's, plus today's
  // The episode's notices by stage, plus today's (queued: pending).
  std::map<std::string, StageNotices> notices;
  bool quiet = false;  // a promise broke today: suspend again at once, no new notices
};

void explain(Context& ctx, std::string event, std::string stage, std::string rule) {
  ctx.decision.explanations.push_back({std::move(event), std::move(stage), std::move(rule)});
}

// When a pending stage would next be due, for the "what happens next" line of a notice.
std::optional<std::pair<const Stage*, Date>> next_step(const Context& ctx, std::size_t after) {
  for (std::size_t i = after + 1; i < ctx.policy.stages.size(); ++i) {
    const Stage& stage = ctx.policy.stages[i];
    if (ctx.runs.count(stage.name)) continue;
    Date day = std::max(earliest_day(stage.when, ctx.customer), ctx.today + date::days{1});
    if (day == kNever) continue;
    // An exemption holds suspensions until it ends: the notice must not promise one sooner.
    const auto& exempt = ctx.customer.exempt_until;
    if (stage.has_effect() && exempt && *exempt >= day) day = *exempt + date::days{1};
    if (stage.has_effect()) day = ctx.policy.next_suspension_day(day);
    return std::pair{&stage, day};
  }
  return std::nullopt;
}

std::vector<const Service*> affected_services(const Context& ctx, const Stage& stage) {
  std::set<std::string> billed;
  bool all = stage.lock || stage.suspend == SuspendScope::all_services;
  for (const auto* invoice : ctx.overdue.invoices) {
    if (invoice->services.empty()) all = true;
    billed.insert(invoice->services.begin(), invoice->services.end());
  }
  std::vector<const Service*> services;
  for (const auto& service : ctx.customer.services) {
    if (all || billed.count(service.ext_id)) services.push_back(&service);
  }
  return services;
}

// The cause of the episode the notice is about: its own, or the one it takes as it starts.
std::string episode_cause(const Context& ctx) {
  if (ctx.customer.episode) return ctx.customer.episode->cause;
  return pending_cause_applies(ctx.customer, ctx.decision.episode_started_on) ? ctx.customer.pending_cause
                                                                              : std::string();
}

json notice_variables(const Context& ctx, std::size_t stage_index) {
  const auto& overdue = ctx.overdue.invoices;
  std::vector<std::string> invoices;
  for (const auto* invoice : overdue) invoices.push_back(invoice->ext_id);
  std::vector<std::string> services;
  for (const auto* service : affected_services(ctx, ctx.policy.stages[stage_index])) {
    services.push_back(service->ext_id);
  }
  json vars{{"customer_name", ctx.customer.name},
            {"amount_due", amount_due(overdue)},
            {"due_date", format_date(overdue.front()->due_on)},
            {"days_overdue", std::to_string(ctx.overdue.days)},
            {"invoices", fmt::format("{}", fmt::join(invoices, ", "))},
            {"services", fmt::format("{}", fmt::join(services, ", "))},
            {"cause", episode_cause(ctx)},
            {"next_step", ""},
            {"next_step_date", ""}};
  // A lock ends the relationship: the notice says when the data will be purged.
  const Stage& stage = ctx.policy.stages[stage_index];
  if (stage.lock)
    vars["purge_date"] = stage.purge_after ? format_date(stage.purge_after->after(ctx.today)) : "";
  // ...and what bringing the services back takes (reactivation_after_lock).
  if (stage.lock) {
    for (const auto& [name, value] : lock_notice_variables(ctx.customer, ctx.policy.reactivation_after_lock))
      vars[name] = value;
  }
  if (const auto next = next_step(ctx, stage_index)) {
    vars["next_step"] = next->first->name;
    vars["next_step_date"] = format_date(next->second);
  }
  return vars;
}

// SMS inside quiet hours is held until the window opens; e-mail normally has no window.
Instant send_time(const Context& ctx, Channel channel) {
  const auto window = ctx.policy.quiet_hours.find(channel);
  if (window == ctx.policy.quiet_hours.end()) return ctx.now;
  return next_allowed_send(ctx.now, window->second, ctx.policy.zone());
}

// Queues the stage's notices to the customer's contacts; returns how many. `explain_skips`:
// say in the audit trail which channel had no contact.
std::size_t plan_notices(Context& ctx, std::size_t stage_index, bool explain_skips = true) {
  const Stage& stage = ctx.policy.stages[stage_index];
  const int episode = ctx.decision.episode_number;
  const json variables = notice_variables(ctx, stage_index);
  std::size_t planned = 0;
  for (const Channel channel : stage.notify) {
    const auto& contacts = channel == Channel::email ? ctx.customer.emails : ctx.customer.phones;
    if (contacts.empty()) {
      if (explain_skips)
        explain(ctx, "notice_skipped", stage.name, fmt::format("no {} contact on file", to_string(channel)));
      continue;
    }
    // A lock ends the relationship: every contact hears of it. Other notices go to the first.
    const std::size_t count = stage.lock ? contacts.size() : 1;
    for (std::size_t i = 0; i < count; ++i) {
      const std::string target = fmt::format("{}:{}", to_string(channel), contacts[i]);
      const json payload{{"template", stage.template_name},
                         {"locale", ctx.customer.locale},
                         {"channel", to_string(channel)},
                         {"to", contacts[i]},
                         {"customer", {{"id", ctx.customer.ext_id}, {"name", ctx.customer.name}}},
                         {"variables", variables}};
      ctx.decision.actions.push_back(
          {ActionKind::notify, stage.name, target,
           ActionKey::episode(ctx.customer.id, episode).then(stage.name, ActionKind::notify, target).text(),
           dump_json(payload), send_time(ctx, channel)});
      ++ctx.notices[stage.name].pending;
      ++planned;
    }
  }
  return planned;
}

json panel_payload(const CustomerSnapshot& customer, std::string_view type, const Service& service,
                   std::string_view mode) {
  json payload = policy::panel_payload(type, kNonPayment, panel_target(service, customer.ext_id));
  if (!mode.empty()) payload["mode"] = mode;
  return payload;
}

json panel_payload(const Context& ctx, std::string_view type, const Service& service, std::string_view mode) {
  return panel_payload(ctx.customer, type, service, mode);
}

// What the store records when the panel acknowledges a lock (docs/lifecycle.md).
void add_lock_terms(json& payload, const Stage& stage, Date today) {
  payload["lock"] = true;
  payload["stage"] = stage.name;
  payload["locked_on"] = format_date(today);
  payload["collections"] = stage.collections;
  if (stage.purge_after) payload["purge_date"] = format_date(stage.purge_after->after(today));
}

void plan_effect(Context& ctx, const Stage& stage) {
  for (const auto* service : affected_services(ctx, stage)) {
    // Already off, by us or by hand; a lock also ends a service suspended for non-payment.
    const bool relock =
        stage.lock && service->state == ServiceState::suspended && service->suspend_reason == kNonPayment;
    if (service->state != ServiceState::active && !relock) continue;
    json payload = panel_payload(ctx, "service.suspend", *service, to_string(stage.mode_for(service->kind)));
    if (stage.lock) add_lock_terms(payload, stage, ctx.today);
    ctx.decision.actions.push_back({ActionKind::suspend, stage.name, service->ext_id,
                                    ActionKey::episode(ctx.customer.id, ctx.decision.episode_number)
                                        .then(stage.name, ActionKind::suspend, service->ext_id)
                                        .text(),
                                    dump_json(payload), ctx.now});
  }
}

void run_stage(Context& ctx, std::size_t index, std::string rule) {
  const Stage& stage = ctx.policy.stages[index];
  ctx.runs[stage.name] = StageRun{ctx.today, false};
  ctx.decision.stages_run.push_back(stage.name);
  if (stage.has_effect()) plan_effect(ctx, stage);
  if (!ctx.quiet) plan_notices(ctx, index);
  explain(ctx, "stage_run", stage.name, std::move(rule));
}

void supersede_stage(Context& ctx, std::size_t index, const std::string& by) {
  const Stage& stage = ctx.policy.stages[index];
  ctx.runs[stage.name] = StageRun{ctx.today, true};
  ctx.decision.stages_superseded.push_back(stage.name);
  explain(ctx, "stage_superseded", stage.name, fmt::format("stage '{}' was due the same day", by));
}

std::string why_due(const Context& ctx, const Stage& stage) {
  std::vector<std::string> parts;
  const auto& when = stage.when;
  const auto* oldest = ctx.overdue.invoices.front();
  if (when.days_overdue) {
    parts.push_back(fmt::format("days_overdue {} >= {} (invoice {} due {})", ctx.overdue.days,
                                *when.days_overdue, oldest->ext_id, format_date(oldest->due_on)));
  }
  if (when.unpaid_invoices) {
    parts.push_back(
        fmt::format("unpaid_invoices {} >= {}", ctx.overdue.invoices.size(), *when.unpaid_invoices));
  }
  if (when.unpaid_total) {
    parts.push_back(
        fmt::format("unpaid_total {} >= {}", amount_due(ctx.overdue.invoices), when.unpaid_total->text));
  }
  if (when.returned_debits_in_a_row) {
    parts.push_back(fmt::format("returned_debits_in_a_row {} >= {}", ctx.customer.returned_debits_in_a_row,
                                *when.returned_debits_in_a_row));
  }
  for (const auto& tag : when.tags_include) parts.push_back(fmt::format("tag {}", tag));
  return fmt::format("{}", fmt::join(parts, ", "));
}

struct Hold {
  std::string reason;
  Date until;
  bool warning_undelivered = false;
  std::string warning;  // the warning's stage, when it never went out
};

// Why an effect stage (suspend, lock) that is due must wait, and until when; nullopt if it
// may run today.
std::optional<Hold> hold_of(const Context& ctx, std::size_t index) {
  const auto& c = ctx.customer;
  if (c.exempt_until && *c.exempt_until >= ctx.today) {
    return Hold{fmt::format("exempt_until {}", format_date(*c.exempt_until)), *c.exempt_until + date::days{1},
                false, ""};
  }
  if (auto warning = fair_warning_hold(ctx.policy, index, ctx.runs, ctx.notices, ctx.today))
    return Hold{std::move(warning->reason), warning->until, warning->undelivered, warning->warning};
  if (!ctx.policy.suspension_allowed_on(ctx.today)) {
    return Hold{no_suspend_rule(ctx.policy, ctx.today), ctx.policy.next_suspension_day(ctx.today), false, ""};
  }
  return std::nullopt;
}

// The operator hears once per episode (the store keeps the first) that a suspension waits
// for a warning that never went out: only a person can fix a contact or a channel.
void alert_undelivered(Context& ctx, const Stage& held, const std::string& reason) {
  const auto& c = ctx.customer;
  ctx.decision.alerts.push_back(
      {std::string(kWarningUndelivered),
       fmt::format("customer:{}:episode:{}", c.ext_id, ctx.decision.episode_number),
       fmt::format("customer {} ({}): stage '{}' is held because {}. Correct or add the contact (the next "
                   "walk sends the warning to it), or retry the notice once its channel works (cobradorctl "
                   "retry ACTION): the stage runs min_notice_days after the warning goes out",
                   c.ext_id, c.name, held.name, reason)});
}

// A warning that never went out is queued again to the contacts the customer has today: a
// contact corrected or added since gets it under a new key; one already tried has its action
// already (same key: the store adds nothing, and writes no audit row for it).
void queue_warning_again(Context& ctx, const std::string& warning) {
  const auto& stages = ctx.policy.stages;
  const auto found =
      std::find_if(stages.begin(), stages.end(), [&](const Stage& s) { return s.name == warning; });
  if (found == stages.end()) return;
  if (plan_notices(ctx, static_cast<std::size_t>(found - stages.begin()), false) > 0) {
    explain(ctx, std::string(kWarningQueuedAgain), warning,
            "the warning never went out: queued again to the customer's contacts on its channels");
  }
}

void end_episode(Context& ctx, std::string rule) {
  const auto& c = ctx.customer;
  ctx.decision.end_episode = true;
  ctx.decision.episode_number = c.episode->number;
  explain(ctx, "episode_ended", "", std::move(rule));
  // Only suspensions for non-payment are lifted by payment; one made by hand keeps its reason.
  for (const auto& service : c.services) {
    if (service.state != ServiceState::suspended || service.suspend_reason != kNonPayment) continue;
    ctx.decision.actions.push_back({ActionKind::unsuspend, "end", service.ext_id,
                                    ActionKey::episode(c.id, c.episode->number)
                                        .then(kEndStage, ActionKind::unsuspend, service.ext_id)
                                        .text(),
                                    dump_json(panel_payload(ctx, "service.unsuspend", service, "")),
                                    ctx.now});
  }
}

// The deadline of an open promise passed unpaid: the services it reactivated (or whose
// suspension it postponed) are suspended again through the normal suspend path.
void break_promise(Context& ctx) {
  const auto& promise = *ctx.customer.promise;
  ctx.quiet = true;
  ctx.decision.broken_promise = promise.id;
  // Each service is suspended the way the first suspending stage suspends its kind.
  const auto suspending = std::find_if(ctx.policy.stages.begin(), ctx.policy.stages.end(),
                                       [](const Stage& stage) { return stage.suspend && !stage.lock; });
  const auto mode_of = [&](const Service& service) {
    return to_string(suspending == ctx.policy.stages.end() ? SuspendMode::full
                                                           : suspending->mode_for(service.kind));
  };
  const std::string stage = fmt::format("promise{}", promise.id);
  const auto& released = promise.released_services;
  for (const auto& service : ctx.customer.services) {
    if (service.state != ServiceState::active) continue;
    if (std::find(released.begin(), released.end(), service.ext_id) == released.end()) continue;
    ctx.decision.actions.push_back(
        {ActionKind::suspend, "promise", service.ext_id,
         ActionKey::episode(ctx.customer.id, ctx.decision.episode_number)
             .then(stage, ActionKind::suspend, service.ext_id)
             .text(),
         dump_json(panel_payload(ctx, "service.suspend", service, mode_of(service))), ctx.now});
  }
  explain(ctx, "promise_broken", "",
          fmt::format("trust release #{} due {} passed unpaid: suspended again at once, no new notices",
                      promise.id, format_date(promise.deadline)));
}

// The held stages are looked at again on their hold's date, not on the day they became due.
Date next_evaluation(const Context& ctx, const std::vector<Date>& holds,
                     const std::vector<std::size_t>& held = {}) {
  Date next = kNever;
  for (std::size_t i = 0; i < ctx.policy.stages.size(); ++i) {
    const Stage& stage = ctx.policy.stages[i];
    if (ctx.runs.count(stage.name) || std::find(held.begin(), held.end(), i) != held.end()) continue;
    next = std::min(next, earliest_day(stage.when, ctx.customer));
  }
  for (const Date day : holds) next = std::min(next, day);
  return next == kNever ? kNever : std::max(next, ctx.today + date::days{1});
}

void decide_stages(Context& ctx) {
  const auto& stages = ctx.policy.stages;
  std::vector<std::size_t> due;
  for (std::size_t i = 0; i < stages.size(); ++i) {
    if (!ctx.runs.count(stages[i].name) && holds(stages[i].when, ctx.customer, ctx.overdue)) due.push_back(i);
  }
  if (due.empty()) {
    ctx.decision.next_evaluation = next_evaluation(ctx, {});
    return;
  }
  if (!ctx.customer.episode) {
    ctx.decision.start_episode = true;
    ctx.decision.episode_started_on = ctx.overdue.invoices.front()->due_on + date::days{1};
    explain(ctx, "episode_started", "",
            fmt::format("invoice {} overdue since {}", ctx.overdue.invoices.front()->ext_id,
                        format_date(ctx.decision.episode_started_on)));
  }
  // Of the notify-only stages due together, only the last one speaks: a customer back from a
  // long outage gets the warning, not the reminder and the warning at once.
  std::vector<std::size_t> notices;
  std::vector<std::size_t> effects;
  for (const auto i : due) (stages[i].has_effect() ? effects : notices).push_back(i);
  for (std::size_t k = 0; k + 1 < notices.size(); ++k)
    supersede_stage(ctx, notices[k], stages[notices.back()].name);
  if (!notices.empty() && ctx.quiet) {
    ctx.runs[stages[notices.back()].name] = StageRun{ctx.today, true};
    ctx.decision.stages_superseded.push_back(stages[notices.back()].name);
    explain(ctx, "stage_superseded", stages[notices.back()].name, "a promise broke today: no new notices");
  }
  if (!notices.empty() && !ctx.quiet) run_stage(ctx, notices.back(), why_due(ctx, stages[notices.back()]));

  std::vector<Date> holds;
  std::vector<std::size_t> held;
  if (!effects.empty()) {
    const std::size_t last = effects.back();
    // A broken promise suspends at once: the customer was warned before the release.
    if (const auto hold = ctx.quiet ? std::nullopt : hold_of(ctx, last)) {
      explain(ctx, "stage_held", stages[last].name,
              fmt::format("{}; next look {}", hold->reason, format_date(hold->until)));
      if (hold->warning_undelivered) {
        alert_undelivered(ctx, stages[last], hold->reason);
        queue_warning_again(ctx, hold->warning);
      }
      holds.push_back(hold->until);
      held = effects;
    } else {
      for (std::size_t k = 0; k + 1 < effects.size(); ++k)
        supersede_stage(ctx, effects[k], stages[last].name);
      run_stage(ctx, last, why_due(ctx, stages[last]));
    }
  }
  ctx.decision.next_evaluation = next_evaluation(ctx, holds, held);
}

}  // namespace

Overdue overdue_on(const CustomerSnapshot& customer, Date today) {
  Overdue overdue;
  for (const auto* invoice : by_due_date(customer)) {
    if (invoice->due_on < today && invoice->balance.minor > 0) overdue.invoices.push_back(invoice);
  }
  if (!overdue.invoices.empty()) overdue.days = (today - overdue.invoices.front()->due_on).count();
  return overdue;
}

bool suspended_by_episode(const CustomerSnapshot& customer, const Policy& policy, Instant now,
                          std::string_view service_ext_id) {
  if (!customer.episode) return false;
  Decision unused;
  const Date today = policy.local_date(now);
  Context ctx{customer,
              policy,
              now,
              today,
              overdue_on(customer, today),
              unused,
              customer.episode->runs,
              customer.episode->notices};
  if (ctx.overdue.invoices.empty()) return false;
  for (const auto& stage : policy.stages) {
    if (!stage.has_effect() || !ctx.runs.count(stage.name)) continue;
    for (const auto* service : affected_services(ctx, stage)) {
      if (service->ext_id == service_ext_id) return true;
    }
  }
  return false;
}

Decision decide(const CustomerSnapshot& customer, const Policy& policy, Instant now, Occasion occasion) {
  Decision decision;
  const Date today = policy.local_date(now);
  Context ctx{customer, policy, now, today, overdue_on(customer, today), decision, {}, {}};
  if (customer.episode) {
    ctx.runs = customer.episode->runs;
    ctx.notices = customer.episode->notices;
  }
  decision.episode_number = customer.episode ? customer.episode->number : customer.last_episode_number + 1;

  if (ctx.overdue.invoices.empty()) {
    if (customer.episode) end_episode(ctx, "nothing is overdue any more");
    ctx.runs.clear();  // a future episode starts from the first stage
    decision.next_evaluation = next_evaluation(ctx, {});
    return decision;
  }
  if (has_tag(customer, kNoDunningTag)) {
    // Said once in the audit trail: the customer is overdue and the policy does nothing.
    explain(ctx, "dunning_exempt", "", fmt::format("tag {}: no stage runs while it is on", kNoDunningTag));
    decision.next_evaluation = kNever;  // only a change of tags brings the customer back
    return decision;
  }
  if (occasion == Occasion::event) {
    decision.next_evaluation = kNextWalk;  // stages are for the walk; the next one looks again
    return decision;
  }
  const auto promise = on_calendar(promise_step(customer.promise, today), policy, today);
  if (promise.kind == PromiseStep::Kind::paused) {
    explain(ctx, "stages_paused", "",
            fmt::format("trust release #{} open until {}", customer.promise->id, format_date(promise.until)));
    decision.next_evaluation = promise.until;
    return decision;
  }
  if (promise.kind == PromiseStep::Kind::held) {
    explain(ctx, "stages_paused", "",
            fmt::format("trust release #{} due {} passed unpaid; {}: suspended again on {}",
                        customer.promise->id, format_date(customer.promise->deadline),
                        no_suspend_rule(policy, today), format_date(promise.until)));
    decision.next_evaluation = promise.until;
    return decision;
  }
  if (promise.kind == PromiseStep::Kind::due) break_promise(ctx);
  decide_stages(ctx);
  const bool has_cause = customer.episode ? !customer.episode->cause.empty()
                                          : pending_cause_applies(customer, decision.episode_started_on);
  if (auto call = ask_cause_task(policy.tasks, customer.ext_id, decision.episode_number, decision.stages_run,
                                 has_cause, today)) {
    decision.tasks.push_back(std::move(*call));
  }
  return decision;
}

std::string panel_action_payload(const CustomerSnapshot& customer, std::string_view type,
                                 const Service& service, std::string_view mode) {
  return dump_json(panel_payload(customer, type, service, mode));
}

std::string amount_due(const std::vector<const OpenInvoice*>& invoices) {
  std::vector<std::string> parts;
  for (const auto& [code, total] : totals_by_currency(invoices)) parts.push_back(format_money(total));
  return fmt::format("{}", fmt::join(parts, " + "));
}

}  // namespace cobrador::policy
