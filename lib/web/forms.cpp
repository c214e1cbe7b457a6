// Implements web/forms.hpp.
#include "web/forms.hpp"

#include <cctype>

#include "http/message.hpp"

namespace cobrador::web {

std::optional<std::string> form_value(std::string_view body, std::string_view name) {
  while (!body.empty()) {
    const auto end = body.find('&');
    const auto field = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    const auto equals = field.find('=');
    std::string key;
    if (!http::percent_decode(field.substr(0, equals), key, true) || key != name) continue;
    std::string value;
    if (equals == std::string_view::npos) return value;
    if (!http::percent_decode(field.substr(equals + 1), value, true)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

std::string path_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace cobrador::web
