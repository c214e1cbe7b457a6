// JSON as text, never throwing. nlohmann's dump() throws on a string that is not UTF-8; every
// input is checked where it enters, but a row stored before that check (a Latin-1 name from
// an old import) must still print, so such bytes are written as U+FFFD instead.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace cobrador {

template <class Json>
std::string dump_json(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace cobrador
