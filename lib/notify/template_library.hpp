// The notice templates of an installation: <root>/<locale>/<name>.{subject,txt,sms}, loaded
// and checked once (at start, on SIGHUP, by --check-config) and rendered per customer.
// A customer whose locale has no folder gets the nearest one: pt-BR → pt → en.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "notify/template.hpp"
#include "notify/template_catalog.hpp"
#include "util/result.hpp"

namespace cobrador::notify {

struct RenderedNotice {
  std::string locale;   // the folder that served it, after fallback ("pt-BR", "en")
  std::string subject;  // one line, no line end
  std::string text;     // the e-mail body, ending with a line end
  std::string sms;      // the SMS text, no trailing line end
};

class TemplateLibrary {
 public:
  // Loads every locale folder under `root`. Any problem fails the load, and the error holds
  // every problem validate_templates finds, one per line.
  static Result<TemplateLibrary> load(const std::filesystem::path& root);

  // Normalized names of the locale folders, sorted.
  std::vector<std::string> locales() const;
  // The folder that serves a customer's locale; "en" when nothing nearer exists.
  std::string resolve_locale(std::string_view customer_locale) const;

  // Renders the three parts of template `name` in the customer's (resolved) locale. `values`
  // must hold the variables that template_variables(name) lists; a missing one is an error.
  Result<RenderedNotice> render(std::string_view customer_locale, std::string_view name,
                                const Variables& values) const;

 private:
  using PartTemplates = std::array<Template, all_parts.size()>;
  using LocaleTemplates = std::map<std::string, PartTemplates, std::less<>>;

  friend std::vector<std::string> scan_templates(const std::filesystem::path& root, TemplateLibrary* into);

  std::map<std::string, LocaleTemplates, std::less<>> locales_;
};

// Every problem with the templates under `root`, in a stable order, each as
// "file:line:col: message" or "file: message" (a missing file or folder). Checks that "en"
// exists, that every locale has every template of the catalog with all three parts, that each
// part parses with only its template's variables, and that no file has an unknown name.
std::vector<std::string> validate_templates(const std::filesystem::path& root);

}  // namespace cobrador::notify
