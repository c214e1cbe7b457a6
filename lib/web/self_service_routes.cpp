// Implements web/self_service_routes.hpp: the link check, the rate limits, the forms' CSRF
// token, and the four actions (I paid, I need until, I want to cancel, I read this), each
// through its service function, audited with the link (the notice) it came from. The token
// itself is never written anywhere: not in the audit trail, not in a log, not in /metrics
// (which counts by route pattern).
#include "web/self_service_routes.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "http/multipart.hpp"
#include "notify/locale.hpp"
#include "policy/link_token.hpp"
#include "policy/rate_limit.hpp"
#include "service/cancellation.hpp"
#include "service/payment_claims.hpp"
#include "service/trust_release.hpp"
#include "util/crypto.hpp"
#include "util/dump_json.hpp"
#include "util/utf8.hpp"
#include "web/console_page.hpp"
#include "web/forms.hpp"
#include "web/self_service_page.hpp"

namespace cobrador::web {

namespace {

using http::Request;
using http::Respond;
using http::Response;
namespace fs = std::filesystem;

// Per address: every request to /c/, good links or not (guessing costs as much as using).
constexpr policy::RateLimit kPerAddress{120, std::chrono::minutes(10)};
// Per link: what one customer's page may be asked in ten minutes.
constexpr policy::RateLimit kPerLink{60, std::chrono::minutes(10)};
// The longest text field a form may send (a reference, a name).
constexpr std::size_t kMaxField = 200;
// Windows kept before the ended ones are dropped.
constexpr std::size_t kMaxWindows = 20'000;

// A receipt's type, by its first bytes (never by its name or the type the browser claims).
std::optional<std::string_view> proof_extension(std::string_view bytes) {
  if (bytes.starts_with("%PDF-")) return "pdf";
  if (bytes.starts_with("\x89PNG\r\n\x1a\n")) return "png";
  if (bytes.starts_with("\xff\xd8\xff")) return "jpg";
  return std::nullopt;
}

struct Link {
  std::string token;
  policy::LinkClaims claims;
  std::string key;  // the signing key, read for this request
  std::string name() const { return fmt::format("{}.{}", claims.customer_id, claims.notice_id); }
  std::string source() const { return fmt::format("link:notice:{}", claims.notice_id); }
};

// What a form did, shown on the page it leads back to.
using Outcome = PageMessage;

class SelfService : public std::enable_shared_from_this<SelfService> {
 public:
  SelfService(http::ApiContext& context, config::Config config)
      : context_(context), config_(std::move(config)) {}

  void add_routes(http::Router& router) {
    auto self = shared_from_this();
    router.add("GET", "/c/assets/page.css", [](Request&&, http::Params&&, Respond respond) {
      Response response;
      response.content_type = "text/css; charset=utf-8";
      response.body = self_service_css();
      response.headers.emplace_back("Cache-Control", "max-age=3600");
      response.headers.emplace_back("X-Content-Type-Options", "nosniff");
      respond(std::move(response));
    });
    router.add("GET", "/c/{token}", [self](Request&& request, http::Params&& params, Respond respond) {
      self->show(std::move(request), params.at("token"), std::move(respond));
    });
    for (const auto* what : {"paid", "release", "cancel", "read"}) {
      router.add("POST", fmt::format("/c/{{token}}/{}", what),
                 [self, what = std::string(what)](Request&& request, http::Params&& params, Respond respond) {
                   self->act(std::move(request), params.at("token"), what, std::move(respond));
                 });
    }
  }

 private:
  // The link, or the plain page that answers instead (a bad link, too many requests).
  std::variant<Link, Response> open(const Request& request, const std::string& token) {
    const auto lang = lang_from_header(request.header("accept-language"));
    const auto now = context_.clock();
    if (const auto wait = counted(by_address_, address_of(request), kPerAddress, now))
      return too_many(lang, *wait);
    const auto key = config::read_secret(config_, config_.links->key_file);
    // No key, no page: every link is refused as if its key was replaced (which it may be).
    if (!key)
      return plain_page(lang, Say::bad_link_title,
                        html("<p id=\"refused\" data-why=\"unavailable\">{}</p>", say(lang, Say::bad_link)),
                        config_.support, 503);
    const auto checked = policy::check_link(token, *key, now);
    if (const auto* refusal = std::get_if<policy::LinkRefusal>(&checked)) {
      if (*refusal == policy::LinkRefusal::expired)
        return plain_page(lang, Say::expired_link_title,
                          html("<p id=\"refused\" data-why=\"expired\">{}</p>", say(lang, Say::expired_link)),
                          config_.support, 410);
      return plain_page(lang, Say::bad_link_title,
                        html("<p id=\"refused\" data-why=\"bad\">{}</p>", say(lang, Say::bad_link)),
                        config_.support, 403);
    }
    Link link{token, std::get<policy::LinkClaims>(checked), *key};
    if (const auto wait = counted(by_link_, link.name(), kPerLink, now)) return too_many(lang, *wait);
    return link;
  }

