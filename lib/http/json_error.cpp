// Implements the JSON error body.
#include "http/json_error.hpp"

#include <nlohmann/json.hpp>

namespace cobrador::http {

Response error_response(int status, std::string_view code, std::string_view message,
                        std::optional<std::string_view> field) {
  nlohmann::json error{{"code", code}, {"message", message}, {"field", nullptr}};
  if (field) error["field"] = *field;
  Response response;
  response.status = status;
  // Invalid UTF-8 from a request (a field name echoed back) is replaced, never a throw.
  response.body =
      nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace cobrador::http
