// Implements the camt field readers: every value goes through a strict parser (parse_money,
// parse_date) and every refusal says where the element is.
#include "bank/camt_fields.hpp"

#include <fmt/format.h>

#include "bank/camt_xml.hpp"

namespace cobrador::bank::camt {

namespace {

Error at(const Place& place, const pugi::xml_node& node, std::string_view problem) {
  return make_error(fmt::format("{}: {}", place.path(node), problem));
}

// "2014-12-31T13:15:00+01:00" -> 2014-12-31.
Result<Date> date_of_date_time(const Place& place, const pugi::xml_node& node) {
  const auto value = text(node);
  if (value.size() < 19 || value[10] != 'T') {
    return at(place, node, fmt::format("'{}' is not a date and time in the form YYYY-MM-DDThh:mm:ss", value));
  }
  auto day = parse_date(value.substr(0, 10));
  if (!day) return at(place, node, day.error().message);
  return day;
}

Result<Date> read_date_choice(const Place& place, const pugi::xml_node& parent) {
  if (const auto dt = child(parent, "Dt")) {
    auto day = parse_date(text(dt));
    if (!day) return at(place, dt, day.error().message);
    return day;
  }
  if (const auto dt_tm = child(parent, "DtTm")) return date_of_date_time(place, dt_tm);
  return at(place, parent, "neither Dt nor DtTm is given");
}

}  // namespace

Result<Money> read_amount(const Place& place, const pugi::xml_node& amt) {
  const auto code = amt.attribute("Ccy");
  if (!code) return at(place, amt, "the Ccy attribute (currency) is missing");
  auto currency = Currency::parse(code.value());
  if (!currency) return at(place, amt, currency.error().message);
  auto money = parse_money(text(amt), *currency);
  if (!money) return at(place, amt, money.error().message);
  if (money->minor == 0) return at(place, amt, "the amount is zero; an entry moves money or is not an entry");
  return money;
}

Result<Direction> read_direction(const Place& place, const pugi::xml_node& indicator) {
  const auto value = text(indicator);
  if (value == "CRDT") return Direction::credit;
  if (value == "DBIT") return Direction::debit;
  return at(place, indicator, fmt::format("'{}' is neither CRDT nor DBIT", value));
}

Result<bool> read_indicator(const Place& place, const pugi::xml_node& indicator) {
  const auto value = text(indicator);
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return at(place, indicator, fmt::format("'{}' is not a boolean (true or false)", value));
}

Result<std::string> read_status(const Place& place) {
  const auto sts = child(place.ntry, "Sts");
  if (!sts) return make_error(fmt::format("{}: the status is missing", place.missing(place.ntry, "Sts")));
  const auto coded = child(sts, "Cd") ? child(sts, "Cd") : child(sts, "Prtry");
  const auto value = coded ? text(coded) : text(sts);
  if (value.empty()) return at(place, coded ? coded : sts, "the status is empty");
  return std::string(value);
}

Result<Date> read_booking_date(const Place& place) {
  if (const auto booking = child(place.ntry, "BookgDt")) return read_date_choice(place, booking);
  if (const auto value = child(place.ntry, "ValDt")) return read_date_choice(place, value);
  return make_error(fmt::format("{}: the booking date is missing (no BookgDt or ValDt)", place.ntry_path));
}

}  // namespace cobrador::bank::camt
