// Implements the reading of one título: amounts in cents (BRL), dates DDMMAAAA, references.
#include "bank/cnab240_title.hpp"

#include <optional>

#include <fmt/format.h>

#include "bank/references.hpp"
#include "bank/text.hpp"

namespace cobrador::bank::cnab240 {

namespace {

bool is_paid(std::string_view movement) { return movement == "06" || movement == "17"; }

Currency brl() { return *Currency::parse("BRL"); }

// The paid amount for money received. Other ocorrências have no payment; the face value
// says which boleto they are about.
Result<std::int64_t> amount_of(const Record& t, const Record& u, const TitleColumns& columns, bool paid) {
  auto paid_cents = read_number(u, kPaidAmount, "valor pago");
  if (!paid_cents) return paid_cents.error();
  if (paid && *paid_cents == 0) return error_at(u, "valor pago (columns 78-92) is zero for a paid título");
  if (paid || *paid_cents > 0) return paid_cents;
  auto face_cents = read_number(t, columns.face_value, "valor nominal");
  if (!face_cents) return face_cents.error();
  if (*face_cents == 0) return error_at(t, "neither valor pago nor valor nominal is given");
  return face_cents;
}

// Money received is dated by the day the bank credited it; other ocorrências by their own
// date. Either falls back to the other date when the bank left it blank.
Result<Date> date_of(const Record& u, bool paid) {
  auto credit = read_date(u, kCreditDate, "data do crédito");
  if (!credit) return credit.error();
  auto occurrence = read_date(u, kOccurrenceDate, "data da ocorrência");
  if (!occurrence) return occurrence.error();
  const auto first = paid ? *credit : *occurrence;
  const auto second = paid ? *occurrence : *credit;
  if (first) return *first;
  if (second) return *second;
  return error_at(
      u, "neither data da ocorrência (columns 138-145) nor data do crédito (columns 146-153) is given");
}

// Blanks carry no meaning inside these fields ("0032860000000075367 " holds agência and conta).
std::string compact(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != ' ') out += c;
  }
  return out;
}

}  // namespace

Result<BankEntry> read_title(const Record& t, const Record& u, std::string_view bank,
                             std::string_view beneficiary) {
  const auto movement = t.field(kMovement);
  if (u.field(kMovement) != movement) {
    return error_at(u, fmt::format("ocorrência '{}' differs from '{}' in its segment T at line {}",
                                   u.field(kMovement), movement, t.line));
  }
  const auto& columns = title_columns(bank);
  const auto nosso_numero = trim(t.field(columns.nosso_numero));
  if (nosso_numero.empty()) {
    return error_at(t, fmt::format("nosso número (columns {}-{}) is blank", columns.nosso_numero.first,
                                   columns.nosso_numero.last));
  }
  const bool paid = is_paid(movement);
  auto cents = amount_of(t, u, columns, paid);
  if (!cents) return cents.error();
  auto date = date_of(u, paid);
  if (!date) return date.error();
  BankEntry entry;
  entry.format = Format::cnab240;
  entry.booking_date = *date;
  entry.amount = Money{*cents, brl()};
  entry.direction = Direction::credit;
  entry.booked = paid;
  entry.status_code = std::string(movement);
  add_reference(entry.references, ReferenceKind::nosso_numero, nosso_numero);
  add_reference(entry.references, ReferenceKind::document_number, t.field(columns.document_number));
  add_reference(entry.references, ReferenceKind::company_reference, t.field(columns.company_reference));
  entry.identity = fmt::format("cnab240:{}:{}:{}:{}:{}", bank, compact(beneficiary), nosso_numero, movement,
                               format_date(entry.booking_date));
  entry.origin = fmt::format("line {}", t.line);
  return entry;
}

void add_pix_data(const Record& y, BankEntry& title) {
  if (y.field(kOptionalKind) != "03") return;
  add_reference(title.references, ReferenceKind::pix_txid, y.field(kPixTxid));
}

}  // namespace cobrador::bank::cnab240
