// Implements sources/phone_number.hpp.
#include "sources/phone_number.hpp"

#include <algorithm>
#include <iterator>

namespace cobrador::sources {

std::string digits_of(const std::string& text) {
  std::string digits;
  std::copy_if(text.begin(), text.end(), std::back_inserter(digits),
               [](char ch) { return ch >= '0' && ch <= '9'; });
  return digits;
}

std::string international_phone(const std::string& country_code, const std::string& number) {
  if (digits_of(number).empty()) return "";
  return "+" + digits_of(country_code) + digits_of(number);
}

}  // namespace cobrador::sources
