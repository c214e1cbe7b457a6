// Reading the billing systems' JSON, whose types vary with the version and the field (ids and
// amounts come as numbers or as strings, empty lists as "", [] or {}): every read names the
// JSON pointer of what was wrong, for the pass's error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/money.hpp"
#include "util/result.hpp"

namespace cobrador::sources {

// The value at `key` of `object` as text: a string as it is, an integer in decimal, null or
// absent as "". Anything else (a float, an object) is an error naming `where`/`key`.
Result<std::string> text_field(const nlohmann::json& object, const std::string& key,
                               const std::string& where);

// An id (a positive integer, as a number or as decimal digits), else an error naming the place.
Result<std::string> id_field(const nlohmann::json& object, const std::string& key, const std::string& where);

// An amount in major units of `currency` as the import reads it: "15.95", 15.95 and
// 30.000000000000004 (USD) give "15.95" and "30.00"; a negative amount (unless allowed), a
// currency that is not ISO 4217's or more decimals than it has are errors naming the place.
Result<Money> amount_field(const nlohmann::json& object, const std::string& key, const std::string& where,
                           const std::string& currency, bool allow_negative = false);

// The date of a "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" value, empty for null, "" and the zero
// date ("0000-00-00"), else an error naming the place.
Result<std::string> date_field(const nlohmann::json& object, const std::string& key,
                               const std::string& where);

// The items of a list that may come as an array, an object of items, "" or null (nothing).
std::vector<const nlohmann::json*> list_items(const nlohmann::json& list);

}  // namespace cobrador::sources
