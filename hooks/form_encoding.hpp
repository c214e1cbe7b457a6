// application/x-www-form-urlencoded, both ways: query strings and form bodies sent to WHM and
// DirectAdmin, and DirectAdmin's url-encoded answers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cobrador::hooks {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but RFC 3986's unreserved characters (so a space is "%20").
std::string percent_encode(std::string_view text);

// "a=1&b=x%20y", fields in the given order.
std::string encode_form(const FormFields& fields);

// Splits "a=1&b=x+y" into fields, decoding '+' and %XX; a malformed escape is kept as is.
FormFields decode_form(std::string_view text);

// The value of the first field called `name`, or "" when there is none.
std::string form_value(const FormFields& fields, std::string_view name);

}  // namespace cobrador::hooks