  Response too_many(Lang lang, std::chrono::seconds wait) {
    auto response =
        plain_page(lang, Say::too_many_title, html("<p>{}</p>", sentence(lang, Say::too_many, wait.count())),
                   config_.support, 429);
    response.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return response;
  }

  // The customer's address: the connection's, or behind a trusted proxy the last address of
  // X-Forwarded-For (the one the proxy added; those before it are the client's word).
  std::string address_of(const Request& request) const {
    const auto& proxies = config_.links->trusted_proxies;
    const auto forwarded = request.header("x-forwarded-for");
    if (!forwarded.empty() && std::find(proxies.begin(), proxies.end(), request.peer) != proxies.end()) {
      auto last =
          forwarded.substr(forwarded.rfind(',') == std::string_view::npos ? 0 : forwarded.rfind(',') + 1);
      while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
      while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
      if (!last.empty() && last.size() <= 64 && !utf8::line_problem(last)) return std::string(last);
    }
    return request.peer.empty() ? std::string("-") : request.peer;
  }

  // Counts a request in `windows`; the seconds to wait when it is one too many.
  std::optional<std::chrono::seconds> counted(std::unordered_map<std::string, policy::RateWindow>& windows,
                                              const std::string& who, const policy::RateLimit& limit,
                                              Instant now) {
    std::lock_guard lock(mutex_);
    if (windows.size() > kMaxWindows) {
      std::erase_if(windows, [&](const auto& entry) { return entry.second.started + limit.window <= now; });
      // Still full (that many addresses at once): start over rather than grow without end.
      if (windows.size() > kMaxWindows) windows.clear();
    }
    const auto decision = policy::count_request(windows[who], limit, now);
    windows[who] = decision.window;
    if (decision.allowed) return std::nullopt;
    return decision.retry_after;
  }

  // The customer and the notice the link names, when both exist and belong together.
  static std::optional<Customer> customer_of(store::Store& store, const Link& link) {
    auto customer = store.customer(link.claims.customer_id);
    if (!customer) return std::nullopt;
    store::ActionFilter filter;
    filter.customer_id = customer->id;
    filter.kind = ActionKind::notify;
    for (const auto& action : store.actions(filter))
      if (action.id == link.claims.notice_id) return customer;
    return std::nullopt;
  }

  Response unknown(Lang lang) {
    return plain_page(lang, Say::bad_link_title,
                      html("<p id=\"refused\" data-why=\"bad\">{}</p>", say(lang, Say::bad_link)),
                      config_.support, 403);
  }

  void show(Request&& request, const std::string& token, Respond respond) {
    auto opened = open(request, token);
    if (auto* answer = std::get_if<Response>(&opened)) return respond(std::move(*answer));
    const auto now = context_.clock();
    const auto lang = lang_from_header(request.header("accept-language"));
    context_.store->submit(
        http::StoreWorker::Mode::alone,
        [self = shared_from_this(), link = std::get<Link>(std::move(opened)), now,
         lang](store::Store& store) {
          const auto policy = self->context_.policy.get();
          const auto customer = customer_of(store, link);
          if (!customer) return self->unknown(lang);
          auto view = service::customer_view(store, *policy, customer->ext_id, now);
          if (!view) return self->unknown(lang);
          SelfServiceView page;
          page.view = std::move(*view);
          page.today = policy->local_date(now);
          page.link_expires_at = link.claims.expires_at;
          page.path = "/c/" + link.token;
          page.form_token = policy::form_token(link.token, link.key);
          page.max_upload_kb = self->config_.links->max_upload_bytes / 1024;
          page.acknowledged = store.notice_acknowledgement(link.claims.notice_id);
          if (page.view.state != "good_standing") {
            service::TrustReleaseRequest preview{customer->ext_id, std::nullopt, "", false, "", "customer"};
            auto outcome = service::preview_trust_release(store, *policy, preview, now);
            if (outcome) page.release = std::move(*outcome);
          }
          return self_service_page(page, *policy, self->config_.support, self->take_message(link.name()));
        },
        std::move(respond));
  }

  // The form's fields: url-encoded, or multipart for the receipt.
  struct Form {
    std::string body;  // url-encoded
    std::vector<http::FormPart> parts;
    std::string field(std::string_view name) const {
      if (const auto* part = http::find_part(parts, name)) return part->body;
      return form_value(body, name).value_or("");
    }
  };

