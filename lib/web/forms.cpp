// Implements web/forms.hpp.
#include "web/forms.hpp"

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

}  // namespace cobrador::web
