// Implements loading, validation, locale fallback and rendering of notice templates.
#include "notify/template_library.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "notify/locale.hpp"
#include "util/text_file.hpp"

namespace cobrador::notify {

namespace fs = std::filesystem;

namespace {

// Files edited on Windows come with CRLF; the message builder adds its own line ends.
std::string normalize_line_ends(std::string text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

std::string trim_trailing_line_ends(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The checks particular to a part, on the text as it will be parsed.
std::optional<std::string> check_shape(Part part, const std::string& text, const std::string& file) {
  if (text.find_first_not_of(" \t\n") == std::string::npos) return file + ":1:1: the file is empty";
  if (part == Part::subject && text.find('\n') != std::string::npos) {
    return file + ":2:1: a subject is one line";
  }
  return std::nullopt;
}

// Reads and parses one part; the problem goes to `problems` and nothing is returned on failure.
std::optional<Template> load_part(const fs::path& file, Part part, std::string_view name,
                                  std::vector<std::string>& problems) {
  const std::string shown = file.string();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    problems.push_back(shown + ": missing");
    return std::nullopt;
  }
  auto content = read_text_file(file.string());
  if (!content) {
    problems.push_back(shown + ": cannot be read");
    return std::nullopt;
  }
  std::string text = normalize_line_ends(std::move(*content));
  if (part != Part::text) text = trim_trailing_line_ends(std::move(text));
  if (auto problem = check_shape(part, text, shown)) {
    problems.push_back(std::move(*problem));
    return std::nullopt;
  }
  auto parsed = Template::parse(text, shown, template_variables(name));
  if (!parsed) {
    problems.push_back(parsed.error().message);
    return std::nullopt;
  }
  return std::move(parsed).value();
}

// Files in a locale folder that look like templates but have a name the catalog does not know
// (a typo such as "payment_remider.txt" would otherwise be silently ignored).
void check_unknown_files(const fs::path& folder, std::vector<std::string>& problems) {
  std::vector<std::string> unknown;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".subject" && ext != ".txt" && ext != ".sms") continue;
    if (!is_template_name(entry.path().stem().string())) {
      unknown.push_back(entry.path().string() + ": not a known template name");
    }
  }
  std::sort(unknown.begin(), unknown.end());
  problems.insert(problems.end(), unknown.begin(), unknown.end());
}

// Locale folders under root, sorted; hidden folders (.git) are not locales.
std::vector<fs::path> locale_folders(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory() && entry.path().filename().string().front() != '.') {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> scan_templates(const fs::path& root, TemplateLibrary* into) {
  std::vector<std::string> problems;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {root.string() + ": no such folder"};
  std::set<std::string> seen;
  for (const fs::path& folder : locale_folders(root)) {
    const std::string locale = normalize_locale(folder.filename().string());
    if (!seen.insert(locale).second) {
      problems.push_back(folder.string() + ": a second folder for locale " + locale);
      continue;
    }
    TemplateLibrary::LocaleTemplates templates;
    for (const std::string_view name : template_names()) {
      TemplateLibrary::PartTemplates parts;
      for (const Part part : all_parts) {
        const fs::path file = folder / fmt::format("{}.{}", name, part_extension(part));
        if (auto loaded = load_part(file, part, name, problems)) {
          parts[static_cast<std::size_t>(part)] = std::move(*loaded);
        }
      }
      templates.emplace(std::string(name), std::move(parts));
    }
    check_unknown_files(folder, problems);
    if (into) into->locales_.emplace(locale, std::move(templates));
  }
  if (!seen.contains("en")) {
    problems.push_back((root / "en").string() + ": missing (en is every locale's fallback)");
  }
  return problems;
}

std::vector<std::string> validate_templates(const fs::path& root) { return scan_templates(root, nullptr); }

Result<TemplateLibrary> TemplateLibrary::load(const fs::path& root) {
  TemplateLibrary library;
  const std::vector<std::string> problems = scan_templates(root, &library);
  if (!problems.empty()) return make_error(fmt::format("{}", fmt::join(problems, "\n")));
  return library;
}

std::vector<std::string> TemplateLibrary::locales() const {
  std::vector<std::string> out;
  for (const auto& [locale, templates] : locales_) out.push_back(locale);
  return out;
}

std::string TemplateLibrary::resolve_locale(std::string_view customer_locale) const {
  for (const std::string& candidate : locale_fallbacks(customer_locale)) {
    if (locales_.contains(candidate)) return candidate;
  }
  return "en";
}

Result<RenderedNotice> TemplateLibrary::render(std::string_view customer_locale, std::string_view name,
                                               const Variables& values) const {
  RenderedNotice notice;
  notice.locale = resolve_locale(customer_locale);
  const auto locale = locales_.find(notice.locale);
  if (locale == locales_.end()) return make_error("no templates loaded");
  const auto templates = locale->second.find(name);
  if (templates == locale->second.end()) {
    return make_error(fmt::format("unknown template '{}'", name));
  }
  const auto part = [&](Part p) -> const Template& { return templates->second[static_cast<std::size_t>(p)]; };
  auto subject = part(Part::subject).render(values);
  if (!subject) return subject.error();
  auto text = part(Part::text).render(values);
  if (!text) return text.error();
  auto sms = part(Part::sms).render(values);
  if (!sms) return sms.error();
  notice.subject = std::move(*subject);
  notice.text = std::move(*text);
  if (notice.text.empty() || notice.text.back() != '\n') notice.text += '\n';
  notice.sms = std::move(*sms);
  return notice;
}

}  // namespace cobrador::notify
