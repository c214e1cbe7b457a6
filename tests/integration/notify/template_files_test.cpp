#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "notify/template_catalog.hpp"
#include "notify/template_library.hpp"
#include "scratch_dir.hpp"
#include "support/has_text.hpp"

using namespace cobrador;
using namespace cobrador::notify;
using cobrador::testing::has;
namespace fs = std::filesystem;

namespace {

const fs::path shipped = fs::path(COBRADOR_SOURCE_DIR) / "etc" / "templates";

// Values a caller would pass, distinct enough to be found in the rendered text.
Variables sample_values(std::string_view name) {
  const Variables all{{"customer_name", "Ana Souza"},
                      {"support_phone", "+55 11 4000-0000"},
                      {"support_email", "billing@example.com"},
                      {"support_url", "https://example.com/billing"},
                      {"customer_link", "https://billing.example.com/c/1.2.3.sig"},
                      {"amount_due", "149.70 BRL"},
                      {"due_date", "01/03/2026"},
                      {"days_overdue", "4"},
                      {"invoices", "2026-0042 · 49.90 BRL · 01/03/2026"},
                      {"services", "ana.example.com"},
                      {"next_step_date", "06/03/2026"},
                      {"purge_date", "05/04/2026"},
                      {"deadline", "09/03/2026"},
                      {"claim_amount", "49.90 BRL"},
                      {"claim_date", "02/03/2026"},
                      {"service_end_date", "31/03/2026"},
                      {"backup_location", "https://example.com/b/123"},
                      {"months_upfront", "3"},
                      {"recurring_amount", "29.90 BRL"},
                      {"reactivation_amount", "239.40 BRL"},
                      {"backup_fee", "25.00 BRL"},
                      {"cause", "insufficient_funds"}};
  Variables values;
  for (const auto variable : template_variables(name))
    values.emplace(std::string(variable), all.at(std::string(variable)));
  return values;
}

// A copy of the shipped templates to break in a test.
fs::path copy_shipped(const testing::ScratchDir& dir) {
  const fs::path root = dir / "templates";
  fs::copy(shipped, root, fs::copy_options::recursive);
  return root;
}

void overwrite(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace

// The templates that ship pass the same check --check-config runs.
TEST_CASE("the shipped templates validate without problems", "[notify]") {
  CHECK(validate_templates(shipped) == std::vector<std::string>{});
  const auto library = TemplateLibrary::load(shipped);
  REQUIRE(library);
  CHECK(library->locales() == std::vector<std::string>{"en", "es", "pt-BR"});
}

// Every shipped notice, in every language, renders with its catalog variables and says how
// to reach support, what is owed and what happens next (SPEC §7).
TEST_CASE("every shipped notice renders and carries what SPEC 7 asks for", "[notify]") {
  const auto library = TemplateLibrary::load(shipped);
  REQUIRE(library);
  for (const auto& locale : library->locales()) {
    for (const auto name : template_names()) {
      INFO(locale << "/" << name);
      const Variables values = sample_values(name);
      const auto notice = library->render(locale, name, values);
      REQUIRE(notice);
      CHECK(notice->locale == locale);
      CHECK_FALSE(has(notice->subject, "\n"));
      CHECK(has(notice->text, "Ana Souza"));
      for (const auto* contact : {"support_phone", "support_email", "support_url", "customer_link"}) {
        CHECK(has(notice->text, values.at(contact)));
      }
      if (values.contains("amount_due") && name != "claim_unconfirmed") {
        CHECK(has(notice->text, "149.70 BRL"));
        CHECK(has(notice->sms, "149.70 BRL"));
      }
      if (values.contains("next_step_date")) {
        CHECK(has(notice->text, "06/03/2026"));
        CHECK(has(notice->sms, "06/03/2026"));
      }
      if (values.contains("purge_date")) CHECK(has(notice->text, "05/04/2026"));
      if (values.contains("backup_fee")) {  // the offer says what the backup costs
        CHECK(has(notice->text, "25.00 BRL"));
        CHECK(has(notice->sms, "25.00 BRL"));
      }
      CHECK((has(notice->sms, values.at("support_phone")) || has(notice->sms, "https://example.com/b/123")));
    }
  }
}

// Customers get the nearest folder: es-AR → es, pt_br → pt-BR, fr → en, pt-BR → pt.
TEST_CASE("a customer's locale falls back to the nearest template folder", "[notify]") {
  const auto library = TemplateLibrary::load(shipped);
  REQUIRE(library);
  CHECK(library->resolve_locale("es-AR") == "es");
  CHECK(library->resolve_locale("pt_br") == "pt-BR");
  CHECK(library->resolve_locale("fr") == "en");
  CHECK(library->render("fr-CA", "reactivated", sample_values("reactivated"))->subject ==
        "Your services are active again");

  testing::ScratchDir dir;
  const fs::path root = dir / "templates";
  fs::create_directories(root);
  fs::copy(shipped / "en", root / "en", fs::copy_options::recursive);
  fs::copy(shipped / "pt-BR", root / "pt", fs::copy_options::recursive);
  const auto generic = TemplateLibrary::load(root);
  REQUIRE(generic);
  CHECK(generic->resolve_locale("pt-BR") == "pt");
  CHECK(generic->render("pt-BR", "reactivated", sample_values("reactivated"))->subject ==
        "Seus serviços foram reativados");
}

// Validation lists every problem, each with file:line:col or file, in a stable order.
TEST_CASE("template validation lists every problem with its place", "[notify]") {
  testing::ScratchDir dir;
  const fs::path root = copy_shipped(dir);
  fs::remove(root / "es" / "locked.sms");
  overwrite(root / "pt-BR" / "payment_reminder.txt", "Olá, {{customer_name}},\n\nValor: {{valor}}\n");
  overwrite(root / "pt-BR" / "suspended.subject", "Serviços suspensos\nem {{due_date}}\n");
  overwrite(root / "en" / "backup_ready.sms", "Ready: {{backup_location\n");
  overwrite(root / "en" / "reactivated.txt", "Hi {{customer_name}}, your data goes on {{purge_date}}.\n");
  overwrite(root / "en" / "payment_remider.txt", "typo\n");
  const std::string r = root.string();
  CHECK(validate_templates(root) == std::vector<std::string>{
                                        r + "/en/reactivated.txt:1:41: unknown placeholder {{purge_date}}",
                                        r + "/en/backup_ready.sms:1:8: '{{' is not closed on its line",
                                        r + "/en/payment_remider.txt: not a known template name",
                                        r + "/es/locked.sms: missing",
                                        r + "/pt-BR/payment_reminder.txt:3:8: unknown placeholder {{valor}}",
                                        r + "/pt-BR/suspended.subject:2:1: a subject is one line",
                                    });
  const auto library = TemplateLibrary::load(root);
  REQUIRE_FALSE(library);
  CHECK(library.error().message.find(r + "/es/locked.sms: missing\n") != std::string::npos);
}

// Without en there is nothing to fall back on, so the set is refused.
TEST_CASE("a template folder without en is refused", "[notify]") {
  testing::ScratchDir dir;
  const fs::path root = dir / "templates";
  fs::create_directories(root);
  fs::copy(shipped / "es", root / "es", fs::copy_options::recursive);
  CHECK(validate_templates(root) ==
        std::vector<std::string>{root.string() + "/en: missing (en is every locale's fallback)"});
  CHECK(validate_templates(dir / "nowhere") ==
        std::vector<std::string>{(dir / "nowhere").string() + ": no such folder"});
}

// A variable the caller forgot is an error naming the template file, not a notice with a hole.
TEST_CASE("rendering a shipped notice without a variable fails with its place", "[notify]") {
  const auto library = TemplateLibrary::load(shipped);
  REQUIRE(library);
  Variables values = sample_values("payment_reminder");
  values.erase("amount_due");
  const auto notice = library->render("pt-BR", "payment_reminder", values);
  REQUIRE_FALSE(notice);
  CHECK(notice.error().message ==
        (shipped / "pt-BR" / "payment_reminder.subject").string() + ":1:24: no value for {{amount_due}}");
}
