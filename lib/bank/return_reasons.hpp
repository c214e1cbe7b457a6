// Plain-language names of ISO 20022 return reason codes, for operator messages about
// returned direct debits.
#pragma once

#include <string_view>

namespace cobrador::bank {

// "refund requested by the debtor" for MD06; empty for a code not in the table.
std::string_view describe_return_reason(std::string_view code);

}  // namespace cobrador::bank
