// The words of the customer's page (web/self_service_text.hpp): every sentence exists in the
// three languages with the same {} places, so that filling one can never fail at run time; and
// the page (web/self_service_page.hpp) shows what others wrote as text, never as markup.
#include <catch2/catch.hpp>

#include <string>

#include "web/self_service_page.hpp"
#include "web/self_service_text.hpp"

namespace self_service_text_test {

using namespace cobrador::web;

std::size_t places(std::string_view text) {
  std::size_t count = 0;
  for (auto at = text.find("{}"); at != std::string_view::npos; at = text.find("{}", at + 2)) ++count;
  return count;
}

// From the first sentence to the last: each is written in en, es and pt-BR, with as many {} in
// each, and no other brace (fmt would read it as a placeholder).
TEST_CASE("every sentence of the customer's page is in en, es and pt-BR with the same places",
          "[web][links]") {
  for (int i = static_cast<int>(Say::title); i <= static_cast<int>(Say::reason_other); ++i) {
    const auto what = static_cast<Say>(i);
    INFO("sentence " << i << ": " << say(Lang::en, what));
    const auto en = say(Lang::en, what);
    REQUIRE_FALSE(en.empty());
    for (const auto lang : {Lang::es, Lang::pt}) {
      const auto text = say(lang, what);
      CHECK_FALSE(text.empty());
      CHECK(places(text) == places(en));
    }
    for (const auto lang : {Lang::en, Lang::es, Lang::pt}) {
      std::string text(say(lang, what));
      for (auto at = text.find("{}"); at != std::string::npos; at = text.find("{}")) text.erase(at, 2);
      CHECK(text.find_first_of("{}") == std::string::npos);
    }
  }
}

// A customer's locale picks the language as the notices' folders do; anything else is English.
TEST_CASE("the customer's locale picks the page's language", "[web][links]") {
  CHECK(lang_for("pt-BR") == Lang::pt);
  CHECK(lang_for("pt_br") == Lang::pt);
  CHECK(lang_for("es-419") == Lang::es);
  CHECK(lang_for("en") == Lang::en);
  CHECK(lang_for("fr") == Lang::en);
  CHECK(lang_for("") == Lang::en);
  CHECK(lang_for("esperanto") == Lang::en);
  CHECK(lang_from_header("pt-BR,pt;q=0.9,en;q=0.8") == Lang::pt);
  CHECK(lang_from_header("es") == Lang::es);
  CHECK(lang_from_header("de-DE,de;q=0.9") == Lang::en);
  CHECK(lang_tag(Lang::pt) == "pt-BR");
}

}  // namespace self_service_text_test

namespace self_service_page_test {

using namespace cobrador;
using namespace cobrador::web;

// What the customer or the billing system wrote is shown as text, never as markup, on the page
// and in its forms; the page is in the customer's language with the headers that keep the link.
TEST_CASE("the customer's page escapes every value and keeps its headers", "[web][links]") {
  SelfServiceView page;
  page.view.customer.name = "<script>alert(1)</script>";
  page.view.customer.locale = "es";
  page.view.state = "overdue";
  Service service;
  service.ext_id = "s\"><img src=x>";
  service.state = ServiceState::suspended;
  page.view.services = {service};
  page.today = *parse_date("2026-03-09");
  page.link_expires_at = *parse_instant("2026-04-08T10:00:00Z");
  page.path = "/c/1.2.3.abc";
  page.form_token = "tok\"en";
  policy::Policy policy;
  policy.payments.methods = {{"pix", "<b>key</b>"}};
  const auto response =
      self_service_page(page, policy, config::Support{"+55", "a@b", "https://x"}, std::nullopt);
  CHECK(response.status == 200);
  CHECK(response.body.find("<script") == std::string::npos);
  CHECK(response.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(response.body.find("<img") == std::string::npos);
  CHECK(response.body.find("<b>key</b>") == std::string::npos);
  CHECK(response.body.find("value=\"tok&quot;en\"") != std::string::npos);
  CHECK(response.body.find("<html lang=\"es\">") != std::string::npos);
  CHECK(response.body.find("Su cuenta") != std::string::npos);
  CHECK(response.body.find("08/04/2026") != std::string::npos);
  bool no_referrer = false;
  for (const auto& [name, value] : response.headers)
    no_referrer = no_referrer || (name == "Referrer-Policy" && value == "no-referrer");
  CHECK(no_referrer);
}

}  // namespace self_service_page_test
