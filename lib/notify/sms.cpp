// Implements the SMS gateway request builder.
#include "notify/sms.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace cobrador::notify {

namespace {

using std::string_view_literals::operator""sv;

constexpr std::array sms_variables{"phone"sv, "text"sv};

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1));
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

// "X-Api-Key: abc" is a whole header; anything else ("Bearer abc") is the Authorization value.
Result<HttpHeader> parse_auth_header(std::string_view content) {
  const std::string text = trimmed(content);
  if (text.find_first_of("\r\n") != std::string::npos || text.find('\0') != std::string::npos) {
    return make_error("auth_header: holds a line break");
  }
  const auto colon = text.find(':');
  if (colon != std::string::npos && is_token(text.substr(0, colon))) {
    return HttpHeader{text.substr(0, colon), trimmed(text.substr(colon + 1))};
  }
  return HttpHeader{"Authorization", text};
}

Result<std::string> json_escape(const std::string& value) {
  try {
    const std::string quoted =
        nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    return quoted.substr(1, quoted.size() - 2);
  } catch (const nlohmann::json::exception&) {
    return make_error("sms: a value is not valid UTF-8");
  }
}

Result<std::string> percent_encode(const std::string& value) {
  // The handle argument is ignored since curl 7.82.
  const std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size())), &curl_free);
  if (!escaped) return make_error("sms: cannot percent-encode a value");
  return std::string(escaped.get());
}

bool uses(const Template& t, std::string_view name) {
  return std::any_of(t.placeholders().begin(), t.placeholders().end(),
                     [&](const Placeholder& p) { return p.name == name; });
}

}  // namespace

Result<SmsGateway> SmsGateway::configure(const SmsConfig& config) {
  SmsGateway gateway;
  if (!starts_with_ci(config.url, "https://") && !starts_with_ci(config.url, "http://")) {
    return make_error("sms url: not an http:// or https:// URL");
  }
  gateway.method_ = upper(config.method);
  if (gateway.method_ != "GET" && gateway.method_ != "POST" && gateway.method_ != "PUT") {
    return make_error(fmt::format("sms method: '{}' is not GET, POST or PUT", config.method));
  }
  const std::string body = trimmed(config.body);
  if (!body.empty()) {
    if (gateway.method_ == "GET") return make_error("sms body: a GET has no body; put the values in the url");
    gateway.body_kind_ = body.front() == '{' || body.front() == '[' ? BodyKind::json : BodyKind::form;
  }
  auto url = Template::parse(config.url, "sms url", sms_variables);
  if (!url) return url.error();
  auto parsed_body = Template::parse(body, "sms body", sms_variables);
  if (!parsed_body) return parsed_body.error();
  gateway.url_ = std::move(*url);
  gateway.body_ = std::move(*parsed_body);
  for (const auto name : sms_variables) {
    if (!uses(gateway.url_, name) && !uses(gateway.body_, name)) {
      return make_error(fmt::format("sms: neither url nor body uses {{{{{}}}}}", name));
    }
  }
  // Filled with harmless values now, so that --check-config reports a broken body rather than
  // the first SMS of the day.
  if (gateway.body_kind_ == BodyKind::json) {
    auto sample = gateway.body_.render({{"phone", "+1"}, {"text", "x"}}, json_escape);
    if (!sample || !nlohmann::json::accept(*sample)) {
      return make_error("sms body: not valid JSON once filled in (are the placeholders inside quotes?)");
    }
  }
  if (!config.auth_header.empty()) {
    auto auth = parse_auth_header(config.auth_header);
    if (!auth) return auth.error();
    gateway.auth_ = std::move(*auth);
  }
  return gateway;
}

Result<HttpRequest> SmsGateway::request(const SmsMessage& message) const {
  const Variables values{{"phone", message.phone}, {"text", message.text}};
  HttpRequest request;
  request.method = method_;
  auto url = url_.render(values, percent_encode);
  if (!url) return url.error();
  request.url = std::move(*url);
  if (body_kind_ != BodyKind::none) {
    auto body = body_kind_ == BodyKind::json ? body_.render(values, json_escape)
                                             : body_.render(values, percent_encode);
    if (!body) return body.error();
    // A body template with {{text}} outside quotes would send broken JSON to the gateway.
    if (body_kind_ == BodyKind::json && !nlohmann::json::accept(*body)) {
      return make_error("sms body: not valid JSON once filled in (are the placeholders inside quotes?)");
    }
    request.body = std::move(*body);
    request.headers.push_back({"Content-Type", body_kind_ == BodyKind::json
                                                   ? "application/json"
                                                   : "application/x-www-form-urlencoded"});
  }
  if (!auth_.name.empty()) request.headers.push_back(auth_);
  if (!message.idempotency_key.empty()) {
    if (message.idempotency_key.find_first_of("\r\n") != std::string::npos) {
      return make_error("Idempotency-Key: may not hold a line break");
    }
    request.headers.push_back({"Idempotency-Key", message.idempotency_key});
  }
  return request;
}

Result<HttpRequest> build_sms_request(const SmsConfig& config, const SmsMessage& message) {
  auto gateway = SmsGateway::configure(config);
  if (!gateway) return gateway.error();
  return gateway->request(message);
}

}  // namespace cobrador::notify
