// Implements the return reason table: the codes SEPA and Swiss direct debits return most
// often (ISO 20022 ExternalReturnReason1Code).
#include "bank/return_reasons.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace cobrador::bank {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kReasons{{
    {"AC01", "incorrect account number"},
    {"AC04", "account closed"},
    {"AC06", "account blocked"},
    {"AG01", "transaction forbidden on this account"},
    {"AG02", "invalid bank operation code"},
    {"AM04", "insufficient funds"},
    {"AM05", "duplicate collection"},
    {"BE05", "creditor unknown to the debtor's bank"},
    {"FF01", "invalid file format"},
    {"MD01", "no mandate"},
    {"MD02", "mandate data missing or wrong"},
    {"MD06", "refund requested by the debtor"},
    {"MD07", "debtor deceased"},
    {"MS02", "refused by the debtor"},
    {"MS03", "refused by the debtor's bank, no reason given"},
    {"RC01", "bank identifier incorrect"},
    {"RR01", "debtor account or identification missing"},
    {"RR02", "debtor name or address missing"},
    {"RR03", "creditor name or address missing"},
    {"RR04", "regulatory reason"},
    {"SL01", "specific service of the debtor's bank"},
}};

}  // namespace

std::string_view describe_return_reason(std::string_view code) {
  const auto found = std::find_if(kReasons.begin(), kReasons.end(),
                                  [&](const auto& reason) { return reason.first == code; });
  return found == kReasons.end() ? std::string_view{} : found->second;
}

}  // namespace cobrador::bank
