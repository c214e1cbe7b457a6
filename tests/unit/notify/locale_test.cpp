#include <catch2/catch.hpp>

#include "notify/locale.hpp"
#include "notify/template_catalog.hpp"

using namespace cobrador;
using namespace cobrador::notify;

// Billing systems write locales in several ways; all of them become BCP 47 casing.
TEST_CASE("locales are normalized to BCP 47 casing", "[notify]") {
  CHECK(normalize_locale("pt_br") == "pt-BR");
  CHECK(normalize_locale("PT-br") == "pt-BR");
  CHECK(normalize_locale("ES") == "es");
  CHECK(normalize_locale("zh-hant-tw") == "zh-Hant-TW");
}

// The fallback goes from the most specific folder to the language, and always ends with en.
TEST_CASE("locale fallback goes pt-BR, pt, en", "[notify]") {
  CHECK(locale_fallbacks("pt-BR") == std::vector<std::string>{"pt-BR", "pt", "en"});
  CHECK(locale_fallbacks("es_419") == std::vector<std::string>{"es-419", "es", "en"});
  CHECK(locale_fallbacks("en-GB") == std::vector<std::string>{"en-GB", "en"});
  CHECK(locale_fallbacks("") == std::vector<std::string>{"en"});
}

// Dates are written the way each language's customers read them.
TEST_CASE("dates are formatted per language", "[notify]") {
  const Date day = date::year{2026} / date::March / 8;
  CHECK(format_local_date(day, "pt-BR") == "08/03/2026");
  CHECK(format_local_date(day, "es") == "08/03/2026");
  CHECK(format_local_date(day, "en") == "8 March 2026");
  CHECK(format_local_date(day, "de-DE") == "2026-03-08");
}

// Every template can reach support, as SPEC §7 asks of every notice, and the customer's page.
TEST_CASE("every catalog entry offers the support variables and the customer's link", "[notify]") {
  REQUIRE(template_names().size() == 10);
  for (const auto name : template_names()) {
    const auto vars = template_variables(name);
    for (const auto needed :
         {"customer_name", "support_phone", "support_email", "support_url", "customer_link"}) {
      CHECK(std::find(vars.begin(), vars.end(), needed) != vars.end());
    }
  }
  CHECK(template_variables("no_such_template").empty());
}
