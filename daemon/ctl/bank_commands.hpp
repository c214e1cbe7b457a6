// The bank part of cobradorctl, shared with `list unmatched` in show_commands.cpp.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ctl/context.hpp"
#include "store/bank_book.hpp"

namespace cobrador::ctl {

void add_bank_commands(CLI::App& app, Context& ctx);

// Unmatched bank entries as JSON rows and as text, for `list unmatched`.
void list_unmatched(store::BankBook& store, nlohmann::json& rows, std::string& text);

}  // namespace cobrador::ctl
