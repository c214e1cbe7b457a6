// multipart/form-data (RFC 7578), as a browser posts a form with a file: the customer's page
// sends a receipt this way (docs/customer-page.md). Boost.Beast reads the message but not
// this body, and no library the project uses parses it, hence this small, strict parser:
// every part needs a Content-Disposition of form-data with a name; anything unexpected is
// refused with where it is, never guessed at. Fuzzed by tests/fuzz/multipart_fuzz.cpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace cobrador::http {

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // present for a file field (may be empty: no file chosen)
  std::string content_type;             // as sent; "" when the part has none
  std::string body;
};

struct MultipartLimits {
  std::size_t max_parts = 16;
  std::size_t max_header_bytes = 2048;  // one part's headers
};

// The boundary of a Content-Type header `multipart/form-data; boundary=...`; an error for any
// other type or a boundary RFC 2046 does not allow (1 to 70 characters).
Result<std::string> multipart_boundary(std::string_view content_type);

// The parts of `body`, in order.
Result<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              const MultipartLimits& limits = {});

// The first part called `name`, or null.
const FormPart* find_part(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace cobrador::http