  void act(Request&& request, const std::string& token, const std::string& what, Respond respond) {
    auto opened = open(request, token);
    if (auto* answer = std::get_if<Response>(&opened)) return respond(std::move(*answer));
    auto link = std::get<Link>(std::move(opened));
    const auto lang = lang_from_header(request.header("accept-language"));
    Form form;
    if (what == "paid") {
      const auto boundary = http::multipart_boundary(request.header("content-type"));
      auto parts = boundary ? http::parse_multipart(request.body, *boundary)
                            : Result<std::vector<http::FormPart>>(boundary.error());
      if (!parts) {
        flash(link.name(), {parts.error().message, true});
        return respond(see_other("/c/" + link.token));
      }
      form.parts = std::move(*parts);
    } else {
      form.body = std::move(request.body);
    }
    if (!crypto::equal_constant_time(form.field("form"), policy::form_token(link.token, link.key))) {
      auto page = plain_page(lang, Say::bad_link_title,
                             html("<p id=\"refused\" data-why=\"form\">{}</p>", say(lang, Say::form_expired)),
                             config_.support, 403);
      return respond(std::move(page));
    }
    // What a person typed is one line of UTF-8 of a sensible length, before any service sees it.
    for (const auto* name : {"amount", "paid_on", "method", "reference", "reason", "who"}) {
      const auto value = form.field(name);
      auto problem = utf8::line_problem(value);
      if (!problem && value.size() > kMaxField) problem = fmt::format("longer than {} bytes", kMaxField);
      if (problem) {
        flash(link.name(), {sentence(lang, Say::refused, fmt::format("{}: {}", name, *problem)), true});
        return respond(see_other("/c/" + link.token));
      }
    }
    const auto now = context_.clock();
    const auto peer = address_of(request);
    context_.store->submit(
        http::StoreWorker::Mode::batched,
        [self = shared_from_this(), link = std::move(link), form = std::move(form), what, now, peer,
         lang](store::Store& store) {
          const auto policy = self->context_.policy.get();
          const auto customer = customer_of(store, link);
          if (!customer) return self->unknown(lang);
          const auto customer_lang = lang_for(customer->locale);
          Outcome outcome;
          if (what == "paid") outcome = self->paid(store, *policy, *customer, link, form, now, customer_lang);
          if (what == "release") outcome = release(store, *policy, *customer, link, now, customer_lang);
          if (what == "cancel") outcome = cancel(store, *policy, *customer, link, form, now, customer_lang);
          if (what == "read") outcome = read(store, *customer, link, peer, now, customer_lang);
          self->flash(link.name(), std::move(outcome));
          return see_other("/c/" + link.token);
        },
        std::move(respond));
  }

  // I paid: the receipt is checked and kept, then the claim is recorded (a claim, never money).
  Outcome paid(store::Store& store, const policy::Policy& policy, const Customer& customer, const Link& link,
               const Form& form, Instant now, Lang lang) {
    const auto* proof = http::find_part(form.parts, "proof");
    if (!proof || proof->body.empty())
      return {sentence(lang, Say::refused, say(lang, Say::upload_missing)), true};
    if (proof->body.size() > config_.links->max_upload_bytes)
      return {sentence(lang, Say::refused,
                       sentence(lang, Say::upload_size, config_.links->max_upload_bytes / 1024)),
              true};
    const auto extension = proof_extension(proof->body);
    if (!extension) return {sentence(lang, Say::refused, say(lang, Say::upload_type)), true};
    const auto paid_on = parse_date(form.field("paid_on"));
    if (!paid_on) return {sentence(lang, Say::refused, "paid_on: " + paid_on.error().message), true};
    const auto stored = keep_proof(proof->body, *extension);
    if (!stored) return {sentence(lang, Say::refused, stored.error().message), true};
    service::PaymentClaim claim;
    claim.customer = customer.ext_id;
    claim.amount = form.field("amount");
    claim.paid_on = *paid_on;
    claim.method = form.field("method");
    claim.reference = form.field("reference");
    claim.proof_url = "upload:" + *stored;
    claim.actor = "customer";
    claim.source = link.source();
    auto recorded = service::record_claim(store, policy, claim, now);
    if (const auto* refusal = std::get_if<service::ClaimRefusal>(&recorded)) {
      std::error_code ignored;
      fs::remove(fs::path(config_.links->uploads_dir) / *stored, ignored);
      return {sentence(lang, Say::refused, refusal->message), true};
    }
    return {sentence(lang, Say::paid_done,
                     format_money(std::get<service::ClaimRecorded>(recorded).payment.amount)),
            false};
  }

