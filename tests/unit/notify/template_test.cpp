#include <catch2/catch.hpp>

#include <array>
#include <string_view>

#include "notify/template.hpp"

using namespace cobrador;
using namespace cobrador::notify;
using std::string_view_literals::operator""sv;

namespace {

constexpr std::array allowed{"customer_name"sv, "amount_due"sv, "due_date"sv};

std::string parse_error(std::string_view text) {
  const auto parsed = Template::parse(text, "pt-BR/payment_reminder.txt", allowed);
  REQUIRE_FALSE(parsed);
  return parsed.error().message;
}

}  // namespace

// Placeholders, with or without blanks inside the braces, are replaced by their values.
TEST_CASE("a template renders every placeholder with its value", "[notify]") {
  const auto parsed = Template::parse("Olá, {{customer_name}}!\nDevido: {{ amount_due }} em {{due_date}}.\n",
                                      "t.txt", allowed);
  REQUIRE(parsed);
  const auto text =
      parsed->render({{"customer_name", "Ana"}, {"amount_due", "49.90 BRL"}, {"due_date", "08/03/2026"}});
  REQUIRE(text);
  CHECK(*text == "Olá, Ana!\nDevido: 49.90 BRL em 08/03/2026.\n");
  CHECK(parsed->placeholders().size() == 3);
}

// A value is inserted as it is: braces inside a value are not read as placeholders.
TEST_CASE("a value that looks like a placeholder is not expanded again", "[notify]") {
  const auto parsed = Template::parse("{{customer_name}}", "t.txt", allowed);
  REQUIRE(parsed);
  CHECK(*parsed->render({{"customer_name", "{{amount_due}}"}}) == "{{amount_due}}");
}

// An unknown name is an error at its file:line:col; the column counts characters, not bytes.
TEST_CASE("an unknown placeholder is an error naming file, line and column", "[notify]") {
  CHECK(parse_error("Hello\n  {{amout_due}}\n") ==
        "pt-BR/payment_reminder.txt:2:3: unknown placeholder {{amout_due}}");
  CHECK(parse_error("Olá, João: {{valor}}") ==
        "pt-BR/payment_reminder.txt:1:12: unknown placeholder {{valor}}");
}

// An unclosed "{{" is an error at the braces, also when "}}" only comes on a later line.
TEST_CASE("an unclosed placeholder is an error at the opening braces", "[notify]") {
  CHECK(parse_error("Hi {{customer_name\n") ==
        "pt-BR/payment_reminder.txt:1:4: '{{' is not closed on its line");
  CHECK(parse_error("line one\nção {{customer_name\n}}") ==
        "pt-BR/payment_reminder.txt:2:5: '{{' is not closed on its line");
}

// Names are lowercase identifiers; anything else between the braces is refused.
TEST_CASE("a malformed placeholder name is refused", "[notify]") {
  CHECK(parse_error("{{Customer Name}}") ==
        "pt-BR/payment_reminder.txt:1:1: '{{Customer Name}}' is not a placeholder name "
        "(use lowercase letters, digits and '_')");
  CHECK(parse_error("x {{}}") ==
        "pt-BR/payment_reminder.txt:1:3: '{{}}' is not a placeholder name "
        "(use lowercase letters, digits and '_')");
}

// A template that is not UTF-8 (a Latin-1 file, say) is refused where the bad byte is.
TEST_CASE("a template that is not UTF-8 is refused at the bad byte", "[notify]") {
  CHECK(parse_error("ok\nOl\xe1 {{customer_name}}") == "pt-BR/payment_reminder.txt:2:3: invalid UTF-8");
}

// A variable missing at render time is an error, never an empty hole in the notice.
TEST_CASE("rendering without a value for a placeholder is an error", "[notify]") {
  const auto parsed = Template::parse("Hi {{customer_name}},\n\nPay by\n  {{due_date}}.\n",
                                      "en/payment_reminder.txt", allowed);
  REQUIRE(parsed);
  const auto text = parsed->render({{"customer_name", "Ann"}});
  REQUIRE_FALSE(text);
  CHECK(text.error().message == "en/payment_reminder.txt:4:3: no value for {{due_date}}");
}

// The escaping overload passes each value through the escape function, not the literal text.
TEST_CASE("render with an escape function escapes values only", "[notify]") {
  const auto parsed = Template::parse("<{{customer_name}}>", "t", allowed);
  REQUIRE(parsed);
  const auto text = parsed->render({{"customer_name", "a"}},
                                   [](const std::string& v) -> Result<std::string> { return "[" + v + "]"; });
  CHECK(*text == "<[a]>");
  const auto failed = parsed->render({{"customer_name", "a"}}, [](const std::string&) -> Result<std::string> {
    return make_error("cannot escape");
  });
  CHECK(failed.error().message == "cannot escape");
}
