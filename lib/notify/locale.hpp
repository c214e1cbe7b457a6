// What a customer's locale means for a notice: which template folder serves it and how a date
// is written for them. Locales are BCP 47 tags ("pt-BR"); "pt_BR" and "pt-br" from a billing
// system's export are accepted and normalized.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/date.hpp"

namespace cobrador::notify {

// "pt_br" → "pt-BR", "ES" → "es": language lowercase, a 2-letter region uppercase, a 4-letter
// script title-case ("zh-hant" → "zh-Hant").
std::string normalize_locale(std::string_view locale);

// The folders to try, most specific first, always ending with "en" (the locale that must
// exist): "pt-BR" → {"pt-BR", "pt", "en"}; "es-419" → {"es-419", "es", "en"}; "" → {"en"}.
std::vector<std::string> locale_fallbacks(std::string_view locale);

// A date as the customer reads it: "08/03/2026" in pt and es (day first), "8 March 2026" in
// en (unambiguous on both sides of the Atlantic), ISO "2026-03-08" for any other language.
std::string format_local_date(Date day, std::string_view locale);

}  // namespace cobrador::notify
