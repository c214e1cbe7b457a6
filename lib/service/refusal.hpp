// A request the policy or the data refuses, said once for the HTTP API and cobradorctl:
// the status the API answers with, a stable code, a message for people and, where it helps,
// the facts behind it (the open invoices that block a cancellation).
#pragma once

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace cobrador::service {

struct Refusal {
  int status = 409;      // 400 bad request, 404 unknown, 409 the policy or the state refuses
  std::string code;      // stable word for programs (docs/api.md)
  std::string message;   // for people, naming the rule
  std::string field;     // the request field at fault, or ""
  nlohmann::json facts;  // null, or what the refusal is about
};

// Either what was done, or why not.
template <class T>
using Decided = std::variant<T, Refusal>;

}  // namespace cobrador::service
