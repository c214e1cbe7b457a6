// Implements web/customer_page.hpp.
#include "web/customer_page.hpp"

#include <algorithm>
#include <cctype>
#include <variant>

#include <nlohmann/json.hpp>

#include "service/customer_view.hpp"
#include "service/desk.hpp"
#include "service/trust_release.hpp"
#include "util/instant.hpp"
#include "web/console_page.hpp"
#include "web/forms.hpp"

namespace cobrador::web {

namespace {

using nlohmann::json;

constexpr std::size_t kFound = 50;

std::string joined(const std::vector<std::string>& parts, const char* separator = ", ") {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string balance_text(const std::map<std::string, Money>& balance) {
  std::vector<std::string> parts;
  for (const auto& [currency, money] : balance) parts.push_back(format_money(money));
  return parts.empty() ? "nothing" : joined(parts);
}

// A value of an audit row's details as one line of text.
std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string detail_text(const json& details, const char* key) {
  const auto found = details.is_object() ? details.find(key) : details.end();
  return found == details.end() ? "" : text_of(*found);
}

// What the audit trail says "why": the rule of the stage run that queued the suspension that
// the panel then acknowledged, for each suspended service.
Html why_card(const std::vector<Service>& services, const std::vector<AuditEntry>& trail) {
  Html items;
  for (const auto& service : services) {
    if (service.state != ServiceState::suspended && service.state != ServiceState::locked) continue;
    // The last acknowledged suspension of this service.
    const AuditEntry* done = nullptr;
    std::string key;
    for (const auto& entry : trail) {
      if (entry.event != "action_done") continue;
      const auto details = json::parse(entry.details, nullptr, false);
      const auto action = detail_text(details, "action");
      if (action.find(":suspend:") != std::string::npos && action.ends_with(":" + service.ext_id)) {
        done = &entry;
        key = action;
      }
    }
    std::string rule, stage;
    for (const auto& entry : trail) {
      if (entry.event != "stage_run") continue;
      const auto details = json::parse(entry.details, nullptr, false);
      const auto actions = details.is_object() ? details.find("actions") : details.end();
      if (actions == details.end() || !actions->is_array()) continue;
      if (std::find(actions->begin(), actions->end(), json(key)) != actions->end()) {
        rule = detail_text(details, "rule");
        stage = detail_text(details, "stage");
      }
    }
    if (service.suspend_reason != "non_payment" && !service.suspend_reason.empty() && rule.empty()) {
      items += html("<li><strong>{}</strong> is {} by hand: {}</li>", service.ext_id,
                    to_string(service.state), service.suspend_reason);
    } else if (done) {
      const auto reply = detail_text(json::parse(done->details, nullptr, false), "reply");
      items += html(
          "<li><strong>{}</strong> was {} on {} at the stage <em>{}</em>, because: <q>{}</q>. The panel "
          "answered: <q>{}</q></li>",
          service.ext_id, to_string(service.state), format_instant(done->at), stage.empty() ? "?" : stage,
          rule.empty() ? "no stage run names it (by hand?)" : rule, reply);
    } else {
      items += html("<li><strong>{}</strong> is {} ({}); the audit trail has no panel answer for it</li>",
                    service.ext_id, to_string(service.state), service.suspend_reason);
    }
  }
  if (items.markup.empty()) return {};
  return html(R"(<section class="card" id="why"><h2>Why suspended</h2><ul>{}</ul></section>)", items);
}

Html standing_card(const service::CustomerView& view) {
  Html rows = html("<tr><th>state</th><td>{}</td></tr><tr><th>owed</th><td>{}</td></tr>", view.state,
                   balance_text(view.balance));
  if (view.days_overdue > 0) rows += html("<tr><th>days overdue</th><td>{}</td></tr>", view.days_overdue);
  if (view.episode)
    rows += html("<tr><th>episode</th><td>{} (stage reached: {})</td></tr>", *view.episode,
                 view.current_stage.empty() ? "none yet" : view.current_stage);
  if (view.next_action)
    rows += html("<tr><th>next</th><td>{}: {} ({})</td></tr>", format_date(view.next_action->date),
                 view.next_action->stage, view.next_action->action);
  if (view.open_promise)
    rows += html("<tr><th>trust release</th><td>until {}, granted by {}: {}</td></tr>",
                 format_date(view.open_promise->deadline), view.open_promise->granted_by,
                 view.open_promise->reason);
  if (view.cause && !view.cause->cause.empty())
    rows += html("<tr><th>cause</th><td>{} ({})</td></tr>", view.cause->cause, view.cause->source);
  if (view.claims_flagged_at)
    rows += html("<tr><th>claims</th><td>an unconfirmed claim on {}: no claim-based releases</td></tr>",
                 format_instant(*view.claims_flagged_at));
  return html(R"(<section class="card"><h2>Where it stands</h2><table><tbody>{}</tbody></table></section>)",
              rows);
}

Html services_card(const std::vector<Service>& services) {
  Html rows;
  for (const auto& s : services)
    rows += html("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", s.ext_id,
                 to_string(s.kind), s.panel, to_string(s.state), s.suspend_reason);
  return html(
      R"(<section class="card"><h2>Services</h2><table><thead><tr><th>service</th><th>kind</th><th>panel</th><th>state</th><th>reason</th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

Html invoices_card(const std::vector<store::InvoiceBalance>& invoices) {
  Html rows;
  for (const auto& [invoice, balance] : invoices)
    rows += html(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td>{}</td></tr>)",
        invoice.ext_id, format_date(invoice.issued_on), format_date(invoice.due_on),
        format_money(invoice.amount), format_money(balance), to_string(invoice.status));
  return html(
      R"(<section class="card"><h2>Invoices</h2><table><thead><tr><th>invoice</th><th>issued</th><th>due</th><th class="n">amount</th><th class="n">owed</th><th>status</th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

// One audit row of the timeline: the rule when there is one, a notice's text, a panel's answer,
// else the details as "key: value".
Html timeline_row(const AuditEntry& entry) {
  const auto details = json::parse(entry.details, nullptr, false);
  Html what;
  if (entry.event == "notice_sent") {
    what = html("<details><summary>{}</summary><pre>{}</pre></details>", detail_text(details, "subject"),
                detail_text(details, "text"));
  } else if (entry.event == "action_done") {
    what = html("{} — the answer: <q>{}</q>", detail_text(details, "action"), detail_text(details, "reply"));
  } else if (const auto rule = detail_text(details, "rule"); !rule.empty()) {
    const auto stage = detail_text(details, "stage");
    what = stage.empty() ? html("{}", rule) : html("<em>{}</em>: {}", stage, rule);
  } else if (details.is_object()) {
    std::vector<std::string> parts;
    for (const auto& [key, value] : details.items()) parts.push_back(key + ": " + text_of(value));
    what = html("{}", joined(parts, "; "));
  }
  return html("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", format_instant(entry.at), entry.actor,
              entry.event, what);
}

// The newest rows of the trail, so that a customer of many years still gets a page that loads
// (docs/console.md: no page over 300 KB); the whole trail is `cobradorctl audit`.
constexpr std::size_t kTimelineRows = 150;

Html timeline_card(const std::vector<AuditEntry>& trail, const std::string& customer) {
  Html rows;
  // Newest first: the question is usually about today.
  std::size_t shown = 0;
  for (auto it = trail.rbegin(); it != trail.rend() && shown < kTimelineRows; ++it, ++shown)
    rows += timeline_row(*it);
  Html older;
  if (trail.size() > kTimelineRows)
    older = html(
        R"(<p class="muted">The {} newest of {} rows; all of them: <code>cobradorctl audit {}</code></p>)",
        kTimelineRows, trail.size(), customer);
  return html(R"(<section class="card"><h2>Everything that happened</h2><p class="muted">{}</p>
<table><thead><tr><th>when (UTC)</th><th>who</th><th>what</th><th>details</th></tr></thead><tbody>{}</tbody></table>{}</section>)",
              "Every decision with its rule, every notice as sent, every panel answer, newest first.", rows,
              older);
}

Html outbox_card(const std::vector<Action>& actions) {
  Html rows;
  for (const auto& a : actions) {
    if (a.state == ActionState::done || a.state == ActionState::cancelled) continue;
    rows += html("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                 a.key, to_string(a.kind), a.target, to_string(a.state), a.attempts, a.last_error);
  }
  if (rows.markup.empty()) return {};
  return html(
      R"(<section class="card"><h2>Waiting in the outbox</h2><table><thead><tr><th>action</th><th>kind</th><th>target</th><th>state</th><th class="n">attempts</th><th>last error</th></tr></thead><tbody>{}</tbody></table></section>)",
      rows);
}

Html desk_card(const std::vector<store::TaskRecord>& tasks,
               const std::vector<store::ContactRecord>& contacts) {
  Html rows;
  for (const auto& t : tasks)
    rows += html("<tr><td>task {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", t.id, t.kind,
                 t.state, t.title, t.outcome.empty() ? t.note : t.outcome + ": " + t.note);
  for (const auto& c : contacts)
    rows += html("<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", c.channel,
                 c.direction, format_instant(c.at), c.outcome, c.cause, c.note);
  if (rows.markup.empty()) return {};
  return html(
      R"(<section class="card"><h2>Tasks and contacts</h2><table><tbody>{}</tbody></table></section>)", rows);
}

// What a trust release would be now, from the same function as the grant (run and rolled
// back), with the form that grants it; the refusing rule when the policy refuses, and for an
// operator the form that overrides it with a reason.
Html trust_release_card(store::Store& store, const policy::Policy& policy, const service::CustomerView& view,
                        Instant now, const ConsoleSession& session) {
  if (view.state == "good_standing") return {};
  service::TrustReleaseRequest request;
  request.customer = view.customer.ext_id;
  request.actor = session.actor();
  const auto preview = service::preview_trust_release(store, policy, request, now);
  const auto action = customer_path(view.customer.ext_id) + "/trust-release";
  Html said;
  Html form;
  if (!preview) {
    said = html(R"(<p class="muted">{}</p>)", preview.error().message);
  } else if (const auto* granted = std::get_if<service::TrustReleaseGranted>(&*preview)) {
    said = html(
        "<p>The policy allows a trust release now: services back at once, to be paid by "
        "<strong>{}</strong>.</p>",
        format_date(granted->promise.deadline));
    if (session.may_change)
      form = html(
          R"(<form method="post" action="{}">{}<label for="reason">reason</label><input id="reason" name="reason" type="text" size="40" required> <button type="submit">Grant the trust release</button></form>)",
          action, csrf_field(session));
  } else {
    const auto& refused = std::get<service::TrustReleaseRefused>(*preview);
    said = html(R"(<p>The policy refuses a trust release now: <code>{}</code>, <q>{}</q></p>)", refused.rule,
                refused.message);
    if (session.may_change && refused.rule != "open_promise" && refused.rule != "nothing_to_release")
      form = html(
          R"(<form method="post" action="{}">{}<input type="hidden" name="force" value="yes"><label for="reason">reason for overriding the rule</label><input id="reason" name="reason" type="text" size="40" required> <button type="submit">Grant it anyway</button></form>)",
          action, csrf_field(session));
  }
  return html(R"(<section class="card" id="trust-release"><h2>Trust release</h2>{}{}</section>)", said, form);
}

}  // namespace

std::string customer_path(const std::string& ext_id) { return "/console/customers/" + path_segment(ext_id); }

Html customer_search_body(store::Store& store, const std::string& query) {
  Html found;
  if (!query.empty()) {
    Html rows;
    const auto customers = store.find_customers(query, kFound);
    for (const auto& c : customers)
      rows += html(R"(<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>)", customer_path(c.ext_id),
                   c.ext_id, c.name, joined(c.emails));
    found =
        customers.empty()
            ? html(R"(<p class="notice">No customer matches <q>{}</q>.</p>)", query)
            : html(
                  R"(<table><thead><tr><th>id</th><th>name</th><th>e-mail</th></tr></thead><tbody>{}</tbody></table>{})",
                  rows,
                  customers.size() == kFound
                      ? html("<p class=\"muted\">{}</p>", "The first 50 only: say more.")
                      : Html{});
  }
  return html(
      R"(<form method="get" action="/console/customers" role="search"><label for="q">Id, name or e-mail</label>
<input id="q" name="q" type="search" value="{}" autofocus> <button type="submit">Search</button></form>{})",
      query, found);
}

std::optional<Html> customer_body(store::Store& store, const policy::Policy& policy,
                                  const std::string& ext_id, Instant now, const ConsoleSession& session) {
  const auto view = service::customer_view(store, policy, ext_id, now);
  if (!view) return std::nullopt;
  const auto& customer = view->customer;
  const auto trail = store.audit_of("customer:" + customer.ext_id);
  store::ActionFilter filter;
  filter.customer_id = customer.id;
  const auto actions = store.actions(filter);
  store::TaskFilter tasks;
  tasks.customer = customer.ext_id;
  auto listed = service::list_tasks(store, tasks);
  auto* task_records = std::get_if<std::vector<store::TaskRecord>>(&listed);
  const auto contacts = store.contacts_of(customer.id);
  const Html who = html(R"(<p><strong>{}</strong> · {} · {} · {}{}</p>)", customer.name, customer.ext_id,
                        joined(customer.emails), joined(customer.phones),
                        customer.tags.empty() ? Html{} : html(" · tags: {}", joined(customer.tags)));
  return html("{}{}<div class=\"grid\">{}{}</div>{}{}{}{}{}", who, why_card(view->services, trail),
              standing_card(*view), services_card(view->services),
              trust_release_card(store, policy, *view, now, session),
              invoices_card(store.invoices_of(customer.id)), outbox_card(actions),
              desk_card(task_records ? *task_records : std::vector<store::TaskRecord>{}, contacts),
              timeline_card(trail, customer.ext_id));
}

}  // namespace cobrador::web
