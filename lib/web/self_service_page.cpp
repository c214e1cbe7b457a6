// Implements web/self_service_page.hpp.
#include "web/self_service_page.hpp"

#include <fmt/format.h>

#include "notify/locale.hpp"
#include "util/instant.hpp"
#include "web/console_style.hpp"

namespace cobrador::web {

namespace {

Say state_word(ServiceState state) {
  switch (state) {
    case ServiceState::active:
      return Say::state_active;
    case ServiceState::suspended:
      return Say::state_suspended;
    case ServiceState::locked:
      return Say::state_locked;
    case ServiceState::cancelling:
      return Say::state_cancelling;
    case ServiceState::cancelled:
      return Say::state_cancelled;
    case ServiceState::purged:
      return Say::state_purged;
  }
  return Say::state_active;
}

std::string day(Date date, Lang lang) { return notify::format_local_date(date, lang_tag(lang)); }

Html card(std::string_view id, std::string_view title, const Html& body) {
  return html(R"(<section class="card" id="{}"><h2>{}</h2>{}</section>)", id, title, body);
}

Html debt_card(const SelfServiceView& page, Lang lang) {
  const auto& view = page.view;
  if (view.open_invoices.empty())
    return card("debt", say(lang, Say::total), html("<p>{}</p>", say(lang, Say::nothing_overdue)));
  Html rows;
  for (const auto& invoice : view.open_invoices)
    rows += html(R"(<tr><td>{}</td><td>{}</td><td class="n">{}</td></tr>)", invoice.ext_id,
                 day(invoice.due_on, lang), format_money(invoice.balance));
  std::string total;
  for (const auto& [currency, money] : view.balance)
    total += (total.empty() ? "" : ", ") + format_money(money);
  return card(
      "debt", say(lang, Say::total),
      html(
          R"(<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th class="n">{}</th></tr></thead><tbody>{}</tbody></table><p class="figure" id="total">{}</p>)",
          say(lang, Say::overdue_intro), say(lang, Say::invoice), say(lang, Say::due), say(lang, Say::owed),
          rows, total));
}

std::string joined_services(const service::CustomerView& view) {
  std::string out;
  for (const auto& s : view.services)
    if (s.state == ServiceState::active || s.state == ServiceState::suspended)
      out += (out.empty() ? "" : ", ") + s.ext_id;
  return out;
}

// What the walk will do next, from the same simulation as the walk (service::customer_view).
Html next_card(const SelfServiceView& page, Lang lang) {
  const auto& view = page.view;
  Html said;
  if (view.open_promise)
    said += html("<p>{}</p>", sentence(lang, Say::release_running, day(view.open_promise->deadline, lang)));
  if (!view.next_action) {
    said += html("<p>{}</p>", say(lang, Say::no_next));
  } else {
    const auto& next = *view.next_action;
    const auto when = day(next.date, lang);
    const auto kind = next.action.substr(0, next.action.find(' '));
    std::string text;
    if (kind == "suspend")
      text = sentence(lang, Say::next_suspend, when,
                      next.action.substr(std::min(next.action.size(), kind.size() + 1)));
    else if (kind == "terminate" || kind == "lock")
      text = sentence(lang, Say::next_lock, when, joined_services(view));
    else if (kind == "notify")
      text = sentence(lang, Say::next_notice, when);
    else
      text = sentence(lang, Say::next_other, when, next.stage);
    said += html(R"(<p id="next-date" data-date="{}">{}</p>)", format_date(next.date), text);
  }
  return card("next", say(lang, Say::next_title), said);
}

Html pay_card(const policy::Policy& policy, Lang lang) {
  Html items;
  for (const auto& method : policy.payments.methods) {
    const auto name = method.type == "pix"      ? say(lang, Say::pay_pix)
                      : method.type == "boleto" ? say(lang, Say::pay_boleto)
                                                : say(lang, Say::pay_bank_transfer);
    items += html("<li><strong>{}</strong>: <code>{}</code></li>", name, method.details);
  }
  if (items.markup.empty())
    return card("pay", say(lang, Say::pay_title), html("<p>{}</p>", say(lang, Say::pay_none)));
  return card("pay", say(lang, Say::pay_title), html("<ul>{}</ul>", items));
}

Html services_card(const service::CustomerView& view, Lang lang) {
  Html rows;
  for (const auto& s : view.services)
    rows += html(R"(<tr><td>{}</td><td data-state="{}">{}</td></tr>)", s.ext_id, to_string(s.state),
                 say(lang, state_word(s.state)));
  return card("services", say(lang, Say::services_title),
              html("<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
                   say(lang, Say::service), say(lang, Say::state), rows));
}

Html hidden_token(const SelfServiceView& page) {
  return html(R"(<input type="hidden" name="form" value="{}">)", page.form_token);
}

Html paid_card(const SelfServiceView& page, const policy::Policy& policy, Lang lang) {
  if (page.view.open_invoices.empty()) return {};
  Html methods;
  for (const auto& method : policy.payments.methods)
    methods += html(R"(<option value="{}">{}</option>)", method.type,
                    method.type == "pix"      ? say(lang, Say::pay_pix)
                    : method.type == "boleto" ? say(lang, Say::pay_boleto)
                                              : say(lang, Say::pay_bank_transfer));
  if (methods.markup.empty())
    methods = html(R"(<option value="other">{}</option>)", say(lang, Say::reason_other));
  std::string total;
  if (page.view.balance.size() == 1) total = format_amount(page.view.balance.begin()->second);
  return card("paid", say(lang, Say::paid_title),
              html(R"(<p>{}</p><form method="post" action="{}/paid" enctype="multipart/form-data">{}
<label for="amount">{}</label><input id="amount" name="amount" type="text" inputmode="decimal" value="{}" required>
<label for="paid_on">{}</label><input id="paid_on" name="paid_on" type="date" value="{}" required>
<label for="method">{}</label><select id="method" name="method">{}</select>
<label for="reference">{}</label><input id="reference" name="reference" type="text" maxlength="100" required>
<label for="proof">{}</label><input id="proof" name="proof" type="file" accept="application/pdf,image/png,image/jpeg" required>
<p><button type="submit">{}</button></p></form>)",
                   sentence(lang, Say::paid_intro, page.max_upload_kb), page.path, hidden_token(page),
                   say(lang, Say::paid_amount), total, say(lang, Say::paid_date), format_date(page.today),
                   say(lang, Say::paid_method), methods, say(lang, Say::paid_reference),
                   say(lang, Say::paid_proof), say(lang, Say::paid_button)));
}

// The release as the grant would answer now (service::preview_trust_release): the form with
// the deadline, or the rule that refuses it.
Html release_card(const SelfServiceView& page, Lang lang) {
  if (!page.release) return {};
  if (const auto* granted = std::get_if<service::TrustReleaseGranted>(&*page.release)) {
    const auto deadline = day(granted->promise.deadline, lang);
    return card(
        "release", say(lang, Say::release_title),
        html(R"(<p>{}</p><form method="post" action="{}/release">{}<button type="submit">{}</button></form>)",
             sentence(lang, Say::release_offer, deadline), page.path, hidden_token(page),
             sentence(lang, Say::release_button, deadline)));
  }
  const auto& refused = std::get<service::TrustReleaseRefused>(*page.release);
  if (refused.rule == "nothing_to_release") return {};
  return card("release", say(lang, Say::release_title),
              html(R"(<p class="notice bad" id="release-refused">{}</p>)",
                   sentence(lang, Say::release_refused, refused.rule, refused.message)));
}

Html cancel_card(const SelfServiceView& page, Lang lang) {
  bool any = false;
  for (const auto& s : page.view.services)
    any = any || s.state == ServiceState::active || s.state == ServiceState::suspended;
  if (!any) return {};
  Html reasons;
  for (const auto& [code, words] :
       {std::pair{"price", Say::reason_price}, std::pair{"service_quality", Say::reason_service},
        std::pair{"moving_provider", Say::reason_moving}, std::pair{"other", Say::reason_other}})
    reasons += html(R"(<option value="{}">{}</option>)", code, say(lang, words));
  return card("cancel", say(lang, Say::cancel_title),
              html(R"(<p>{}</p><form method="post" action="{}/cancel">{}
<label for="reason">{}</label><select id="reason" name="reason">{}</select>
<label for="who">{}</label><input id="who" name="who" type="text" maxlength="200" required>
<p><button type="submit">{}</button></p></form>)",
                   say(lang, Say::cancel_intro), page.path, hidden_token(page), say(lang, Say::cancel_reason),
                   reasons, say(lang, Say::cancel_who), say(lang, Say::cancel_button)));
}

