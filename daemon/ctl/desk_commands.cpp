// The operator's desk from the command line (docs/tasks.md): `tasks [--kind K] [--state S]
// [--customer C]`, `task done|dismiss ID --outcome CODE --note TEXT` and `contact CUSTOMER
// --channel phone --outcome CODE [--cause CODE] --note TEXT`. The same service functions as
// GET /v1/tasks, POST /v1/tasks/{id}/outcome and POST /v1/customers/{id}/contacts.
#include <fmt/format.h>

#include "ctl/context.hpp"
#include "service/desk.hpp"
#include "util/clock.hpp"

namespace cobrador::ctl {

namespace {

using nlohmann::json;

[[noreturn]] void refuse(const service::Refusal& refusal) {
  throw CommandError(fmt::format("{} ({})", refusal.message, refusal.code));
}

void add_tasks(CLI::App& app, Context& ctx) {
  static std::string kind, state = "open", customer, assignee;
  static int limit = 500;
  auto* cmd = app.add_subcommand("tasks", "the operator's inbox: work for a person (docs/tasks.md)");
  cmd->add_option("--kind", kind, "only tasks of this kind");
  cmd->add_option("--state", state, "open (the default), done, dismissed or all");
  cmd->add_option("--customer", customer, "only tasks about this customer");
  cmd->add_option("--assignee", assignee, "only tasks given to this person");
  cmd->add_option("--limit", limit, "at most this many (1 to 100000; open ones first, by due day)")
      ->check(CLI::Range(1, 100000));
  cmd->callback([&ctx] {
    store::TaskFilter filter;
    if (!kind.empty()) filter.kind = kind;
    if (state != "all") filter.state = state;
    if (!customer.empty()) filter.customer = customer;
    if (!assignee.empty()) filter.assignee = assignee;
    filter.limit = limit;
    const auto listed = service::list_tasks(ctx.store(), filter);
    if (const auto* refusal = std::get_if<service::Refusal>(&listed)) refuse(*refusal);
    json rows = json::array();
    std::string text;
    for (const auto& t : std::get<std::vector<store::TaskRecord>>(listed)) {
      rows.push_back(service::to_json(t));
      text += fmt::format("#{:<5} {:<9} due {} {:<26} {}{}{}\n", t.id, t.state, format_date(t.due_on), t.kind,
                          t.title, t.assignee.empty() ? "" : fmt::format(" (for {})", t.assignee),
                          t.outcome.empty() ? "" : fmt::format(" [{}]", t.outcome));
    }
    ctx.print(rows, text.empty() ? "no tasks\n" : text);
  });
}

void add_task(CLI::App& app, Context& ctx) {
  static std::string how, assignee;
  static service::TaskClosing closing;
  auto* cmd = app.add_subcommand(
      "task", "close a task: done (the work is done) or dismiss (nothing to do); or assign it to a person");
  cmd->add_option("how", how, "done, dismiss or assign")
      ->required()
      ->check(CLI::IsMember({"done", "dismiss", "assign"}));
  cmd->add_option("id", closing.task_id, "the task's number")->required();
  cmd->add_option("--outcome", closing.outcome,
                  "done or dismiss: an outcome code of the task's kind (docs/tasks.md)");
  cmd->add_option("--to", assignee, "assign: the person who takes it (empty: nobody)");
  cmd->add_option("--note", closing.note, "what happened, for the next person");
  cmd->add_option("--reason", closing.reason_code,
                  "confirm_cancellation confirmed: the customer's reason code");
  cmd->add_option("--offer", closing.retention_offers, "a retention offer made on the call (repeatable)");
  cmd->callback([&ctx] {
    if (how == "assign") {
      const auto assigned = store::in_transaction(ctx.store(), [&] {
        return service::assign_task(ctx.store(), closing.task_id, assignee, clock::now(), ctx.actor());
      });
      if (const auto* refusal = std::get_if<service::Refusal>(&assigned)) refuse(*refusal);
      const auto& task = std::get<store::TaskRecord>(assigned);
      return ctx.print(service::to_json(task), fmt::format("task #{} is {}'s\n", task.id,
                                                           task.assignee.empty() ? "nobody" : task.assignee));
    }
    if (closing.outcome.empty()) throw CommandError("task: --outcome CODE is required to close a task");
    closing.closing = how == "done" ? policy::Closing::done : policy::Closing::dismissed;
    const Instant now = clock::now();
    const auto outcome = store::in_transaction(ctx.store(), [&] {
      return service::close_task(ctx.store(), ctx.policy(), closing, now, ctx.actor());
    });
    if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
    const auto& closed = std::get<service::TaskClosed>(outcome);
    json out = service::to_json(closed.task);
    std::string text = fmt::format("task #{} {}", closed.task.id, closed.task.state);
    if (closed.confirmation) {
      const auto& c = *closed.confirmation;
      out["cancellation"] = {{"state", c.state}, {"rule", c.rule}};
      if (c.next_attempt_on) out["cancellation"]["next_attempt_on"] = format_date(*c.next_attempt_on);
      json records = json::array();
      for (const auto& r : c.records) records.push_back(service::to_json(r));
      out["cancellation"]["records"] = records;
      text += fmt::format(": cancellation {}", c.state);
      for (const auto& r : c.records)
        text += fmt::format("; {} ends {}, purged {}", r.service, format_date(r.service_end),
                            format_date(r.purge_on));
      if (c.next_attempt_on) text += fmt::format("; next call due {}", format_date(*c.next_attempt_on));
    }
    ctx.print(out, text + "\n");
  });
}

void add_contact(CLI::App& app, Context& ctx) {
  static service::ContactInput input;
  auto* cmd =
      app.add_subcommand("contact", "record what a call, an SMS or an e-mail reply taught (docs/tasks.md)");
  cmd->add_option("customer", input.customer, "the customer's external id")->required();
  cmd->add_option("--channel", input.channel, "phone, sms or email")->required();
  cmd->add_option("--direction", input.direction, "outbound (the default) or inbound");
  cmd->add_option("--outcome", input.outcome, "reached, not_reached, left_message, wrong_number...")
      ->required();
  cmd->add_option("--cause", input.cause, "why the customer does not pay (insufficient_funds, hardship...)");
  cmd->add_option("--note", input.note, "what was said");
  cmd->add_option("--task", input.task_id, "the task this contact answers");
  cmd->callback([&ctx] {
    const Instant now = clock::now();
    const auto outcome = store::in_transaction(
        ctx.store(), [&] { return service::record_contact(ctx.store(), input, now, ctx.actor()); });
    if (const auto* refusal = std::get_if<service::Refusal>(&outcome)) refuse(*refusal);
    const auto& contact = std::get<store::ContactRecord>(outcome);
    ctx.print(
        service::to_json(contact),
        fmt::format("contact #{} with {} recorded ({} {}){}\n", contact.id, contact.customer, contact.channel,
                    contact.outcome, contact.cause.empty() ? "" : "; cause: " + contact.cause));
  });
}

}  // namespace

void add_desk_commands(CLI::App& app, Context& ctx) {
  add_tasks(app, ctx);
  add_task(app, ctx);
  add_contact(app, ctx);
}

}  // namespace cobrador::ctl
