// The BACEN PIX webhook callback (the API Pix "callback de Pix recebido"): a body
// {"pix": [{"endToEndId", "txid", "valor", "horario", ...}]} with one entry per credit. Each
// credit pays the invoice whose external id is its txid (the charge's id at the bank).
// Internal to lib/http; pure, no I/O.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "bank/bank_entry.hpp"
#include "domain/date.hpp"
#include "domain/money.hpp"
#include "service/entity_fields.hpp"
#include "util/result.hpp"

namespace cobrador::http {

struct PixCredit {
  std::string end_to_end_id;  // unique per PIX transaction, from BACEN
  std::string txid;           // "" for a PIX sent without a charge
  Money amount;               // always BRL
  Instant at;
};

// True when the body has the callback's shape (a "pix" member).
bool is_pix_callback(const nlohmann::json& body);

// The credits, or the first field at fault, named like "pix[1].valor". Members this reader
// does not use (chave, infoPagador, devolucoes) are ignored: banks add their own.
std::variant<std::vector<PixCredit>, service::FieldProblem> read_pix_callback(const nlohmann::json& body);

// The credits as bank entries, so that they are matched and recorded like statement lines
// (service::import_bank_entries): references txid then endToEndId, identity endToEndId
// (unique per PIX transaction), booked on the day of `horario` in the policy's zone
// (`local_date`), origin "pix[i]".
std::vector<bank::BankEntry> bank_entries_of(const std::vector<PixCredit>& credits,
                                             const std::function<Date(Instant)>& local_date);

// RFC 3339 as PIX sends it: "2020-09-09T20:15:00.358Z" or "2020-09-10T13:03:33.902-03:00".
Result<Instant> parse_rfc3339(std::string_view text);

}  // namespace cobrador::http