Html read_card(const SelfServiceView& page, const policy::Policy& policy, Lang lang) {
  if (page.acknowledged)
    return card("read", say(lang, Say::read_title),
                html(R"(<p id="read-already">{}</p>)",
                     sentence(lang, Say::read_already, day(policy.local_date(page.acknowledged->at), lang))));
  return card(
      "read", say(lang, Say::read_title),
      html(R"(<p>{}</p><form method="post" action="{}/read">{}<button type="submit">{}</button></form>)",
           say(lang, Say::read_intro), page.path, hidden_token(page), say(lang, Say::read_button)));
}

Html contact_card(const config::Support& support, Lang lang) {
  Html items;
  if (!support.phone.empty()) items += html("<li>{}</li>", support.phone);
  if (!support.email.empty()) items += html("<li>{}</li>", support.email);
  if (!support.url.empty()) items += html("<li>{}</li>", support.url);
  if (items.markup.empty()) return {};
  return card("contact", say(lang, Say::contact), html("<ul>{}</ul>", items));
}

http::Response framed(Lang lang, std::string_view title, const Html& body, int status) {
  const auto page = html(R"(<!doctype html>
<html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{}</title><link rel="stylesheet" href="/c/assets/page.css"></head>
<body><main id="main" class="customer"><h1>{}</h1>
{}</main></body></html>
)",
                         lang_tag(lang), title, title, body);
  http::Response response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = page.markup;
  add_self_service_headers(response);
  return response;
}

}  // namespace

