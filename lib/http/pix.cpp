// Implements reading the PIX callback.
#include "http/pix.hpp"

#include <sstream>

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bank/references.hpp"
#include "util/instant.hpp"
#include "util/utf8.hpp"

namespace cobrador::http {

namespace {

using Kind = service::FieldProblem::Kind;

std::optional<service::FieldProblem> text_member(const nlohmann::json& entry, const std::string& where,
                                                 const char* name, bool required, std::string& out) {
  const auto field = fmt::format("{}.{}", where, name);
  if (!entry.contains(name) || entry[name].is_null()) {
    if (required) return service::FieldProblem{Kind::missing, field, "is missing"};
    out.clear();
    return std::nullopt;
  }
  if (!entry[name].is_string()) return service::FieldProblem{Kind::wrong_type, field, "must be a string"};
  out = entry[name].get<std::string>();
  if (required && out.empty()) return service::FieldProblem{Kind::missing, field, "is empty"};
  // The ids become payment ids and references, shown in messages and the audit trail.
  if (const auto problem = utf8::line_problem(out))
    return service::FieldProblem{Kind::invalid, field, *problem};
  return std::nullopt;
}

std::variant<PixCredit, service::FieldProblem> read_credit(const nlohmann::json& entry,
                                                           const std::string& where) {
  if (!entry.is_object()) return service::FieldProblem{Kind::wrong_type, where, "must be an object"};
  PixCredit credit;
  std::string valor;
  std::string horario;
  if (auto p = text_member(entry, where, "endToEndId", true, credit.end_to_end_id)) return *p;
  if (auto p = text_member(entry, where, "txid", false, credit.txid)) return *p;
  if (auto p = text_member(entry, where, "valor", true, valor)) return *p;
  if (auto p = text_member(entry, where, "horario", true, horario)) return *p;
  const auto amount = parse_money(valor, *Currency::parse("BRL"));
  if (!amount) return service::FieldProblem{Kind::invalid, where + ".valor", amount.error().message};
  // A credit of nothing pays nothing, as in a statement (a zero amount is refused there too).
  if (amount->minor == 0) return service::FieldProblem{Kind::invalid, where + ".valor", "the amount is zero"};
  credit.amount = *amount;
  const auto at = parse_rfc3339(horario);
  if (!at) return service::FieldProblem{Kind::invalid, where + ".horario", at.error().message};
  credit.at = *at;
  return credit;
}

}  // namespace

bool is_pix_callback(const nlohmann::json& body) { return body.is_object() && body.contains("pix"); }

std::variant<std::vector<PixCredit>, service::FieldProblem> read_pix_callback(const nlohmann::json& body) {
  const auto& list = body["pix"];
  if (!list.is_array()) return service::FieldProblem{Kind::wrong_type, "pix", "must be a list of credits"};
  if (list.empty()) return service::FieldProblem{Kind::missing, "pix", "holds no credit"};
  std::vector<PixCredit> credits;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto credit = read_credit(list[i], fmt::format("pix[{}]", i));
    if (auto* problem = std::get_if<service::FieldProblem>(&credit)) return std::move(*problem);
    credits.push_back(std::get<PixCredit>(std::move(credit)));
  }
  return credits;
}

std::vector<bank::BankEntry> bank_entries_of(const std::vector<PixCredit>& credits,
                                             const std::function<Date(Instant)>& local_date) {
  std::vector<bank::BankEntry> entries;
  for (std::size_t i = 0; i < credits.size(); ++i) {
    const auto& credit = credits[i];
    bank::BankEntry entry;
    entry.format = bank::Format::pix;
    entry.booking_date = local_date(credit.at);
    entry.amount = credit.amount;
    entry.direction = bank::Direction::credit;
    entry.booked = true;  // a PIX is settled when BACEN reports it
    entry.status_code = "pix";
    bank::add_reference(entry.references, bank::ReferenceKind::pix_txid, credit.txid);
    bank::add_reference(entry.references, bank::ReferenceKind::end_to_end_id, credit.end_to_end_id);
    entry.identity = credit.end_to_end_id;
    entry.origin = fmt::format("pix[{}]", i);
    entries.push_back(std::move(entry));
  }
  return entries;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// YYYY-MM-DDTHH:MM:SS, an optional fraction, then Z or +HH:MM / -HH:MM, and nothing else.
// date.h's %T misreads the seconds of any other start (util/instant.hpp), and its %Ez negates
// the "no offset" value (the minimum of minutes: undefined behaviour) when a sign is followed
// by no hours (the fuzzer found both, docs/reliability.md).
bool has_rfc3339_shape(std::string_view text) {
  if (!starts_with_date_time(text)) return false;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    const auto digits = ++at;
    while (at < text.size() && is_digit(text[at])) ++at;
    if (at == digits) return false;
  }
  const auto zone = text.substr(at);
  if (zone == "Z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && is_digit(zone[1]) && is_digit(zone[2]) &&
         zone[3] == ':' && is_digit(zone[4]) && is_digit(zone[5]);
}

}  // namespace

Result<Instant> parse_rfc3339(std::string_view text) {
  // The shape first: date.h misreads any other (above).
  const bool shaped = has_rfc3339_shape(text);
  for (const char* format : {"%FT%T%Ez", "%FT%TZ"}) {
    if (!shaped) break;
    std::istringstream in{std::string(text)};
    date::sys_time<std::chrono::milliseconds> at{};
    in >> date::parse(format, at);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
      return std::chrono::floor<std::chrono::seconds>(at);
    }
  }
  return make_error(fmt::format("'{}' is not an RFC 3339 time like 2020-09-09T20:15:00.358Z", text));
}

}  // namespace cobrador::http
