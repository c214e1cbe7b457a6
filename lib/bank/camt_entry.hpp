// Turns one camt <Ntry> into BankEntry values: one per TxDtls, each with that transaction's
// amount, references and return reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "bank/bank_entry.hpp"
#include "util/result.hpp"

namespace cobrador::bank::camt {

// Appends the entry's transactions to out, or fails naming the element at fault. account is
// the statement's account (IBAN or other id), used in identities; ntry_path is the entry's
// element_path, which the caller knows from its position.
Status read_entry(const pugi::xml_node& ntry, const std::string& ntry_path, Format format,
                  const std::string& account, std::vector<BankEntry>& out);

}  // namespace cobrador::bank::camt
