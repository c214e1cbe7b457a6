// Implements dispatch/notice_sender.hpp.
#include "dispatch/notice_sender.hpp"

#include <boost/asio/post.hpp>

#include <fmt/format.h>

#include "dispatch/notice.hpp"
#include "hooks/http_outcome.hpp"
#include "notify/email_message.hpp"
#include "notify/mailbox.hpp"
#include "policy/link_token.hpp"
#include "policy/notice_dates.hpp"

namespace cobrador::dispatch {

namespace {

using hooks::Outcome;
using nlohmann::json;

// The SMTP transfer keeps its own easy handle, and perform_easy must own the one it runs.
// A duplicate carries the same options, so its callbacks and buffers still point into the
// transfer, which the completion keeps alive until the duplicate is gone: each handle has
// exactly one owner and none outlives what it points at.
net::EasyHandle runnable_copy(const notify::SmtpTransfer& transfer) {
  net::EasyHandle copy(curl_easy_duphandle(transfer.handle()));
  if (!copy) throw std::bad_alloc();
  return copy;
}

Delivery smtp_delivery(const notify::SmtpOutcome& sent, json evidence) {
  if (sent.delivered) {
    auto delivery =
        make_delivery(Outcome::Kind::done, sent.reply.empty() ? "accepted by the server" : sent.reply);
    evidence["reply"] = delivery.outcome.detail;
    delivery.evidence = std::move(evidence);
    return delivery;
  }
  const auto answer =
      sent.reply.empty() ? std::string() : fmt::format(" (after {}: {})", sent.command, sent.reply);
  return make_delivery(sent.permanent ? Outcome::Kind::failed : Outcome::Kind::retry, sent.error + answer);
}

Delivery sms_delivery(const net::HttpResponse& response, std::chrono::system_clock::time_point now,
                      json evidence) {
  if (auto failure = hooks::classify_http(response, now)) {
    Delivery delivery;
    delivery.outcome = std::move(*failure);
    // A gateway that is gone (410) is a refusal; disabling is for panels.
    if (delivery.outcome.kind == Outcome::Kind::disable_panel) delivery.outcome.kind = Outcome::Kind::failed;
    return delivery;
  }
  const auto excerpt = hooks::body_excerpt(response.body);
  auto delivery = make_delivery(
      Outcome::Kind::done, fmt::format("HTTP {}{}{}", response.status, excerpt.empty() ? "" : ": ", excerpt));
  evidence["reply"] = delivery.outcome.detail;
  delivery.evidence = std::move(evidence);
  return delivery;
}

net::HttpRequest gateway_request(notify::HttpRequest built) {
  net::HttpRequest request;
  request.method = std::move(built.method);
  request.url = std::move(built.url);
  request.body = std::move(built.body);
  for (auto& header : built.headers)
    request.headers.emplace_back(std::move(header.name), std::move(header.value));
  request.timeout = kSmsTimeout;
  return request;
}

}  // namespace

NoticeSender::NoticeSender(net::HttpClient& http, boost::asio::io_context& io, const Outbound& outbound,
                           Clock now, std::shared_ptr<const policy::Policy> policy)
    : http_(http),
      io_(io),
      now_(std::move(now)),
      policy_(std::move(policy)),
      support_(outbound.support),
      links_(outbound.links) {
  auto library = notify::TemplateLibrary::load(outbound.templates);
  if (library)
    templates_ = std::move(*library);
  else
    problems_["templates"] = library.error().message;
  if (outbound.email) {
    // A trial transfer checks the URL, the credentials' safety and the sender, offline.
    auto trial = notify::make_smtp_transfer(*outbound.email, "postmaster@example.com", "x");
    auto from = notify::parse_mailbox(outbound.email->from);
    if (!trial) {
      problems_[channel_lane("email")] = trial.error().message;
    } else if (!from) {
      problems_[channel_lane("email")] = "from: " + from.error().message;
    } else {
      smtp_ = outbound.email;
      from_ = *from;
    }
  }
  if (outbound.sms) {
    auto gateway = notify::SmsGateway::configure(*outbound.sms);
    if (gateway)
      sms_ = std::move(*gateway);
    else
      problems_[channel_lane("sms")] = gateway.error().message;
  }
  for (const auto& [lane, why] : outbound.unusable) {
    if (lane.starts_with("channel:")) problems_[lane] = why;
  }
}

void NoticeSender::post(Done done, Delivery delivery) {
  boost::asio::post(
      io_, [done = std::move(done), delivery = std::move(delivery)]() mutable { done(std::move(delivery)); });
}

void NoticeSender::send(const Action& action, Done done) {
  auto request = parse_notice(action.payload);
  if (!request) return post(std::move(done), make_delivery(Outcome::Kind::failed, request.error().message));
  const auto lane = channel_lane(request->channel);
  const bool configured = request->channel == "email" ? smtp_.has_value() : sms_.has_value();
  if (const auto problem = problems_.find(lane); problem != problems_.end()) {
    return post(std::move(done),
                make_delivery(Outcome::Kind::retry, fmt::format("{}: {}", lane, problem->second)));
  }
  if (!configured) {
    return post(std::move(done),
                make_delivery(Outcome::Kind::retry,
                              fmt::format("channels.{} is not in cobrador.yaml", request->channel)));
  }
  if (!templates_)
    return post(std::move(done), make_delivery(Outcome::Kind::retry, problems_.at("templates")));
  // A notice that goes out later than planned names no date already past (notice_dates.hpp).
  const auto planned = request->variables.find("next_step_date");
  const std::string planned_date = planned == request->variables.end() ? "" : planned->second;
  const bool moved = policy_ && policy::refresh_next_step_date(*policy_, request->variables, now_());
  auto values = notice_values(*request, support_);
  // The customer's link names the customer and this notice, signed now (docs/customer-page.md).
  // What the audit trail keeps says which link it was, never the link: the token opens the page.
  std::optional<notify::Variables> evidence_values;
  if (links_) {
    const auto key = links_->key();
    if (!key)
      return post(std::move(done),
                  make_delivery(Outcome::Kind::retry, "links.key_file: " + key.error().message));
    const policy::LinkClaims claims{action.customer_id, action.id,
                                    policy::link_expiry(now_(), links_->link_days)};
    evidence_values = values;
    (*evidence_values)["customer_link"] =
        fmt::format("{}/c/[link of notice {}, not kept]", links_->public_url, action.id);
    values["customer_link"] = links_->public_url + "/c/" + policy::sign_link(claims, *key);
  } else {
    values["customer_link"] = support_.contains("support_url") ? support_.at("support_url") : "";
  }
  auto notice = templates_->render(request->locale, request->template_name, values);
  if (!notice) return post(std::move(done), make_delivery(Outcome::Kind::failed, notice.error().message));
  auto kept = evidence_values ? templates_->render(request->locale, request->template_name, *evidence_values)
                              : notice;
  if (!kept) return post(std::move(done), make_delivery(Outcome::Kind::failed, kept.error().message));
  json evidence{{"action", action.key},
                {"channel", request->channel},
                {"to", request->to},
                {"template", request->template_name},
                {"locale", notice->locale}};
  if (moved) {
    evidence["next_step_date"] = request->variables.at("next_step_date");
    evidence["next_step_date_planned"] = planned_date;
  }
  if (request->channel == "email") {
    evidence["subject"] = kept->subject;
    evidence["text"] = kept->text;
    send_email(action, request->to, *notice, request->customer_name, std::move(evidence), std::move(done));
  } else {
    evidence["text"] = kept->sms;
    send_sms(action, request->to, *notice, std::move(evidence), std::move(done));
  }
}

void NoticeSender::send_email(const Action& action, const std::string& to,
                              const notify::RenderedNotice& notice, const std::string& name, json evidence,
                              Done done) {
  notify::EmailMessage message{
      from_,        {notify::display_name_from(name), to}, notice.subject, notice.text, now_(), action.key,
      notice.locale};
  auto text = notify::build_email(message);
  if (!text) return post(std::move(done), make_delivery(Outcome::Kind::failed, text.error().message));
  auto transfer = notify::make_smtp_transfer(*smtp_, to, std::move(*text));
  if (!transfer) return post(std::move(done), make_delivery(Outcome::Kind::failed, transfer.error().message));
  evidence["message_id"] = notify::make_message_id(action.key, from_.address);
  std::shared_ptr<notify::SmtpTransfer> kept(std::move(*transfer));
  auto copy = runnable_copy(*kept);
  http_.perform_easy(std::move(copy), [kept, evidence = std::move(evidence), done = std::move(done)](
                                          CURLcode result, net::EasyHandle easy) mutable {
    easy.reset();  // the copy goes before the transfer it points into
    done(smtp_delivery(kept->outcome(result), std::move(evidence)));
  });
}

void NoticeSender::send_sms(const Action& action, const std::string& to, const notify::RenderedNotice& notice,
                            json evidence, Done done) {
  auto built = sms_->request({to, notice.sms, action.key});
  if (!built) return post(std::move(done), make_delivery(Outcome::Kind::failed, built.error().message));
  http_.perform(
      gateway_request(std::move(*built)), [now = now_, evidence = std::move(evidence),
                                           done = std::move(done)](net::HttpResponse response) mutable {
        done(sms_delivery(response, std::chrono::system_clock::time_point(now()), std::move(evidence)));
      });
}

}  // namespace cobrador::dispatch
