// Implements sources/json_fields.hpp.
#include "sources/json_fields.hpp"

#include <cmath>

#include <fmt/format.h>

#include "domain/date.hpp"

namespace cobrador::sources {

namespace {

std::string place(const std::string& where, const std::string& key) { return where + "/" + key; }

}  // namespace

Result<std::string> text_field(const nlohmann::json& object, const std::string& key,
                               const std::string& where) {
  if (!object.is_object()) return make_error(fmt::format("{}: is not an object", where));
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::string();
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return found->dump();
  if (found->is_boolean()) return std::string(found->get<bool>() ? "1" : "0");
  return make_error(fmt::format("{}: is not a text or a whole number", place(where, key)));
}

Result<std::string> id_field(const nlohmann::json& object, const std::string& key, const std::string& where) {
  auto text = text_field(object, key, where);
  if (!text) return text;
  const bool digits = !text->empty() && text->size() <= 18 &&
                      text->find_first_not_of("0123456789") == std::string::npos && *text != "0";
  if (!digits)
    return make_error(
        fmt::format("{}: '{}' is not an id (a positive whole number)", place(where, key), *text));
  return text;
}

Result<Money> amount_field(const nlohmann::json& object, const std::string& key, const std::string& where,
                           const std::string& currency, bool allow_negative) {
  const auto code = Currency::parse(currency);
  if (!code) return make_error(fmt::format("{}: '{}' is not a currency code", where, currency));
  if (!object.is_object()) return make_error(fmt::format("{}: is not an object", where));
  const auto found = object.find(key);
  if (found == object.end() || found->is_null())
    return make_error(fmt::format("{}: is missing", place(where, key)));
  std::string text;
  if (found->is_number_float()) {
    // PHP prints sums of prices as the shortest float that reads back (10.1 + 20.2 is
    // 30.299999999999997): rounded to the cent once, here, at the edge; never added up again.
    const double value = found->get<double>();
    if (!std::isfinite(value) || std::fabs(value) > 1e15)
      return make_error(fmt::format("{}: {} is not an amount", place(where, key), found->dump()));
    text = fmt::format("{:.{}f}", value, code->decimals());
  } else if (found->is_number_integer() || found->is_string()) {
    text = found->is_string() ? found->get<std::string>() : found->dump();
  } else {
    return make_error(fmt::format("{}: is not an amount", place(where, key)));
  }
  // The import reads amounts as money does; checked here so that the pass names the API's field.
  auto money = parse_money(text, *code, allow_negative);
  if (!money)
    return make_error(fmt::format("{}: '{}' is not an amount in {}", place(where, key), text, currency));
  return money;
}

Result<std::string> date_field(const nlohmann::json& object, const std::string& key,
                               const std::string& where) {
  auto text = text_field(object, key, where);
  if (!text) return text;
  if (text->empty() || text->rfind("0000-00-00", 0) == 0) return std::string();
  const std::string day = text->substr(0, 10);
  const bool shaped =
      text->size() == 10 || (text->size() == 19 && ((*text)[10] == ' ' || (*text)[10] == 'T'));
  if (!shaped || !parse_date(day))
    return make_error(fmt::format("{}: '{}' is not a date", place(where, key), *text));
  return day;
}

std::vector<const nlohmann::json*> list_items(const nlohmann::json& list) {
  std::vector<const nlohmann::json*> items;
  if (list.is_array() || list.is_object())
    for (const auto& item : list) items.push_back(&item);
  return items;
}

}  // namespace cobrador::sources