void add_self_service_headers(http::Response& response) {
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Robots-Tag", "noindex");
}

std::string self_service_css() {
  return std::string(console_css()) +
         "main.customer{max-width:760px}\n.customer section.card form label{margin-top:.6rem}\n"
         ".customer input[type=date],.customer input[type=file]{font:inherit;max-width:100%}\n";
}

http::Response self_service_page(const SelfServiceView& page, const policy::Policy& policy,
                                 const config::Support& support, const std::optional<PageMessage>& message,
                                 int status) {
  const auto lang = lang_for(page.view.customer.locale);
  Html said;
  if (message)
    said = html(R"(<p class="notice{}" role="status" id="message">{}</p>)",
                Html{message->refused ? " bad" : ""}, message->text);
  const auto body =
      html("{}<p>{}</p><p class=\"muted\">{}</p>{}{}{}{}{}{}{}{}{}", said,
           sentence(lang, Say::hello, page.view.customer.name),
           sentence(lang, Say::link_note, day(page.today, lang),
                    day(policy.local_date(page.link_expires_at), lang)),
           debt_card(page, lang), next_card(page, lang), pay_card(policy, lang),
           services_card(page.view, lang), paid_card(page, policy, lang), release_card(page, lang),
           cancel_card(page, lang), read_card(page, policy, lang), contact_card(support, lang));
  return framed(lang, say(lang, Say::title), body, status);
}

http::Response plain_page(Lang lang, Say title, Html body, const config::Support& support, int status) {
  return framed(lang, say(lang, title), html("{}{}", body, contact_card(support, lang)), status);
}

}  // namespace cobrador::web
