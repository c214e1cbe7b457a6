// Implements web/work_page.hpp.
#include "web/work_page.hpp"

#include "policy/tasks.hpp"
#include "util/instant.hpp"
#include "web/console_page.hpp"
#include "web/customer_page.hpp"
#include "web/forms.hpp"

namespace cobrador::web {

namespace {

constexpr int kListed = 200;

Html customer_link(const std::string& ext_id) {
  if (ext_id.empty()) return html("{}", "—");
  return html(R"(<a href="{}">{}</a>)", customer_path(ext_id), ext_id);
}

// The outcomes a task of `kind` closes with: its own (done), then the dismissals.
Html outcome_options(const std::string& kind) {
  Html options;
  if (const auto* known = policy::find_task_kind(kind)) {
    for (const auto outcome : known->outcomes)
      options += html(R"(<option value="done:{}">done: {}</option>)", outcome, outcome);
  }
  for (const auto outcome : policy::kDismissOutcomes)
    options += html(R"(<option value="dismissed:{}">dismiss: {}</option>)", outcome, outcome);
  return options;
}

Html tasks_section(store::Store& store, const ConsoleSession& session) {
  store::TaskFilter filter;
  filter.state = "open";
  filter.limit = kListed;
  Html rows;
  const auto tasks = store.tasks(filter);
  for (const auto& t : tasks) {
    Html form;
    if (session.may_change) {
      const auto id = std::to_string(t.id);
      Html reason;
      if (t.kind == "confirm_cancellation")
        reason = html(
            R"( <label class="inline" for="reason-{}">reason code</label><input id="reason-{}" name="reason_code" type="text" size="14">)",
            id, id);
      form = html(
          R"(<form method="post" action="/console/tasks/{}/outcome">{}<label for="outcome-{}">outcome</label><select id="outcome-{}" name="outcome">{}</select>{}
<label for="note-{}">note</label><input id="note-{}" name="note" type="text" size="24"> <button type="submit">Close task {}</button></form>)",
          id, csrf_field(session), id, id, outcome_options(t.kind), reason, id, id, id);
    }
    rows += html(
        R"(<tr><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td></tr>)",
        t.id, t.kind, customer_link(t.customer), t.title, format_date(t.due_on), t.attempts, form);
  }
  if (tasks.empty())
    rows = html(R"(<tr><td colspan="7" class="muted">{}</td></tr>)", "Nothing waits for a person.");
  return html(
      R"(<section class="card" id="tasks"><h2>Open tasks</h2><table><thead><tr><th class="n">task</th><th>kind</th><th>customer</th><th>what</th><th>due</th><th class="n">attempts</th><th></th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

Html dead_actions_section(store::Store& store, const ConsoleSession& session) {
  store::ActionFilter filter;
  filter.state = ActionState::dead;
  filter.limit = kListed;
  const auto actions = store.actions(filter);
  Html rows;
  for (const auto& a : actions) {
    Html form;
    if (session.may_change)
      form = html(
          R"(<form method="post" action="/console/actions/{}/retry">{}<button type="submit">Send action {} again</button></form>)",
          a.id, csrf_field(session), a.id);
    const auto customer = store.customer(a.customer_id);
    rows += html(
        R"(<tr><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>)",
        a.id, a.key, to_string(a.kind), customer_link(customer ? customer->ext_id : ""), a.attempts,
        a.last_error, form);
  }
  if (actions.empty())
    rows = html(R"(<tr><td colspan="7" class="muted">{}</td></tr>)", "No action was given up.");
  return html(
      R"(<section class="card" id="dead-actions"><h2>Dead actions</h2><table><thead><tr><th class="n">action</th><th>key</th><th>kind</th><th>customer</th><th class="n">attempts</th><th>last error</th><th></th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

Html unmatched_section(store::Store& store, const ConsoleSession& session) {
  Html rows;
  const auto entries = store.unmatched_bank_entries();
  int shown = 0;
  for (const auto& e : entries) {
    if (++shown > kListed) break;
    std::string references;
    for (const auto& r : e.references) references += (references.empty() ? "" : ", ") + r;
    Html form;
    if (session.may_change && e.direction == "credit" && !e.reversal) {
      const auto field = "invoice-" + std::to_string(e.id);
      form = html(
          R"(<form method="post" action="/console/bank-entries/{}/place">{}<label for="{}">pays invoice</label><input id="{}" name="invoice" type="text" size="14" required> <button type="submit">Place entry {}</button></form>)",
          path_segment(e.identity), csrf_field(session), field, field, e.id);
    }
    rows += html(R"(<tr><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
                 e.identity, format_date(e.booking_date), format_money(e.amount), references, e.explanation,
                 form);
  }
  if (entries.empty())
    rows = html(R"(<tr><td colspan="6" class="muted">{}</td></tr>)", "Every bank credit found its invoice.");
  return html(
      R"(<section class="card" id="unmatched"><h2>Bank entries no invoice claimed</h2><table><thead><tr><th>entry</th><th>booked</th><th class="n">amount</th><th>references</th><th>why unmatched</th><th></th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

}  // namespace

Html work_body(store::Store& store, const ConsoleSession& session) {
  return html("{}{}{}", tasks_section(store, session), dead_actions_section(store, session),
              unmatched_section(store, session));
}

}  // namespace cobrador::web
