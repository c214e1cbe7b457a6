// The one shape of every refusal: {"error": {"code", "message", "field"}}. `code` is for
// programs (stable words, listed in docs/api.md), `message` for people, `field` names the
// request field at fault or is null.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace cobrador::http {

Response error_response(int status, std::string_view code, std::string_view message,
                        std::optional<std::string_view> field = std::nullopt);

// A JSON body as text, with the given status.
Response json_response(int status, std::string body);

}  // namespace cobrador::http
