// Reading what a console form posts (application/x-www-form-urlencoded).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cobrador::web {

// The first field called `name` of an url-encoded body, decoded ('+' is a space); nothing when
// it is absent or its encoding is broken.
std::optional<std::string> form_value(std::string_view body, std::string_view name);

// `text` as one path segment: every byte but letters, digits and -._~ percent-encoded.
std::string path_segment(std::string_view text);

}  // namespace cobrador::web
