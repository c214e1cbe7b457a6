// Builds the HTTP request an SMS gateway expects, from channels.sms in cobrador.yaml:
//   sms: { url: https://sms.example.com/send, method: POST, auth_header_file: sms.auth,
//          body: '{"to": "{{phone}}", "text": "{{text}}"}' }
// The body and the URL are templates with two placeholders, {{phone}} and {{text}}. A body
// that starts with '{' or '[' is JSON: values are JSON-escaped (by nlohmann::json) and the result
// must parse; any other body is a form (application/x-www-form-urlencoded) and values are
// percent-encoded, as they are in the URL. Sending the request is the transport's job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notify/template.hpp"
#include "util/result.hpp"

namespace cobrador::notify {

struct SmsConfig {
  std::string url;
  std::string method = "POST";
  std::string auth_header;  // the content of auth_header_file: "Name: value", or a bare value
                            // for Authorization ("Bearer abc"); trailing line ends ignored
  std::string body;
};

struct SmsMessage {
  std::string phone;            // as the gateway wants it, e.g. "+5511987654321"
  std::string text;             // the rendered .sms template
  std::string idempotency_key;  // sent as Idempotency-Key when not empty
};

struct HttpHeader {
  std::string name;
  std::string value;

  friend bool operator==(const HttpHeader&, const HttpHeader&) = default;
};

struct HttpRequest {
  std::string method;
  std::string url;
  std::vector<HttpHeader> headers;
  std::string body;
};

// A checked channels.sms: parsed once, so that --check-config reports a broken body template.
class SmsGateway {
 public:
  // Fails on a URL that is not http(s), a method other than GET/POST/PUT, a GET with a body,
  // a template with another placeholder than {{phone}} and {{text}} or without both, and an
  // auth header with a line break. Messages never quote the auth header.
  static Result<SmsGateway> configure(const SmsConfig& config);

  Result<HttpRequest> request(const SmsMessage& message) const;

 private:
  enum class BodyKind { none, json, form };

  std::string method_;
  Template url_;
  Template body_;
  BodyKind body_kind_ = BodyKind::none;
  HttpHeader auth_;
};

// configure() and request() in one step.
Result<HttpRequest> build_sms_request(const SmsConfig& config, const SmsMessage& message);

}  // namespace cobrador::notify