  // The receipt under a random name in links.uploads_dir (0700), readable by the daemon only.
  Result<std::string> keep_proof(const std::string& bytes, std::string_view extension) {
    const fs::path folder(config_.links->uploads_dir);
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) return make_error("the receipt cannot be kept now; please try later");
    fs::permissions(folder, fs::perms::owner_all, error);
    const auto name = fmt::format("{}.{}", crypto::to_hex(crypto::random_bytes(16)), extension);
    const auto path = (folder / name).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return make_error("the receipt cannot be kept now; please try later");
    std::size_t written = 0;
    while (written < bytes.size()) {
      const auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (written != bytes.size() || !synced) {
      fs::remove(path, error);
      return make_error("the receipt cannot be kept now; please try later");
    }
    return name;
  }

  // I need until: the trust release the policy allows, or the rule that refuses it.
  static Outcome release(store::Store& store, const policy::Policy& policy, const Customer& customer,
                         const Link& link, Instant now, Lang lang) {
    service::TrustReleaseRequest request;
    request.customer = customer.ext_id;
    request.reason = "asked on the customer's page (" + link.source() + ")";
    request.actor = "customer";
    const auto outcome = service::grant_trust_release(store, policy, request, now);
    if (!outcome) return {sentence(lang, Say::refused, outcome.error().message), true};
    if (const auto* refused = std::get_if<service::TrustReleaseRefused>(&*outcome))
      return {sentence(lang, Say::release_refused, refused->rule, refused->message), true};
    const auto& granted = std::get<service::TrustReleaseGranted>(*outcome);
    return {sentence(lang, Say::release_done, notify_day(granted.promise.deadline, lang)), false};
  }

  static std::string notify_day(Date day, Lang lang) {
    return notify::format_local_date(day, lang_tag(lang));
  }

  // I want to cancel: one request for all the customer's services (scope total), by the
  // person named; under cancellation.confirm_by: phone it awaits the confirming call.
  static Outcome cancel(store::Store& store, const policy::Policy& policy, const Customer& customer,
                        const Link& link, const Form& form, Instant now, Lang lang) {
    const auto services = store.services_of(customer.id);
    const auto first = std::find_if(services.begin(), services.end(), [](const Service& s) {
      return s.state == ServiceState::active || s.state == ServiceState::suspended;
    });
    if (first == services.end()) return {sentence(lang, Say::refused, "no service to cancel"), true};
    service::CancellationRequest request;
    request.service = first->ext_id;
    request.reason_code = form.field("reason");
    request.note = "asked on the customer's page (" + link.source() + ")";
    request.channel = "customer_page";
    request.scope = "total";
    request.contact = form.field("who");
    auto decided = service::request_cancellation(store, policy, request, now, "customer");
    if (const auto* refusal = std::get_if<service::Refusal>(&decided))
      return {sentence(lang, Say::refused, refusal->message), true};
    const auto& done = std::get<service::CancellationOutcome>(decided);
    return {std::string(say(lang, done.awaiting ? Say::cancel_awaiting : Say::cancel_done)), false};
  }

  // I read this: the evidence, beside the notice, with the time, the address and the link.
  static Outcome read(store::Store& store, const Customer& customer, const Link& link,
                      const std::string& peer, Instant now, Lang lang) {
    const store::NoticeAcknowledgement acknowledgement{link.claims.notice_id, customer.id, now, peer,
                                                       link.source()};
    if (store.acknowledge_notice(acknowledgement)) {
      store.audit({0, now, "customer", "customer:" + customer.ext_id, "notice_acknowledged",
                   dump_json(nlohmann::json{
                       {"notice", link.claims.notice_id}, {"address", peer}, {"source", link.source()}})});
    }
    return {std::string(say(lang, Say::read_done)), false};
  }

  void flash(const std::string& link, Outcome outcome) {
    std::lock_guard lock(mutex_);
    if (messages_.size() > kMaxWindows) messages_.clear();
    messages_[link] = std::move(outcome);
  }

  std::optional<PageMessage> take_message(const std::string& link) {
    std::lock_guard lock(mutex_);
    const auto found = messages_.find(link);
    if (found == messages_.end()) return std::nullopt;
    auto message = std::move(found->second);
    messages_.erase(found);
    return message;
  }

  http::ApiContext& context_;
  const config::Config config_;
  std::mutex mutex_;
  std::unordered_map<std::string, policy::RateWindow> by_address_;
  std::unordered_map<std::string, policy::RateWindow> by_link_;
  std::unordered_map<std::string, PageMessage> messages_;
};

}  // namespace

void add_self_service_routes(http::Router& router, http::ApiContext& context, const config::Config& config) {
  if (!config.links || config.public_url.empty()) return;
  std::make_shared<SelfService>(context, config)->add_routes(router);
}

}  // namespace cobrador::web
