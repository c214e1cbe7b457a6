#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "notify/sms.hpp"

using namespace cobrador;
using namespace cobrador::notify;

namespace {

SmsConfig json_gateway() {
  SmsConfig c;
  c.url = "https://sms.example.com/send";
  c.method = "POST";
  c.auth_header = "Bearer tok-123\n";
  c.body = R"({"to": "{{phone}}", "text": "{{text}}"})";
  return c;
}

std::string config_error(const SmsConfig& c) {
  const auto gateway = SmsGateway::configure(c);
  REQUIRE_FALSE(gateway);
  return gateway.error().message;
}

}  // namespace

// Quotes, backslashes, line breaks and control characters in the text stay data, not JSON.
TEST_CASE("sms values are JSON-escaped and round-trip through a JSON parser", "[notify]") {
  const std::string text = "Olá \"Ana\"\\ pague até 08/03\n\t\x01 fim\",\"admin\":true} ✓";
  const auto request = build_sms_request(json_gateway(), {"+55 11 98765-4321", text, ""});
  REQUIRE(request);
  const auto body = nlohmann::json::parse(request->body);
  CHECK(body.size() == 2);
  CHECK(body.at("to") == "+55 11 98765-4321");
  CHECK(body.at("text") == text);
  CHECK_FALSE(body.contains("admin"));
  CHECK(request->method == "POST");
  CHECK(request->url == "https://sms.example.com/send");
}

// Headers: the content type for the body, the auth header read from its file, the key.
TEST_CASE("sms requests carry content type, auth and idempotency headers", "[notify]") {
  const auto request = build_sms_request(json_gateway(), {"+1", "hi", "cust-1:2:warning:notify:sms"});
  REQUIRE(request);
  CHECK(request->headers == std::vector<HttpHeader>{{"Content-Type", "application/json"},
                                                    {"Authorization", "Bearer tok-123"},
                                                    {"Idempotency-Key", "cust-1:2:warning:notify:sms"}});
  SmsConfig with_named_header = json_gateway();
  with_named_header.auth_header = "X-Api-Key: abc:def\r\n";
  const auto named = build_sms_request(with_named_header, {"+1", "hi", ""});
  REQUIRE(named);
  CHECK(named->headers.back() == HttpHeader{"X-Api-Key", "abc:def"});
}

// A form body and the URL get percent-encoded values instead.
TEST_CASE("form bodies and URLs percent-encode the values", "[notify]") {
  SmsConfig form = json_gateway();
  form.body = "to={{phone}}&msg={{text}}";
  const auto posted = build_sms_request(form, {"+5511", "a&b=c ç", ""});
  REQUIRE(posted);
  CHECK(posted->body == "to=%2B5511&msg=a%26b%3Dc%20%C3%A7");
  CHECK(posted->headers.front() == HttpHeader{"Content-Type", "application/x-www-form-urlencoded"});
  SmsConfig get;
  get.url = "https://sms.example.com/send?to={{phone}}&text={{text}}";
  get.method = "get";
  const auto sent = build_sms_request(get, {"+5511", "pague já", ""});
  REQUIRE(sent);
  CHECK(sent->method == "GET");
  CHECK(sent->url == "https://sms.example.com/send?to=%2B5511&text=pague%20j%C3%A1");
  CHECK(sent->body.empty());
  CHECK(sent->headers.empty());
}

// Mistakes in channels.sms surface when the configuration is checked, not at send time.
TEST_CASE("broken sms configurations are refused at configure time", "[notify]") {
  SmsConfig c = json_gateway();
  c.body = R"({"to": "{{phone}}", "text": "{{message}}"})";
  CHECK(config_error(c) == "sms body:1:30: unknown placeholder {{message}}");
  c.body = R"({"to": "{{phone}}", "text": {{text}}})";
  CHECK(config_error(c) == "sms body: not valid JSON once filled in (are the placeholders inside quotes?)");
  c.body = R"({"to": "{{phone}}"})";
  CHECK(config_error(c) == "sms: neither url nor body uses {{text}}");
  c = json_gateway();
  c.method = "GET";
  CHECK(config_error(c) == "sms body: a GET has no body; put the values in the url");
  c = json_gateway();
  c.url = "ftp://sms.example.com/";
  CHECK(config_error(c) == "sms url: not an http:// or https:// URL");
  c = json_gateway();
  c.auth_header = "Bearer tok-123\r\nX-Evil: 1";
  const std::string error = config_error(c);
  CHECK(error == "auth_header: holds a line break");
  CHECK(error.find("tok-123") == std::string::npos);
}
