// Builds the BankEntry of one boleto (título) from its segment T and segment U records.
#pragma once

#include <string_view>

#include "bank/bank_entry.hpp"
#include "bank/cnab240_records.hpp"
#include "util/result.hpp"

namespace cobrador::bank::cnab240 {

// Ocorrência 06 (liquidação) and 17 (liquidação após baixa) are money received: booked,
// with the paid amount and the credit date of segment U. Any other ocorrência (02 entrada
// confirmada, 09 baixa, ...) is kept as a not-booked entry carrying its code. beneficiary
// is the file header's account data, to keep identities of two accounts apart.
Result<BankEntry> read_title(const Record& t, const Record& u, std::string_view bank,
                             std::string_view beneficiary);

// A segment Y-03 after a title carries the PIX txid of a boleto with a QR code.
void add_pix_data(const Record& y, BankEntry& title);

}  // namespace cobrador::bank::cnab240
