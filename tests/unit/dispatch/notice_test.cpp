// A notice payload read back for sending, and the values its template gets.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "dispatch/notice.hpp"

using namespace cobrador::dispatch;

namespace {

const cobrador::notify::Variables kSupport{{"support_phone", "+55 11 4000-0000"},
                                           {"support_email", "billing@example.com"},
                                           {"support_url", "https://example.com/billing"}};

std::string payload(const std::string& locale) {
  return nlohmann::json{{"template", "suspension_warning"},
                        {"locale", locale},
                        {"channel", "email"},
                        {"to", "ana@example.com"},
                        {"customer", {{"id", "c1"}, {"name", "Ana"}}},
                        {"variables",
                         {{"customer_name", "Ana"},
                          {"amount_due", "49.90 BRL"},
                          {"due_date", "2026-03-02"},
                          {"next_step_date", "2026-03-09"},
                          {"days_overdue", "4"},
                          {"support_phone", "old number"}}}}
      .dump();
}

}  // namespace

// The walk's payload comes back field by field.
TEST_CASE("a notice payload reads back as a request", "[dispatch]") {
  const auto request = parse_notice(payload("pt-BR"));
  REQUIRE(request);
  CHECK(request->template_name == "suspension_warning");
  CHECK(request->locale == "pt-BR");
  CHECK(request->channel == "email");
  CHECK(request->to == "ana@example.com");
  CHECK(request->customer_id == "c1");
  CHECK(request->customer_name == "Ana");
  CHECK(request->variables.at("amount_due") == "49.90 BRL");
  const auto again = parse_notice(notice_payload(*request));
  REQUIRE(again);
  CHECK(again->variables == request->variables);
}

// Dates are written as the customer reads them; support contacts are today's configuration.
TEST_CASE("template values carry local dates and the configured support contacts", "[dispatch]") {
  const auto pt = notice_values(*parse_notice(payload("pt-BR")), kSupport);
  CHECK(pt.at("due_date") == "02/03/2026");
  CHECK(pt.at("next_step_date") == "09/03/2026");
  CHECK(pt.at("days_overdue") == "4");
  CHECK(pt.at("support_phone") == "+55 11 4000-0000");
  CHECK(pt.at("support_url") == "https://example.com/billing");
  const auto en = notice_values(*parse_notice(payload("en")), kSupport);
  CHECK(en.at("due_date") == "2 March 2026");
}

// A payload that is not a notice is refused, naming the field.
TEST_CASE("a broken notice payload names what is wrong", "[dispatch]") {
  CHECK(parse_notice("[1]").error().message == "notice payload: not a JSON object");
  CHECK(parse_notice(R"({"template": "x", "locale": "en", "channel": "email"})").error().message ==
        "notice payload: to must be a string");
  CHECK(parse_notice(
            R"({"template": "x", "locale": "en", "channel": "email", "to": "a@b.c", "customer": {"id": 1}})")
            .error()
            .message == "notice payload: customer.id must be a string");
}
