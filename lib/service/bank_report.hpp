// How a bank import's report is shown: JSON (cobradorctl --json and POST /v1/bank-statements
// answer the same document, docs/api.md) and text for people.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "service/bank_import.hpp"

namespace cobrador::service {

nlohmann::json report_json(const BankImportReport& report);

// One line per entry with its explanation, then the counts.
std::string describe(const BankImportReport& report, const std::string& label);

}  // namespace cobrador::service
